"""Who may see and do what with cases: the one place views, querysets, services and the
navigation ask.

Every rule is a Django permission (a role is a named set of them, `dtv/accounts/roles.py`)
plus a fact about the object: the user's team. The auditor reads every case because his group
carries `cases.view_all_cases`; an officer or team lead reads his team's cases because he has
`cases.view_case` and a team. Edit a group in the admin and every rule below follows.

The scopes take the queryset they narrow, so this module imports no model of its own app.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dtv.accounts.access import users_with_perm

VIEW_CASE = "cases.view_case"
VIEW_ALL_CASES = "cases.view_all_cases"
ADD_CASE = "cases.add_case"
CHANGE_CASE = "cases.change_case"
VIEW_PERSON = "cases.view_person"
ADD_PERSON = "cases.add_person"
CHANGE_PERSON = "cases.change_person"
ADD_PROCEDURE = "cases.add_procedure"
CHANGE_PROCEDURE = "cases.change_procedure"
ADD_OBSTACLE = "cases.add_obstacle"
CHANGE_OBSTACLE = "cases.change_obstacle"
ADD_NOTE = "cases.add_note"
REASSIGN_CASE = "cases.reassign_case"
VIEW_CASE_ACCESS = "cases.view_case_access"
ADD_CASETRANSFER = "cases.add_casetransfer"
VIEW_CASETRANSFER = "cases.view_casetransfer"
DECIDE_TRANSFER = "cases.decide_transfer"
IMPORT_CASES = "cases.add_caseimport"


# --- predicates ----------------------------------------------------------------------------


def reads_every_case(user) -> bool:
    """Every case of every team, read-only unless other permissions say more (the auditor)."""
    return user.is_authenticated and user.has_perm(VIEW_ALL_CASES)


def reads_team_cases(user) -> bool:
    return user.is_authenticated and bool(user.team_id) and user.has_perm(VIEW_CASE)


def reads_cases(user) -> bool:
    return reads_every_case(user) or reads_team_cases(user)


def reads_transfers(user) -> bool:
    """The list of transfers into and out of the team (team leads, the auditor)."""
    return user.is_authenticated and user.has_perm(VIEW_CASETRANSFER)


def works_cases(user) -> bool:
    """Changes cases: the DT&V staff who own and manage them (officers and team leads)."""
    return user.is_authenticated and user.has_perm(CHANGE_CASE)


def leads_team(user) -> bool:
    """Reassigns the cases of his team: the team lead."""
    return user.is_authenticated and bool(user.team_id) and user.has_perm(REASSIGN_CASE)


def takes_new_cases(user) -> bool:
    """An officer who opens a case without naming its officer gets it himself; a team lead
    (who hands cases out) does not."""
    return works_cases(user) and not user.has_perm(REASSIGN_CASE)


def imports_cases(user) -> bool:
    return user.is_authenticated and user.has_perm(IMPORT_CASES)


def sees_who_accessed(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_CASE_ACCESS)


def decides_transfers(user) -> bool:
    """Accepts or declines transfers into his team."""
    return user.is_authenticated and bool(user.team_id) and user.has_perm(DECIDE_TRANSFER)


def withdraws_transfer(user, transfer) -> bool:
    """The proposer, or the lead of the proposing team, withdraws a pending transfer."""
    return (
        works_cases(user)
        and transfer.from_team_id == user.team_id
        and (transfer.proposed_by_id == user.pk or user.has_perm(REASSIGN_CASE))
    )


# --- queryset scopes -----------------------------------------------------------------------


def team_case_readers():
    """The users whose reading is bound to their team's cases (officers and team leads): who
    reads cases, but not every case."""
    everything = users_with_perm(VIEW_ALL_CASES).values("pk")
    return users_with_perm(VIEW_CASE).exclude(pk__in=everything)


def case_officers():
    """The users who are given cases: who changes cases, but does not hand them out (the
    departure officers, not their team lead)."""
    leads = users_with_perm(REASSIGN_CASE).values("pk")
    return users_with_perm(CHANGE_CASE).exclude(pk__in=leads)


def visible_cases(queryset, user):
    """The cases a user may see (CaseQuerySet.visible_to)."""
    if reads_every_case(user):
        return queryset
    if reads_team_cases(user):
        return queryset.filter(team_id=user.team_id)
    return queryset.none()


def sees_case(user, case) -> bool:
    """visible_cases' rule for one case already read (no query)."""
    if reads_every_case(user):
        return True
    if reads_team_cases(user):
        return case.team_id == user.team_id
    return False


def reads_handovers(user) -> bool:
    """A team that handed a case over reads it for a while (CaseQuerySet.handed_over_by)."""
    return works_cases(user) and bool(user.team_id)


def visible_transfers(queryset, user):
    """Transfers out of and into the user's team; whoever reads every case reads them all."""
    if not (user.is_authenticated and user.has_perm(VIEW_CASETRANSFER) or works_cases(user)):
        return queryset.none()
    if reads_every_case(user):
        return queryset
    if user.team_id:
        return queryset.filter(Q(from_team_id=user.team_id) | Q(to_team_id=user.team_id))
    return queryset.none()


# --- guards for services (ValidationError: the message is shown to the user) --------------


def require_case_worker(actor, case=None) -> None:
    if not works_cases(actor):
        raise ValidationError(_("Only departure officers and team leads can change cases."))
    if case is not None and case.team_id != actor.team_id:
        raise ValidationError(_("This case belongs to another team."))


def require_team_lead(actor) -> None:
    if not leads_team(actor):
        raise ValidationError(_("Only a team lead can do this."))


def require_importer(user) -> None:
    """The case import's pages and services (PermissionDenied: a 403 page)."""
    if not imports_cases(user):
        raise PermissionDenied
