"""Every change to interviews goes through a function here.

Each function checks that the actor works the case (team) and that the case is open, validates
with messages an officer can act on, writes, and recomputes the case's stored next interview
(`cases.services.refresh_derived`).
"""

from copy import copy
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import access as case_access
from cases import reference as case_reference
from cases import services as case_services
from cases.models import Case, Obstacle
from dtv.text import require_length
from interviews.models import Check, Interview, InterviewAttendee, InterviewParticipant
from interviews.plan import CHECKLIST_REQUIRED_STAGES, STAGE_LABELS, STAGES

# Clock skew between the officer's device and the server: a held time this far ahead is fine.
HELD_AT_SLACK = timedelta(minutes=5)
CHECK_FIELDS = ("check_medical", "check_trafficking", "check_hardship")
# What update_interview may change (the rest is the interview's identity).
INTERVIEW_FIELDS = frozenset(
    {
        "stage",
        "planned_at",
        "held_at",
        "mode",
        "location",
        "no_show",
        "interpreter_name",
        "interpreter_language",
        "interpreter_presence",
        "attitude",
        *CHECK_FIELDS,
        "agreements",
        "officer_actions",
        "report",
        "copy_given",
        "recording_consent",
        "next_interview_on",
    }
)


class InterviewConflict(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "Someone else saved this interview while you were editing it. Your changes "
                "were not saved; reload the interview and enter them again."
            ),
            code="edit_conflict",
        )


def _changed(interview: Interview, previous: Interview | None, name: str) -> bool:
    return previous is None or getattr(previous, name) != getattr(interview, name)


def validate_interview(interview: Interview, previous: Interview | None = None) -> None:
    """The rules of one interview. `previous` is the stored row when editing: a date that
    was fine when it was entered (a next interview now in the past) is not refused again."""
    errors: dict[str, str] = {}
    now = timezone.now()
    if interview.stage not in STAGES:
        errors["stage"] = _("Choose the kind of interview.")
    if interview.held_at is None and interview.planned_at is None:
        if interview.no_show:
            errors["held_at"] = _("Enter the date and time of the appointment that was missed.")
        else:
            errors["held_at"] = _("Enter when the interview was held, or when it is planned.")
    if interview.held_at and interview.held_at > now + HELD_AT_SLACK:
        errors["held_at"] = _(
            "An interview cannot have been held in the future. Enter the planned time under "
            "'planned for' instead, and leave 'held at' empty."
        )
    if (
        interview.held_at is None
        and not interview.no_show
        and interview.planned_at is not None
        and interview.planned_at < now - timedelta(days=1)
        and _changed(interview, previous, "planned_at")
    ):
        errors["planned_at"] = _(
            "This planned time is in the past. If the interview took place, enter it as the "
            "time held; if the person did not come, tick 'the person did not appear'."
        )
    if interview.held_at and not interview.no_show and not interview.report.strip():
        # Held means reported: without its report an interview does not move the plan on.
        errors["report"] = _(
            "Write the report of the interview: it counts as held only with its report. For an "
            "interview still to come, leave 'held at' empty and enter the planned time."
        )
    for name in ("held_at", "planned_at", "next_interview_on"):
        value = getattr(interview, name)
        if name not in errors and _changed(interview, previous, name):
            # Planned times are the service's own acts too: not before the case was opened.
            message = case_services.implausible_date(interview.case, value)
            if message:
                errors[name] = message
    if interview.no_show and interview.report.strip():
        errors["report"] = _(
            "The person did not appear, so there is no report. Record what happened in the "
            "agreements or actions, or untick 'the person did not appear'."
        )
    if interview.held_at and not interview.no_show and interview.stage in CHECKLIST_REQUIRED_STAGES:
        missing = [name for name in CHECK_FIELDS if not getattr(interview, name)]
        for name in missing:
            errors[name] = _(
                "Required in a %(stage)s: record whether you checked this, and what you found."
            ) % {"stage": str(STAGE_LABELS[interview.stage]).lower()}
    if interview.interpreter_presence and not interview.interpreter_name.strip():
        errors["interpreter_name"] = _("Name the interpreter.")
    if interview.interpreter_name.strip() and not interview.interpreter_presence:
        errors["interpreter_presence"] = _(
            "Say whether the interpreter was present or joined by phone."
        )
    if interview.interpreter_language and not case_reference.is_language(
        interview.interpreter_language
    ):
        errors["interpreter_language"] = _("Choose a language from the list.")
    if (
        interview.next_interview_on
        and interview.next_interview_on < timezone.localdate()
        and _changed(interview, previous, "next_interview_on")
    ):
        errors["next_interview_on"] = _("The next interview cannot be in the past.")
    if errors:
        raise ValidationError(errors)


