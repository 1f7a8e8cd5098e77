from django.urls import path  # noqa: F401

app_name = "departure"

urlpatterns: list = []
