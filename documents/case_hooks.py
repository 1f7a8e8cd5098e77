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
        "can_add": not case.is_closed and access.can_add_document(user, case),
    }
    return Section(order=6, template="documents/_case_section.html", context=context)


def delete_files(person) -> None:
    """Anonymisation and retention: the files of the person's documents leave the storage."""
    from documents import services

    for case in person.cases.all():
        services.delete_files_of_case(case)