def _save_attendees(interview: Interview, attendees) -> None:
    """Make the attendee rows match `attendees` ((role, user, name) triples), one row at a time
    so that every removal and addition is in the audit log."""
    wanted = [
        (
            role,
            user.pk if user else None,
            require_length((name or "").strip(), limit=200, what=_("An attendee's name")),
        )
        for role, user, name in attendees
    ]
    for row in list(interview.attendees.all()):
        key = (row.role, row.user_id, row.name)
        if key in wanted:
            wanted.remove(key)
        else:
            row.delete()
    for role, user_id, name in wanted:
        row = InterviewAttendee(interview=interview, role=role, user_id=user_id, name=name)
        row.full_clean(exclude=["interview", "user"])
        row.save()


def _save_related(interview, case, *, attendees, obstacles, new_obstacle, actor) -> None:
    _save_attendees(interview, attendees)
    # Only obstacles of this case can have been discussed in its interview.
    chosen = list(Obstacle.objects.filter(case=case, pk__in=[o.pk for o in obstacles]))
    if new_obstacle:
        chosen.append(case_services.add_obstacle(case, actor=actor, **new_obstacle))
    interview.obstacles_discussed.set(chosen)


# What the apps above do when an interview records a signal (departure proposes the
# hardship advice); each registers in its AppConfig.ready().
_signal_handlers: list = []


def register_signal_handler(handler) -> None:
    """handler(interview, *, actor, signals): `signals` names the circumstances found."""
    if handler not in _signal_handlers:
        _signal_handlers.append(handler)


def _act_on_signals(interview: Interview, *, actor) -> None:
    """A signal in the special-circumstances checklist shows on the person and starts what
    follows from it (the handlers of the apps above)."""
    found = {
        name
        for name in ("medical", "trafficking", "hardship")
        if getattr(interview, f"check_{name}") == Check.SIGNAL
    }
    if not found:
        return
    case = interview.case
    case_services.record_signals(
        case.person,
        actor=actor,
        case=case,
        medical="medical" in found,
        trafficking="trafficking" in found,
        hardship="hardship" in found,
    )
    for handler in _signal_handlers:
        handler(interview, actor=actor, signals=frozenset(found))


def _household_cases(case: Case, cases, *, actor, keep=()) -> list[Case]:
    """The other household members' cases an interview is held for as well: each an open
    case of a member of this case's household that the actor works on (their team). `keep`:
    the cases already taking part (an edit keeps them, even if one was closed since)."""
    wanted = {c.pk for c in cases or ()} - {case.pk}
    if not wanted:
        return []
    kept = {c.pk: c for c in keep if c.pk in wanted}
    allowed = {c.pk: c for c in case_services.open_household_cases(case, user=actor)}
    allowed.update(kept)
    if wanted - set(allowed):
        raise ValidationError(
            {
                "household_cases": _(
                    "Choose only open cases of members of this household that your team works "
                    "on. Log the interview of anyone else in their own case."
                )
            },
            code="household_case",
        )
    for other in allowed.values():
        if other.pk in wanted and other.pk not in kept:
            case_access.require_case_worker(actor, other)
            case_services.require_open(other)
    return [allowed[pk] for pk in sorted(wanted)]


