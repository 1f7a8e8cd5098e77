from django.urls import path

from dtv.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("account/", views.security, name="security"),
    path("tweestaps/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("tweestaps/reservecodes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("tweestaps/", views.two_factor_verify, name="two_factor_verify"),
    path("wachtwoord/wijzigen/", views.password_change, name="password_change"),
    path("wachtwoord/vergeten/", views.password_reset, name="password_reset"),
    path("wachtwoord/vergeten/verstuurd/", views.password_reset_done, name="password_reset_done"),
    path(
        "wachtwoord/nieuw/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
]
