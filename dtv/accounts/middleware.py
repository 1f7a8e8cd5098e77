import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "session_started_at"


class SessionLimitMiddleware:
    """Ends a session 10 hours after login, however active it was (the idle limit of 30 minutes
    is the session cookie's age, renewed on every request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Team leads, functional administrators and auditors (or everyone, with the setting) use
    a second factor: without a verified device they get only enrolment or verification."""

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
