"""The interview plan (interviews/plan.py): pure date arithmetic, no database."""

from dataclasses import FrozenInstanceError
from datetime import date, timedelta

import pytest
from django.utils import translation
from django.utils.formats import date_format

from interviews import plan
from interviews.plan import (
    CHECKLIST_REQUIRED_STAGES,
    MANDATORY_DEPARTURE_STAGES,
    PLAN_INTERVALS,
    STAGE_LABELS,
    HeldInterview,
    PlanFacts,
    PlannedInterview,
    due_interviews,
    next_interview,
)

OPENED = date(2026, 1, 5)
INTAKE = HeldInterview("intake", date(2026, 1, 12))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def by_rule(facts):
    return {item.rule: item for item in due_interviews(facts)}


# --- intake ----------------------------------------------------------------------------------


def test_intake_due_14_days_after_opening():
    item = next_interview(PlanFacts("registered", date(2026, 3, 2)))
    assert item.stage == "intake"
    assert item.rule == "intake"
    assert item.due_on == date(2026, 3, 16)
    assert item.reason == "Intake interview due by 16 Mar 2026: case opened on 2 Mar 2026"
    assert item.checklist_required


def test_intake_overdue_and_days_left():
    item = next_interview(PlanFacts("registered", date(2026, 3, 2)))
    assert item.days_left(date(2026, 3, 10)) == 6
    assert item.days_left(date(2026, 3, 16)) == 0
    assert not item.is_overdue(date(2026, 3, 16))
    assert item.is_overdue(date(2026, 3, 17))
    assert item.days_left(date(2026, 4, 1)) == -16


def test_no_intake_once_held():
    facts = PlanFacts("registered", OPENED, held=(INTAKE,))
    assert "intake" not in by_rule(facts)


def test_other_stage_does_not_count_as_intake():
    facts = PlanFacts("registered", OPENED, held=(HeldInterview("progress", date(2026, 1, 7)),))
    assert by_rule(facts)["intake"].due_on == date(2026, 1, 19)


# --- progress cadence ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "weeks", "stage"),
    [
        ("registered", 8, "progress"),
        ("procedure_pending", 8, "progress"),
        ("term_running", 4, "progress"),
        ("obliged", 2, "progress"),
        ("vbl", 2, "progress"),
        ("detention", 2, "detention"),
        ("departure_planned", 2, "progress"),
    ],
)
def test_progress_cadence_per_phase(phase, weeks, stage):
    last = date(2026, 2, 2)
    held = (INTAKE, HeldInterview("progress", last))
    item = next_interview(PlanFacts(phase, OPENED, held=held))
    assert item.rule == "progress"
    assert item.stage == stage
    assert item.due_on == last + timedelta(weeks=weeks)
    assert f"every {weeks} weeks" in item.reason
    assert "last interview on 2 Feb 2026" in item.reason


def test_cadence_intensifies_as_the_phase_advances():
    held = (INTAKE, HeldInterview("progress", date(2026, 2, 2)))
    dues = [
        next_interview(PlanFacts(phase, OPENED, held=held)).due_on
        for phase in ("procedure_pending", "term_running", "obliged", "vbl")
    ]
    assert dues == [date(2026, 3, 30), date(2026, 3, 2), date(2026, 2, 16), date(2026, 2, 16)]


def test_progress_reason_names_phase():
    item = next_interview(PlanFacts("term_running", OPENED, held=(INTAKE,)))
    assert item.reason == (
        "Progress interview due by 9 Feb 2026: every 4 weeks during the departure term, "
        "last interview on 12 Jan 2026"
    )


def test_progress_counts_from_last_interview_of_any_stage():
    held = (
        INTAKE,
        HeldInterview("embassy", date(2026, 3, 3)),
        HeldInterview("progress", date(2026, 2, 1)),
    )
    item = next_interview(PlanFacts("obliged", OPENED, held=held))
    assert item.due_on == date(2026, 3, 17)
    assert "last interview on 3 Mar 2026" in item.reason


def test_progress_counts_from_opening_when_nothing_held():
    items = by_rule(PlanFacts("obliged", OPENED))
    assert items["progress"].due_on == date(2026, 1, 19)
    assert "no interview since the case opened on 5 Jan 2026" in items["progress"].reason
    # The intake (due the same day) wins the tie.
    assert next_interview(PlanFacts("obliged", OPENED)).rule == "intake"


# --- hearing-date interview ------------------------------------------------------------------


def test_no_hearing_interview_without_hearing_date():
    assert "hearing" not in by_rule(PlanFacts("procedure_pending", OPENED, held=(INTAKE,)))


def test_hearing_interview_once_a_hearing_date_is_entered():
    hearing = date(2026, 3, 2)  # before the progress interview (9 Mar 2026)
    facts = PlanFacts("procedure_pending", OPENED, held=(INTAKE,), hearing_on=hearing)
    item = next_interview(facts)
    assert item.stage == item.rule == "hearing"
    assert item.due_on == hearing
    assert item.reason == (
        "Hearing-date departure interview due by 2 Mar 2026: court hearing on 2 Mar 2026"
    )
    assert item.checklist_required


