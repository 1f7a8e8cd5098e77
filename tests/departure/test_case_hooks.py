"""What the departure app contributes to a case: the stored term end, the deadlines shown, the
timeline, and the dates the LTO agenda proposals read."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases import registry
from cases import services as case_services
from cases.models import Case
from departure import agenda_facts, case_hooks, services
from departure.deadlines import CaseFacts, compute_deadlines
from departure.models import Departure, Measure
from tests.departure.factories import (
    AdviceFactory,
    MeasureFactory,
    ReturnSupportFactory,
    TravelDocumentRequestFactory,
)

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def test_the_term_end_is_derived_onto_the_case(make_case):
    case = make_case(term_lapsed_days_ago=3)
    assert case.term_ends_on == _today() - timedelta(days=3)


def test_a_suspensive_appeal_removes_the_stored_term_and_its_ruling_restarts_it(make_case, officer):
    case = make_case(term_lapsed_days_ago=3)
    appeal = case_services.add_procedure(
        case, actor=officer, type="appeal", filed_on=case.decision_on, suspensive=True
    )
    case.refresh_from_db()
    assert case.term_ends_on is None
    ruling = _today() - timedelta(days=1)
    case_services.update_procedure(
        appeal, actor=officer, outcome="dismissed", ruling_on=ruling, final_on=ruling
    )
    case.refresh_from_db()
    assert case.term_ends_on == ruling + timedelta(days=28)


def test_a_zero_day_term_ends_on_the_decision(make_case, officer):
    case = make_case(decision_on=_today() - timedelta(days=2), departure_term_days=0)
    assert case.term_ends_on == _today() - timedelta(days=2)


def test_a_closed_case_has_no_term(make_case, officer):
    case = make_case(term_lapsed_days_ago=-5, phase=Case.Phase.OBLIGED)
    services.record_departure(
        case, actor=officer, type=Departure.Type.WITHOUT_SUPERVISION, departed_on=_today()
    )
    case.refresh_from_db()
    assert case.term_ends_on is None


def test_the_derived_provider_is_registered():
    assert case_hooks.derived_fields in registry._derived_providers
    assert case_hooks.section in registry._section_providers
    assert case_hooks.timeline in registry._timeline_providers


def test_superseded_lapsed_deadlines_are_left_off():
    today = date(2026, 11, 28)
    facts = CaseFacts(decision_on=date(2026, 9, 1))
    shown = {d.rule for d in case_hooks.visible_deadlines(compute_deadlines(facts), today)}
    # The term (lapsed) is shown; the warning a week before it and the appeal window are not.
    assert "term_end" in shown
    assert "term_warning" not in shown
    assert "appeal_window" not in shown


def test_upcoming_deadlines_are_all_shown():
    today = date(2026, 11, 28)
    facts = CaseFacts(decision_on=date(2026, 11, 27))
    shown = {d.rule for d in case_hooks.visible_deadlines(compute_deadlines(facts), today)}
    assert {"appeal_window", "term_end", "term_warning"} <= shown


def test_only_the_current_vbl_stay_without_a_decision_counts(make_case):
    case = make_case(phase=Case.Phase.VBL)
    MeasureFactory(
        case=case,
        type=Measure.Type.VBL,
        started_on=_today() - timedelta(days=30),
        lto_decision=Measure.LtoDecision.EXTEND,
        lto_decided_on=_today(),
    )
    from departure.facts import case_facts

    assert case_facts(case).vbl_start is None
    MeasureFactory(case=case, type=Measure.Type.ENFORCEMENT_LOCATION, started_on=_today())
    assert case_facts(case).vbl_start == _today()


def test_the_timeline_tells_what_happened(make_case, officer):
    case = make_case(phase=Case.Phase.DETENTION, opened_on=_today() - timedelta(days=200))
    detention = MeasureFactory(
        case=case,
        type=Measure.Type.DETENTION_59,
        started_on=_today() - timedelta(days=160),
        extended_on=_today() - timedelta(days=5),
    )
    services.add_court_review(detention, actor=officer, reviewed_on=_today() - timedelta(days=100))
    TravelDocumentRequestFactory(case=case)
    ReturnSupportFactory(case=case)
    AdviceFactory(case=case)
    kinds = {event.kind for event in case_hooks.timeline(case)}
    assert {"Measure", "Court review", "Travel document", "Return support", "Advice"} <= kinds
    titles = [event.title for event in case_hooks.timeline(case)]
    assert any("extended" in title for title in titles)


def test_agenda_facts_give_the_vbl_start_and_the_end_of_reception(make_case):
    vbl_case = make_case(phase=Case.Phase.VBL)
    MeasureFactory(case=vbl_case, type=Measure.Type.VBL, started_on=_today() - timedelta(weeks=10))
    reception = make_case(phase=Case.Phase.OBLIGED)
    MeasureFactory(
        case=reception,
        type=Measure.Type.RECEPTION_END,
        started_on=_today() + timedelta(days=5),
        alternative_shelter=Measure.AlternativeShelter.MUNICIPAL,
    )
    rows = {
        c.pk: (c.vbl, c.reception)
        for c in Case.objects.annotate(
            vbl=agenda_facts.vbl_started_on(), reception=agenda_facts.reception_ends_on()
        )
    }
    assert rows[vbl_case.pk] == (_today() - timedelta(weeks=10), None)
    assert rows[reception.pk] == (None, _today() + timedelta(days=5))
