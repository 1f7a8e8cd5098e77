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
