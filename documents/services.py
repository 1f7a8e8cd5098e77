"""Every change to documents goes through here: adding a document or a version (checked,
scanned, stored), releasing or refusing a quarantined version, deleting files for retention.

Storage and database never disagree:
- the file is written first, under a fresh random key; the rows follow in one transaction.
  If the rows fail, the file is deleted again before the error goes on (and, should an outer
  transaction roll back later, `sweep_orphans` removes a file no row names);
- if the storage write fails, no row is written."""

import io
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import access, inspection, scanner, storage
from documents.models import Document, DocumentVersion

logger = logging.getLogger(__name__)


class StorageFailed(Exception):
    """The file could not be written to (or removed from) the document storage."""


def _store_file(key: str, content) -> None:
    try:
        storage.save(key, content)
    except Exception as error:  # any storage backend error: disk full, S3 down, refused
        logger.exception("document storage: writing %s failed", key)
        raise StorageFailed(str(error)) from error


def _discard_file(key: str) -> None:
    try:
        storage.delete(key)
    except Exception:  # the orphan sweep removes it later
        logger.exception("document storage: removing %s failed", key)


def _write_rows(key: str, write):
    """Run `write()` (the row writes) in a transaction; if it fails, the file stored under
    `key` is deleted before the error goes on."""
    try:
        with transaction.atomic():
            return write()
    except BaseException:
        _discard_file(key)
        raise


def _next_number(document: Document) -> int:
    top = document.versions.aggregate(top=Max("number"))["top"] or 0
    return top + 1


@transaction.atomic
def _lock(document: Document) -> Document:
    return Document.objects.select_for_update().get(pk=document.pk)


def store_generated(
    *,
    case,
    user,
    doc_type: str,
    filename: str,
    content: bytes,
    description: str,
    source_note: str = "",
    document: Document | None = None,
) -> DocumentVersion:
    """Store a file the application made itself (a letter) as a document of the case, or as
    a new version of `document`.

    Released without a virus scan, by origin: the bytes come from our own code (WeasyPrint
    from our templates, the case's data escaped into them), not from outside, so a scanner
    has nothing to find and making a letter does not depend on clamd being up. The version
    says so (origin "generated"). The type, size and SHA-256 are still taken from the bytes."""
    if doc_type not in Document.Type.values:
        raise ValidationError(_("Unknown document type."))
    if not content:
        raise ValidationError(_("The file is empty. Choose a file with content."))
    opened = io.BytesIO(content)
    head = content[:8192]
    content_type = inspection.detect_type(head, opened)
    import hashlib

    sha256 = hashlib.sha256(content).hexdigest()
    now = timezone.now()
    version = DocumentVersion(
        original_name=inspection.safe_display_name(filename),
        content_type=content_type,
        size=len(content),
        sha256=sha256,
        origin=DocumentVersion.Origin.GENERATED,
        uploaded_by=user,
        scan_state=DocumentVersion.ScanState.CLEAN,
        scanned_at=now,
        scan_result=_("Made by the system; not scanned"),
    )
    _store_file(version.storage_key, content)

    def write():
        target = document
        if target is None:
            target = Document.objects.create(
                case=case,
                doc_type=doc_type,
                document_date=timezone.localdate(),
                description=description[:300],
                source_note=source_note[:300],
                created_by=user,
            )
        else:
            target = Document.objects.select_for_update().get(pk=target.pk)
        version.document = target
        version.number = _next_number(target)
        version.save()
        return version

    return _write_rows(version.storage_key, write)


# -- uploads ---------------------------------------------------------------------------------


def scanner_mode() -> str:
    """ "scan" (clamd configured), "unscanned" (development without a scanner: uploads are
    accepted and said to be unscanned), or "refused" (production without a scanner)."""
    if scanner.is_configured():
        return "scan"
    return "unscanned" if settings.DEBUG else "refused"


def _scan(upload) -> scanner.ScanResult | None:
    """The scanner's verdict, or None when it could not give one (unreachable, slow)."""
    upload.seek(0)
    try:
        chunks = upload.chunks() if hasattr(upload, "chunks") else [upload.read()]
        return scanner.scan_chunks(chunks)
    except scanner.ScannerUnavailable as error:
        logger.warning("virus scan postponed: %s", error)
        return None
    finally:
        upload.seek(0)


def _notify_administrators(*, case, signature: str, name: str, actor) -> None:
    from dtv.accounts.models import User
    from dtv.notifications.services import notify

    # The functional administrators: the staff of the admin site (set_role derives the flag).
    for admin in User.objects.filter(is_staff=True, is_active=True):
        notify(
            admin,
            title=_("Virus found in an uploaded file"),
            body=_(
                "The virus scanner found “%(signature)s” in a file uploaded by %(user)s to case "
                "%(reference)s. The file was refused and not stored."
            )
            % {"signature": signature, "user": actor, "reference": case.reference},
        )


