from django.urls import path

from dtv.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bevestigen/", views.acknowledge_selected, name="acknowledge_selected"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/snooze/", views.snooze, name="snooze"),
]
