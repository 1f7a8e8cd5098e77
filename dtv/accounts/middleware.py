import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "session_started_at"
SESSION_RENEWED_KEY = "session_renewed_at"


def start_session_clocks(session) -> None:
    """At login: the absolute limit and the idle clock both count from now."""
    now = time.time()
    session[SESSION_STARTED_KEY] = now
    session[SESSION_RENEWED_KEY] = now


class SessionLimitMiddleware:
    """Ends a session 10 hours after login, however active it was, and keeps the idle limit
    of 30 minutes (the session's age) running from the user's last request.

    The idle clock is renewed by changing the session, which makes the session middleware
    save it with a fresh expiry and send the cookie again; doing that at most once per
    SESSION_RENEW_SECONDS spares a database write on almost every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            started = session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                session[SESSION_STARTED_KEY] = now
            elif now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect(settings.LOGIN_URL)
            renewed = session.get(SESSION_RENEWED_KEY)
            if renewed is None or not 0 <= now - float(renewed) < settings.SESSION_RENEW_SECONDS:
                session[SESSION_RENEWED_KEY] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Every role (save TWO_FACTOR_EXEMPT_ROLES) uses a second factor: without a device
    verified in this session a user gets only enrolment or verification."""

    ALWAYS_ALLOWED = (
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:logout",
        "accounts:login",
        "health",
        "set_language",
        "accessibility",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not settings.TWO_FACTOR_ENFORCED or not user.is_authenticated:
            return None
        if not user.needs_two_factor or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in self.ALWAYS_ALLOWED:
            return None
        from django_otp import devices_for_user

        if any(True for _device in devices_for_user(user, confirmed=True)):
            return redirect("accounts:two_factor_verify")
        return redirect("accounts:two_factor_setup")
