from django.urls import path

from dtv.db import reads_from_replica
from dtv.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("overdragen/", views.reassign, name="reassign"),
    path("vervanging/", views.cover, name="cover"),
    path("rapportages/", reads_from_replica(views.index), name="index"),
    path(
        "rapportages/dtenv-categorieen/",
        reads_from_replica(views.publication_report),
        name="publication",
    ),
    path("rapportages/<slug:name>/", reads_from_replica(views.report), name="report"),
]
