"""Login throttling on django-axes (issue 24.8, ASVS 2.2.1).

- The client's address is the one the trusted proxies report (dtv/proxies.py), so clients
  behind the proxy no longer share one address, and a forged X-Forwarded-For changes nothing.
- A username from one address is held back after AXES_FAILURE_LIMIT failures; an address is
  held back after ADDRESS_FAILURE_LIMIT failures across any usernames (password spraying).
- The hold is a cool-off, not a lockout of the account: it binds the (username, address) pair
  or the address, never the account from elsewhere, and it grows: COOL_OFF_BASE after the
  limit, doubled by every further failure, at most COOL_OFF_MAX.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

COOL_OFF_BASE = timedelta(minutes=15)
COOL_OFF_MAX = timedelta(hours=24)
ADDRESS_FAILURE_LIMIT = 20


def _failures(**filters) -> int:
    total = AccessAttempt.objects.filter(**filters).aggregate(total=Sum("failures_since_start"))
    return total["total"] or 0


def _cool_off_for(username, ip_address) -> timedelta:
    if ip_address is None:
        return COOL_OFF_BASE
    over = _failures(username=username, ip_address=ip_address) - settings.AXES_FAILURE_LIMIT
    if over <= 0:
        return COOL_OFF_BASE
    return min(COOL_OFF_BASE * 2 ** min(over, 16), COOL_OFF_MAX)


def cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: how long failures count, and so how long a hold lasts."""
    if request is None:
        return COOL_OFF_BASE
    return _cool_off_for(get_client_username(request), getattr(request, "axes_ip_address", None))


class ThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with the address weighed against its own limit, a success that
    clears only its own (username, address) pair, and expiry per pair (the cool-off differs
    per pair, so one client's short cool-off must not wipe another's longer one)."""

    def get_failures(self, request, credentials=None) -> int:
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # In units of the per-user limit: ADDRESS_FAILURE_LIMIT failures make one full limit.
        return max(pair, address * settings.AXES_FAILURE_LIMIT // ADDRESS_FAILURE_LIMIT)

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        now = timezone.now()
        count, _kinds = AccessAttempt.objects.filter(attempt_time__lte=now - COOL_OFF_MAX).delete()
        ip_address = getattr(request, "axes_ip_address", None) if request is not None else None
        if ip_address is not None:
            username = get_client_username(request, credentials)
            threshold = now - _cool_off_for(username, ip_address)
            stale, _kinds = AccessAttempt.objects.filter(
                username=username, ip_address=ip_address, attempt_time__lt=threshold
            ).delete()
            count += stale
        return count

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A successful login must not wipe the address's count of failures for other
        # usernames (an account of one's own would reset a spraying run).
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _kinds = pair.delete()
        return count
