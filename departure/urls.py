from django.urls import path

from departure import views

app_name = "departure"

urlpatterns = [
    path("<str:reference>/vertrek/", views.record_departure, name="record_departure"),
    path("<str:reference>/maatregelen/nieuw/", views.add_measure, name="add_measure"),
    path("<str:reference>/maatregelen/<int:pk>/", views.edit_measure, name="edit_measure"),
    path(
        "<str:reference>/maatregelen/<int:pk>/toetsing/",
        views.add_court_review,
        name="add_court_review",
    ),
    path(
        "<str:reference>/terugkeerondersteuning/nieuw/",
        views.add_return_support,
        name="add_return_support",
    ),
    path(
        "<str:reference>/reisdocumenten/nieuw/",
        views.add_travel_document,
        name="add_travel_document",
    ),
    path(
        "<str:reference>/reisdocumenten/<int:pk>/",
        views.edit_travel_document,
        name="edit_travel_document",
    ),
    path("<str:reference>/adviezen/nieuw/", views.add_advice, name="add_advice"),
]
