from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dtv.audit.models import AuditEntry
from dtv.notifications.models import Notification
from partners import services
from partners.models import ActionItem, AgendaItem, Meeting
from tests.partners.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    finalise,
    send,
)

pytestmark = pytest.mark.django_db
S = Meeting.Status


def _held(meeting):
    send(meeting)
    meeting.status = S.HELD
    meeting.held_at = timezone.now()
    meeting.save()
    return meeting


def test_create_meeting_records_participants_and_team(officer, municipality, avim, gemeente):
    meeting = services.create_meeting(
        actor=officer,
        starts_at=timezone.now() + timedelta(days=10),
        chair=officer,
        municipality=municipality,
        place="Gemeentehuis",
        organisations=[avim, gemeente],
    )
    assert meeting.status == S.AGENDA_PREPARATION
    assert meeting.team == officer.team
    assert meeting.reference.startswith("OV-")
    assert {p.organisation for p in meeting.participants.all()} == {avim, gemeente}


def test_create_meeting_needs_a_municipality_or_region_and_staff(officer, partner_user):
    with pytest.raises(ValidationError, match="municipality or enter a region"):
        services.create_meeting(actor=officer, starts_at=timezone.now(), chair=officer)
    with pytest.raises(ValidationError):
        services.create_meeting(
            actor=partner_user, starts_at=timezone.now(), chair=officer, region="Noord"
        )


def test_update_meeting_changes_participants(meeting, officer, avim, gemeente):
    coa = OrganisationFactory(kind="coa", name="COA azc Groningen")
    services.update_meeting(
        meeting,
        actor=officer,
        starts_at=meeting.starts_at,
        chair=officer,
        type=Meeting.Type.LKO,
        municipality=meeting.municipality,
        organisations=[avim, coa],
    )
    meeting.refresh_from_db()
    assert meeting.type == Meeting.Type.LKO
    assert {p.organisation for p in meeting.participants.all()} == {avim, coa}


def test_add_agenda_items_get_positions_in_order(meeting, officer, make_case):
    first, second = make_case(), make_case()
    items = services.add_agenda_items(
        meeting, actor=officer, picks=[(first, ["term_lapsed"]), (second, ["obstacle_open"])]
    )
    assert [item.position for item in items] == [1, 2]
    assert items[0].reasons == ["term_lapsed"]


def test_a_case_goes_on_an_agenda_once(meeting, officer, make_case):
    case = make_case()
    services.add_agenda_item(meeting, actor=officer, case=case)
    with pytest.raises(ValidationError, match="already on the agenda"):
        services.add_agenda_item(meeting, actor=officer, case=case)
    # The database refuses it as well.
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, case=case, status="nominated")


def test_only_organisers_prepare_the_agenda(meeting, outsider, make_case, team_lead, colleague):
    case = make_case()
    with pytest.raises(ValidationError, match="chair, the secretary or the organising team"):
        services.add_agenda_item(meeting, actor=outsider, case=case)
    # Colleagues of the organising team may prepare in the chair's absence.
    assert services.add_agenda_item(meeting, actor=colleague, case=case).position == 1


def test_cases_of_another_team_cannot_be_added(meeting, officer, outsider):
    from tests.cases.factories import CaseFactory

    case = CaseFactory(team=outsider.team, officer=outsider)
    with pytest.raises(ValidationError, match="another team"):
        services.add_agenda_item(meeting, actor=officer, case=case)


def test_taking_up_a_nomination_keeps_its_question(meeting, officer, colleague, make_case):
    case = make_case()
    nominated = services.nominate_case(meeting, actor=colleague, case=case, question="Toezicht?")
    item = services.add_agenda_item(meeting, actor=officer, case=case, reasons=["term_lapsed"])
    assert item.pk == nominated.pk
    assert item.status == AgendaItem.Status.ON_AGENDA
    assert item.question == "Toezicht?"
    assert item.reasons == ["term_lapsed", "nominated"]
    assert item.nominated_by == colleague


