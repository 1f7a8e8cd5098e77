from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from cases.models import Case, PhaseChange
from partners import agenda
from partners.models import ActionItem, AgendaItem, Meeting
from tests.cases.factories import CaseFactory, ObstacleFactory
from tests.partners.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    finalise,
)

pytestmark = pytest.mark.django_db
R = AgendaItem.Reason


def _today():
    return timezone.localdate()


def _codes(meeting, user, today=None):
    return {
        p.case.reference: p.reason_codes
        for p in agenda.proposals(meeting, user=user, today=today or _today())
    }


def _noon(day):
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def test_lapsed_departure_term_is_proposed(meeting, officer, make_case):
    case = make_case(phase=Case.Phase.OBLIGED, term_ends_on=_today() - timedelta(days=1))
    assert _codes(meeting, officer)[case.reference] == [R.TERM_LAPSED]


def test_term_ending_within_14_days_is_proposed_but_not_at_15(meeting, officer, make_case):
    within = make_case(phase=Case.Phase.TERM_RUNNING, term_ends_on=_today() + timedelta(days=14))
    later = make_case(phase=Case.Phase.TERM_RUNNING, term_ends_on=_today() + timedelta(days=15))
    codes = _codes(meeting, officer)
    assert codes[within.reference] == [R.TERM_ENDING]
    assert later.reference not in codes


def test_obstacle_open_longer_than_eight_weeks_is_proposed(meeting, officer, make_case):
    old = make_case()
    ObstacleFactory(case=old, identified_on=_today() - timedelta(weeks=8, days=1))
    exactly_eight = make_case()
    ObstacleFactory(case=exactly_eight, identified_on=_today() - timedelta(weeks=8))
    resolved = make_case()
    ObstacleFactory(
        case=resolved,
        identified_on=_today() - timedelta(weeks=20),
        status="resolved",
        resolved_on=_today() - timedelta(days=3),
    )
    codes = _codes(meeting, officer)
    assert codes[old.reference] == [R.OBSTACLE_OPEN]
    assert exactly_eight.reference not in codes
    assert resolved.reference not in codes


def test_vbl_from_week_ten_is_proposed(meeting, officer, make_case):
    week_10 = make_case(phase=Case.Phase.VBL)
    PhaseChange.objects.create(
        case=week_10, to_phase="vbl", reason="VBL", at=_noon(_today() - timedelta(days=63))
    )
    week_9 = make_case(phase=Case.Phase.VBL)
    PhaseChange.objects.create(
        case=week_9, to_phase="vbl", reason="VBL", at=_noon(_today() - timedelta(days=62))
    )
    left_vbl = make_case(phase=Case.Phase.DETENTION)
    PhaseChange.objects.create(
        case=left_vbl, to_phase="vbl", reason="VBL", at=_noon(_today() - timedelta(days=120))
    )
    proposals = {p.case.reference: p for p in agenda.proposals(meeting, user=officer)}
    assert proposals[week_10.reference].reason_codes == [R.VBL_WEEK_10]
    assert "week 10" in proposals[week_10.reference].reasons[0].detail
    assert week_9.reference not in proposals
    assert left_vbl.reference not in proposals


def test_vbl_counts_from_the_last_entry_into_the_vbl(meeting, officer, make_case):
    case = make_case(phase=Case.Phase.VBL)
    PhaseChange.objects.create(
        case=case, to_phase="vbl", reason="VBL", at=_noon(_today() - timedelta(days=200))
    )
    PhaseChange.objects.create(
        case=case, to_phase="vbl", reason="terug", at=_noon(_today() - timedelta(days=10))
    )
    assert case.reference not in _codes(meeting, officer)


def test_open_action_items_from_an_earlier_meeting_are_proposed(meeting, officer, make_case):
    earlier = MeetingFactory(
        chair=officer,
        municipality=meeting.municipality,
        starts_at=meeting.starts_at - timedelta(days=30),
    )
    later = MeetingFactory(
        chair=officer,
        municipality=meeting.municipality,
        starts_at=meeting.starts_at + timedelta(days=30),
    )
    open_case, done_case, later_case = make_case(), make_case(), make_case()
    ActionItemFactory(agenda_item=AgendaItemFactory(meeting=earlier, case=open_case))
    ActionItemFactory(
        agenda_item=AgendaItemFactory(meeting=earlier, case=done_case),
        status=ActionItem.Status.DONE,
        done_at=timezone.now(),
    )
    ActionItemFactory(agenda_item=AgendaItemFactory(meeting=later, case=later_case))
    proposals = {p.case.reference: p for p in agenda.proposals(meeting, user=officer)}
    assert proposals[open_case.reference].reason_codes == [R.OPEN_ACTIONS]
    assert done_case.reference not in proposals
    assert later_case.reference not in proposals


