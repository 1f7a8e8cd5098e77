from django.urls import path

from letters import views

app_name = "letters"

urlpatterns = [
    path("teksten/", views.text_list, name="text_list"),
    path("teksten/<str:kind>/<str:language>/", views.text_edit, name="text_edit"),
    path("teksten/<str:kind>/<str:language>/voorbeeld/", views.text_preview, name="text_preview"),
    path("<str:reference>/nieuw/", views.generate, name="generate"),
]