def test_no_hearing_interview_after_one_is_held():
    hearing = date(2026, 4, 20)
    held = (INTAKE, HeldInterview("hearing", date(2026, 4, 1)))
    facts = PlanFacts("procedure_pending", OPENED, held=held, hearing_on=hearing)
    assert "hearing" not in by_rule(facts)
    assert next_interview(facts).rule == "progress"


def test_hearing_window_is_42_days():
    hearing = date(2026, 4, 20)
    edge = hearing - timedelta(days=42)
    in_window = PlanFacts(
        "procedure_pending",
        OPENED,
        held=(INTAKE, HeldInterview("hearing", edge)),
        hearing_on=hearing,
    )
    too_early = PlanFacts(
        "procedure_pending",
        OPENED,
        held=(INTAKE, HeldInterview("hearing", edge - timedelta(days=1))),
        hearing_on=hearing,
    )
    assert "hearing" not in by_rule(in_window)
    assert by_rule(too_early)["hearing"].due_on == hearing


def test_hearing_interview_superseded_by_ruling():
    facts = PlanFacts(
        "term_running",
        OPENED,
        held=(INTAKE,),
        hearing_on=date(2026, 4, 20),
        ruling_on=date(2026, 5, 4),
    )
    assert "hearing" not in by_rule(facts)
    assert "post_ruling" in by_rule(facts)


# --- post-ruling interview -------------------------------------------------------------------


def test_post_ruling_due_7_days_after_ruling():
    facts = PlanFacts("term_running", OPENED, held=(INTAKE,), ruling_on=date(2026, 11, 28))
    item = by_rule(facts)["post_ruling"]
    assert item.stage == "post_ruling"
    assert item.due_on == date(2026, 12, 5)
    assert item.reason == "Post-ruling interview due by 5 Dec 2026: ruling of 28 Nov 2026"


def test_post_ruling_held_before_ruling_does_not_count():
    ruling = date(2026, 11, 28)
    before = PlanFacts(
        "term_running",
        OPENED,
        held=(INTAKE, HeldInterview("post_ruling", ruling - timedelta(days=1))),
        ruling_on=ruling,
    )
    on_the_day = PlanFacts(
        "term_running",
        OPENED,
        held=(INTAKE, HeldInterview("post_ruling", ruling)),
        ruling_on=ruling,
    )
    assert "post_ruling" in by_rule(before)
    assert "post_ruling" not in by_rule(on_the_day)


def test_post_ruling_takes_precedence_on_the_same_day():
    # Last interview 7 Nov, obliged -> progress due 21 Nov; ruling 14 Nov -> post-ruling 21 Nov.
    facts = PlanFacts(
        "obliged",
        OPENED,
        held=(INTAKE, HeldInterview("progress", date(2026, 11, 7))),
        ruling_on=date(2026, 11, 14),
    )
    assert by_rule(facts)["progress"].due_on == by_rule(facts)["post_ruling"].due_on
    assert next_interview(facts).rule == "post_ruling"


def test_post_ruling_takes_precedence_when_earlier():
    facts = PlanFacts(
        "procedure_pending",
        OPENED,
        held=(INTAKE, HeldInterview("progress", date(2026, 11, 7))),
        ruling_on=date(2026, 11, 28),
    )
    assert next_interview(facts).rule == "post_ruling"


def test_earlier_progress_interview_wins_over_later_event():
    facts = PlanFacts(
        "obliged",
        OPENED,
        held=(INTAKE, HeldInterview("progress", date(2026, 11, 7))),
        ruling_on=date(2026, 11, 20),
    )
    item = next_interview(facts)
    assert item.rule == "progress"
    assert item.due_on == date(2026, 11, 21)


# --- VBL intake ------------------------------------------------------------------------------


def test_vbl_intake_due_7_days_after_arrival():
    start = date(2026, 6, 1)
    facts = PlanFacts(
        "vbl", OPENED, held=(INTAKE, HeldInterview("progress", start)), vbl_start=start
    )
    item = next_interview(facts)
    assert item.stage == item.rule == "vbl_intake"
    assert item.due_on == date(2026, 6, 8)
    assert item.reason == "VBL intake due by 8 Jun 2026: arrived at the VBL on 1 Jun 2026"
    assert not item.checklist_required


def test_vbl_intake_only_counts_since_arrival():
    start = date(2026, 6, 1)
    old = PlanFacts(
        "vbl", OPENED, held=(INTAKE, HeldInterview("vbl_intake", date(2025, 6, 1))), vbl_start=start
    )
    new = PlanFacts(
        "vbl", OPENED, held=(INTAKE, HeldInterview("vbl_intake", date(2026, 6, 3))), vbl_start=start
    )
    assert "vbl_intake" in by_rule(old)
    assert "vbl_intake" not in by_rule(new)


