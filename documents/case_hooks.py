"""What the documents app adds to a case page (registered in DocumentsConfig.ready())."""

from django.db.models import Prefetch

from cases.registry import Section
from documents import access
from documents.models import Document, DocumentVersion


def section(case, *, user, today):
    if not access.can_view_documents(user):
        return None
    shown = DocumentVersion.objects.visible_to(user).order_by("-number")
    documents = list(
        Document.objects.visible_to(user)
        .filter(case=case)
        .prefetch_related(Prefetch("versions", queryset=shown, to_attr="shown_versions"))
    )
    context = {
        "case": case,
        "documents": [d for d in documents if d.shown_versions],
        "can_add": not case.is_closed and access.can_add_document(user, case, case_as_read=True),
    }
    return Section(order=6, template="documents/_case_section.html", context=context)


def delete_files(person) -> None:
    """Anonymisation and retention: the files of the person's documents leave the storage."""
    from documents import services

    for case in person.cases.all():
        services.delete_files_of_case(case)


def subject_access_files(person):
    """The files of the person's documents for the subject-access zip: every released version
    still in the storage, under a readable name (the generated key stays internal)."""
    from documents import inspection, storage

    versions = (
        DocumentVersion.objects.filter(
            document__case__person=person,
            scan_state=DocumentVersion.ScanState.CLEAN,
            file_deleted_at__isnull=True,
        )
        .select_related("document__case")
        .order_by("document__case__reference", "document__document_date", "number")
    )
    for version in versions:
        document = version.document
        name = inspection.safe_display_name(version.original_name).replace("/", "_")
        path = f"documenten/{document.reference}-v{version.number}-{name}"

        def read(key=version.storage_key):
            with storage.open_file(key) as opened:
                return opened.read()

        yield (
            path,
            read,
            {
                "case": document.case.reference,
                "document": document.reference,
                "type": str(document.get_doc_type_display()),
                "date": document.document_date.isoformat(),
                "description": document.description,
                "version": version.number,
                "original_name": version.original_name,
                "content_type": version.content_type,
                "size": version.size,
                "sha256": version.sha256,
                "uploaded_at": version.uploaded_at.isoformat(),
            },
        )