def _record_refusal(*, case, actor, signature: str, name: str, document=None) -> None:
    """An audit entry for a refused (infected) upload: who tried, when, to which case, and what
    the scanner found. Written in its own transaction: the upload itself writes nothing."""
    from dtv.audit.models import AuditEntry

    target = document or case
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(target)),
        object_pk=str(target.pk),
        object_id=target.pk,
        object_repr=str(target)[:255],
        action=AuditEntry.Action.CREATE,
        kind=AuditEntry.Kind.CREATE,
        actor=actor,
        additional_data=case.get_additional_data()
        | {"refused": "virus", "signature": signature, "file": name[:255]},
        changes={"upload": ["", f"refused: virus found ({signature})"]},
    )


def _refuse_infected(*, case, actor, signature, name, document=None):
    with transaction.atomic():
        _record_refusal(case=case, actor=actor, signature=signature, name=name, document=document)
        _notify_administrators(case=case, signature=signature, name=name, actor=actor)
    raise ValidationError(
        _(
            "The virus scanner found a virus in this file (%(signature)s). The file has not "
            "been stored. The functional administrator has been told."
        )
        % {"signature": signature},
        code="infected",
    )


def _checked_upload(case, *, actor, upload, document=None) -> DocumentVersion:
    """Check the file and scan it; an unsaved version with its verdict. Raises a
    ValidationError (nothing stored) for bad input, an infected file or no scanner."""
    mode = scanner_mode()
    if mode == "refused":
        raise ValidationError(
            _(
                "Uploading is switched off: no virus scanner is configured. Ask the functional "
                "administrator."
            ),
            code="no_scanner",
        )
    name = inspection.safe_display_name(getattr(upload, "name", ""))
    found = inspection.inspect(upload, name=name, max_bytes=settings.DOCUMENTS_MAX_UPLOAD_BYTES)
    version = DocumentVersion(
        original_name=name,
        content_type=found.content_type,
        size=found.size,
        sha256=found.sha256,
        origin=DocumentVersion.Origin.UPLOAD,
        uploaded_by=actor,
    )
    if mode == "unscanned":
        # Development only (DEBUG on, no CLAMD_URL); the form says that files are not scanned.
        version.scan_state = DocumentVersion.ScanState.CLEAN
        version.scanned_at = timezone.now()
        version.scan_result = _("Not scanned: development mode without a virus scanner")
        return version
    verdict = _scan(upload)
    version.scan_attempts = 1
    if verdict is None:
        version.scan_state = DocumentVersion.ScanState.PENDING
    elif verdict.clean:
        version.scan_state = DocumentVersion.ScanState.CLEAN
        version.scanned_at = timezone.now()
    else:
        _refuse_infected(
            case=case, actor=actor, signature=verdict.signature, name=name, document=document
        )
    return version


def _after_quarantine(version: DocumentVersion) -> None:
    if version.scan_state == DocumentVersion.ScanState.PENDING:
        from documents.tasks import rescan_version

        transaction.on_commit(
            lambda: rescan_version.apply_async((version.pk,), countdown=60), robust=True
        )


def add_document(
    case,
    *,
    actor,
    doc_type: str,
    document_date,
    description: str,
    upload,
    obstacle=None,
    attach=None,
) -> DocumentVersion:
    """A new document of the case with its first version (the uploaded file). `attach`
    (document -> None) links it to the record it was uploaded from, in the same transaction
    (documents.hooks.Source.attach of an interview or a travel-document request)."""
    if not access.can_add_document(actor, case):
        raise PermissionDenied
    if doc_type not in Document.Type.values:
        raise ValidationError({"doc_type": _("Choose a document type from the list.")})
    if document_date > timezone.localdate():
        raise ValidationError(
            {"document_date": _("The date of a document cannot be in the future.")}
        )
    if obstacle is not None and obstacle.case_id != case.pk:
        raise ValidationError(_("The obstacle belongs to another case."))
    version = _checked_upload(case, actor=actor, upload=upload)
    _store_upload(version, upload)

    def write():
        document = Document.objects.create(
            case=case,
            doc_type=doc_type,
            document_date=document_date,
            description=description[:300],
            obstacle=obstacle,
            created_by=actor,
        )
        version.document = document
        version.number = 1
        version.save()
        if attach is not None:
            attach(document)
        _after_quarantine(version)
        return version

    return _write_rows(version.storage_key, write)


def add_version(document: Document, *, actor, upload) -> DocumentVersion:
    """A new version of a document (the old ones stay and are listed)."""
    if not access.can_add_document(actor, document.case):
        raise PermissionDenied
    version = _checked_upload(document.case, actor=actor, upload=upload, document=document)
    _store_upload(version, upload)

    def write():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        version.document = locked
        version.number = _next_number(locked)
        version.save()
        _after_quarantine(version)
        return version

    return _write_rows(version.storage_key, write)


