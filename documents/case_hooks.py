"""What the documents app adds to a case page (registered in DocumentsConfig.ready())."""

from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext

from cases.registry import Section, has_rows
from documents import access
from documents.models import Document, DocumentVersion
from dtv.links import reference_url
from dtv.text import date_text


def section(case, *, user, today):
    if not access.can_view_documents(user):
        return None
    # The case page asked in its query of the case whether it has documents (has_rows).
    documents = _rows(_versions(case, user)) if has_rows(case, "documents") else []
    context = {
        "case": case,
        "documents": documents,
        "can_add": not case.is_closed and access.can_add_document(user, case, case_as_read=True),
    }
    return Section(order=6, template="documents/_case_section.html", context=context)


def _versions(case, user):
    """The versions the user may see of the case's documents the user may see, newest
    document first and each document's latest version first, with the document's own
    columns: one query, whatever their number (a document without such a version has no
    row, so it is left out)."""
    # The documents are visible_to(user); their versions get the rule per version only.
    # The case was read as visible to the user: its documents' rule needs no subquery.
    documents = access.documents_of_read_case(user, case, through="document__")
    if documents is None:
        documents = Q(document__case=case, document__in=Document.objects.visible_to(user))
    shown = DocumentVersion.objects.filter(documents)
    return (
        shown.shown_to(user)
        # The documents' own order (Document.Meta.ordering), then their versions.
        .order_by("-document__document_date", "-document__created_at", "document_id", "-number")
        .values_list(
            "document_id",
            "document__reference",
            "document__doc_type",
            "document__document_date",
            "document__description",
            "scan_state",
            "origin",
        )
    )


def _rows(versions) -> list[dict]:
    """The table's cells, worked out once per page: a dossier holds tens of documents, and
    the labels of a choice, a date and the scan state cost more in the template per row (the
    badges as documents/_scan_state.html shows them). A document's first row is its latest
    version; the number of its rows is the number of its versions the user may see."""
    types = {value: str(label) for value, label in Document.Type.choices}
    state = DocumentVersion.ScanState
    badges = {
        state.PENDING: ("text-bg-warning", str(state.PENDING.label)),
        state.INFECTED: ("text-bg-danger", str(state.INFECTED.label)),
        DocumentVersion.Origin.GENERATED: (
            "text-bg-secondary",
            str(DocumentVersion.Origin.GENERATED.label),
        ),
        state.CLEAN: ("text-bg-success", gettext("Scanned")),
    }
    rows, by_document = [], {}
    for document_id, reference, doc_type, day, description, scan_state, origin in versions:
        row = by_document.get(document_id)
        if row is not None:
            row["versions"] += 1
            continue
        badge = badges.get(scan_state)
        if scan_state == state.CLEAN:
            badge = badges.get(origin, badge)
        row = by_document[document_id] = {
            "url": reference_url("documents:detail", reference),
            "type": types.get(doc_type, doc_type),
            "date": date_text(day),
            "description": (
                Truncator(description).chars(60) if len(description) > 60 else description
            ),
            "versions": 1,
            "badge": badge,
        }
        rows.append(row)
    return rows


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