def _save_participants(interview: Interview, cases: list[Case]) -> list[Case]:
    """Make the participant rows match `cases`, one row at a time (each in the audit log);
    returns every case whose plan the change touches (added and removed)."""
    wanted = {c.pk: c for c in cases}
    touched = []
    for row in list(interview.participants.select_related("case")):
        if row.case_id in wanted:
            del wanted[row.case_id]
        else:
            touched.append(row.case)
            row.delete()
    for other in wanted.values():
        InterviewParticipant.objects.create(interview=interview, case=other)
        touched.append(other)
    return touched


def _refresh_participants(cases) -> None:
    # A joint interview counts in each member's interview plan, as it does in its own case's.
    for other in cases:
        case_services.refresh_derived(Case.objects.get(pk=other.pk))


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - INTERVIEW_FIELDS
    if unknown:
        raise ValidationError(_("These facts cannot be changed here: %s") % ", ".join(unknown))


@transaction.atomic
def log_interview(
    case: Case,
    *,
    actor,
    attendees=(),
    obstacles=(),
    new_obstacle=None,
    household_cases=(),
    **fields,
) -> Interview:
    """Log an interview in one go, held or planned: report, checklist, attendees, obstacles
    discussed and a new obstacle raised in it. The case's next interview is recomputed.
    `household_cases`: other household members' cases it was held for too; it is logged once
    and shows on each of them (the actor must work on each)."""
    case_access.require_case_worker(actor, case)
    case_services.require_open(case)
    _check_fields(fields)
    others = _household_cases(case, household_cases, actor=actor)
    interview = Interview(case=case, created_by=actor, **fields)
    validate_interview(interview)
    # The check constraints' rules were just checked in Python, in the officer's words, by
    # validate_interview(); full_clean would ask the database once more per constraint (a query
    # and a savepoint each). The database still enforces them on save.
    interview.full_clean(exclude=["case", "created_by"], validate_constraints=False)
    interview.save()
    _save_related(
        interview,
        case,
        attendees=attendees,
        obstacles=obstacles,
        new_obstacle=new_obstacle,
        actor=actor,
    )
    _save_participants(interview, others)
    _act_on_signals(interview, actor=actor)
    case_services.refresh_derived(case)
    _refresh_participants(others)
    return interview


@transaction.atomic
def plan_interview(
    case: Case,
    *,
    actor,
    stage: str,
    planned_at: datetime,
    mode: str = Interview.Mode.IN_PERSON,
    location: str = "",
) -> Interview:
    """Put an interview in the agenda (and the calendar feed). Held later via update_interview."""
    if planned_at is None:
        raise ValidationError({"planned_at": _("Enter when the interview is planned.")})
    return log_interview(
        case, actor=actor, stage=stage, planned_at=planned_at, mode=mode, location=location
    )


@transaction.atomic
def update_interview(
    interview: Interview,
    *,
    actor,
    version: int,
    attendees=(),
    obstacles=(),
    new_obstacle=None,
    household_cases=None,
    **fields,
) -> Interview:
    """Change an interview (e.g. record how a planned one went). Refused when someone else
    saved it since `version` was read: the first save is kept. `household_cases` None
    leaves the household members it was held with as they are."""
    case = interview.case
    case_access.require_case_worker(actor, case)
    case_services.require_open(case)
    _check_fields(fields)
    taking_part = [p.case for p in interview.participants.select_related("case")]
    others = (
        None
        if household_cases is None
        else _household_cases(case, household_cases, actor=actor, keep=taking_part)
    )
    current = Interview.objects.select_for_update().get(pk=interview.pk)
    if current.version != version:
        raise InterviewConflict()
    previous = copy(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    validate_interview(current, previous)
    current.full_clean(exclude=["case", "created_by"], validate_constraints=False)
    current.save()
    _save_related(
        current,
        case,
        attendees=attendees,
        obstacles=obstacles,
        new_obstacle=new_obstacle,
        actor=actor,
    )
    touched = [] if others is None else _save_participants(current, others)
    _act_on_signals(current, actor=actor)
    case_services.refresh_derived(case)
    # Held now (or moved): every member's plan counts it.
    _refresh_participants(
        {
            c.pk: c
            for c in [*touched, *(p.case for p in current.participants.select_related("case"))]
        }.values()
    )
    return current
