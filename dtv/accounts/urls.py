from django.urls import path

from dtv.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("tweestaps/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("tweestaps/", views.two_factor_verify, name="two_factor_verify"),
]
