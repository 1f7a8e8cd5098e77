"""The rules of logging and changing an interview (interviews/services.py), stage by stage."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import services as case_services
from interviews import services
from interviews.models import Interview, InterviewAttendee
from interviews.plan import CHECKLIST_REQUIRED_STAGES, STAGES
from tests.cases.factories import CaseFactory, ObstacleFactory
from tests.interviews.conftest import CHECKED, an_hour_ago
from tests.interviews.factories import InterviewFactory

pytestmark = pytest.mark.django_db


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


# --- each stage's checklist rule ------------------------------------------------------------


@pytest.mark.parametrize("stage", CHECKLIST_REQUIRED_STAGES)
def test_departure_interview_needs_the_whole_checklist(case, officer, stage):
    errors = _errors(
        lambda: services.log_interview(
            case,
            actor=officer,
            stage=stage,
            held_at=an_hour_ago(),
            report="Gesprek gevoerd.",
            check_medical="nothing",
        )
    )
    assert set(errors) == {"check_trafficking", "check_hardship"}
    assert "record whether you checked this" in errors["check_hardship"][0]
    assert not Interview.objects.exists()
    interview = services.log_interview(
        case,
        actor=officer,
        stage=stage,
        held_at=an_hour_ago(),
        report="Gesprek gevoerd.",
        **CHECKED,
    )
    assert interview.checklist_complete


@pytest.mark.parametrize("stage", sorted(set(STAGES) - set(CHECKLIST_REQUIRED_STAGES)))
def test_other_stages_do_not_need_the_checklist(case, officer, stage):
    interview = services.log_interview(
        case, actor=officer, stage=stage, held_at=an_hour_ago(), report="Gesprek gevoerd."
    )
    assert interview.stage == stage
    assert not interview.checklist_required


@pytest.mark.parametrize("stage", CHECKLIST_REQUIRED_STAGES)
def test_a_planned_or_missed_departure_interview_needs_no_checklist(case, officer, stage):
    planned = services.log_interview(
        case, actor=officer, stage=stage, planned_at=timezone.now() + timedelta(days=3)
    )
    missed = services.log_interview(
        case, actor=officer, stage=stage, held_at=an_hour_ago(), no_show=True
    )
    assert planned.is_planned
    assert not missed.is_held


def test_unknown_stage_is_refused(case, officer):
    assert "stage" in _errors(
        lambda: services.log_interview(
            case, actor=officer, stage="chat", held_at=an_hour_ago(), report="Gesprek gevoerd."
        )
    )


# --- times ----------------------------------------------------------------------------------


def test_held_time_in_the_future_is_refused(case, officer):
    errors = _errors(
        lambda: services.log_interview(
            case, actor=officer, stage="progress", held_at=timezone.now() + timedelta(hours=2)
        )
    )
    assert "planned for" in errors["held_at"][0]


def test_a_few_minutes_of_clock_skew_is_tolerated(case, officer):
    services.log_interview(
        case,
        actor=officer,
        stage="progress",
        held_at=timezone.now() + timedelta(minutes=2),
        report="Gesprek gevoerd.",
    )


def test_neither_held_nor_planned_is_refused(case, officer):
    assert "held_at" in _errors(lambda: services.log_interview(case, actor=officer, stage="intake"))


def test_planning_in_the_past_is_refused(case, officer):
    errors = _errors(
        lambda: services.plan_interview(
            case, actor=officer, stage="progress", planned_at=timezone.now() - timedelta(days=3)
        )
    )
    assert "did not appear" in errors["planned_at"][0]


def test_plan_interview_puts_it_in_the_agenda(case, officer):
    when = timezone.now() + timedelta(days=2)
    interview = services.plan_interview(
        case, actor=officer, stage="progress", planned_at=when, location="Kantoor"
    )
    assert interview.is_planned
    assert Interview.objects.planned().get() == interview


def test_next_interview_date_in_the_past_is_refused_when_entered(case, officer):
    errors = _errors(
        lambda: services.log_interview(
            case,
            actor=officer,
            stage="progress",
            held_at=an_hour_ago(),
            report="Gesprek gevoerd.",
            next_interview_on=timezone.localdate() - timedelta(days=1),
        )
    )
    assert "next_interview_on" in errors


def test_an_old_next_interview_date_does_not_block_a_later_edit(case, officer):
    interview = InterviewFactory(
        case=case,
        held_at=timezone.now() - timedelta(days=60),
        next_interview_on=timezone.localdate() - timedelta(days=30),
    )
    updated = services.update_interview(
        interview,
        actor=officer,
        version=interview.version,
        report="Aangevuld.",
    )
    assert updated.report == "Aangevuld."


# --- no-shows -------------------------------------------------------------------------------


def test_no_show_with_a_report_is_refused(case, officer):
    errors = _errors(
        lambda: services.log_interview(
            case,
            actor=officer,
            stage="progress",
            held_at=an_hour_ago(),
            no_show=True,
            report="Gesprek gevoerd",
        )
    )
    assert "did not appear" in errors["report"][0]
    assert not Interview.objects.exists()


def test_no_show_needs_the_time_of_the_missed_appointment(case, officer):
    errors = _errors(
        lambda: services.log_interview(case, actor=officer, stage="progress", no_show=True)
    )
    assert "missed" in errors["held_at"][0]


def test_a_no_show_counts_as_no_interview_for_the_plan(case, officer):
    services.log_interview(case, actor=officer, stage="intake", held_at=an_hour_ago(), no_show=True)
    case.refresh_from_db()
    assert case.next_interview_stage == "intake"


# --- interpreter ----------------------------------------------------------------------------


def test_interpreter_needs_a_name_presence_and_a_real_language(case, officer):
    base = {"stage": "progress", "held_at": an_hour_ago(), "report": "Gesprek gevoerd."}
    assert "interpreter_name" in _errors(
        lambda: services.log_interview(case, actor=officer, interpreter_presence="phone", **base)
    )
    assert "interpreter_presence" in _errors(
        lambda: services.log_interview(case, actor=officer, interpreter_name="A. Tolk", **base)
    )
    assert "interpreter_language" in _errors(
        lambda: services.log_interview(
            case,
            actor=officer,
            interpreter_name="A. Tolk",
            interpreter_presence="present",
            interpreter_language="xx!",
            **base,
        )
    )
    interview = services.log_interview(
        case,
        actor=officer,
        interpreter_name="A. Tolk",
        interpreter_presence="present",
        interpreter_language="ary",
        **base,
    )
    assert interview.interpreter_language == "ary"


# --- attendees and obstacles ----------------------------------------------------------------


def test_attendees_are_internal_users_or_named_outsiders(case, officer):
    interview = services.log_interview(
        case,
        actor=officer,
        stage="progress",
        held_at=an_hour_ago(),
        report="Gesprek gevoerd.",
        attendees=[("officer", officer, str(officer)), ("lawyer", None, "mr. De Boer")],
    )
    rows = {a.role: a for a in interview.attendees.all()}
    assert rows["officer"].user == officer
    assert rows["lawyer"].user is None and rows["lawyer"].name == "mr. De Boer"


def test_changing_attendees_keeps_the_unchanged_rows(case, officer):
    interview = services.log_interview(
        case,
        actor=officer,
        stage="progress",
        held_at=an_hour_ago(),
        report="Gesprek gevoerd.",
        attendees=[("lawyer", None, "mr. De Boer"), ("family", None, "Broer")],
    )
    kept = interview.attendees.get(role="lawyer")
    services.update_interview(
        interview,
        actor=officer,
        version=interview.version,
        attendees=[("lawyer", None, "mr. De Boer"), ("guardian", None, "Nidos")],
    )
    assert sorted(interview.attendees.values_list("role", flat=True)) == ["guardian", "lawyer"]
    assert interview.attendees.get(role="lawyer").pk == kept.pk


def test_obstacles_discussed_and_a_new_one_raised(case, officer):
    existing = ObstacleFactory(case=case)
    foreign = ObstacleFactory(case=CaseFactory(team=officer.team))
    interview = services.log_interview(
        case,
        actor=officer,
        stage="progress",
        held_at=an_hour_ago(),
        report="Gesprek gevoerd.",
        obstacles=[existing, foreign],
        new_obstacle={"category": "medical", "description": "Verwijzing BMA"},
    )
    discussed = interview.obstacles_discussed.all()
    assert sorted(o.category for o in discussed) == ["medical", "travel_document"]
    assert all(o.case_id == case.pk for o in discussed)
    assert case.obstacles.filter(category="medical", description="Verwijzing BMA").exists()


# --- who may --------------------------------------------------------------------------------


def test_another_team_cannot_log(case, outsider):
    with pytest.raises(ValidationError):
        services.log_interview(
            case, actor=outsider, stage="progress", held_at=an_hour_ago(), report="Gesprek gevoerd."
        )


def test_a_closed_case_takes_no_interviews(case, officer):
    interview = InterviewFactory(case=case)
    case_services.close_case(case, actor=officer, closure_reason="permit", closed_on=case.opened_on)
    with pytest.raises(ValidationError):
        services.log_interview(
            case, actor=officer, stage="progress", held_at=an_hour_ago(), report="Gesprek gevoerd."
        )
    with pytest.raises(ValidationError):
        services.update_interview(interview, actor=officer, version=1, report="Later")


def test_fields_outside_the_interview_are_refused(case, officer):
    with pytest.raises(ValidationError):
        services.log_interview(
            case,
            actor=officer,
            stage="progress",
            held_at=an_hour_ago(),
            report="Gesprek gevoerd.",
            version=7,
        )


# --- concurrent edits -----------------------------------------------------------------------


def test_the_second_of_two_concurrent_edits_is_refused(case, officer, colleague):
    interview = services.log_interview(
        case, actor=officer, stage="progress", held_at=an_hour_ago(), report="Gesprek gevoerd."
    )
    read_by_both = interview.version
    services.update_interview(interview, actor=officer, version=read_by_both, report="Eerste")
    with pytest.raises(services.InterviewConflict) as error:
        services.update_interview(interview, actor=colleague, version=read_by_both, report="Tweede")
    assert "Someone else saved this interview" in error.value.messages[0]
    interview.refresh_from_db()
    assert (interview.report, interview.version) == ("Eerste", read_by_both + 1)


def test_recording_the_outcome_of_a_planned_interview(case, officer):
    planned = services.plan_interview(
        case, actor=officer, stage="progress", planned_at=timezone.now() + timedelta(hours=1)
    )
    held = services.update_interview(
        planned, actor=officer, version=planned.version, held_at=an_hour_ago(), report="Goed."
    )
    assert held.is_held
    assert not Interview.objects.planned().exists()


# --- the database keeps the invariants even past the services ------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"no_show": True, "report": "Toch een verslag"},
        {"held_at": None, "planned_at": None},
        {"interpreter_presence": "present", "interpreter_name": ""},
        {"version": 0},
    ],
)
def test_database_constraints(case, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Interview.objects.create(
            case=case, stage="progress", held_at=fields.pop("held_at", an_hour_ago()), **fields
        )


def test_attendee_needs_a_user_or_a_name(case):
    interview = InterviewFactory(case=case)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewAttendee.objects.create(interview=interview, role="other", name="")


def test_attendees_cannot_be_deleted_in_bulk(case):
    interview = InterviewFactory(case=case)
    InterviewAttendee.objects.create(interview=interview, role="other", name="X")
    with pytest.raises(PermissionError):
        InterviewAttendee.objects.all().delete()
