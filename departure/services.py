"""Every change to departure records goes through a function here (atomic, audited through
the model registry, actor checked by the case services' rules)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Case, PhaseChange
from departure.models import (
    Advice,
    CourtReview,
    Departure,
    Measure,
    ReturnSupport,
    TravelDocumentRequest,
)

ASSISTED_RETURN_YEARS = 5


def _check(case: Case, actor) -> None:
    case_services._require_case_worker(actor, case)
    case_services._require_open(case)


def _not_future(value: date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: _("This date cannot be in the future.")})


@transaction.atomic
def start_measure(case: Case, *, actor, **data) -> Measure:
    _check(case, actor)
    _not_future(data.get("started_on"), "started_on")
    measure = Measure(case=case, created_by=actor, **data)
    measure.full_clean()
    measure.save()
    case_services.refresh_derived(case)
    return measure


@transaction.atomic
def update_measure(measure: Measure, *, actor, **data) -> Measure:
    _check(measure.case, actor)
    for name, value in data.items():
        setattr(measure, name, value)
    _not_future(measure.ended_on, "ended_on")
    measure.full_clean()
    measure.save()
    case_services.refresh_derived(measure.case)
    return measure


@transaction.atomic
def add_court_review(measure: Measure, *, actor, **data) -> CourtReview:
    _check(measure.case, actor)
    if not measure.is_detention:
        raise ValidationError(_("Court reviews belong to a detention measure."))
    review = CourtReview(measure=measure, **data)
    if review.reviewed_on and review.reviewed_on < measure.started_on:
        raise ValidationError({"reviewed_on": _("A review cannot precede the detention.")})
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def record_departure(case: Case, *, actor, **data) -> Departure:
    """Record that the person left; this closes the case. Two officers recording the same
    departure at once: the row lock and the one-to-one make exactly one succeed."""
    case_services._require_case_worker(actor, case)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.is_closed or Departure.objects.filter(case=locked).exists():
        raise ValidationError(_("A departure has already been recorded for this case."))
    _not_future(data.get("departed_on"), "departed_on")
    if data.get("departed_on") and data["departed_on"] < locked.opened_on:
        raise ValidationError({"departed_on": _("The departure cannot precede the case.")})
    departure = Departure(case=locked, created_by=actor, **data)
    departure.full_clean(exclude=["case"])
    try:
        with transaction.atomic():
            departure.save()
    except IntegrityError:
        raise ValidationError(_("A departure has already been recorded for this case.")) from None
    case_services.close_case(
        locked,
        actor=actor,
        closure_reason=Departure.CLOSURE[departure.type],
        closed_on=departure.departed_on,
        note=_("Departure recorded: %(type)s") % {"type": departure.get_type_display()},
    )
    case.refresh_from_db()
    return departure


def assisted_return_warning(case: Case, *, today=None) -> str:
    """A warning when the person had assisted return in the last five years (REAN rule)."""
    today = today or timezone.localdate()
    since = today - timedelta(days=365 * ASSISTED_RETURN_YEARS)
    earlier = (
        ReturnSupport.objects.filter(
            case__person=case.person, decision=ReturnSupport.Decision.APPROVED
        )
        .filter(decided_on__gte=since)
        .exclude(case=case)
        .order_by("-decided_on")
        .first()
    )
    if earlier is None:
        return ""
    return _(
        "This person received assisted return (%(programme)s) on %(date)s, less than five "
        "years ago: REAN support is normally not available again."
    ) % {"programme": earlier.get_programme_display(), "date": earlier.decided_on}


@transaction.atomic
def apply_return_support(case: Case, *, actor, **data) -> tuple[ReturnSupport, str]:
    _check(case, actor)
    _not_future(data.get("applied_on"), "applied_on")
    support = ReturnSupport(case=case, created_by=actor, **data)
    if support.decision != ReturnSupport.Decision.PENDING and support.decided_on is None:
        support.decided_on = timezone.localdate()
    support.full_clean()
    support.save()
    return support, assisted_return_warning(case)


@transaction.atomic
def request_travel_document(case: Case, *, actor, **data) -> TravelDocumentRequest:
    _check(case, actor)
    request = TravelDocumentRequest(case=case, created_by=actor, **data)
    _validate_travel_document(request)
    request.full_clean()
    request.save()
    case_services.refresh_derived(case)
    return request


@transaction.atomic
def update_travel_document(request: TravelDocumentRequest, *, actor, **data):
    _check(request.case, actor)
    for name, value in data.items():
        setattr(request, name, value)
    _validate_travel_document(request)
    request.full_clean()
    request.save()
    case_services.refresh_derived(request.case)
    return request


def _validate_travel_document(request: TravelDocumentRequest) -> None:
    if request.answer and request.answered_on is None:
        request.answered_on = timezone.localdate()
    if not request.answer:
        request.answered_on = None
    for field in ("ordered_on", "submitted_on", "answered_on", "issued_on"):
        _not_future(getattr(request, field), field)
    if request.submitted_on and request.submitted_on < request.ordered_on:
        raise ValidationError({"submitted_on": _("It cannot be submitted before it was ordered.")})


@transaction.atomic
def create_advice(case: Case, *, actor, **data) -> Advice:
    _check(case, actor)
    advice = Advice(case=case, created_by=actor, **data)
    if advice.status != Advice.Status.DRAFT and advice.sent_on is None:
        advice.sent_on = timezone.localdate()
    _not_future(advice.sent_on, "sent_on")
    advice.full_clean()
    advice.save()
    return advice


@transaction.atomic
def mark_term_lapsed(case: Case, *, today: date) -> bool:
    """The system moves a case whose departure term lapsed to 'obliged to leave', once."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    lapsing_phases = (Case.Phase.REGISTERED, Case.Phase.TERM_RUNNING, Case.Phase.PROCEDURE_PENDING)
    if locked.phase not in lapsing_phases or not locked.term_ends_on:
        return False
    if locked.term_ends_on >= today:
        return False
    PhaseChange.objects.create(
        case=locked,
        from_phase=locked.phase,
        to_phase=Case.Phase.OBLIGED,
        reason=_("Departure term lapsed on %(date)s") % {"date": locked.term_ends_on},
        actor=None,
    )
    locked.phase = Case.Phase.OBLIGED
    locked.version += 1
    locked.save(update_fields=["phase", "version", "updated_at"])
    return True
