"""What the documents app adds to a case page (registered in DocumentsConfig.ready())."""

from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext

from cases.registry import Section
from documents import access
from documents.models import Document, DocumentVersion


def section(case, *, user, today):
    if not access.can_view_documents(user):
        return None
    context = {
        "case": case,
        "documents": _rows(_documents(case, user)),
        "can_add": not case.is_closed and access.can_add_document(user, case, case_as_read=True),
    }
    return Section(order=6, template="documents/_case_section.html", context=context)


def _documents(case, user):
    """The case's documents the user may see, each with the number of its versions the user
    may see and the scan state of the latest of them: one query, whatever their number
    (documents without such a version are left out)."""
    # The documents are visible_to(user); their versions get the rule per version only.
    shown = DocumentVersion.objects.shown_to(user).filter(document=OuterRef("pk"))
    latest = shown.order_by("-number")
    return (
        Document.objects.visible_to(user)
        .filter(case=case)
        .annotate(
            shown_count=Subquery(
                shown.order_by().values("document").annotate(n=Count("pk")).values("n")
            ),
            latest_state=Subquery(latest.values("scan_state")[:1]),
            latest_origin=Subquery(latest.values("origin")[:1]),
        )
        .filter(shown_count__gt=0)
        .values(
            "reference",
            "doc_type",
            "document_date",
            "description",
            "shown_count",
            "latest_state",
            "latest_origin",
        )
    )


def _rows(documents) -> list[dict]:
    """The table's cells, worked out once per page: a dossier holds tens of documents, and
    the labels of a choice, a date and the scan state cost more in the template per row (the
    badges as documents/_scan_state.html shows them)."""
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
    rows = []
    for document in documents:
        badge = badges.get(document["latest_state"])
        if document["latest_state"] == state.CLEAN:
            badge = badges.get(document["latest_origin"], badge)
        rows.append(
            {
                "url": reverse("documents:detail", args=[document["reference"]]),
                "type": types.get(document["doc_type"], document["doc_type"]),
                "date": date_format(document["document_date"]),
                "description": Truncator(document["description"]).chars(60),
                "versions": document["shown_count"],
                "badge": badge,
            }
        )
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
