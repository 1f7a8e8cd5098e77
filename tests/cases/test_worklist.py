"""The worklist: urgency from every deadline the engine computes (issue 19.5), the interview
plan's date named for what it is, the planned appointment beside it and today's appointments
in their own section (issue 23.6)."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import Case
from cases.services import refresh_derived
from departure.models import CourtReview
from departure.reminders import send_due_reminders
from tests.cases.factories import CaseFactory, ObstacleFactory, ProcedureFactory
from tests.departure.factories import MeasureFactory, TravelDocumentRequestFactory
from tests.html import normal_html
from tests.interviews.factories import InterviewFactory, PlannedInterviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _case(officer, **kwargs):
    kwargs.setdefault("opened_on", timezone.localdate() - timedelta(days=400))
    case = CaseFactory(team=officer.team, officer=officer, **kwargs)
    return case


def _refreshed(case, *, interviewed=True):
    # Interviews held today (intake, VBL intake), so that the interview plan asks nothing for
    # two weeks and the order shows the engine's deadlines.
    if interviewed:
        for stage in ("intake", "vbl_intake"):
            InterviewFactory(case=case, stage=stage, held_at=timezone.now())
    refresh_derived(case)
    case.refresh_from_db()
    return case


def _order(client):
    response = client.get(reverse("cases:worklist"))
    assert response.status_code == 200
    return [case.reference for case in response.context["page_obj"]]


def _at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_detention_and_vbl_deadlines_count_and_suspended_lapsed_term_does_not(
    officer_client, officer
):
    today = timezone.localdate()
    # Suspended, with a departure term that lapsed 563 days ago and nothing due: last.
    suspended = _refreshed(
        _case(officer, phase="suspended", decision_on=today - timedelta(days=28 + 563))
    )
    # In detention for five months minus two days: "prepare the extension" in two days.
    detained = _case(officer, phase="detention", decision_on=today - timedelta(days=300))
    measure = MeasureFactory(
        case=detained, type="detention_59", started_on=today - timedelta(days=150)
    )
    # The court reviewed the detention in time (else that review would be the most urgent).
    CourtReview.objects.create(measure=measure, reviewed_on=today - timedelta(days=120))
    detained = _refreshed(detained)
    # In the VBL for nine weeks: week 10 is in a week.
    sheltered = _case(officer, phase="vbl", decision_on=today - timedelta(days=200))
    MeasureFactory(case=sheltered, type="vbl", started_on=today - timedelta(weeks=9))
    sheltered = _refreshed(sheltered)
    # A term that ends in twenty days.
    running = _refreshed(
        _case(officer, phase="term_running", decision_on=today - timedelta(days=8))
    )
    assert suspended.term_ends_on < today - timedelta(days=500)
    assert suspended.next_deadline_on is None
    assert detained.next_deadline_rule in {"detention_extension", "detention_review"}
    assert sheltered.next_deadline_rule == "vbl_lto"
    order = _order(officer_client)
    assert order[:2] == [detained.reference, sheltered.reference]
    assert order.index(running.reference) < order.index(suspended.reference)
    assert order[-1] == suspended.reference


def test_ordered_by_the_engine_dates_across_rules(officer_client, officer):
    today = timezone.localdate()
    # A travel-document request submitted 3 months and 5 days ago: the 3-month follow-up
    # lapsed 5 days ago.
    waiting = _case(officer, phase="obliged")
    TravelDocumentRequestFactory(
        case=waiting,
        ordered_on=today - timedelta(days=100),
        submitted_on=today - timedelta(days=97),
    )
    waiting = _refreshed(waiting)
    # A term lapsed two days ago, still asking for an outcome ("obliged to leave").
    lapsed = _refreshed(_case(officer, phase="obliged", decision_on=today - timedelta(days=30)))
    # Detention for 4 weeks minus a day: the first review is tomorrow.
    detained = _case(officer, phase="detention")
    measure = MeasureFactory(
        case=detained, type="detention_59", started_on=today - timedelta(days=27)
    )
    # Reviewed by the court already: the 4-weekly review is the only detention step left.
    CourtReview.objects.create(measure=measure, reviewed_on=today - timedelta(days=5))
    detained = _refreshed(detained)
    assert lapsed.next_deadline_rule == "term_end"
    assert detained.next_deadline_rule == "detention_review"
    engine_dates = {case.reference: case.next_deadline_on for case in (waiting, lapsed, detained)}
    order = [ref for ref in _order(officer_client) if ref in engine_dates]
    assert order == sorted(engine_dates, key=engine_dates.get)
    assert order == [waiting.reference, lapsed.reference, detained.reference]


def test_a_lapsed_term_after_an_outcome_does_not_top_the_list(officer_client, officer):
    today = timezone.localdate()
    # In VBL since 3 weeks (an outcome of the lapsed term): its term, lapsed a year ago, asks
    # nothing more; the VBL's week 10 and the interview plan order it.
    vbl = _case(officer, phase="vbl", decision_on=today - timedelta(days=400))
    MeasureFactory(case=vbl, type="vbl", started_on=today - timedelta(weeks=3))
    vbl = _refreshed(vbl)
    soon = _refreshed(_case(officer, phase="term_running", decision_on=today - timedelta(days=20)))
    assert vbl.next_deadline_rule == "vbl_lto"
    assert _order(officer_client)[:2] == [soon.reference, vbl.reference]


def test_suspended_case_is_ordered_by_its_resume_hearing(officer_client, officer):
    today = timezone.localdate()
    suspended = _case(officer, phase="suspended", decision_on=today - timedelta(days=700))
    ProcedureFactory(
        case=suspended, type="medical", suspensive=True, hearing_on=today + timedelta(days=3)
    )
    suspended = _refreshed(suspended)
    later = _refreshed(_case(officer, phase="term_running", decision_on=today - timedelta(days=10)))
    assert suspended.next_deadline_rule == "resume_hearing"
    assert suspended.next_deadline_on == today + timedelta(days=3)
    assert _order(officer_client)[:2] == [suspended.reference, later.reference]
    with translation.override("en"):
        html = officer_client.get(reverse("cases:worklist")).content.decode()
    assert "Hearing (case resumes)" in html


def test_interview_plan_date_orders_too(officer_client, officer):
    today = timezone.localdate()
    # Registered a month ago, no intake held: the intake was due 16 days ago.
    case = _refreshed(
        _case(officer, phase="registered", opened_on=today - timedelta(days=30)),
        interviewed=False,
    )
    later = _refreshed(_case(officer, phase="term_running", decision_on=today - timedelta(days=10)))
    assert case.next_interview_due_on == today - timedelta(days=16)
    assert _order(officer_client)[:2] == [case.reference, later.reference]


def test_the_sweep_rolls_the_detention_review_on(officer, team_lead):
    today = timezone.localdate()
    detained = _case(officer, phase="detention")
    measure = MeasureFactory(
        case=detained, type="detention_59", started_on=today - timedelta(days=27)
    )
    # Reviewed by the court already: the 4-weekly review is the only detention step left.
    CourtReview.objects.create(measure=measure, reviewed_on=today - timedelta(days=5))
    detained = _refreshed(detained)
    first = detained.next_deadline_on
    assert detained.next_deadline_rule == "detention_review"
    with time_machine.travel(_at(first + timedelta(days=2)), tick=False):
        counts = send_due_reminders(today=first + timedelta(days=2))
    detained.refresh_from_db()
    assert counts["deadlines_moved"] == 1
    assert detained.next_deadline_on == first + timedelta(weeks=4)


def test_worklist_columns_say_what_they_are_and_show_the_appointment(officer_client, officer):
    today = timezone.localdate()
    # The plan's date lapsed long ago, yet the person is on today's agenda at 09:00.
    case = _case(officer, phase="registered", opened_on=today - timedelta(days=421))
    PlannedInterviewFactory(case=case, planned_at=_at(today, 9), location="Kamer 3")
    case = _refreshed(case, interviewed=False)
    # Due today by the plan, with nothing planned.
    other = _refreshed(
        _case(officer, phase="registered", opened_on=today - timedelta(days=14)),
        interviewed=False,
    )
    # Planned next week.
    later = _case(officer, phase="registered", opened_on=today)
    PlannedInterviewFactory(case=later, planned_at=_at(today + timedelta(days=7), 14))
    later = _refreshed(later, interviewed=False)
    assert case.next_interview_due_on == today - timedelta(days=407)
    assert other.next_interview_due_on == today
    with translation.override("en"):
        response = officer_client.get(reverse("cases:worklist"))
    html = response.content.decode()
    assert "Interview due by" in html and "Next interview" not in html
    assert "Appointment" in html
    today_block = html[html.index('id="worklist-today"') :]
    today_block = today_block[: today_block.index("</ul>")]
    assert case.reference in today_block and "09:00" in today_block
    assert other.reference not in today_block and later.reference not in today_block
    rows = {c.reference: c for c in response.context["page_obj"]}
    assert timezone.localtime(rows[case.reference].planned_interview_at).hour == 9
    assert rows[other.reference].planned_interview_at is None
    assert "14:00" in normal_html(html)


def test_worklist_query_count_does_not_grow(officer_client, officer):
    today = timezone.localdate()

    def add(count):
        for n in range(count):
            case = _case(officer, phase="term_running", decision_on=today - timedelta(days=n))
            ObstacleFactory(case=case)
            PlannedInterviewFactory(case=case, planned_at=_at(today, 8 + n % 8))
            _refreshed(case, interviewed=n % 2 == 0)

    url = reverse("cases:worklist")
    add(5)
    officer_client.get(url)
    with CaptureQueriesContext(connection) as small:
        officer_client.get(url)
    add(45)
    with CaptureQueriesContext(connection) as large:
        response = officer_client.get(url)
    assert len(large) == len(small)
    assert response.context["page_obj"].paginator.count == 50


def test_refresh_deadlines_fills_the_stored_deadline_of_existing_cases(officer):
    import io

    from django.core.management import call_command

    today = timezone.localdate()
    case = _refreshed(_case(officer, phase="obliged", decision_on=today - timedelta(days=30)))
    # As before the field existed.
    Case._base_manager.filter(pk=case.pk).update(next_deadline_on=None, next_deadline_rule="")
    out = io.StringIO()
    call_command("refresh_deadlines", stdout=out)
    case.refresh_from_db()
    assert case.next_deadline_rule == "term_end"
    assert case.next_deadline_on == today - timedelta(days=2)
    assert out.getvalue().startswith("1 of 1")
