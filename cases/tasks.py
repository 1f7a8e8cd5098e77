from celery import shared_task
from django.db import OperationalError

from cases import retention


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def anonymise_expired_cases() -> int:
    return retention.run()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def check_case_import(batch_id: int) -> None:
    from cases import imports
    from cases.models import CaseImport

    batch = CaseImport.objects.filter(pk=batch_id, status=CaseImport.Status.CHECKING).first()
    if batch is not None:
        with imports.failing_on_error(batch):
            imports.check_import(batch)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def run_case_import(batch_id: int) -> None:
    from cases import imports
    from cases.models import CaseImport

    batch = CaseImport.objects.filter(pk=batch_id, status=CaseImport.Status.IMPORTING).first()
    if batch is not None:
        with imports.failing_on_error(batch):
            imports.run_import(batch)
