"""The LTO's rule in the reminder sweep (departure/reminders.py), registered in
PartnersConfig.ready(): an action item still open on its due date reminds its owner."""

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from departure import reminders
from dtv.notifications.models import Notification
from partners.models import ActionItem

# A reminder's rule is this prefix and the item's primary key: one per item and due date.
ACTION_ITEM_PREFIX = "action_item_"


def action_item_reminders(sweep: reminders.Sweep) -> Iterator[Notification]:
    """An LTO action item still open on or after its due date, to its owner (key: the item and
    its due date). Items about no case, or owned only by an organisation, have no key here."""
    due = ActionItem.objects.filter(
        status=ActionItem.Status.OPEN,
        due_on__lte=sweep.today,
        owner_user__isnull=False,
        owner_user__is_active=True,
        agenda_item__case__in=reminders.open_cases(),
    )
    for pk, case_id, reference, owner_id, due_on, description in reminders.rows(
        due,
        "pk",
        "agenda_item__case_id",
        "agenda_item__case__reference",
        "owner_user_id",
        "due_on",
        "description",
    ):
        text = " ".join(description.split())
        note = reminders.reminder(
            sweep,
            case_id=case_id,
            reference=reference,
            officer_id=owner_id,
            lead_id=None,
            rule=f"{ACTION_ITEM_PREFIX}{pk}",
            due_on=due_on,
            title=_("LTO action item for %(ref)s due on %(date)s: %(action)s")
            % {
                "ref": reference,
                "date": reminders.day_text(due_on),
                "action": text[:80] + ("…" if len(text) > 80 else ""),
            },
            # Owners may be partners, who see action items but not the case page.
            link=reverse("partners:action_item_update", args=[pk]),
        )
        if note:
            yield note