# --- no plan, ordering, config ---------------------------------------------------------------


@pytest.mark.parametrize("phase", ["closed", "suspended"])
def test_closed_and_suspended_have_no_plan(phase):
    facts = PlanFacts(phase, OPENED, hearing_on=date(2026, 4, 20), ruling_on=date(2026, 5, 4))
    assert next_interview(facts) is None
    assert due_interviews(facts) == []


def test_unknown_phase_is_an_error():
    with pytest.raises(ValueError, match="nonsense"):
        next_interview(PlanFacts("nonsense", OPENED))


def test_due_interviews_lists_everything_sorted():
    facts = PlanFacts(
        "procedure_pending",
        OPENED,
        hearing_on=date(2026, 2, 10),
        ruling_on=date(2026, 1, 20),
        vbl_start=date(2026, 1, 6),
    )
    items = due_interviews(facts)
    assert [(i.rule, i.due_on) for i in items] == [
        ("vbl_intake", date(2026, 1, 13)),
        ("intake", date(2026, 1, 19)),
        ("post_ruling", date(2026, 1, 27)),
        ("hearing", date(2026, 2, 10)),
        ("progress", date(2026, 3, 2)),
    ]
    assert next_interview(facts) == items[0]


def test_changing_the_config_changes_the_plan(monkeypatch):
    facts = PlanFacts("term_running", OPENED, held=(INTAKE,), ruling_on=date(2026, 1, 20))
    assert by_rule(facts)["progress"].due_on == date(2026, 2, 9)
    assert by_rule(facts)["post_ruling"].due_on == date(2026, 1, 27)

    monkeypatch.setitem(PLAN_INTERVALS["progress"], "term_running", 3 * 7)
    monkeypatch.setitem(PLAN_INTERVALS, "post_ruling", 3)
    items = by_rule(facts)
    assert items["progress"].due_on == date(2026, 2, 2)
    assert "every 3 weeks" in items["progress"].reason
    assert items["post_ruling"].due_on == date(2026, 1, 23)

    monkeypatch.setitem(PLAN_INTERVALS["progress"], "term_running", 10)
    assert "every 10 days" in by_rule(facts)["progress"].reason


def test_config_without_a_phase_drops_progress_interviews(monkeypatch):
    monkeypatch.delitem(PLAN_INTERVALS["progress"], "obliged")
    assert "progress" not in by_rule(PlanFacts("obliged", OPENED, held=(INTAKE,)))


def test_hearing_config_is_used(monkeypatch):
    hearing = date(2026, 4, 20)
    monkeypatch.setitem(PLAN_INTERVALS, "hearing_before", 7)
    monkeypatch.setitem(PLAN_INTERVALS, "hearing_window", 10)
    held = (INTAKE, HeldInterview("hearing", date(2026, 4, 1)))  # 19 days before: outside
    item = by_rule(PlanFacts("procedure_pending", OPENED, held=held, hearing_on=hearing))["hearing"]
    assert item.due_on == date(2026, 4, 13)
    assert "court hearing on 20 Apr 2026" in item.reason


def test_every_phase_has_a_plan_or_none():
    for phase in plan.PHASES:
        if phase in plan.NO_PLAN_PHASES:
            continue
        assert phase in PLAN_INTERVALS["progress"]


# --- language, labels, data classes ----------------------------------------------------------


def test_reason_dates_follow_the_active_language():
    facts = PlanFacts("term_running", OPENED, held=(INTAKE,), ruling_on=date(2026, 11, 28))
    with translation.override("nl"):
        reason = by_rule(facts)["post_ruling"].reason
        due, ruling = date_format(date(2026, 12, 5)), date_format(date(2026, 11, 28))
    assert due.startswith("5 dec")
    assert due in reason
    assert ruling in reason
    assert "Dec" not in reason


def test_stage_labels_and_mandatory_stages():
    assert set(STAGE_LABELS) == set(plan.STAGES)
    assert str(STAGE_LABELS["hearing"]) == "Hearing-date departure interview"
    assert str(STAGE_LABELS["detention"]) == "Interview in detention"
    assert MANDATORY_DEPARTURE_STAGES == ("intake", "hearing", "post_ruling")
    assert set(CHECKLIST_REQUIRED_STAGES) == set(MANDATORY_DEPARTURE_STAGES)
    item = PlannedInterview("embassy", OPENED, "x", "progress")
    assert str(item.label) == "Embassy presentation"
    assert not item.checklist_required


def test_facts_are_frozen_and_accept_a_list():
    facts = PlanFacts("obliged", OPENED, held=[INTAKE])
    assert facts.held == (INTAKE,)
    assert hash(facts) == hash(PlanFacts("obliged", OPENED, held=(INTAKE,)))
    with pytest.raises(FrozenInstanceError):
        facts.phase = "closed"