def test_move_agenda_item_up_and_down(meeting, officer, make_case):
    a, b, c = (services.add_agenda_item(meeting, actor=officer, case=make_case()) for _ in "abc")
    services.move_agenda_item(c, actor=officer, direction="up")
    order = list(meeting.agenda_items.on_agenda().order_by("position"))
    assert order == [a, c, b]
    services.move_agenda_item(a, actor=officer, direction="down")
    assert list(meeting.agenda_items.on_agenda().order_by("position")) == [c, a, b]
    # Moving the first item up changes nothing.
    services.move_agenda_item(c, actor=officer, direction="up")
    assert list(meeting.agenda_items.on_agenda().order_by("position")) == [c, a, b]
    with pytest.raises(ValidationError):
        services.move_agenda_item(c, actor=officer, direction="sideways")


def test_annotate_and_remove_agenda_item(meeting, officer, make_case):
    item = services.add_agenda_item(meeting, actor=officer, case=make_case())
    services.annotate_agenda_item(item, actor=officer, question=" Q? ", approach="A")
    item.refresh_from_db()
    assert (item.question, item.approach) == ("Q?", "A")
    services.remove_agenda_item(item, actor=officer, reason="Vertrokken")
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.REMOVED
    assert item.removed_at is not None
    assert item.position is None
    with pytest.raises(ValidationError, match="already taken off"):
        services.remove_agenda_item(item, actor=officer)


def test_status_transitions_are_checked(meeting, officer, make_case, partner_contact):
    with pytest.raises(ValidationError, match="at least one case"):
        services.send_agenda(meeting, actor=officer)
    with pytest.raises(ValidationError, match="whose agenda was sent"):
        services.mark_held(meeting, actor=officer)
    with pytest.raises(ValidationError, match="was held"):
        services.finalise_minutes(meeting, actor=officer)
    item = services.add_agenda_item(meeting, actor=officer, case=make_case())
    services.send_agenda(meeting, actor=officer)
    meeting.refresh_from_db()
    assert meeting.status == S.AGENDA_SENT and meeting.agenda_sent_at is not None
    # The AVIM participant with a login is told the agenda is there.
    assert Notification.objects.filter(recipient=partner_contact.user).count() == 1
    with pytest.raises(ValidationError, match="already been sent"):
        services.send_agenda(meeting, actor=officer)
    with pytest.raises(ValidationError, match="not taken place yet"):
        services.mark_held(meeting, actor=officer)
    services.mark_held(meeting, actor=officer, today=meeting.starts_at.date() + timedelta(days=1))
    meeting.refresh_from_db()
    assert meeting.status == S.HELD
    with pytest.raises(ValidationError, match="no longer be changed"):
        services.add_agenda_item(meeting, actor=officer, case=make_case())
    with pytest.raises(ValidationError, match="decision for every agenda item"):
        services.finalise_minutes(meeting, actor=officer)
    services.record_decision(item, actor=officer, decision="Akkoord", escalate_to_rao=True)
    services.finalise_minutes(meeting, actor=officer)
    meeting.refresh_from_db()
    assert meeting.status == S.MINUTES_FINAL and meeting.minutes_finalised_at is not None
    with pytest.raises(ValidationError, match="final"):
        services.record_decision(item, actor=officer, decision="Anders")


def test_minutes_only_when_held(meeting, officer, make_case, avim):
    item = services.add_agenda_item(meeting, actor=officer, case=make_case())
    with pytest.raises(ValidationError, match="once the meeting has been held"):
        services.record_decision(item, actor=officer, decision="x")
    with pytest.raises(ValidationError, match="once the meeting has been held"):
        services.add_action_item(
            item, actor=officer, description="x", due_on=timezone.localdate(), owner_user=officer
        )


