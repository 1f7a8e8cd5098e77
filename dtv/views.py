import sys
from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language

from cases import access as cases
from dtv.accounts import access as accounts
from dtv.audit import access as audit
from dtv.redirects import checked_redirect
from dtv.reports import access as reports
from partners import access as partners

# Where a user lands after login: the first page whose rule (an access predicate) admits him
# and whose URL resolves. The order puts each kind of work's own page first: the caseload for
# who manages one (team leads), the worklist for who works cases (officers), the audit log for
# who reads it (the auditor), the meetings for who takes part in them (partners), the admin
# for who administers the site.
LANDING = [
    ("reports:caseload", reports.manages_caseload),
    ("cases:worklist", cases.works_cases),
    ("audit:log", audit.reads_audit_log),
    ("partners:meeting_list", partners.takes_part),
    ("admin:index", accounts.administers_site),
]


@require_GET
def home(request):
    """Each role lands on the page that fits its work."""
    for name, admits in LANDING:
        if not admits(request.user):
            continue
        try:
            return redirect(reverse(name))
        except NoReverseMatch:
            continue
    return render(request, "home.html")


# The accessibility statement's facts (Dutch model statement): update them with each audit.
ACCESSIBILITY_STATEMENT = {
    "drawn_up_on": date(2026, 12, 3),
    "reviewed_on": date(2026, 12, 3),
    "audited_on": date(2026, 12, 3),
}


def admin_login(request):
    """Where the admin sends whoever it refuses. Anonymous users go to the one login page; a
    logged-in user without admin rights is refused with a 403 page, not sent to the login page
    (which would send them straight back here, an endless loop)."""
    if request.user.is_authenticated:
        raise PermissionDenied
    login_url = reverse("accounts:login")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{login_url}?{query}" if query else login_url)


def set_language(request):
    # Django's view checks `next` and the Referer for another host, but lets a bare word
    # through as a relative URL: the Location passes our same-site check too.
    return checked_redirect(request, django_set_language(request))


@require_GET
def accessibility(request):
    statement = {**ACCESSIBILITY_STATEMENT, "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL}
    return render(request, "accessibility.html", {"statement": statement})


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    return "ok"


def _check_broker() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return None
    import redis

    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except (redis.RedisError, OSError, ValueError):
        return "down"
    return "ok"


@login_not_required
@never_cache
@require_GET
def health(request):
    """Liveness and readiness for load balancers: 200 when every configured dependency answers."""
    checks = {"database": _check_database()}
    broker = _check_broker()
    if broker is not None:
        checks["broker"] = broker
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


def _render_error(request, template, status):
    # Error pages must render without the database: no user lookup, no context processors
    # that query. The request context would call them, so render with a plain context.
    from django.template import loader

    body = loader.get_template(template).render({"request_path": request.path})
    from django.http import HttpResponse

    return HttpResponse(body, status=status)


@login_not_required
def bad_request(request, exception=None):
    return _render_error(request, "errors/400.html", 400)


@login_not_required
def permission_denied(request, exception=None):
    return _render_error(request, "errors/403.html", 403)


@login_not_required
def csrf_failure(request, reason=""):
    # The form was stale or opened in another session: say so plainly, in the house style.
    return _render_error(request, "errors/403_csrf.html", 403)


@login_not_required
def page_not_found(request, exception=None):
    return _render_error(request, "errors/404.html", 404)


@login_not_required
def server_error(request):
    # An unreachable database is an outage, not a bug: answer 503 and ask to retry.
    _type, error, _tb = sys.exc_info()
    if isinstance(error, DatabaseError):
        response = _render_error(request, "errors/503.html", 503)
        response["Retry-After"] = "10"
        return response
    return _render_error(request, "errors/500.html", 500)
