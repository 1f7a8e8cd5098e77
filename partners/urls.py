from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    # The partner directory.
    path("organisaties/", views.organisation_list, name="organisation_list"),
    path("organisaties/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    # Meetings: list, create, detail.
    path("overleggen/", views.meeting_list, name="meeting_list"),
    path("overleggen/nieuw/", views.meeting_create, name="meeting_create"),
    path("overleggen/<str:reference>/", views.meeting_detail, name="meeting_detail"),
    path("overleggen/<str:reference>/bewerken/", views.meeting_edit, name="meeting_edit"),
    # Agenda preparation.
    path(
        "overleggen/<str:reference>/voorstellen/",
        views.meeting_proposals,
        name="meeting_proposals",
    ),
    path("overleggen/<str:reference>/agenda/toevoegen/", views.agenda_add, name="agenda_add"),
    path(
        "overleggen/<str:reference>/agenda/<int:pk>/",
        views.agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "overleggen/<str:reference>/agenda/<int:pk>/documenten/",
        views.agenda_item_documents,
        name="agenda_item_documents",
    ),
    path(
        "overleggen/<str:reference>/agenda/<int:pk>/verplaatsen/",
        views.agenda_move,
        name="agenda_move",
    ),
    path(
        "overleggen/<str:reference>/agenda/<int:pk>/verwijderen/",
        views.agenda_remove,
        name="agenda_remove",
    ),
    path("overleggen/<str:reference>/voordragen/", views.nominate, name="nominate"),
    path("overleggen/<str:reference>/versturen/", views.meeting_send, name="meeting_send"),
    path("overleggen/<str:reference>/gehouden/", views.meeting_held, name="meeting_held"),
    # Minutes.
    path("overleggen/<str:reference>/notulen/", views.minutes, name="minutes"),
    path(
        "overleggen/<str:reference>/notulen/<int:pk>/besluit/",
        views.minutes_decision,
        name="minutes_decision",
    ),
    path(
        "overleggen/<str:reference>/notulen/<int:pk>/actiepunt/",
        views.action_item_add,
        name="action_item_add",
    ),
    path(
        "overleggen/<str:reference>/notulen/vaststellen/",
        views.minutes_finalise,
        name="minutes_finalise",
    ),
    # The agenda on paper and as PDF, and one agenda case (the partner's case view).
    path("overleggen/<str:reference>/afdrukken/", views.agenda_print, name="agenda_print"),
    path("overleggen/<str:reference>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path(
        "overleggen/<str:reference>/zaken/<str:case_reference>/",
        views.agenda_case,
        name="agenda_case",
    ),
    # Action items.
    path("actiepunten/", views.action_item_list, name="action_item_list"),
    path("actiepunten/<int:pk>/", views.action_item_update, name="action_item_update"),
    # Nominate a case from the case page.
    path("voordragen/<str:case_reference>/", views.nominate_case, name="nominate_case"),
]
