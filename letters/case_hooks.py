"""What the letters app adds to a case (registered in LettersConfig.ready()): the letters
block on the case page, with the button that makes a letter, and a timeline event per letter.
Both read case.letters.all(), which the case page prefetches."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.registry import Section, TimelineEvent
from documents import access as document_access
from letters import access

RECENT = 8


def section(case, *, user, today):
    if not user.has_perm(access.VIEW_GENERATEDLETTER):
        return None
    letters = list(case.letters.all())
    return Section(
        order=20,
        template="letters/_case_section.html",
        context={
            "case": case,
            "letters": [(letter, download_url(letter)) for letter in letters[:RECENT]],
            "more": max(0, len(letters) - RECENT),
            "can_generate": user.has_perm(access.ADD_GENERATEDLETTER) and not case.is_closed,
        },
    )


def download_url(letter) -> str:
    """The letter's PDF, through the documents app's access-checked, audited download."""
    version = letter.document_version
    if version is None:
        return ""
    return reverse("documents:download", args=[version.document.reference, version.number])


def timeline(case):
    for letter in case.letters.all():
        yield TimelineEvent(
            at=letter.created_at,
            kind=_("Letter"),
            title=letter.get_kind_display(),
            detail=letter.filename,
            url=download_url(letter),
            perm=document_access.VIEW_DOCUMENT,
        )