def test_nominated_cases_are_proposed_with_who_nominated(meeting, officer, colleague, make_case):
    case = make_case()
    AgendaItemFactory(
        meeting=meeting,
        case=case,
        status=AgendaItem.Status.NOMINATED,
        position=None,
        nominated_by=colleague,
    )
    (proposal,) = agenda.proposals(meeting, user=officer)
    assert proposal.reason_codes == [R.NOMINATED]
    assert str(colleague) in proposal.reasons[0].detail
    assert proposal.nomination is not None


def test_cases_escalated_to_the_rao_are_proposed_for_an_rao(officer, municipality, make_case):
    lto = MeetingFactory(chair=officer, municipality=municipality, starts_at=timezone.now())
    rao = MeetingFactory(
        chair=officer,
        municipality=None,
        region="Noord-Nederland",
        type=Meeting.Type.RAO,
        starts_at=timezone.now() + timedelta(days=20),
    )
    case = make_case()
    AgendaItemFactory(meeting=lto, case=case, escalate_to_rao=True, decision="Escaleren")
    assert _codes(rao, officer)[case.reference] == [R.ESCALATED]


def test_a_case_can_have_several_reasons(meeting, officer, make_case):
    case = make_case(phase=Case.Phase.OBLIGED, term_ends_on=_today() - timedelta(days=3))
    ObstacleFactory(case=case, identified_on=_today() - timedelta(weeks=10))
    assert _codes(meeting, officer)[case.reference] == [R.TERM_LAPSED, R.OBSTACLE_OPEN]


def test_only_open_cases_of_the_team_in_the_municipality_not_yet_on_the_agenda(
    meeting, officer, outsider, make_case
):
    lapsed = {"phase": Case.Phase.OBLIGED, "term_ends_on": _today() - timedelta(days=2)}
    mine = make_case(**lapsed)
    elsewhere = make_case(municipality=None, **lapsed)
    other_team = CaseFactory(
        team=outsider.team, officer=outsider, municipality=meeting.municipality, **lapsed
    )
    closed = make_case(
        phase=Case.Phase.CLOSED,
        closed_on=_today(),
        closure_reason=Case.ClosureReason.FORCED,
        term_ends_on=_today() - timedelta(days=2),
    )
    on_agenda = make_case(**lapsed)
    AgendaItemFactory(meeting=meeting, case=on_agenda)
    assert set(_codes(meeting, officer)) == {mine.reference}
    assert elsewhere.reference not in _codes(meeting, officer)
    assert other_team.reference in _codes(meeting, outsider)
    assert closed.reference not in _codes(meeting, officer)


def test_a_case_taken_off_the_agenda_is_proposed_again(meeting, officer, make_case):
    case = make_case(phase=Case.Phase.OBLIGED, term_ends_on=_today() - timedelta(days=2))
    AgendaItemFactory(
        meeting=meeting,
        case=case,
        status=AgendaItem.Status.REMOVED,
        position=None,
        removed_at=timezone.now(),
    )
    assert case.reference in _codes(meeting, officer)


def test_proposals_are_ordered_by_urgency(meeting, officer, colleague, make_case):
    today = _today()
    obstacle = make_case()
    ObstacleFactory(case=obstacle, identified_on=today - timedelta(weeks=12))
    nominated = make_case()
    AgendaItemFactory(
        meeting=meeting, case=nominated, status="nominated", position=None, nominated_by=colleague
    )
    vbl = make_case(phase=Case.Phase.VBL)
    PhaseChange.objects.create(
        case=vbl, to_phase="vbl", reason="VBL", at=_noon(today - timedelta(days=80))
    )
    ending = make_case(phase=Case.Phase.TERM_RUNNING, term_ends_on=today + timedelta(days=5))
    lapsed_recently = make_case(phase=Case.Phase.OBLIGED, term_ends_on=today - timedelta(days=1))
    lapsed_long_ago = make_case(phase=Case.Phase.OBLIGED, term_ends_on=today - timedelta(days=40))
    earlier = MeetingFactory(
        chair=officer,
        municipality=meeting.municipality,
        starts_at=meeting.starts_at - timedelta(days=30),
    )
    actions = make_case()
    ActionItemFactory(agenda_item=AgendaItemFactory(meeting=earlier, case=actions))
    order = [p.case.reference for p in agenda.proposals(meeting, user=officer, today=today)]
    assert order == [
        lapsed_long_ago.reference,
        lapsed_recently.reference,
        ending.reference,
        vbl.reference,
        actions.reference,
        nominated.reference,
        obstacle.reference,
    ]


