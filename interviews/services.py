"""Every change to interviews and embassy presentations goes through a function here."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Case, Obstacle
from interviews.models import Attendee, EmbassyPresentation, Interview
from interviews.plan import CHECKLIST_REQUIRED_STAGES, STAGE_LABELS


class InterviewConflict(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "Someone else saved this interview while you were editing it. Your changes "
                "were not saved; reload the interview and enter them again."
            ),
            code="edit_conflict",
        )


def _validate(interview: Interview) -> None:
    errors = {}
    now = timezone.now()
    if interview.held_at and interview.held_at > now + timedelta(minutes=5):
        errors["held_at"] = _("An interview cannot be held in the future; plan it instead.")
    if interview.no_show and interview.report.strip():
        errors["report"] = _(
            "The person did not appear, so there is no report. Record what happened in the "
            "actions or agreements, or untick 'did not appear'."
        )
    if (
        interview.held_at
        and not interview.no_show
        and interview.stage in CHECKLIST_REQUIRED_STAGES
        and not interview.checklist_complete
    ):
        errors["check_medical"] = _(
            "A %(stage)s is a mandatory departure interview: record for medical circumstances, "
            "trafficking and hardship whether you checked them."
        ) % {"stage": str(STAGE_LABELS[interview.stage]).lower()}
    if not interview.held_at and not interview.planned_at and not interview.no_show:
        errors["held_at"] = _("Enter when the interview was held, or when it is planned.")
    if interview.interpreter_presence and not interview.interpreter_name.strip():
        errors["interpreter_name"] = _("Name the interpreter.")
    if interview.next_interview_on and interview.next_interview_on < timezone.localdate():
        errors["next_interview_on"] = _("The next interview cannot be in the past.")
    if errors:
        raise ValidationError(errors)


def _save_related(interview, case, *, attendees, obstacles, new_obstacle, actor):
    interview.attendees.all().delete()
    for role, user, name in attendees:
        Attendee.objects.create(interview=interview, role=role, user=user, name=name[:200])
    chosen = list(Obstacle.objects.filter(case=case, pk__in=[o.pk for o in obstacles]))
    if new_obstacle:
        chosen.append(case_services.add_obstacle(case, actor=actor, **new_obstacle))
    interview.obstacles_discussed.set(chosen)


@transaction.atomic
def log_interview(
    case: Case, *, actor, attendees=(), obstacles=(), new_obstacle=None, **fields
) -> Interview:
    """Log a held interview (or plan one) in one go: report, checklist, attendees, obstacles
    discussed and any new obstacle raised. The case's next interview is recomputed."""
    case_services._require_case_worker(actor, case)
    case_services._require_open(case)
    interview = Interview(case=case, created_by=actor, **fields)
    _validate(interview)
    interview.full_clean()
    interview.save()
    _save_related(
        interview,
        case,
        attendees=attendees,
        obstacles=obstacles,
        new_obstacle=new_obstacle,
        actor=actor,
    )
    case_services.refresh_derived(case)
    return interview


@transaction.atomic
def update_interview(
    interview: Interview,
    *,
    actor,
    version: int,
    attendees=(),
    obstacles=(),
    new_obstacle=None,
    **fields,
) -> Interview:
    case = interview.case
    case_services._require_case_worker(actor, case)
    current = Interview.objects.select_for_update().get(pk=interview.pk)
    if current.version != version:
        raise InterviewConflict()
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    _validate(current)
    current.full_clean()
    current.save()
    _save_related(
        current,
        case,
        attendees=attendees,
        obstacles=obstacles,
        new_obstacle=new_obstacle,
        actor=actor,
    )
    case_services.refresh_derived(case)
    return current


@transaction.atomic
def record_embassy_presentation(case: Case, *, actor, **fields) -> EmbassyPresentation:
    case_services._require_case_worker(actor, case)
    case_services._require_open(case)
    presentation = EmbassyPresentation(case=case, created_by=actor, **fields)
    if presentation.answer and not presentation.answered_on:
        presentation.answered_on = timezone.localdate()
    if not presentation.answer:
        presentation.answered_on = None
    if presentation.presented_on and presentation.presented_on > timezone.localdate():
        raise ValidationError({"presented_on": _("This date cannot be in the future.")})
    if presentation.embassy_id and presentation.embassy.kind != "embassy":
        raise ValidationError({"embassy": _("Choose an embassy or consulate.")})
    presentation.full_clean()
    presentation.save()
    # The embassy's answer is also the answer to the travel-document request it serves.
    request = presentation.travel_document_request
    if request is not None and presentation.answer and not request.answer:
        request.answer = presentation.answer
        request.answered_on = presentation.answered_on
        request.save()
    case_services.refresh_derived(case)
    return presentation
