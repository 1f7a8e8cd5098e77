from django.urls import path

from interviews import views

app_name = "interviews"

urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/koppeling/", views.calendar_settings, name="calendar_settings"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("<str:reference>/nieuw/", views.log_interview, name="log"),
    path("<str:reference>/deelnemer/", views.attendee_row, name="attendee_row"),
    path("<str:reference>/<int:pk>/", views.interview_detail, name="detail"),
    path("<str:reference>/<int:pk>/bewerken/", views.interview_edit, name="edit"),
    path("<str:reference>/<int:pk>/afdrukken/", views.interview_print, name="print"),
]
