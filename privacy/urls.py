from django.urls import path

from dtv.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
    path("afwijkingen/", views.anomalies, name="anomalies"),
    path("zaak/<str:reference>/", views.case_access, name="case_access"),
    path("inzage/", views.subject_access_form, name="subject_access"),
    path(
        "inzage/<str:v_nummer>.<str:fmt>",
        views.subject_access_export,
        name="subject_access_export",
    ),
]
