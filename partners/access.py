"""Who may see and do what with the LTO meetings, their agendas and action items: the one
place views, querysets, services and the navigation ask.

The rules are Django permissions (roles are named sets of them, `dtv/accounts/roles.py`) plus
facts about the objects: the user's team, his part in a meeting (chair, secretary, creator),
his organisation's participation, and the partner's access window after the minutes.

The models are read through the module (`models.Meeting`), at call time: partners/models.py
imports this module for its querysets' `visible_to`.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import access as case_access
from directory.access import partner_organisation_ids
from partners import models
from partners import rules as lto_rules

VIEW_MEETING = "partners.view_meeting"
ADD_MEETING = "partners.add_meeting"
CHANGE_MEETING = "partners.change_meeting"
VIEW_ALL_MEETINGS = "partners.view_all_meetings"
TAKE_PART = "partners.take_part_in_meetings"
VIEW_AGENDAITEM = "partners.view_agendaitem"
ADD_AGENDAITEM = "partners.add_agendaitem"
CHANGE_AGENDAITEM = "partners.change_agendaitem"
VIEW_ACTIONITEM = "partners.view_actionitem"
ADD_ACTIONITEM = "partners.add_actionitem"
CHANGE_ACTIONITEM = "partners.change_actionitem"


# --- predicates ----------------------------------------------------------------------------


def reads_meetings(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_MEETING)


def reads_every_meeting(user) -> bool:
    """Every meeting, read-only (the auditor)."""
    return user.is_authenticated and user.has_perm(VIEW_ALL_MEETINGS)


def prepares_meetings(user) -> bool:
    """Plans, prepares and minutes the meetings of his team (officers and team leads)."""
    return user.is_authenticated and user.has_perm(CHANGE_MEETING)


def takes_part(user) -> bool:
    """Takes part in meetings for his organisation (the partner participant)."""
    return user.is_authenticated and user.has_perm(TAKE_PART)


def nominates(user) -> bool:
    return user.is_authenticated and user.has_perm(ADD_AGENDAITEM)


def opens_case_of(user, team_id) -> bool:
    """A row of an agenda links to the case page for the case's own team."""
    return case_access.works_cases(user) and team_id == user.team_id


# --- queryset scopes -----------------------------------------------------------------------


def visible_meetings(queryset, user):
    """The meetings a user may see (MeetingQuerySet.visible_to).

    - Who reads every meeting (the auditor): all of them.
    - Who prepares meetings (officers, team leads): those organised by his team, those he
      chairs, takes the minutes of or created, and those whose agenda holds one of his team's
      cases (a nomination does not count: nominating grants no access).
    - Who takes part for an organisation (partner participants): the meetings his
      organisation takes part in.
    """
    if not user.is_authenticated or not user.has_perm(VIEW_MEETING):
        return queryset.none()
    if reads_every_meeting(user):
        return queryset
    condition = Q(pk__in=[])
    if prepares_meetings(user):
        condition |= Q(chair_id=user.pk) | Q(secretary_id=user.pk) | Q(created_by_id=user.pk)
        if user.team_id:
            # On the agenda, not merely nominated: a nomination grants no access.
            team_items = models.AgendaItem.objects.on_agenda().filter(case__team_id=user.team_id)
            condition |= Q(team_id=user.team_id) | Q(pk__in=team_items.values("meeting_id"))
    if takes_part(user):
        participating = models.MeetingParticipant.objects.filter(
            organisation_id__in=partner_organisation_ids(user)
        )
        condition |= Q(pk__in=participating.values("meeting_id"))
    return queryset.filter(condition)


def organised_meetings(queryset, user):
    """Meetings this officer may prepare and minute: chair, secretary, or the organising team
    (MeetingQuerySet.organised_by)."""
    if not prepares_meetings(user):
        return queryset.none()
    condition = Q(chair_id=user.pk) | Q(secretary_id=user.pk)
    if user.team_id:
        condition |= Q(team_id=user.team_id)
    return queryset.filter(condition)


def organises(user, meeting) -> bool:
    """organised_meetings' rule for one meeting already read (no query): a page that has
    just read the meeting asks this; services ask the database."""
    if not prepares_meetings(user):
        return False
    return user.pk in (meeting.chair_id, meeting.secretary_id) or bool(
        user.team_id and meeting.team_id == user.team_id
    )


def visible_agenda_items(queryset, user, *, now=None):
    """Agenda items (and so their cases' need-to-know fields) a user may see.

    Who takes part for an organisation sees the items on the agenda of a meeting his
    organisation takes part in, once the agenda has been sent, until the item is taken off the
    agenda or PARTNER_ACCESS_DAYS_AFTER_MINUTES days after the minutes became final. DT&V
    staff see the items of the meetings they see (visible_meetings)."""
    if not user.is_authenticated:
        return queryset.none()
    meetings = models.Meeting.objects.visible_to(user)
    if takes_part(user) and not prepares_meetings(user) and not reads_every_meeting(user):
        now = now or timezone.now()
        cutoff = now - timedelta(days=lto_rules.PARTNER_ACCESS_DAYS_AFTER_MINUTES)
        return (
            queryset.on_agenda()
            .filter(meeting__in=meetings, meeting__status__in=models.Meeting.SENT_STATUSES)
            .exclude(
                meeting__status=models.Meeting.Status.MINUTES_FINAL,
                meeting__minutes_finalised_at__lte=cutoff,
            )
        )
    return queryset.exclude(status=models.AgendaItem.Status.REMOVED).filter(meeting__in=meetings)


def owned_action_items(queryset, user):
    """Owned by the user, or (for who takes part for an organisation) by his organisation."""
    if not user.is_authenticated:
        return queryset.none()
    condition = Q(owner_user_id=user.pk)
    if takes_part(user):
        condition |= Q(owner_organisation_id__in=partner_organisation_ids(user))
    return queryset.filter(condition)


def visible_action_items(queryset, user, *, now=None):
    """Action items a user may see: those of agenda items he sees, and (partners) the ones he
    owns while these are open, even after his access to the case ended."""
    if not user.is_authenticated:
        return queryset.none()
    items = models.AgendaItem.objects.visible_to(user, now=now)
    condition = Q(agenda_item__in=items)
    if takes_part(user):
        owned = owned_action_items(queryset.model.objects.all(), user).open()
        condition |= Q(pk__in=owned.values("pk"))
    return queryset.filter(condition)


# --- guards for services (ValidationError: the message is shown to the user) --------------


def require_staff(actor) -> None:
    if not prepares_meetings(actor):
        raise ValidationError(_("Only departure officers and team leads can prepare meetings."))


def require_organiser(meeting, actor) -> None:
    require_staff(actor)
    if not models.Meeting.objects.organised_by(actor).filter(pk=meeting.pk).exists():
        raise ValidationError(
            _("Only the chair, the secretary or the organising team can change this meeting.")
        )


def require_case_of_team(case, actor) -> None:
    if case.team_id != actor.team_id:
        raise ValidationError(_("This case belongs to another team."))
    if case.phase == "closed":
        raise ValidationError(_("This case is closed; it cannot be put on an agenda."))
