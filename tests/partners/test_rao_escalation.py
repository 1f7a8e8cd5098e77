"""The "escalate to the RAO" tick in the minutes has its consequence: an action item for the
team lead, who sits in the RAO, due within the rules table's days of the meeting; withdrawing
the tick cancels it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dtv.notifications.models import Notification
from partners import rules, services
from partners.models import ActionItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_item(meeting, officer, make_case):
    item = services.add_agenda_item(meeting, actor=officer, case=make_case())
    services.send_agenda(meeting, actor=officer)
    services.mark_held(meeting, actor=officer, today=meeting.starts_at.date() + timedelta(days=1))
    item.refresh_from_db()
    return item


def test_escalating_gives_the_team_lead_an_action_item_with_a_date(held_item, officer, team_lead):
    services.record_decision(held_item, actor=officer, decision="Naar RAO", escalate_to_rao=True)
    action = ActionItem.objects.get(agenda_item=held_item)
    meeting_day = timezone.localtime(held_item.meeting.starts_at).date()
    assert action.owner_user == team_lead
    assert action.due_on == meeting_day + timedelta(days=rules.RAO_ESCALATION_DAYS)
    assert action.status == ActionItem.Status.OPEN
    assert held_item.case.reference in action.description
    assert "regional meeting (RAO)" in action.description
    assert Notification.objects.filter(recipient=team_lead).exists()
    # Saving the decision again does not add a second escalation.
    services.record_decision(held_item, actor=officer, decision="Naar RAO.", escalate_to_rao=True)
    assert ActionItem.objects.filter(agenda_item=held_item).count() == 1


def test_without_a_team_lead_the_chair_owns_the_escalation(held_item, officer):
    assert held_item.meeting.team.lead_id is None
    services.record_decision(held_item, actor=officer, decision="Naar RAO", escalate_to_rao=True)
    assert ActionItem.objects.get(agenda_item=held_item).owner_user == officer


def test_withdrawing_the_escalation_cancels_its_action_item_only(held_item, officer, team_lead):
    services.record_decision(held_item, actor=officer, decision="Naar RAO", escalate_to_rao=True)
    other = services.add_action_item(
        held_item,
        actor=officer,
        description="Paspoort opvragen",
        due_on=timezone.localdate(),
        owner_user=officer,
    )
    services.record_decision(held_item, actor=officer, decision="Toch niet", escalate_to_rao=False)
    escalation = ActionItem.objects.exclude(pk=other.pk).get(agenda_item=held_item)
    assert escalation.status == ActionItem.Status.CANCELLED
    other.refresh_from_db()
    assert other.status == ActionItem.Status.OPEN


def test_no_escalation_no_action_item(held_item, officer):
    services.record_decision(held_item, actor=officer, decision="Akkoord")
    assert not ActionItem.objects.filter(agenda_item=held_item).exists()
