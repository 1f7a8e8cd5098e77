from dataclasses import replace
from datetime import UTC, date, datetime

import time_machine
from django.utils import translation

from departure import deadlines
from departure.deadlines import CaseFacts, ProcedureFacts, TravelDocFacts


def _by_rule(facts):
    return {d.rule: d for d in deadlines.compute_deadlines(facts)}


def test_28_day_term_runs_from_the_decision_without_an_appeal():
    facts = CaseFacts(decision_on=date(2026, 11, 28))
    term = deadlines.departure_term(facts)
    assert term.due_on == date(2026, 12, 26)
    assert term.inputs["start_reason"] == "decision"
    assert term.legal_basis == "Vw 2000 art. 62 lid 1"


def test_zero_day_term_ends_on_its_start_day_and_has_no_warning():
    facts = CaseFacts(decision_on=date(2026, 11, 28), term_days=0)
    rules = _by_rule(facts)
    assert rules["term_end"].due_on == date(2026, 11, 28)
    assert "term_warning" not in rules


def test_term_warning_a_week_before():
    rules = _by_rule(CaseFacts(decision_on=date(2026, 11, 28)))
    assert rules["term_warning"].due_on == date(2026, 12, 19)


def test_appeal_window_four_weeks_or_one_in_the_accelerated_procedure():
    assert _by_rule(CaseFacts(decision_on=date(2026, 1, 5)))["appeal_window"].due_on == date(
        2026, 2, 2
    )
    accelerated = CaseFacts(decision_on=date(2026, 1, 5), accelerated=True)
    assert _by_rule(accelerated)["appeal_window"].due_on == date(2026, 1, 12)


def test_pending_suspensive_appeal_stops_the_term():
    appeal = ProcedureFacts(type="appeal", filed_on=date(2026, 1, 10), suspensive=True)
    facts = CaseFacts(decision_on=date(2026, 1, 5), procedures=(appeal,))
    assert deadlines.departure_term(facts) is None
    assert "appeal_window" not in _by_rule(facts)


def test_dismissed_suspensive_appeal_starts_the_term_at_the_ruling():
    appeal = ProcedureFacts(
        type="appeal",
        filed_on=date(2026, 1, 10),
        ruling_on=date(2026, 11, 28),
        outcome="dismissed",
        suspensive=True,
    )
    facts = CaseFacts(decision_on=date(2026, 1, 5), procedures=(appeal,))
    term = deadlines.departure_term(facts)
    assert term.due_on == date(2026, 12, 26)
    with translation.override("en"):
        term = deadlines.departure_term(facts)
    assert "28 days" in term.explanation
    assert "Vw 2000 art. 62 lid 1" in term.explanation


def test_refused_interim_measure_before_the_ruling_starts_the_term():
    appeal = ProcedureFacts(type="appeal", filed_on=date(2026, 1, 10), suspensive=True)
    vovo = ProcedureFacts(
        type="interim", ruling_on=date(2026, 3, 2), outcome="refused", suspensive=True
    )
    facts = CaseFacts(decision_on=date(2026, 1, 5), procedures=(appeal, vovo))
    term = deadlines.departure_term(facts)
    assert term.inputs["start_on"] == date(2026, 3, 2)
    assert term.due_on == date(2026, 3, 30)


def test_upheld_appeal_means_no_term():
    appeal = ProcedureFacts(
        type="appeal", ruling_on=date(2026, 5, 1), outcome="upheld", suspensive=True
    )
    assert deadlines.departure_term(CaseFacts(date(2026, 1, 5), procedures=(appeal,))) is None


def test_no_decision_no_term_and_closed_case_nothing():
    assert deadlines.compute_deadlines(CaseFacts(decision_on=None)) == []
    assert deadlines.compute_deadlines(CaseFacts(date(2026, 1, 5), closed=True)) == []


def test_leap_years():
    assert deadlines.departure_term(CaseFacts(date(2028, 2, 1))).due_on == date(2028, 2, 29)
    assert deadlines.departure_term(CaseFacts(date(2027, 2, 1))).due_on == date(2027, 3, 1)


def test_vbl_week_10_and_12():
    rules = _by_rule(CaseFacts(decision_on=None, vbl_start=date(2026, 9, 1)))
    assert rules["vbl_lto"].due_on == date(2026, 11, 10)
    assert rules["vbl_decision"].due_on == date(2026, 11, 24)


@time_machine.travel(datetime(2026, 11, 28, 12, tzinfo=UTC), tick=False)
def test_detention_months_and_review():
    rules = _by_rule(CaseFacts(decision_on=None, detention_start=date(2026, 8, 31)))
    assert rules["detention_extension"].due_on == date(2027, 1, 31)
    assert rules["detention_extension_due"].due_on == date(2027, 2, 27)
    assert rules["detention_max"].due_on == date(2028, 2, 29)
    assert rules["detention_review"].due_on == date(2026, 12, 21)


def test_extended_detention_has_no_extension_reminders():
    facts = CaseFacts(
        decision_on=None,
        detention_start=date(2026, 1, 1),
        detention_extended_on=date(2026, 6, 20),
    )
    rules = _by_rule(facts)
    assert "detention_extension" not in rules and "detention_max" in rules


def test_travel_document_follow_ups_until_answered():
    open_request = TravelDocFacts(ref="LP-1", submitted_on=date(2026, 1, 31))
    rules = _by_rule(CaseFacts(decision_on=None, travel_docs=(open_request,)))
    assert rules["lp_followup_3"].due_on == date(2026, 4, 30)
    assert rules["lp_followup_6"].due_on == date(2026, 7, 31)
    assert rules["lp_followup_12"].due_on == date(2027, 1, 31)
    answered = replace(open_request, answered_on=date(2026, 3, 1))
    assert _by_rule(CaseFacts(decision_on=None, travel_docs=(answered,))) == {}


def test_month_clamping():
    assert deadlines.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert deadlines.add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert deadlines.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_today_in_amsterdam_on_dst_changeover_days():
    with time_machine.travel(datetime(2026, 3, 28, 23, 30, tzinfo=UTC), tick=False):
        assert deadlines.today_local() == date(2026, 3, 29)
    with time_machine.travel(datetime(2026, 10, 24, 22, 30, tzinfo=UTC), tick=False):
        assert deadlines.today_local() == date(2026, 10, 25)
    with time_machine.travel(datetime(2026, 10, 25, 22, 59, tzinfo=UTC), tick=False):
        assert deadlines.today_local() == date(2026, 10, 25)


def test_dutch_explanation_names_the_dates():
    with translation.override("nl"):
        term = deadlines.departure_term(CaseFacts(date(2026, 11, 28)))
    assert "26 dec" in term.explanation and "28 nov" in term.explanation
    assert "28" in term.explanation


def test_overriding_a_rule_in_the_settings_changes_the_result(settings):
    settings.DTV_RULE_OVERRIDES = {"appeal_days": 42}
    assert _by_rule(CaseFacts(date(2026, 1, 5)))["appeal_window"].due_on == date(2026, 2, 16)


def test_working_days_skip_the_weekend():
    assert deadlines.add_working_days(date(2026, 11, 27), 3) == date(2026, 12, 2)
