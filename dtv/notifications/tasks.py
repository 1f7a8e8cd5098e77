from celery import shared_task
from django.db import OperationalError

from dtv.notifications import services


@shared_task(autoretry_for=(OperationalError, ConnectionError), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    return services.email_notification(notification_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_daily_digests() -> int:
    return services.send_daily_digests()
