"""What partners contributes to the case page: agenda items and action items on the timeline,
and a "Meetings" section with the button to nominate the case.

Registered from PartnersConfig.ready() in cases' registry. The providers only follow the
reverse relations of AgendaItem.case."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import access as case_access
from cases import registry
from cases.registry import Section, TimelineEvent
from dtv.links import reference_url
from dtv.text import date_text, field_label
from partners import access
from partners.models import ActionItem, AgendaItem


def _agenda_of(case) -> tuple[list, list]:
    """The case's agenda items and action items, read once per case page: the timeline and
    the section below both use them."""
    cached = getattr(case, "_partners_agenda", None)
    if cached is None:
        items, actions = [], []
        # The case page asked in its query of the case whether there are any (has_rows).
        if registry.has_rows(case, "agenda_items"):
            items = list(
                AgendaItem.objects.filter(case=case)
                .select_related("meeting__municipality")
                .order_by("-meeting__starts_at", "pk")
            )
        if items and registry.has_rows(case, "action_items"):
            actions = list(
                ActionItem.objects.filter(agenda_item__case=case)
                .select_related("owner_organisation", "owner_user", "agenda_item__meeting")
                .with_meetings_open()
            )
        _name_meetings(items)
        cached = case._partners_agenda = (items, actions)
    return cached


def _name_meetings(items) -> None:
    """Each item's meeting as the page writes it (`meeting_name`, `meeting_url`,
    `meeting_status`), worked out once per meeting: the timeline and the section both
    show them."""
    names: dict = {}
    for item in items:
        meeting = item.meeting
        if meeting.pk not in names:
            names[meeting.pk] = (
                str(meeting),
                reference_url("partners:meeting_detail", meeting.reference),
                field_label(meeting, "status"),
            )
        item.meeting_name, item.meeting_url, item.meeting_status = names[meeting.pk]


def has_action_items():
    return Exists(ActionItem._base_manager.filter(agenda_item__case=OuterRef("pk")))


def agenda_events(case):
    all_items, all_actions = _agenda_of(case)
    items = [item for item in all_items if item.status != AgendaItem.Status.NOMINATED]
    for item in items:
        meeting, url = item.meeting_name, item.meeting_url
        if item.status == AgendaItem.Status.REMOVED:
            yield TimelineEvent(
                at=item.removed_at,
                kind=_("Meeting"),
                title=_("Taken off the agenda of %(meeting)s") % {"meeting": meeting},
                detail=item.removal_reason,
                url=url,
            )
            continue
        detail = item.decision or item.question
        yield TimelineEvent(
            at=item.meeting.starts_at,
            kind=_("Meeting"),
            title=_("On the agenda of %(meeting)s") % {"meeting": meeting},
            detail=(_("Decision: %(text)s") % {"text": detail}) if item.decision else detail,
            url=url,
        )
    for action in all_actions:
        yield TimelineEvent(
            at=action.created_at,
            kind=_("Action item"),
            title=f"{action.description[:120]} · {action.owner_display}",
            detail=_("due %(date)s") % {"date": date_text(action.due_on)},
            url=reference_url("partners:meeting_detail", action.agenda_item.meeting.reference),
        )
        if action.done_at is not None:
            yield TimelineEvent(
                at=action.done_at,
                kind=_("Action item"),
                title=f"{field_label(action, 'status')}: {action.description[:120]}",
                detail=action.progress_note,
            )


def meetings_section(case, *, user, today):
    if not case_access.works_cases(user) and not case_access.reads_every_case(user):
        return None
    all_items, all_actions = _agenda_of(case)
    since = timezone.now() - timedelta(days=120)
    items = [
        item
        for item in all_items
        if item.status != AgendaItem.Status.REMOVED and item.meeting.starts_at >= since
    ]
    actions = [action for action in all_actions if action.status == ActionItem.Status.OPEN]
    context = {"case": case, "items": items, "actions": actions, "today": today}
    if access.nominates(user) and case_access.works_cases(user) and not case.is_closed:
        context["action_url"] = reverse("partners:nominate_case", args=[case.reference])
        context["action_label"] = _("Nominate for a meeting")
    return Section(order=40, template="partners/_case_section.html", context=context)


def register() -> None:
    registry.register_timeline(agenda_events)
    registry.register_section(meetings_section)
    registry.register_presence("agenda_items")
    registry.register_presence("action_items", has_action_items)
    registry.register_transfer_hook(
        move_with_transfer,
        labels={
            "agenda_items_withdrawn": gettext_lazy(
                "%(count)d place(s) on the agenda of a meeting of the former team or "
                "municipality withdrawn; those partners no longer see the case"
            )
        },
    )


def move_with_transfer(case, *, transfer, actor) -> dict:
    """Partner access follows the case: off the agendas no longer open to it."""
    from partners.services import withdraw_moved_case

    return {"agenda_items_withdrawn": withdraw_moved_case(case, actor=actor)}


def documents_shared_with(user, *, now):
    """The documents a partner participant may see now: those shared with an agenda item they
    may see (AgendaItem.objects.visible_to: on the agenda of a meeting their organisation
    takes part in, sent, until taken off or 30 days after final minutes)."""
    from documents.models import Document

    items = AgendaItem.objects.visible_to(user, now=now)
    return Document.objects.filter(agenda_items__in=items).values("pk")
