from celery import shared_task

from documents import services
from documents.models import DocumentVersion


@shared_task
def rescan_version(version_id: int) -> str:
    """Scan one quarantined version again (enqueued when the scanner could not answer)."""
    version = DocumentVersion.objects.filter(pk=version_id).first()
    if version is None:
        return "gone"
    return services.rescan(version)


@shared_task
def rescan_pending_documents() -> dict:
    """Every version still waiting for the virus scanner: released, refused, or left waiting
    (never released without a verdict)."""
    return services.rescan_pending()


@shared_task
def sweep_document_orphans() -> int:
    """Files in the document storage that no version names (a rolled-back upload)."""
    return services.sweep_orphans()
