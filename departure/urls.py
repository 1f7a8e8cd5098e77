from django.urls import path

from departure import views

app_name = "departure"

# Case-bound pages under the case reference (mounted at /departure/).
urlpatterns = [
    path("<str:reference>/", views.overview, name="overview"),
    path("<str:reference>/vertrek/", views.record_departure, name="record_departure"),
    path("<str:reference>/maatregelen/nieuw/", views.add_measure, name="add_measure"),
    path("<str:reference>/maatregelen/<int:pk>/", views.edit_measure, name="edit_measure"),
    path(
        "<str:reference>/maatregelen/<int:pk>/beeindigen/",
        views.end_measure,
        name="end_measure",
    ),
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
        "<str:reference>/terugkeerondersteuning/<int:pk>/besluit/",
        views.decide_return_support,
        name="decide_return_support",
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
    path(
        "<str:reference>/reisdocumenten/<int:pk>/antwoord/",
        views.travel_document_answer,
        name="travel_document_answer",
    ),
    path("<str:reference>/presentatie/", views.presentation_add, name="presentation_add"),
    path(
        "<str:reference>/presentatie/<int:pk>/",
        views.presentation_edit,
        name="presentation_edit",
    ),
    path("<str:reference>/adviezen/nieuw/", views.add_advice, name="add_advice"),
    path(
        "<str:reference>/adviezen/<int:pk>/verzonden/",
        views.send_advice,
        name="send_advice",
    ),
    path(
        "<str:reference>/adviezen/<int:pk>/uitkomst/",
        views.advice_outcome,
        name="advice_outcome",
    ),
]
