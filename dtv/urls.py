from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from dtv import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("toegankelijkheid/", login_not_required(views.accessibility), name="accessibility"),
    # The language switch must work on the login page too.
    path("i18n/setlang/", login_not_required(views.set_language), name="set_language"),
    path("accounts/", include("dtv.accounts.urls")),
    path("notifications/", include("dtv.notifications.urls")),
    path("audit/", include("dtv.audit.urls")),
    path("audit/", include("privacy.urls")),
    path("cases/", include("cases.urls")),
    path("documenten/", include("documents.urls")),
    path("interviews/", include("interviews.urls")),
    path("departure/", include("departure.urls")),
    path("partners/", include("partners.urls")),
    path("brieven/", include("letters.urls")),
    path("reports/", include("dtv.reports.urls")),
    # One login page for everything, with lockout and two-factor: the admin's own login form
    # is never offered.
    path("beheer/login/", login_not_required(views.admin_login)),
    path("beheer/", admin.site.urls),
]

handler400 = "dtv.views.bad_request"
handler403 = "dtv.views.permission_denied"
handler404 = "dtv.views.page_not_found"
handler500 = "dtv.views.server_error"
