from django.urls import path

from dtv.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("overdragen/", views.reassign, name="reassign"),
    path("vervanging/", views.cover, name="cover"),
    path("rapportages/", views.index, name="index"),
    path("rapportages/dtenv-categorieen/", views.publication_report, name="publication"),
    path("rapportages/<slug:name>/", views.report, name="report"),
]
