from celery import shared_task
from django.db import InterfaceError, OperationalError

from departure import reminders


@shared_task(
    # Only transient database trouble (a restart, a dropped connection) is worth a retry; the
    # sweep is idempotent, so a retry after a half-finished run only adds what is missing.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def send_due_reminders() -> dict:
    """Beat starts this on an interval (dtv/celery.py); overlaps and retries are harmless."""
    counts = reminders.send_due_reminders()
    return {key: value for key, value in counts.items() if key != "by_rule"}