def test_action_item_owner_must_take_part(meeting, officer, make_case, avim, outsider):
    item = services.add_agenda_item(meeting, actor=officer, case=make_case())
    _held(meeting)
    stranger = OrganisationFactory(kind="coa", name="COA elders")
    due = timezone.localdate() + timedelta(days=7)
    with pytest.raises(ValidationError, match="does not take part"):
        services.add_action_item(
            item, actor=officer, description="x", due_on=due, owner_organisation=stranger
        )
    with pytest.raises(ValidationError, match="Choose who owns"):
        services.add_action_item(item, actor=officer, description="x", due_on=due)
    action = services.add_action_item(
        item, actor=officer, description="Onderzoek", due_on=due, owner_organisation=avim
    )
    assert action.status == ActionItem.Status.OPEN


def test_action_item_constraints_hold_in_the_database(meeting, make_case):
    item = AgendaItemFactory(meeting=meeting, case=make_case())
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.create(
            agenda_item=item, description="x", due_on=timezone.localdate(), owner_organisation=None
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItemFactory(agenda_item=item, status="done", done_at=None)


def test_owner_and_chair_update_an_action_item_others_do_not(
    meeting, officer, colleague, outsider, partner_user, partner_contact, avim, gemeente, make_case
):
    item = AgendaItemFactory(meeting=meeting, case=make_case())
    avim_action = ActionItemFactory(agenda_item=item, owner_organisation=avim)
    gemeente_action = ActionItemFactory(agenda_item=item, owner_organisation=gemeente)
    services.update_action_item(
        avim_action, actor=partner_user, status="done", progress_note="Afgerond"
    )
    avim_action.refresh_from_db()
    assert avim_action.status == "done" and avim_action.done_at is not None
    with pytest.raises(ValidationError, match="Only its owner or the chair"):
        services.update_action_item(gemeente_action, actor=partner_user, status="done")
    with pytest.raises(ValidationError, match="Only its owner or the chair"):
        services.update_action_item(gemeente_action, actor=outsider, status="done")
    services.update_action_item(gemeente_action, actor=officer, status="cancelled")
    # Reopening clears the closing time.
    services.update_action_item(gemeente_action, actor=officer, status="open")
    gemeente_action.refresh_from_db()
    assert gemeente_action.done_at is None


def test_changes_are_audited_with_before_and_after(meeting, officer, make_case):
    item = services.add_agenda_item(meeting, actor=officer, case=make_case())
    services.annotate_agenda_item(item, actor=officer, question="Nieuw?", approach="")
    entry = AuditEntry.objects.filter(object_pk=str(item.pk), action=AuditEntry.Action.UPDATE)
    assert entry.exists()
    assert "question" in entry.latest("timestamp").changes_dict
    assert entry.latest("timestamp").v_nummer == item.case.person.v_nummer


def test_bulk_updates_of_agenda_and_action_items_are_refused(meeting, make_case):
    AgendaItemFactory(meeting=meeting, case=make_case())
    with pytest.raises(PermissionError):
        AgendaItem.objects.update(question="x")
    with pytest.raises(PermissionError):
        ActionItem.objects.all().delete()


def test_officer_nominates_own_team_case(meeting, colleague, outsider, make_case):
    case = make_case()
    item = services.nominate_case(meeting, actor=colleague, case=case, question="Bespreken")
    assert item.status == AgendaItem.Status.NOMINATED
    assert Notification.objects.filter(recipient=meeting.chair).exists()
    with pytest.raises(ValidationError, match="already on or nominated"):
        services.nominate_case(meeting, actor=colleague, case=case)
    with pytest.raises(ValidationError, match="another team"):
        services.nominate_case(meeting, actor=outsider, case=make_case())


def test_partner_nominates_only_cases_they_see(
    meeting, officer, partner_user, partner_contact, make_case
):
    earlier = MeetingFactory(chair=officer, starts_at=timezone.now() - timedelta(days=10))
    ParticipantFactory(meeting=earlier, organisation=partner_contact.organisation)
    seen, unseen = make_case(), make_case()
    AgendaItemFactory(meeting=earlier, case=seen)
    send(earlier)
    item = services.nominate_case(meeting, actor=partner_user, case=seen, question="Toezicht?")
    assert item.nominated_by_organisation == partner_contact.organisation
    with pytest.raises(ValidationError, match="only nominate a case you see"):
        services.nominate_case(meeting, actor=partner_user, case=unseen)


def test_partner_cannot_nominate_for_a_meeting_without_their_organisation(
    other_meeting, officer, partner_user, partner_contact, make_case
):
    with pytest.raises(ValidationError, match="does not take part"):
        services.nominate_case(other_meeting, actor=partner_user, case=make_case())


def test_nominations_close_when_the_agenda_is_sent(meeting, colleague, make_case):
    send(meeting)
    with pytest.raises(ValidationError, match="nominations are closed"):
        services.nominate_case(meeting, actor=colleague, case=make_case())


def test_overdue_action_items(meeting, make_case, avim):
    item = AgendaItemFactory(meeting=meeting, case=make_case())
    today = timezone.localdate()
    overdue = ActionItemFactory(agenda_item=item, due_on=today - timedelta(days=1))
    ActionItemFactory(agenda_item=item, due_on=today)
    ActionItemFactory(
        agenda_item=item,
        due_on=today - timedelta(days=5),
        status="done",
        done_at=timezone.now(),
    )
    assert list(ActionItem.objects.overdue(today)) == [overdue]
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert ActionItem.objects.overdue(timezone.localdate()).count() == 2


def test_action_items_open_over_two_meetings_are_flagged(officer, municipality, make_case, avim):
    base = timezone.now() - timedelta(days=90)
    first = finalise(MeetingFactory(chair=officer, municipality=municipality, starts_at=base))
    item = AgendaItemFactory(meeting=first, case=make_case(), decision="x")
    stalled = ActionItemFactory(agenda_item=item)
    closed = ActionItemFactory(agenda_item=item, status="done", done_at=timezone.now())
    second = MeetingFactory(
        chair=officer, municipality=municipality, starts_at=base + timedelta(days=30)
    )
    finalise(second)
    assert ActionItem.objects.stalled().count() == 0
    assert ActionItem.objects.with_meetings_open().get(pk=stalled.pk).meetings_open == 1
    # A meeting elsewhere or one not held yet does not count.
    MeetingFactory(
        chair=officer, municipality=None, region="Zuid", starts_at=base + timedelta(days=40)
    )
    finalise(
        MeetingFactory(
            chair=officer, starts_at=base + timedelta(days=45), municipality_id=None, region="Zuid"
        )
    )
    MeetingFactory(chair=officer, municipality=municipality, starts_at=base + timedelta(days=50))
    assert ActionItem.objects.stalled().count() == 0
    third = MeetingFactory(
        chair=officer, municipality=municipality, starts_at=base + timedelta(days=60)
    )
    finalise(third)
    assert list(ActionItem.objects.stalled()) == [stalled]
    flagged = ActionItem.objects.for_list().get(pk=stalled.pk)
    assert flagged.needs_escalation
    assert not ActionItem.objects.for_list().get(pk=closed.pk).needs_escalation


def test_open_for_lists_what_a_user_or_their_organisation_owns(
    meeting, officer, partner_user, partner_contact, gemeente, make_case
):
    item = AgendaItemFactory(meeting=meeting, case=make_case())
    mine = ActionItemFactory(agenda_item=item, owner_organisation=None, owner_user=officer)
    avim = ActionItemFactory(agenda_item=item, owner_organisation=partner_contact.organisation)
    ActionItemFactory(agenda_item=item, owner_organisation=gemeente)
    ActionItemFactory(agenda_item=item, owner_user=officer, status="done", done_at=timezone.now())
    assert list(ActionItem.objects.open_for(officer)) == [mine]
    assert list(ActionItem.objects.open_for(partner_user)) == [avim]
