from celery import shared_task
from django.db import InterfaceError, OperationalError

from departure import reminders


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def send_due_reminders() -> dict:
    """Beat starts this on an interval; it is idempotent, so overlaps and retries are safe."""
    return reminders.send_due_reminders()