def _store_upload(version: DocumentVersion, upload) -> None:
    from django.core.files import File

    upload.seek(0)
    try:
        _store_file(version.storage_key, File(upload, name=version.storage_key))
    except StorageFailed:
        raise ValidationError(
            _("The file could not be stored. Nothing has been saved; please try again later."),
            code="storage",
        ) from None


# -- quarantine --------------------------------------------------------------------------------


def rescan(version: DocumentVersion) -> str:
    """Scan a version waiting in quarantine again: released when clean, the file removed and
    the uploader and the administrators told when infected, left waiting when the scanner still
    cannot answer. Returns the scan state after it."""
    with transaction.atomic():
        version = (
            # Only the version's row is locked (the uploader may be gone: an outer join).
            DocumentVersion.objects.select_for_update(of=("self",))
            .select_related("document__case__person", "uploaded_by")
            .get(pk=version.pk)
        )
        if version.scan_state != DocumentVersion.ScanState.PENDING:
            return version.scan_state
        try:
            with storage.open_file(version.storage_key) as opened:
                verdict = scanner.scan_chunks(iter(lambda: opened.read(64 * 1024), b""))
        except scanner.ScannerUnavailable as error:
            logger.warning("rescan of version %s postponed: %s", version.pk, error)
            version.scan_attempts += 1
            version.save(update_fields=["scan_attempts"])
            return version.scan_state
        version.scan_attempts += 1
        version.scanned_at = timezone.now()
        if verdict.clean:
            version.scan_state = DocumentVersion.ScanState.CLEAN
            version.save(update_fields=["scan_state", "scanned_at", "scan_attempts"])
            return version.scan_state
        version.scan_state = DocumentVersion.ScanState.INFECTED
        version.scan_result = verdict.signature
        version.file_deleted_at = timezone.now()
        version.save(
            update_fields=[
                "scan_state",
                "scanned_at",
                "scan_attempts",
                "scan_result",
                "file_deleted_at",
            ]
        )
        case = version.document.case
        _record_refusal(
            case=case,
            actor=version.uploaded_by,
            signature=verdict.signature,
            name=version.original_name,
            document=version.document,
        )
        _notify_administrators(
            case=case,
            signature=verdict.signature,
            name=version.original_name,
            actor=version.uploaded_by,
        )
        if version.uploaded_by is not None:
            from dtv.notifications.services import notify

            notify(
                version.uploaded_by,
                title=_("Your upload contained a virus and was removed"),
                body=_(
                    "The file “%(name)s” you uploaded to case %(reference)s contained a virus "
                    "(%(signature)s). It has been removed."
                )
                % {
                    "name": version.original_name,
                    "reference": case.reference,
                    "signature": verdict.signature,
                },
                case=case,
            )
        key = version.storage_key
        transaction.on_commit(lambda: _discard_file(key))
        return version.scan_state


def rescan_pending(*, limit: int = 200) -> dict:
    """Every version still waiting for a scan, oldest first: {state: count}."""
    counts: dict[str, int] = {}
    pending = DocumentVersion.objects.filter(scan_state=DocumentVersion.ScanState.PENDING)
    for version in pending.order_by("uploaded_at")[:limit]:
        state = rescan(version)
        counts[state] = counts.get(state, 0) + 1
    return counts


# -- lifecycle ---------------------------------------------------------------------------------


def delete_files_of_case(case) -> int:
    """Retention and anonymisation: remove every file of the case's documents from the storage
    (after the transaction commits, so a rolled-back anonymisation keeps them). The rows stay
    (type, dates: statistics) with the moment the file went."""
    now = timezone.now()
    keys = []
    for version in DocumentVersion.objects.filter(
        document__case=case, file_deleted_at__isnull=True
    ):
        keys.append(version.storage_key)
        version.file_deleted_at = now
        version.save(update_fields=["file_deleted_at"])

    def remove():
        for key in keys:
            _discard_file(key)

    transaction.on_commit(remove)
    return len(keys)


def sweep_orphans(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Remove files that no version names (left by a transaction rolled back after its file
    was written). Only files older than `older_than`: a file being stored now has no row yet."""
    document_storage = storage.document_storage()
    known = set(DocumentVersion.objects.values_list("storage_key", flat=True))
    cutoff = timezone.now() - older_than
    removed = 0
    for key in _all_keys(document_storage, "documents"):
        if key in known:
            continue
        try:
            modified = document_storage.get_modified_time(key)
        except (OSError, NotImplementedError):
            continue
        if modified < cutoff:
            _discard_file(key)
            removed += 1
    return removed


def _all_keys(document_storage, prefix: str):
    try:
        directories, files = document_storage.listdir(prefix)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        yield f"{prefix}/{name}"
    for directory in directories:
        yield from _all_keys(document_storage, f"{prefix}/{directory}")
