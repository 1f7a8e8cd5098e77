"""The phase follows from the facts: the decision and its term (a 0-day term on the decision
day itself), procedures and rulings, measures; a manual phase is checked against them. And
the court review of a detention within 42 days in the engine, the sweep and the case page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from cases import services as case_services
from cases.models import Case, PhaseChange, Procedure
from departure import deadlines, reminders, services
from departure.deadlines import CaseFacts, ProcedureFacts
from departure.models import CourtReview, Measure
from departure.phase import phase_from_facts
from dtv import rules
from dtv.notifications.models import Notification
from tests.cases.factories import CaseFactory, store_derived

pytestmark = pytest.mark.django_db

D = date(2026, 11, 2)


def _today():
    return timezone.localdate()


def _decide(case, officer, *, decision_on, term_days=28):
    case_services.update_case(
        case,
        actor=officer,
        version=case.version,
        decision_on=decision_on,
        departure_term_days=term_days,
    )
    case.refresh_from_db()
    return case


# ---- the engine --------------------------------------------------------------------------


def test_a_28_day_term_lapses_after_its_last_day_and_a_0_day_term_on_its_first():
    term = deadlines.departure_term(CaseFacts(decision_on=D, term_days=28))
    assert term.due_on == D + timedelta(days=28)
    assert not term.is_lapsed(D + timedelta(days=28))
    assert term.is_lapsed(D + timedelta(days=29))
    immediate = deadlines.departure_term(CaseFacts(decision_on=D, term_days=0))
    assert immediate.due_on == D
    assert not immediate.is_lapsed(D - timedelta(days=1))
    assert immediate.is_lapsed(D)


@pytest.mark.parametrize(
    ("facts", "today", "phase"),
    [
        (CaseFacts(decision_on=None), D, "registered"),
        (
            CaseFacts(decision_on=None, procedures=(ProcedureFacts(type="asylum_first"),)),
            D,
            "procedure_pending",
        ),
        (CaseFacts(decision_on=D), D + timedelta(days=3), "term_running"),
        (CaseFacts(decision_on=D), D + timedelta(days=29), "obliged"),
        (CaseFacts(decision_on=D, term_days=0), D, "obliged"),
        (
            CaseFacts(decision_on=D, procedures=(ProcedureFacts(type="appeal", suspensive=True),)),
            D + timedelta(days=90),
            "procedure_pending",
        ),
        (
            CaseFacts(
                decision_on=D,
                procedures=(
                    ProcedureFacts(
                        type="appeal",
                        suspensive=True,
                        outcome="dismissed",
                        ruling_on=D + timedelta(days=60),
                    ),
                ),
            ),
            D + timedelta(days=70),
            "term_running",
        ),
        (CaseFacts(decision_on=D, in_shelter=True), D + timedelta(days=40), "vbl"),
        (
            CaseFacts(decision_on=D, in_shelter=True, detention_start=D + timedelta(days=50)),
            D + timedelta(days=60),
            "detention",
        ),
    ],
)
def test_the_phase_follows_from_the_facts(facts, today, phase):
    assert phase_from_facts(facts, today=today).phase == phase


# ---- 16.6: a 0-day term ------------------------------------------------------------------


def test_a_0_day_term_makes_the_case_obliged_on_the_decision_day_itself(officer):
    case = CaseFactory(team=officer.team, officer=officer, opened_on=_today())
    _decide(case, officer, decision_on=_today(), term_days=0)
    assert case.phase == Case.Phase.OBLIGED
    assert case.term_ends_on == _today()
    change = PhaseChange.objects.filter(case=case).latest("at")
    assert (change.to_phase, change.actor) == ("obliged", officer)
    # The stored condition the worklist, filters and reports read agrees.
    assert case in Case.objects.term_lapsed(today=_today())
    assert case not in Case.objects.term_ending_within(14, today=_today())


def test_a_28_day_term_runs_on_the_decision_day(officer):
    case = CaseFactory(team=officer.team, officer=officer, opened_on=_today())
    _decide(case, officer, decision_on=_today())
    assert case.phase == Case.Phase.TERM_RUNNING
    assert case not in Case.objects.term_lapsed(today=_today() + timedelta(days=28))
    assert case in Case.objects.term_lapsed(today=_today() + timedelta(days=29))


def test_the_sweep_moves_a_0_day_case_and_reminds_on_the_decision_day(make_case):
    today = _today()
    case = make_case(
        phase=Case.Phase.TERM_RUNNING, decision_on=today, departure_term_days=0, opened_on=today
    )
    assert case.term_ends_on == today
    counts = reminders.send_due_reminders(today=today)
    case.refresh_from_db()
    assert counts["lapsed"] == 1
    assert case.phase == Case.Phase.OBLIGED
    notes = Notification.objects.filter(case=case)
    assert notes.filter(rule="term_lapsed", due_on=today).exists()
    # Nothing to warn of: the term lapsed on the day it started.
    assert not notes.filter(rule="term_warning").exists()


# ---- rulings and procedures move the phase -----------------------------------------------


def test_entering_the_ruling_on_the_appeal_starts_the_term(officer):
    case = CaseFactory(team=officer.team, officer=officer, opened_on=_today() - timedelta(days=100))
    _decide(case, officer, decision_on=_today() - timedelta(days=100))
    assert case.phase == Case.Phase.OBLIGED
    appeal = case_services.add_procedure(
        case,
        actor=officer,
        type=Procedure.Type.APPEAL,
        filed_on=_today() - timedelta(days=95),
        suspensive=True,
    )
    case.refresh_from_db()
    assert case.phase == Case.Phase.PROCEDURE_PENDING
    assert case.term_ends_on is None
    case_services.update_procedure(
        appeal,
        actor=officer,
        outcome=Procedure.Outcome.DISMISSED,
        ruling_on=_today() - timedelta(days=3),
    )
    case.refresh_from_db()
    assert case.phase == Case.Phase.TERM_RUNNING
    assert case.term_ends_on == _today() + timedelta(days=25)
    # The interview plan follows the phase it now has.
    assert case.next_interview_stage


# ---- manual phase changes are checked against the facts ----------------------------------


def test_the_vbl_phase_cannot_be_set_without_a_vbl_stay(make_case, officer):
    case = make_case(term_lapsed_days_ago=5)
    case_services.refresh_derived(case, actor=officer)
    case.refresh_from_db()
    assert case.phase == Case.Phase.OBLIGED
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        case_services.change_phase(case, actor=officer, to_phase="vbl", reason="Naar VBL")
    assert "The facts put this case in" in refused.value.messages[0]
    assert "Obliged to leave" in refused.value.messages[0]
    case.refresh_from_db()
    assert case.phase == Case.Phase.OBLIGED


def test_a_manual_phase_that_matches_the_facts_or_is_a_judgement_is_accepted(make_case, officer):
    case = make_case(term_lapsed_days_ago=5, phase=Case.Phase.TERM_RUNNING)
    case_services.change_phase(case, actor=officer, to_phase="obliged", reason="Verstreken")
    case_services.change_phase(case, actor=officer, to_phase="suspended", reason="Medisch")
    case.refresh_from_db()
    assert case.phase == Case.Phase.SUSPENDED


def test_the_phase_page_refuses_a_contradicting_phase_with_the_reason(officer_client, make_case):
    case = make_case(term_lapsed_days_ago=5, phase=Case.Phase.OBLIGED)
    page = officer_client.get(reverse("cases:phase", args=[case.reference])).content.decode()
    assert "the departure term lapsed on" in page
    response = officer_client.post(
        reverse("cases:phase", args=[case.reference]),
        {"to_phase": "vbl", "reason": "Naar VBL"},
    )
    assert response.status_code == 200
    assert "The facts put this case in" in response.content.decode()
    case.refresh_from_db()
    assert case.phase != Case.Phase.VBL


# ---- measures ----------------------------------------------------------------------------


def test_a_vbl_stay_is_refused_while_the_departure_term_runs(make_case, officer):
    case = make_case(term_lapsed_days_ago=-10, phase=Case.Phase.TERM_RUNNING)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.start_measure(case, actor=officer, type=Measure.Type.VBL, started_on=_today())
    assert "The departure term runs until" in str(refused.value)
    assert not Measure.objects.filter(case=case).exists()
    undecided = make_case()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.start_measure(undecided, actor=officer, type=Measure.Type.VBL, started_on=_today())
    assert "no term has started" in str(refused.value)


def test_a_vbl_stay_after_the_term_gives_the_vbl_phase_and_its_week_10_and_12(make_case, officer):
    case = make_case(term_lapsed_days_ago=20, phase=Case.Phase.OBLIGED)
    start = _today() - timedelta(days=5)
    services.start_measure(case, actor=officer, type=Measure.Type.VBL, started_on=start)
    case.refresh_from_db()
    assert case.phase == Case.Phase.VBL
    from departure.facts import case_facts

    rules = {d.rule: d.due_on for d in deadlines.compute_deadlines(case_facts(case))}
    assert rules["vbl_lto"] == start + timedelta(weeks=10)
    assert rules["vbl_decision"] == start + timedelta(weeks=12)


def test_ending_a_detention_puts_the_case_back_to_obliged(make_case, officer):
    case = make_case(term_lapsed_days_ago=20, phase=Case.Phase.OBLIGED)
    detention = services.start_measure(
        case, actor=officer, type=Measure.Type.DETENTION_59, started_on=_today()
    )
    case.refresh_from_db()
    assert case.phase == Case.Phase.DETENTION
    services.end_measure(detention, actor=officer, ended_on=_today(), end_reason="Opgeheven")
    case.refresh_from_db()
    assert case.phase == Case.Phase.OBLIGED


# ---- the court review of a detention -----------------------------------------------------


def test_a_detention_has_its_court_review_deadline_until_the_review_is_recorded(
    make_case, officer, officer_client
):
    case = make_case(term_lapsed_days_ago=40, phase=Case.Phase.OBLIGED)
    start = _today() - timedelta(days=23)
    detention = services.start_measure(
        case, actor=officer, type=Measure.Type.DETENTION_59, started_on=start
    )
    from departure.facts import case_facts

    def review_deadline():
        case.refresh_from_db()
        found = [
            d
            for d in deadlines.compute_deadlines(case_facts(case))
            if d.rule == "detention_court_review"
        ]
        return found[0] if found else None

    deadline = review_deadline()
    assert deadline.due_on == start + timedelta(days=42)
    assert rules.value("detention_court_review_days", on=start) == 42
    page = officer_client.get(case.get_absolute_url()).content.decode()
    assert "Detention: court review due" in page
    services.add_court_review(
        detention, actor=officer, reviewed_on=_today(), kind=CourtReview.Kind.INITIAL
    )
    assert review_deadline() is None


def test_the_sweep_reminds_of_the_court_review_from_day_28_once(make_case, officer):
    case = make_case(term_lapsed_days_ago=60, phase=Case.Phase.OBLIGED)
    start = _today() - timedelta(days=28)
    services.start_measure(case, actor=officer, type=Measure.Type.DETENTION_59, started_on=start)
    reminders.send_due_reminders(today=_today() - timedelta(days=1))
    assert not Notification.objects.filter(case=case, rule="detention_court_review").exists()
    reminders.send_due_reminders(today=_today())
    reminders.send_due_reminders(today=_today())
    note = Notification.objects.get(case=case, rule="detention_court_review")
    assert note.due_on == start + timedelta(days=42)
    assert note.recipient == officer


def test_a_reviewed_detention_gets_no_court_review_reminder(make_case, officer):
    case = make_case(term_lapsed_days_ago=60, phase=Case.Phase.OBLIGED)
    start = _today() - timedelta(days=30)
    detention = services.start_measure(
        case, actor=officer, type=Measure.Type.DETENTION_59, started_on=start
    )
    services.add_court_review(detention, actor=officer, reviewed_on=_today())
    reminders.send_due_reminders(today=_today())
    assert not Notification.objects.filter(case=case, rule="detention_court_review").exists()


def test_store_derived_leaves_the_phase_as_built(make_case):
    # The sweep tests rely on a case whose stored phase the calendar has overtaken.
    case = make_case(term_lapsed_days_ago=3, phase=Case.Phase.TERM_RUNNING)
    store_derived(case)
    assert case.phase == Case.Phase.TERM_RUNNING


def test_the_case_page_shows_a_0_day_term_as_lapsed_today(officer, officer_client):
    case = CaseFactory(team=officer.team, officer=officer, opened_on=_today())
    _decide(case, officer, decision_on=_today(), term_days=0)
    page = officer_client.get(case.get_absolute_url()).content.decode()
    assert "lapsed today" in page
    assert "no departure term (0 days)" in page
