from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("afwijkingen/", views.anomalies, name="anomalies"),
    path("zaak/<str:reference>/", views.case_access, name="case_access"),
    path("inzage/", views.subject_access_form, name="subject_access"),
    path(
        "inzage/<str:v_nummer>.<str:fmt>",
        views.subject_access_export,
        name="subject_access_export",
    ),
]
