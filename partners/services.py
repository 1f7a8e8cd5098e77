"""Every change to a meeting, its agenda, its minutes and its action items goes through a
function here: atomic, the object first, the actor as a keyword, a ValidationError a person can
read. django-auditlog records each row change with before and after values.

Cases arrive as objects (fetched by the views through Case.objects.visible_to).
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from directory.models import Contact, Organisation
from documents import access as document_access
from dtv.notifications.services import notify
from dtv.text import require_length
from partners import access, rules
from partners.models import ActionItem, AgendaItem, Meeting, MeetingParticipant

S = Meeting.Status

# The meeting's life: each status and the one that may follow it.
TRANSITIONS = {
    S.AGENDA_PREPARATION: S.AGENDA_SENT,
    S.AGENDA_SENT: S.HELD,
    S.HELD: S.MINUTES_FINAL,
}


# --- checks ------------------------------------------------------------------------------


def _locked(meeting: Meeting) -> Meeting:
    # Read the status under a row lock: a colleague may have sent or closed it a moment ago.
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _require_agenda_editable(meeting: Meeting) -> None:
    if not meeting.agenda_is_editable:
        raise ValidationError(_("The meeting has been held; its agenda can no longer be changed."))


def _require_minutes_editable(meeting: Meeting) -> None:
    if meeting.status != S.HELD:
        if meeting.status == S.MINUTES_FINAL:
            raise ValidationError(_("The minutes are final and can no longer be changed."))
        raise ValidationError(_("Minutes can be recorded once the meeting has been held."))


def _plausible_time(starts_at: datetime) -> None:
    if not (2000 <= starts_at.year <= 2100):
        raise ValidationError(_("Enter a date between 2000 and 2100."))


def partner_organisation(user) -> Organisation | None:
    contact = Contact.objects.select_related("organisation").filter(user_id=user.pk).first()
    return contact.organisation if contact else None


# --- meetings ----------------------------------------------------------------------------


def _set_participants(meeting: Meeting, organisations: Iterable[Organisation]) -> None:
    wanted = {organisation.pk: organisation for organisation in organisations}
    existing = {p.organisation_id: p for p in meeting.participants.all()}
    for organisation_id, participant in existing.items():
        if organisation_id not in wanted:
            participant.delete()
    for organisation_id, organisation in wanted.items():
        if organisation_id not in existing:
            contact = organisation.contacts.filter(user__isnull=False).first()
            MeetingParticipant.objects.create(
                meeting=meeting,
                organisation=organisation,
                contact=contact,
                user=contact.user if contact else None,
            )


@transaction.atomic
def create_meeting(
    *,
    actor,
    starts_at: datetime,
    chair,
    type: str = Meeting.Type.LTO,
    municipality=None,
    region: str = "",
    place: str = "",
    secretary=None,
    organisations: Iterable[Organisation] = (),
) -> Meeting:
    access.require_staff(actor)
    if not access.prepares_meetings(chair):
        raise ValidationError(_("The chair must be a departure officer or team lead."))
    if municipality is None and not region.strip():
        raise ValidationError(_("Choose a municipality or enter a region."))
    _plausible_time(starts_at)
    meeting = Meeting.objects.create(
        type=type,
        municipality=municipality,
        region=region.strip(),
        starts_at=starts_at,
        place=place.strip(),
        chair=chair,
        secretary=secretary,
        team_id=actor.team_id or chair.team_id,
        created_by=actor,
    )
    _set_participants(meeting, organisations)
    return meeting


@transaction.atomic
def update_meeting(
    meeting: Meeting,
    *,
    actor,
    starts_at: datetime,
    chair,
    type: str,
    municipality=None,
    region: str = "",
    place: str = "",
    secretary=None,
    organisations: Iterable[Organisation] = (),
) -> Meeting:
    access.require_organiser(meeting, actor)
    meeting = _locked(meeting)
    _require_agenda_editable(meeting)
    if not access.prepares_meetings(chair):
        raise ValidationError(_("The chair must be a departure officer or team lead."))
    if municipality is None and not region.strip():
        raise ValidationError(_("Choose a municipality or enter a region."))
    _plausible_time(starts_at)
    meeting.type = type
    meeting.municipality = municipality
    meeting.region = region.strip()
    meeting.starts_at = starts_at
    meeting.place = place.strip()
    meeting.chair = chair
    meeting.secretary = secretary
    meeting.save()
    _set_participants(meeting, organisations)
    return meeting


@transaction.atomic
def send_agenda(meeting: Meeting, *, actor) -> Meeting:
    """Agenda in preparation → agenda sent: the participants may now see the agenda cases."""
    access.require_organiser(meeting, actor)
    meeting = _locked(meeting)
    if meeting.status != S.AGENDA_PREPARATION:
        raise ValidationError(_("The agenda has already been sent."))
    if not meeting.agenda_items.on_agenda().exists():
        raise ValidationError(_("Put at least one case on the agenda before sending it."))
    meeting.status = S.AGENDA_SENT
    meeting.agenda_sent_at = timezone.now()
    meeting.save(update_fields=["status", "agenda_sent_at"])
    link = reverse("partners:meeting_detail", args=[meeting.reference])
    # Everyone with a login at a participating organisation (and named DT&V participants).
    recipients = {
        contact.user
        for contact in Contact.objects.filter(
            organisation_id__in=meeting.participants.values("organisation_id"),
            user__is_active=True,
        ).select_related("user")
    }
    recipients |= {
        participant.user
        for participant in meeting.participants.filter(user__is_active=True).select_related("user")
    }
    recipients.discard(actor)
    for recipient in sorted(recipients, key=lambda user: user.pk):
        if recipient is not None:
            notify(
                recipient,
                title=_("Agenda available: %(meeting)s") % {"meeting": meeting},
                body=_("The agenda of %(meeting)s has been sent. Log in to read it.")
                % {"meeting": meeting},
                link=link,
            )
    return meeting


@transaction.atomic
def mark_held(meeting: Meeting, *, actor, today: date | None = None) -> Meeting:
    """Agenda sent → held: from now on the minutes can be recorded."""
    access.require_organiser(meeting, actor)
    meeting = _locked(meeting)
    if meeting.status != S.AGENDA_SENT:
        raise ValidationError(_("Only a meeting whose agenda was sent can be marked as held."))
    today = today or timezone.localdate()
    if timezone.localtime(meeting.starts_at).date() > today:
        raise ValidationError(_("The meeting has not taken place yet."))
    meeting.status = S.HELD
    meeting.held_at = timezone.now()
    meeting.save(update_fields=["status", "held_at"])
    return meeting


@transaction.atomic
def finalise_minutes(meeting: Meeting, *, actor) -> Meeting:
    """Held → minutes final. Partner access to the agenda cases ends 30 days later."""
    access.require_organiser(meeting, actor)
    meeting = _locked(meeting)
    if meeting.status != S.HELD:
        raise ValidationError(_("Only the minutes of a meeting that was held can be finalised."))
    undecided = meeting.agenda_items.on_agenda().filter(decision="")
    if undecided.exists():
        raise ValidationError(
            _("Record a decision for every agenda item first (%(count)d without one).")
            % {"count": undecided.count()}
        )
    meeting.status = S.MINUTES_FINAL
    meeting.minutes_finalised_at = timezone.now()
    meeting.save(update_fields=["status", "minutes_finalised_at"])
    return meeting


# --- the agenda --------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    highest = meeting.agenda_items.on_agenda().aggregate(top=Max("position"))["top"]
    return (highest or 0) + 1


@transaction.atomic
def add_agenda_item(
    meeting: Meeting,
    *,
    actor,
    case,
    reasons: Iterable[str] = (),
    question: str = "",
    approach: str = "",
) -> AgendaItem:
    """Put a case on the agenda (a proposal, a nomination, or the chair's own choice)."""
    access.require_organiser(meeting, actor)
    meeting = _locked(meeting)
    _require_agenda_editable(meeting)
    access.require_case_of_team(case, actor)
    codes = [code for code in reasons if code in AgendaItem.Reason.values] or [
        AgendaItem.Reason.CHAIR
    ]
    existing = meeting.agenda_items.exclude(status=AgendaItem.Status.REMOVED).filter(case=case)
    item = existing.first()
    if item is not None and item.is_on_agenda:
        raise ValidationError(_("Case %(ref)s is already on the agenda.") % {"ref": case.reference})
    if item is not None:
        # A nomination is taken up: it keeps its question and who nominated it.
        item.status = AgendaItem.Status.ON_AGENDA
        item.position = _next_position(meeting)
        item.reasons = list(dict.fromkeys([*codes, *item.reasons]))
        item.question = item.question or question.strip()
        item.approach = item.approach or approach.strip()
        item.save()
        return item
    return AgendaItem.objects.create(
        meeting=meeting,
        case=case,
        status=AgendaItem.Status.ON_AGENDA,
        position=_next_position(meeting),
        reasons=codes,
        question=question.strip(),
        approach=approach.strip(),
    )


@transaction.atomic
def add_agenda_items(meeting: Meeting, *, actor, picks: Iterable[tuple]) -> list[AgendaItem]:
    """ "Add selected": each (case, reasons) in one go, all or nothing."""
    return [
        add_agenda_item(meeting, actor=actor, case=case, reasons=reasons) for case, reasons in picks
    ]


@transaction.atomic
def move_agenda_item(item: AgendaItem, *, actor, direction: str) -> AgendaItem:
    """Swap an item with its neighbour above ("up") or below ("down")."""
    meeting = item.meeting
    access.require_organiser(meeting, actor)
    meeting = _locked(meeting)
    _require_agenda_editable(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    if not item.is_on_agenda:
        raise ValidationError(_("This item is not on the agenda."))
    on_agenda = meeting.agenda_items.on_agenda()
    if direction == "up":
        neighbour = on_agenda.filter(position__lt=item.position).order_by("-position").first()
    elif direction == "down":
        neighbour = on_agenda.filter(position__gt=item.position).order_by("position").first()
    else:
        raise ValidationError(_("Unknown direction."))
    if neighbour is None:
        return item
    # Positions are unique on an agenda: park one item on 0 while the two swap.
    mine, theirs = item.position, neighbour.position
    item.position = 0
    item.save(update_fields=["position"])
    neighbour.position = mine
    neighbour.save(update_fields=["position"])
    item.position = theirs
    item.save(update_fields=["position"])
    return item


@transaction.atomic
def annotate_agenda_item(item: AgendaItem, *, actor, question: str, approach: str) -> AgendaItem:
    """The chair's notes for the meeting: the question to decide and the proposed approach."""
    access.require_organiser(item.meeting, actor)
    _require_agenda_editable(_locked(item.meeting))
    item = AgendaItem.objects.get(pk=item.pk)
    if item.status == AgendaItem.Status.REMOVED:
        raise ValidationError(_("This item was taken off the agenda."))
    item.question = question.strip()
    item.approach = approach.strip()
    item.save(update_fields=["question", "approach"])
    return item


@transaction.atomic
def remove_agenda_item(item: AgendaItem, *, actor, reason: str = "") -> AgendaItem:
    """Take a case off the agenda (or decline a nomination). Partners lose access at once."""
    access.require_organiser(item.meeting, actor)
    meeting = _locked(item.meeting)
    if meeting.status == S.MINUTES_FINAL:
        raise ValidationError(_("The minutes are final and can no longer be changed."))
    item = AgendaItem.objects.get(pk=item.pk)
    if item.status == AgendaItem.Status.REMOVED:
        raise ValidationError(_("This item was already taken off the agenda."))
    if item.action_items.exists():
        raise ValidationError(
            _("This item has action items in the minutes; cancel those instead of removing it.")
        )
    item.status = AgendaItem.Status.REMOVED
    item.position = None
    item.removed_at = timezone.now()
    item.removal_reason = require_length(reason.strip(), limit=300, what=_("The reason"))
    item.save(update_fields=["status", "position", "removed_at", "removal_reason"])
    return item


@transaction.atomic
def nominate_case(meeting: Meeting, *, actor, case, question: str = "") -> AgendaItem:
    """Nominate a case for a meeting's agenda. Officers nominate their team's cases; a partner
    participant nominates a case they already see through a meeting, for a meeting their
    organisation takes part in."""
    meeting = _locked(meeting)
    if meeting.status != S.AGENDA_PREPARATION:
        raise ValidationError(
            _("The agenda of this meeting has been sent; nominations are closed.")
        )
    organisation = None
    if access.takes_part(actor):
        organisation = partner_organisation(actor)
        takes_part = (
            organisation is not None
            and meeting.participants.filter(organisation=organisation).exists()
        )
        if not takes_part:
            raise ValidationError(_("Your organisation does not take part in this meeting."))
        if not AgendaItem.objects.visible_to(actor).filter(case=case).exists():
            raise ValidationError(_("You can only nominate a case you see through a meeting."))
    elif access.prepares_meetings(actor):
        access.require_case_of_team(case, actor)
    else:
        raise ValidationError(_("You cannot nominate cases."))
    if not Meeting.objects.open_to_case(case).filter(pk=meeting.pk).exists():
        raise ValidationError(
            _(
                "Case %(ref)s cannot go to this meeting: a case goes to the meetings of its own "
                "team, for its municipality."
            )
            % {"ref": case.reference}
        )
    if meeting.agenda_items.exclude(status=AgendaItem.Status.REMOVED).filter(case=case).exists():
        raise ValidationError(
            _("Case %(ref)s is already on or nominated for this agenda.") % {"ref": case.reference}
        )
    item = AgendaItem.objects.create(
        meeting=meeting,
        case=case,
        status=AgendaItem.Status.NOMINATED,
        reasons=[AgendaItem.Reason.NOMINATED],
        question=question.strip(),
        nominated_by=actor,
        nominated_by_organisation=organisation,
    )
    link = reverse("partners:meeting_proposals", args=[meeting.reference])
    if meeting.chair_id != actor.pk:
        notify(
            meeting.chair,
            title=_("Case nominated for %(meeting)s") % {"meeting": meeting},
            body=_("%(who)s nominated case %(ref)s for the agenda.")
            % {"who": organisation or actor, "ref": case.reference},
            link=link,
        )
    return item


# --- minutes -----------------------------------------------------------------------------


@transaction.atomic
def record_decision(
    item: AgendaItem, *, actor, decision: str, escalate_to_rao: bool = False
) -> AgendaItem:
    access.require_organiser(item.meeting, actor)
    _require_minutes_editable(_locked(item.meeting))
    item = AgendaItem.objects.get(pk=item.pk)
    if not item.is_on_agenda:
        raise ValidationError(_("This item is not on the agenda."))
    if not decision.strip():
        raise ValidationError(_("Write down the decision."))
    was_escalated = item.escalate_to_rao
    item.decision = decision.strip()
    item.escalate_to_rao = escalate_to_rao
    item.save(update_fields=["decision", "escalate_to_rao"])
    if escalate_to_rao and not was_escalated:
        _add_rao_escalation(item, actor=actor)
    elif was_escalated and not escalate_to_rao:
        for action in item.action_items.open().filter(description__startswith=RAO_MARK):
            update_action_item(
                action,
                actor=actor,
                status=ActionItem.Status.CANCELLED,
                progress_note=_("The escalation to the RAO was withdrawn."),
            )
    return item


# The escalation's action item is told apart from the others by this mark (an acronym, the
# same in every language).
RAO_MARK = "RAO: "


def _add_rao_escalation(item: AgendaItem, *, actor) -> ActionItem:
    """The escalation's consequence: an action item for the team lead (who sits in the RAO;
    the chair when the team has none) to put the case on the RAO's agenda, due within the
    rules table's days of the meeting."""
    meeting = item.meeting
    lead = meeting.team.lead if meeting.team_id and meeting.team.lead_id else None
    owner = lead if lead is not None and lead.is_active else actor
    days = rules.RAO_ESCALATION_DAYS
    due_on = timezone.localtime(meeting.starts_at).date() + timedelta(days=days)
    action = ActionItem.objects.create(
        agenda_item=item,
        description=RAO_MARK
        + _(
            "put %(case)s on the agenda of the regional meeting (RAO)%(region)s, as "
            "%(meeting)s decided: %(decision)s"
        )
        % {
            "case": item.case.reference if item.case_id else _("this item"),
            "region": f" {meeting.region}" if meeting.region else "",
            "meeting": meeting,
            "decision": item.decision[:500],
        },
        due_on=due_on,
        owner_user=owner,
        created_by=actor,
    )
    _notify_owners(action)
    return action


def _check_owner(meeting: Meeting, owner_organisation, owner_user) -> None:
    if owner_organisation is None and owner_user is None:
        raise ValidationError(_("Choose who owns the action: an organisation, a person or both."))
    if owner_organisation is not None:
        takes_part = meeting.participants.filter(organisation=owner_organisation).exists()
        if not takes_part:
            raise ValidationError(
                _("%(org)s does not take part in this meeting.") % {"org": owner_organisation}
            )
    if owner_user is not None and not owner_user.is_active:
        raise ValidationError(_("This person can no longer log in."))
    if owner_user is not None and access.takes_part(owner_user):
        organisation = partner_organisation(owner_user)
        if (
            organisation is None
            or not meeting.participants.filter(organisation=organisation).exists()
        ):
            raise ValidationError(_("This person's organisation does not take part."))
    elif owner_user is not None and not access.prepares_meetings(owner_user):
        raise ValidationError(_("Only DTenV staff or participants can own an action."))


def _notify_owners(action: ActionItem) -> None:
    meeting = action.agenda_item.meeting
    recipients = set()
    if action.owner_user is not None:
        recipients.add(action.owner_user)
    elif action.owner_organisation is not None:
        for contact in action.owner_organisation.contacts.select_related("user"):
            if contact.user is not None and contact.user.is_active:
                recipients.add(contact.user)
    for recipient in recipients:
        notify(
            recipient,
            title=_("Action for you from %(meeting)s") % {"meeting": meeting},
            body=_("%(action)s (due %(due)s)")
            % {"action": action.description[:300], "due": date_format(action.due_on)},
            link=reverse("partners:action_item_list"),
        )


@transaction.atomic
def add_action_item(
    item: AgendaItem,
    *,
    actor,
    description: str,
    due_on: date,
    owner_organisation=None,
    owner_user=None,
) -> ActionItem:
    access.require_organiser(item.meeting, actor)
    meeting = _locked(item.meeting)
    _require_minutes_editable(meeting)
    if not item.is_on_agenda:
        raise ValidationError(_("This item is not on the agenda."))
    if not description.strip():
        raise ValidationError(_("Describe the action."))
    if not (date(2000, 1, 1) <= due_on <= date(2100, 12, 31)):
        raise ValidationError(_("Enter a date between 2000 and 2100."))
    _check_owner(meeting, owner_organisation, owner_user)
    action = ActionItem.objects.create(
        agenda_item=item,
        description=description.strip(),
        due_on=due_on,
        owner_organisation=owner_organisation,
        owner_user=owner_user,
        created_by=actor,
    )
    _notify_owners(action)
    return action


def can_update_action_item(action: ActionItem, user) -> bool:
    """Its owner (the person, or a participant of the owning organisation) or an organiser
    of the meeting (chair, secretary, organising team)."""
    if not user.is_authenticated:
        return False
    if ActionItem.objects.owned_by(user).filter(pk=action.pk).exists():
        return True
    meeting_id = action.agenda_item.meeting_id
    return Meeting.objects.organised_by(user).filter(pk=meeting_id).exists()


@transaction.atomic
def update_action_item(
    action: ActionItem, *, actor, status: str, progress_note: str = ""
) -> ActionItem:
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if not can_update_action_item(action, actor):
        raise ValidationError(_("Only its owner or the chair can update this action item."))
    if status not in ActionItem.Status.values:
        raise ValidationError(_("Unknown status."))
    if status != action.status:
        action.done_at = None if status == ActionItem.Status.OPEN else timezone.now()
        action.status = status
    action.progress_note = require_length(
        progress_note.strip(), limit=1000, what=_("The progress note")
    )
    action.save(update_fields=["status", "done_at", "progress_note", "updated_at"])
    return action


# --- a case that moved to another team ----------------------------------------------------


@transaction.atomic
def withdraw_moved_case(case, *, actor) -> int:
    """A case taken over by another team (or moved to another municipality) leaves the
    agendas of meetings not yet held that are no longer open to it (another team's, another
    municipality's), so the partners of those meetings lose their access to it at once; the
    chair is told. Meetings already held keep their items (the minutes' access rules apply).
    Returns how many items were taken off."""
    open_to_case = Meeting.objects.open_to_case(case).values("pk")
    items = (
        AgendaItem.objects.filter(
            case=case,
            status__in=[AgendaItem.Status.NOMINATED, AgendaItem.Status.ON_AGENDA],
            meeting__status__in=[S.AGENDA_PREPARATION, S.AGENDA_SENT],
        )
        .exclude(meeting__in=open_to_case)
        .select_related("meeting__chair")
        .order_by("pk")
    )
    removed = 0
    for item in items:
        _locked(item.meeting)
        if item.action_items.exists():
            continue
        item.status = AgendaItem.Status.REMOVED
        item.position = None
        item.removed_at = timezone.now()
        item.removal_reason = _("Case transferred to team %(team)s") % {"team": case.team}
        item.save(update_fields=["status", "position", "removed_at", "removal_reason"])
        removed += 1
        if item.meeting.chair_id != actor.pk:
            notify(
                item.meeting.chair,
                title=_("Case %(ref)s taken off the agenda of %(meeting)s")
                % {"ref": case.reference, "meeting": item.meeting},
                body=_("The case was transferred to team %(team)s.") % {"team": case.team},
                link=reverse("partners:meeting_detail", args=[item.meeting.reference]),
            )
    return removed


@transaction.atomic
def share_documents(item: AgendaItem, *, actor, documents) -> AgendaItem:
    """The documents of the item's case that the meeting's participants may see (replacing
    the earlier choice). Never a medical document, never one of another case, never one the
    scanner has not released; the change is in the audit log (AgendaItem's m2m)."""
    from documents.models import Document

    access.require_organiser(item.meeting, actor)
    document_access.require_sharer(actor)
    item = AgendaItem.objects.select_related("case").get(pk=item.pk)
    if item.status == AgendaItem.Status.REMOVED:
        raise ValidationError(_("This item was taken off the agenda."))
    chosen = list(documents)
    allowed = set(
        Document.objects.visible_to(actor)
        .with_released_version()
        .filter(case=item.case)
        .exclude(doc_type=Document.Type.MEDICAL)
        .values_list("pk", flat=True)
    )
    if any(document.pk not in allowed for document in chosen):
        raise ValidationError(
            _("Only released, non-medical documents of this case can be shared with partners.")
        )
    item.documents.set(chosen)
    return item
