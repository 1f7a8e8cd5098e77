from celery import shared_task
from django.db import OperationalError

from cases import retention


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def anonymise_expired_cases() -> int:
    return retention.run()