def test_proposal_queries_do_not_grow_with_the_candidates(
    meeting, officer, make_case, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            case = make_case(phase=Case.Phase.OBLIGED, term_ends_on=_today() - timedelta(days=3))
            ObstacleFactory(case=case, identified_on=_today() - timedelta(weeks=10))

    add(5)
    # The access rules ask has_perm; a request reads the user's permissions once, in the
    # view's own check, before this runs (Django caches them on the user object).
    officer.get_all_permissions()
    # 1 the cases with every reason in SQL, 2 their nationalities, 3 their open obstacles,
    # 4 the nominations for this meeting, 5 the household links of the candidates (none).
    with django_assert_num_queries(5):
        assert len(agenda.proposals(meeting, user=officer)) == 5
    add(45)
    with django_assert_num_queries(5):
        found = agenda.proposals(meeting, user=officer)
    assert len(found) == 50
    assert all(p.nationalities and p.obstacle_categories for p in found)


def test_proposals_from_final_meetings_keep_working(meeting, officer, make_case):
    # A finished meeting still lists its proposals (read-only page), without errors.
    finalise(meeting)
    make_case(phase=Case.Phase.OBLIGED, term_ends_on=_today() - timedelta(days=3))
    assert len(agenda.proposals(meeting, user=officer)) == 1


def test_departure_facts_give_the_vbl_start_and_the_end_of_reception(meeting, officer, make_case):
    from departure.models import Measure
    from tests.departure.factories import MeasureFactory

    today = _today()
    in_vbl = make_case(phase=Case.Phase.VBL)  # no phase change: the measure's date counts
    MeasureFactory(case=in_vbl, type=Measure.Type.VBL, started_on=today - timedelta(days=70))
    MeasureFactory(
        case=in_vbl,
        type=Measure.Type.RECEPTION_END,
        started_on=today + timedelta(days=5),
        alternative_shelter=Measure.AlternativeShelter.MUNICIPAL,
    )
    proposals = {p.case.reference: p for p in agenda.proposals(meeting, user=officer)}
    assert proposals[in_vbl.reference].reason_codes == [R.VBL_WEEK_10, R.RECEPTION_ENDING]
    assert "week 11" in proposals[in_vbl.reference].reasons[0].detail


def test_proposals_page_reckons_reasons_from_the_meeting_date(client, officer, make_case):
    """A meeting ten days ahead: what will have lapsed or qualified by then is proposed as
    such, and the page says which date the reasons are reckoned from."""
    from django.urls import reverse
    from django.utils.formats import date_format

    today = _today()
    meeting_day = today + timedelta(days=10)
    meeting = MeetingFactory(chair=officer, municipality=make_case().municipality)
    meeting.starts_at = _noon(meeting_day)
    meeting.save(update_fields=["starts_at"])
    lapses_before = make_case(phase=Case.Phase.TERM_RUNNING, term_ends_on=today + timedelta(5))
    ends_after = make_case(phase=Case.Phase.TERM_RUNNING, term_ends_on=meeting_day + timedelta(14))
    old_by_then = make_case()
    ObstacleFactory(case=old_by_then, identified_on=meeting_day - timedelta(weeks=8, days=1))
    vbl_by_then = make_case(phase=Case.Phase.VBL)
    PhaseChange.objects.create(
        case=vbl_by_then, to_phase="vbl", reason="VBL", at=_noon(meeting_day - timedelta(63))
    )
    client.force_login(officer)
    response = client.get(reverse("partners:meeting_proposals", args=[meeting.reference]))
    assert response.status_code == 200
    codes = {p.case.reference: p.reason_codes for p in response.context["proposals"]}
    assert codes[lapses_before.reference] == [R.TERM_LAPSED]
    assert codes[ends_after.reference] == [R.TERM_ENDING]
    assert codes[old_by_then.reference] == [R.OBSTACLE_OPEN]
    assert R.VBL_WEEK_10 in codes[vbl_by_then.reference]
    assert response.context["reckoned_on"] == meeting_day
    assert date_format(meeting_day, "DATE_FORMAT") in response.content.decode()
    # A case added by its reference gets the reasons of the meeting date too.
    client.post(
        reverse("partners:agenda_add", args=[meeting.reference]),
        {"case": lapses_before.reference},
    )
    item = AgendaItem.objects.get(meeting=meeting, case=lapses_before)
    assert item.reasons == [R.TERM_LAPSED]
