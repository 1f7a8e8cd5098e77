"""Who may see and do what with documents: the one place views, querysets, services and
navigation ask. Permissions (roles are named sets of them) plus facts: the case's team (a
medical document is for the case's own team only) and, for partner participants, what an
officer shared with an agenda item they may see (documents/hooks.py, filled in by partners).

The models are read through the module at call time: documents/models.py imports this one.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import access as case_access
from cases.models import Case
from documents import hooks, models

VIEW_DOCUMENT = "documents.view_document"
ADD_DOCUMENT = "documents.add_document"
SHARE_DOCUMENT = "documents.share_document"


def can_view_documents(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_DOCUMENT)


def can_add_document(user, case, *, case_as_read: bool = False) -> bool:
    """Who changes cases adds documents and versions to the cases of his own team. A page
    showing a case it has just read passes `case_as_read` (the rule applied to that case, no
    query); services ask the database."""
    if not user.is_authenticated or not user.has_perm(ADD_DOCUMENT):
        return False
    if not case_access.works_cases(user) or case.team_id != user.team_id:
        return False
    if case_as_read:
        return case.is_visible_to(user)
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def shares_documents(user) -> bool:
    return user.is_authenticated and user.has_perm(SHARE_DOCUMENT)


def require_sharer(actor) -> None:
    if not shares_documents(actor):
        raise ValidationError(_("You cannot share documents with partners."))


def documents_of_read_case(user, case, *, through: str = "") -> Q | None:
    """visible_documents() for the documents of one case that a page has just read through
    Case.objects.visible_to(user) (the case page): the same rule as a condition on the
    document's own columns, without asking the database again which cases the user reads.
    None for a user who does not read cases (a partner sees shared documents only): ask
    visible_documents(). `through` prefixes the columns ("document__" from a version)."""
    if not can_view_documents(user):
        return Q(pk__in=[])
    if not (case_access.reads_every_case(user) or case_access.reads_team_cases(user)):
        return None
    visible = Q(**{f"{through}case_id": case.pk})
    if not user.team_id or case.team_id != user.team_id:
        visible &= ~Q(**{f"{through}doc_type": models.Document.Type.MEDICAL})
    return visible


def visible_documents(queryset, user, *, now=None):
    """The documents a user may see (DocumentQuerySet.visible_to).

    - Who reads cases (his team's, or every case): the documents of those cases; a medical
      document (special category data) only for the case's own team.
    - Everyone else with the permission (partner participants): the documents an officer
      shared with an agenda item they may see, while they may see it; never a medical one.
    """
    if not can_view_documents(user):
        return queryset.none()
    medical = models.Document.Type.MEDICAL
    if case_access.reads_every_case(user) or case_access.reads_team_cases(user):
        visible = queryset.filter(case__in=Case.objects.visible_to(user))
        if not user.team_id:
            return visible.exclude(doc_type=medical)
        return visible.filter(~Q(doc_type=medical) | Q(case__team_id=user.team_id))
    shared = hooks.shared_with_partner(user, now=now or timezone.now())
    if shared is None:
        return queryset.none()
    return queryset.filter(pk__in=shared).exclude(doc_type=medical)
