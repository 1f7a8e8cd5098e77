"""Every change to the departure records goes through a function here: atomic, the object
first, the actor as a keyword (checked by the case services' rules: a case worker of the case's
team, on an open case), a readable ValidationError when a rule is broken. auditlog records each
row change with before and after values. After a change to facts that move a deadline, the
case's stored deadline fields are refreshed."""

import copy
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases import access as case_access
from cases import registry
from cases import services as case_services
from cases.models import Case, CaseQuerySet, PhaseChange
from departure import deadlines, removal
from departure.dates import add_months
from departure.facts import case_facts
from departure.models import (
    Advice,
    CourtReview,
    Departure,
    EmbassyPresentation,
    Measure,
    ReturnSupport,
    TravelDocumentRequest,
)
from dtv import rules
from dtv.audit.services import audited_bulk_update

# An end of COA reception may be recorded ahead, up to this many days.
RECEPTION_END_AHEAD_DAYS = 366
# Phases in which the lapse of the departure term moves the case to "obliged to leave".
LAPSING_PHASES = (Case.Phase.REGISTERED, Case.Phase.TERM_RUNNING)


def _check(case: Case, actor) -> None:
    case_access.require_case_worker(actor, case)
    case_services.require_open(case)


def _today() -> date:
    return timezone.localdate()


def _not_future(value: date | None, field: str) -> None:
    if value is not None and value > _today():
        raise ValidationError({field: _("This date cannot be in the future.")})


def _not_before(value: date | None, earliest: date | None, field: str, message: str) -> None:
    if value is not None and earliest is not None and value < earliest:
        raise ValidationError({field: message})


def plausible_date(case: Case, values: dict, *, since_opening: bool = True) -> None:
    """Refuse dates that cannot be dates of this case (cases.services.implausible_date): none
    before the person's birth, and what happens within the case not before its opening. The
    error is keyed on the field, so the form shows it there."""
    errors = {}
    for name, value in values.items():
        message = case_services.implausible_date(case, value, since_opening=since_opening)
        if message:
            errors[name] = message
    if errors:
        raise ValidationError(errors)


def _save(obj, *, exclude=()) -> None:
    obj.full_clean(exclude=list(exclude))
    obj.save()


# ---- measures ----------------------------------------------------------------------------


MEASURE_DATES = ("started_on", "planned_end_on", "lto_decided_on", "extended_on", "ended_on")


def _plausible_measure(measure: Measure, names) -> None:
    # The end of COA reception may have been announced before the case was opened; whatever
    # else happens in a measure is the case's own.
    within_case = measure.type != Measure.Type.RECEPTION_END
    values = {name: getattr(measure, name) for name in names if name in MEASURE_DATES}
    if not within_case and "started_on" in values:
        plausible_date(measure.case, {"started_on": values.pop("started_on")}, since_opening=False)
    plausible_date(measure.case, values)


def _validate_measure(measure: Measure) -> None:
    if measure.type == Measure.Type.RECEPTION_END:
        # The end of reception is often announced: it may lie ahead, within a year.
        if measure.started_on and (measure.started_on - _today()).days > RECEPTION_END_AHEAD_DAYS:
            raise ValidationError({"started_on": _("Enter a date within the coming year.")})
    else:
        _not_future(measure.started_on, "started_on")
    for field in ("extended_on", "lto_decided_on", "ended_on"):
        _not_future(getattr(measure, field), field)
    if measure.is_detention and measure.started_on:
        # Detention lasts at most 18 months (6, extended by at most 12; the rules table).
        maximum = rules.rule("detention_max_months", on=measure.started_on)
        limit = maximum.add(measure.started_on)
        for field in ("planned_end_on", "ended_on"):
            value = getattr(measure, field)
            if value is not None and value > limit:
                raise ValidationError(
                    {
                        field: _(
                            "Detention lasts at most %(months)d months: it must end by %(date)s."
                        )
                        % {"months": maximum.value, "date": date_format(limit)}
                    }
                )
    if measure.type not in Measure.SHELTER and (measure.lto_decision or measure.lto_decided_on):
        raise ValidationError(_("An LTO decision belongs to a stay in a VBL, GL or HTL."))
    if measure.lto_decision and measure.lto_decided_on is None:
        raise ValidationError({"lto_decided_on": _("Enter the date of the LTO decision.")})
    if measure.lto_decided_on and not measure.lto_decision:
        raise ValidationError({"lto_decision": _("Choose the LTO decision.")})
    if measure.extended_on and not measure.is_detention:
        raise ValidationError(_("Only a detention is extended by a decision."))
    if measure.alternative_shelter and measure.type != Measure.Type.RECEPTION_END:
        raise ValidationError(
            {"alternative_shelter": _("Alternative shelter belongs to the end of reception.")}
        )


@transaction.atomic
def start_measure(
    case: Case,
    *,
    actor,
    type: str,  # noqa: A002 - the model's field name
    started_on: date,
    planned_end_on: date | None = None,
    location: str = "",
    alternative_shelter: str = "",
    decision: str = "",
) -> Measure:
    """Record a measure, shelter or the end of reception. A stay in the VBL/GL/HTL follows
    the departure term and is refused while it runs; the case's phase follows from the new
    facts (a stay: in VBL; a detention: in detention)."""
    _check(case, actor)
    measure = Measure(
        case=case,
        created_by=actor,
        type=type,
        started_on=started_on,
        planned_end_on=planned_end_on,
        location=location.strip(),
        alternative_shelter=alternative_shelter,
        decision=decision.strip(),
    )
    _plausible_measure(measure, MEASURE_DATES)
    _validate_measure(measure)
    if Measure.objects.filter(case=case, type=type, ended_on__isnull=True).exists():
        raise ValidationError(
            _("This case already has a current measure of this type; end it first.")
        )
    if type in Measure.SHELTER:
        _require_term_lapsed(case, started_on)
    _save(measure)
    case_services.refresh_derived(case, actor=actor)
    return measure


def _require_term_lapsed(case: Case, started_on: date) -> None:
    """A stay in a VBL, GL or HTL is an outcome of the obligation to leave: it starts once the
    departure term has lapsed (a 0-day term: from the decision day), never while it runs."""
    term = deadlines.departure_term(case_facts(Case.objects.get(pk=case.pk)))
    if term is None:
        raise ValidationError(
            _(
                "A stay in a VBL, GL or HTL follows the departure term, and no term has started: "
                "record the return decision, or the ruling on the appeal, first."
            ),
            code="term_not_started",
        )
    if started_on < term.lapses_on:
        raise ValidationError(
            {
                "started_on": _(
                    "The departure term runs until %(end)s: a stay in a VBL, GL or HTL can "
                    "start from %(from)s."
                )
                % {"end": date_format(term.due_on), "from": date_format(term.lapses_on)}
                if not term.immediate
                else _("A stay in a VBL, GL or HTL can start from %(from)s.")
                % {"from": date_format(term.lapses_on)}
            },
            code="term_running",
        )


@transaction.atomic
def update_measure(measure: Measure, *, actor, **data) -> Measure:
    """Correct or complete a measure: planned end, location, the LTO decision of a stay, the
    extension decision of a detention, the alternative shelter after reception."""
    _check(measure.case, actor)
    allowed = {
        "started_on",
        "planned_end_on",
        "location",
        "lto_decision",
        "lto_decided_on",
        "extended_on",
        "alternative_shelter",
        "decision",
    }
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(_("These facts cannot be changed here: %s") % ", ".join(unknown))
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    changed = [name for name, value in data.items() if getattr(measure, name) != value]
    for name, value in data.items():
        setattr(measure, name, value.strip() if isinstance(value, str) else value)
    # Only what is changed now: an earlier date stays correctable without retyping the rest.
    _plausible_measure(measure, changed)
    _validate_measure(measure)
    _save(measure)
    case_services.refresh_derived(measure.case, actor=actor)
    return measure


@transaction.atomic
def record_lto_decision(measure: Measure, *, actor, decision: str, decided_on: date, **extra):
    """The LTO's decision on a stay in the VBL at week 12: extend (with a new planned end) or
    end it."""
    return update_measure(
        measure, actor=actor, lto_decision=decision, lto_decided_on=decided_on, **extra
    )


@transaction.atomic
def extend_detention(measure: Measure, *, actor, extended_on: date, planned_end_on=None):
    """The extension decision, to be taken before six months of detention are up."""
    if not measure.is_detention:
        raise ValidationError(_("Only a detention is extended by a decision."))
    data = {"extended_on": extended_on}
    if planned_end_on is not None:
        data["planned_end_on"] = planned_end_on
    return update_measure(measure, actor=actor, **data)


@transaction.atomic
def end_measure(measure: Measure, *, actor, ended_on: date, end_reason: str = "") -> Measure:
    _check(measure.case, actor)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if measure.ended_on is not None:
        raise ValidationError(_("This measure has already ended."))
    _not_future(ended_on, "ended_on")
    plausible_date(measure.case, {"ended_on": ended_on})
    _not_before(ended_on, measure.started_on, "ended_on", _("It cannot end before it started."))
    measure.ended_on = ended_on
    measure.end_reason = end_reason.strip()
    _validate_measure(measure)
    _save(measure)
    case_services.refresh_derived(measure.case, actor=actor)
    return measure


@transaction.atomic
def add_court_review(
    measure: Measure,
    *,
    actor,
    reviewed_on: date,
    kind: str = CourtReview.Kind.INITIAL,
    court: str = "",
    lawful: bool = True,
    note: str = "",
) -> CourtReview:
    _check(measure.case, actor)
    if not measure.is_detention:
        raise ValidationError(_("Court reviews belong to a detention."))
    _not_future(reviewed_on, "reviewed_on")
    plausible_date(measure.case, {"reviewed_on": reviewed_on})
    _not_before(
        reviewed_on, measure.started_on, "reviewed_on", _("A review cannot precede the detention.")
    )
    if kind == CourtReview.Kind.EXTENSION and measure.extended_on is None:
        raise ValidationError(
            {"kind": _("Record the extension decision before its review by the court.")}
        )
    review = CourtReview(
        measure=measure,
        kind=kind,
        reviewed_on=reviewed_on,
        court=court.strip(),
        lawful=lawful,
        note=note.strip(),
        created_by=actor,
    )
    _save(review)
    return review


# ---- departure ---------------------------------------------------------------------------


@transaction.atomic
def record_departure(
    case: Case,
    *,
    actor,
    type: str,  # noqa: A002 - the model's field name
    departed_on: date,
    destination: str = "",
    confirmed_by: str = "",
    forced_from: str = "",
    escort: bool = False,
    remarks: str = "",
    journey_possible: bool = False,
) -> Departure:
    """Record that the person left; this closes the case with the matching closure reason. A
    forced departure needs every condition of forced removal (departure.removal) and is
    refused with the ones that fail. Of two officers recording a departure for the same case
    at once, exactly one succeeds: the row lock on the case serialises them, and the
    one-to-one key stops any other path."""
    case_access.require_case_worker(actor, case)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if Departure.objects.filter(case=locked).exists():
        raise ValidationError(
            _("A departure has already been recorded for this case."), code="already_departed"
        )
    if locked.is_closed:
        raise ValidationError(_("This case is closed; it can no longer be changed."))
    _not_future(departed_on, "departed_on")
    plausible_date(locked, {"departed_on": departed_on})
    if type == Departure.Type.INDEPENDENT_PROVEN and not confirmed_by:
        raise ValidationError(
            {
                "confirmed_by": _(
                    "A proven departure is confirmed by the KMar departure notice, IOM or "
                    "another source: say which."
                )
            }
        )
    if forced_from and type != Departure.Type.FORCED:
        raise ValidationError(
            {"forced_from": _("Only a forced departure is removed from a centre or prison.")}
        )
    if escort and type not in (Departure.Type.FORCED, Departure.Type.DUBLIN_TRANSFER):
        raise ValidationError(
            {"escort": _("An escort goes with a forced departure or a Dublin transfer only.")}
        )
    if type == Departure.Type.FORCED:
        refusals = removal.missing(
            removal.conditions(
                locked, on=departed_on, forced_from=forced_from, journey_possible=journey_possible
            )
        )
        if refusals:
            raise ValidationError(
                [_("A forced departure needs every condition of forced removal. Not met:")]
                + refusals,
                code="removal_conditions",
            )
    departure = Departure(
        case=locked,
        created_by=actor,
        type=type,
        departed_on=departed_on,
        destination=destination,
        confirmed_by=confirmed_by,
        forced_from=forced_from,
        escort=escort,
        remarks=remarks.strip(),
    )
    departure.full_clean(exclude=["case"])
    try:
        with transaction.atomic():
            departure.save()
    except IntegrityError:
        raise ValidationError(
            _("A departure has already been recorded for this case."), code="already_departed"
        ) from None
    # Measures that were running end with the departure.
    for measure in Measure.objects.select_for_update().filter(case=locked, ended_on__isnull=True):
        if measure.type == Measure.Type.RECEPTION_END:
            continue
        measure.ended_on = max(departed_on, measure.started_on)
        measure.end_reason = _("Departure")
        measure.save(update_fields=["ended_on", "end_reason"])
    case_services.close_case(
        locked,
        actor=actor,
        closure_reason=Departure.CLOSURE[type],
        closed_on=departed_on,
        note=_("Departure recorded: %(type)s") % {"type": departure.get_type_display()},
    )
    # A closed case has no running deadlines: its stored term end is cleared.
    case_services.refresh_derived(Case.objects.get(pk=locked.pk))
    case.refresh_from_db()
    return departure


@transaction.atomic
def record_household_departure(
    case: Case, *, actor, household_cases=(), **departure
) -> list[Departure]:
    """A household that left together, recorded once: the same departure for the case and
    for each chosen open case of its household members, in one transaction. Each case is
    closed and audited as record_departure does it; when one of them is refused (a forced
    departure whose conditions fail for one member), none is recorded, and the message names
    the case."""
    allowed = {c.pk: c for c in case_services.open_household_cases(case, user=actor)}
    wanted = {c.pk for c in household_cases or ()} - {case.pk}
    if wanted - set(allowed):
        raise ValidationError(
            {
                "household_cases": _(
                    "Choose only open cases of members of this household that your team works "
                    "on; record the departure of anyone else in their own case."
                )
            }
        )
    departures = [record_departure(case, actor=actor, **departure)]
    for pk in sorted(wanted):
        other = allowed[pk]
        try:
            departures.append(record_departure(other, actor=actor, **departure))
        except ValidationError as error:
            raise ValidationError(
                _(
                    "Nothing was recorded: the departure cannot be recorded for %(ref)s "
                    "(%(name)s): %(reason)s"
                )
                % {
                    "ref": other.reference,
                    "name": other.person.full_name,
                    "reason": " ".join(error.messages),
                },
                code="household_member_refused",
            ) from None
    return departures


# ---- IOM return support ------------------------------------------------------------------


def assisted_return_warning(case: Case, *, today: date | None = None) -> str:
    """A warning when the person had assisted return approved within the rules table's period
    (five years): REAN is then normally not available again (any approved support of the same
    person counts)."""
    today = today or _today()
    period = rules.rule("assisted_return_years", on=today)
    since = add_months(today, -12 * period.value)
    earlier = (
        ReturnSupport.objects.approved_for_person_since(case.person, since)
        .select_related("case")
        .order_by("-decided_on")
        .first()
    )
    if earlier is None:
        return ""
    return _(
        "This person had assisted return approved (%(programme)s, %(reference)s) on %(date)s, "
        "less than %(period)s ago: REAN support is normally not available again."
    ) % {
        "period": period.label(),
        "programme": earlier.get_programme_display(),
        "reference": earlier.case.reference,
        "date": date_format(earlier.decided_on),
    }


@transaction.atomic
def apply_return_support(
    case: Case,
    *,
    actor,
    programme: str,
    applied_on: date,
    in_kind_eur=0,
    cash_eur=0,
    reintegration_plan: str = "",
) -> tuple[ReturnSupport, str]:
    """Record an application for IOM return support. Returns the application and a warning
    (empty when none) if the person had assisted return in the last five years."""
    _check(case, actor)
    _not_future(applied_on, "applied_on")
    plausible_date(case, {"applied_on": applied_on})
    warning = assisted_return_warning(case)
    support = ReturnSupport(
        case=case,
        created_by=actor,
        programme=programme,
        applied_on=applied_on,
        in_kind_eur=in_kind_eur or 0,
        cash_eur=cash_eur or 0,
        reintegration_plan=reintegration_plan.strip(),
    )
    _save(support)
    return support, warning


@transaction.atomic
def decide_return_support(
    support: ReturnSupport, *, actor, decision: str, decided_on: date, in_kind_eur, cash_eur
) -> ReturnSupport:
    _check(support.case, actor)
    support = ReturnSupport.objects.select_for_update().get(pk=support.pk)
    if support.decision != ReturnSupport.Decision.PENDING:
        raise ValidationError(_("This application has already been decided."))
    if decision not in (ReturnSupport.Decision.APPROVED, ReturnSupport.Decision.REFUSED):
        raise ValidationError({"decision": _("Choose approved or refused.")})
    _not_future(decided_on, "decided_on")
    plausible_date(support.case, {"decided_on": decided_on})
    _not_before(
        decided_on,
        support.applied_on,
        "decided_on",
        _("The decision cannot precede the application."),
    )
    support.decision = decision
    support.decided_on = decided_on
    if decision == ReturnSupport.Decision.REFUSED:
        in_kind_eur = cash_eur = 0
    support.in_kind_eur = in_kind_eur
    support.cash_eur = cash_eur
    _save(support)
    return support


# ---- travel documents --------------------------------------------------------------------


TRAVEL_DOCUMENT_DATES = ("ordered_on", "submitted_on", "answered_on", "issued_on")


def _validate_travel_document(request: TravelDocumentRequest, changed=TRAVEL_DOCUMENT_DATES):
    for field in TRAVEL_DOCUMENT_DATES:
        _not_future(getattr(request, field), field)
    # Requested, answered and issued for this case: not before it was opened (only the dates
    # entered now, so an earlier record stays correctable). A validity runs ahead: unchecked.
    plausible_date(
        request.case,
        {name: getattr(request, name) for name in TRAVEL_DOCUMENT_DATES if name in changed},
    )
    _not_before(
        request.submitted_on,
        request.ordered_on,
        "submitted_on",
        _("It cannot be submitted before it was ordered."),
    )
    _not_before(
        request.answered_on,
        request.submitted_on or request.ordered_on,
        "answered_on",
        _("The answer cannot precede the request."),
    )
    if request.embassy_id and request.embassy.kind != "embassy":
        raise ValidationError({"embassy": _("Choose an embassy or consulate.")})


@transaction.atomic
def request_travel_document(
    case: Case,
    *,
    actor,
    document_type: str,
    ordered_on: date,
    embassy=None,
    submitted_on: date | None = None,
) -> TravelDocumentRequest:
    _check(case, actor)
    request = TravelDocumentRequest(
        case=case,
        created_by=actor,
        document_type=document_type,
        embassy=embassy,
        ordered_on=ordered_on,
        submitted_on=submitted_on,
    )
    _validate_travel_document(request)
    _save(request)
    case_services.refresh_derived(case, actor=actor)
    return request


@transaction.atomic
def update_travel_document(request: TravelDocumentRequest, *, actor, **data):
    """Correct the request itself (type, embassy, dates of ordering and submission)."""
    _check(request.case, actor)
    unknown = set(data) - {"document_type", "embassy", "ordered_on", "submitted_on"}
    if unknown:
        raise ValidationError(_("These facts cannot be changed here: %s") % ", ".join(unknown))
    request = TravelDocumentRequest.objects.select_for_update().get(pk=request.pk)
    changed = [name for name, value in data.items() if getattr(request, name) != value]
    for name, value in data.items():
        setattr(request, name, value)
    _validate_travel_document(request, changed)
    _save(request)
    case_services.refresh_derived(request.case, actor=actor)
    return request


@transaction.atomic
def record_travel_document_answer(
    request: TravelDocumentRequest,
    *,
    actor,
    answer: str,
    answered_on: date,
    issued_on: date | None = None,
    valid_until: date | None = None,
) -> TravelDocumentRequest:
    """The embassy's answer; with a recognition, the document's issue and validity dates. The
    follow-up reminders stop once a request is answered."""
    _check(request.case, actor)
    request = TravelDocumentRequest.objects.select_for_update().get(pk=request.pk)
    if answer not in TravelDocumentRequest.Answer.values or not answer:
        raise ValidationError({"answer": _("Choose the answer.")})
    if request.submitted_on is None and answer != TravelDocumentRequest.Answer.WITHDRAWN:
        raise ValidationError(
            _("Record when the request was submitted to the embassy before its answer.")
        )
    if (issued_on or valid_until) and answer not in TravelDocumentRequest.ISSUING:
        raise ValidationError(
            {"issued_on": _("A document is issued only after a recognition or hand-over.")}
        )
    if valid_until and not issued_on:
        raise ValidationError({"issued_on": _("Enter the date the document was issued.")})
    request.answer = answer
    request.answered_on = answered_on
    request.issued_on = issued_on
    request.valid_until = valid_until
    _validate_travel_document(request, ("answered_on", "issued_on"))
    _not_before(issued_on, answered_on, "issued_on", _("It cannot be issued before the answer."))
    _save(request)
    case_services.refresh_derived(request.case, actor=actor)
    return request


# ---- advice to the IND -------------------------------------------------------------------


@transaction.atomic
def create_advice(
    case: Case,
    *,
    actor,
    type: str,  # noqa: A002 - the model's field name
    motivation: str,
    requested_on: date | None = None,
) -> Advice:
    """A draft no-fault advice or a hardship or medical signal, with its motivation."""
    _check(case, actor)
    motivation = (motivation or "").strip()
    if not motivation:
        raise ValidationError({"motivation": _("Write the motivation.")})
    requested_on = requested_on or _today()
    _not_future(requested_on, "requested_on")
    plausible_date(case, {"requested_on": requested_on})
    advice = Advice(
        case=case,
        created_by=actor,
        type=type,
        requested_on=requested_on,
        motivation=motivation,
    )
    _save(advice)
    return advice


@transaction.atomic
def propose_hardship_advice(interview, *, actor, signals) -> Advice | None:
    """A hardship signal found in an interview proposes the hardship (schrijnendheid) advice:
    a draft for the officer to complete and send, unless one is already open for the case."""
    if "hardship" not in signals:
        return None
    case = interview.case
    open_advice = Advice.objects.filter(
        case=case,
        type=Advice.Type.HARDSHIP,
        status__in=[Advice.Status.DRAFT, Advice.Status.SENT],
    )
    if open_advice.exists():
        return None
    held = interview.held_at or timezone.now()
    day = timezone.localtime(held).date()
    return create_advice(
        case,
        actor=actor,
        type=Advice.Type.HARDSHIP,
        requested_on=min(day, _today()),
        motivation=_(
            "Hardship signal found in the interview of %(date)s (%(stage)s). Assess the "
            "circumstances and complete this advice before sending it to the IND."
        )
        % {"date": date_format(day), "stage": interview.get_stage_display()},
    )


@transaction.atomic
def send_advice(advice: Advice, *, actor, sent_on: date | None = None) -> Advice:
    _check(advice.case, actor)
    advice = Advice.objects.select_for_update().get(pk=advice.pk)
    if advice.status != Advice.Status.DRAFT:
        raise ValidationError(_("This advice has already been sent."))
    sent_on = sent_on or _today()
    _not_future(sent_on, "sent_on")
    plausible_date(advice.case, {"sent_on": sent_on})
    _not_before(
        sent_on, advice.requested_on, "sent_on", _("It cannot be sent before it was requested.")
    )
    advice.status = Advice.Status.SENT
    advice.sent_on = sent_on
    _save(advice)
    return advice


@transaction.atomic
def record_advice_outcome(advice: Advice, *, actor, decided_on: date, outcome: str) -> Advice:
    _check(advice.case, actor)
    advice = Advice.objects.select_for_update().get(pk=advice.pk)
    if advice.status != Advice.Status.SENT:
        raise ValidationError(_("Only advice that was sent to the IND gets its outcome."))
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Describe the outcome.")})
    _not_future(decided_on, "decided_on")
    plausible_date(advice.case, {"decided_on": decided_on})
    _not_before(
        decided_on, advice.sent_on, "decided_on", _("The decision cannot precede the advice.")
    )
    advice.status = Advice.Status.DECIDED
    advice.decided_on = decided_on
    advice.outcome = outcome
    _save(advice)
    return advice


# ---- the system's own transition ---------------------------------------------------------


def mark_term_lapsed(case: Case, *, today: date) -> bool:
    """The departure term lapsed: the system moves the case to "obliged to leave", once, with
    the reason on the phase history (actor: none, the system). cases.services.change_phase
    needs a case worker as the actor, so this is its own small transition."""
    return mark_terms_lapsed([case.pk], today=today) == 1


@transaction.atomic
def mark_terms_lapsed(case_ids, *, today: date) -> int:
    """mark_term_lapsed for many cases at once (the reminder sweep): the same checks under a
    row lock, a phase-history row each, the derived deadline fields recomputed for the new
    phase, one audit entry per case with before and after values, in a fixed number of
    queries per call. Returns how many cases moved."""
    cases = [
        case
        for case in Case.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(CaseQuerySet.term_lapsed_q(today), pk__in=list(case_ids), phase__in=LAPSING_PHASES)
        .order_by("pk")
        if Case.Phase.OBLIGED in case_services.TRANSITIONS.get(case.phase, set())
    ]
    if not cases:
        return 0
    registry.prefetch_for_derived(cases)
    now = timezone.now()
    history = []
    changed = []
    fields = {"phase", "version", "updated_at"}
    for case in cases:
        before = copy.copy(case)
        history.append(
            PhaseChange(
                case=case,
                from_phase=case.phase,
                to_phase=Case.Phase.OBLIGED,
                reason=(
                    (
                        _("Departure term lapsed on %(date)s (system)")
                        if case.departure_term_days
                        else _("0-day departure term from %(date)s (system)")
                    )
                    % {"date": date_format(case.term_ends_on)}
                )[:500],
                actor=None,
                at=now,
            )
        )
        case.phase = Case.Phase.OBLIGED
        case.version += 1
        case.updated_at = now
        # The next interview depends on the phase: the derived fields follow the change.
        for name, value in registry.derived_fields(case, today=today).items():
            if getattr(case, name) != value:
                setattr(case, name, value)
                fields.add(name)
        changed.append((before, case))
    PhaseChange.objects.bulk_create(history)
    audited_bulk_update(changed, sorted(fields))
    return len(cases)


# ---- embassy presentations ------------------------------------------------------------

PRESENTATION_FIELDS = frozenset(
    {
        "embassy",
        "travel_document_request",
        "presented_on",
        "mode",
        "accompanied_by",
        "answer",
        "answered_on",
        "feedback",
    }
)


def _validate_presentation(presentation: EmbassyPresentation) -> None:
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if presentation.embassy_id and presentation.embassy.kind != "embassy":
        errors["embassy"] = _("Choose an embassy or consulate.")
    if presentation.presented_on and presentation.presented_on > today:
        errors["presented_on"] = _("This date cannot be in the future.")
    if presentation.answered_on and presentation.answered_on > today:
        errors["answered_on"] = _("This date cannot be in the future.")
    for name in ("presented_on", "answered_on"):
        message = case_services.implausible_date(presentation.case, getattr(presentation, name))
        if message and name not in errors:
            errors[name] = message
    if (
        presentation.answered_on
        and presentation.presented_on
        and presentation.answered_on < presentation.presented_on
    ):
        errors["answered_on"] = _("The answer cannot be dated before the presentation.")
    request = presentation.travel_document_request
    if request is not None and request.case_id != presentation.case_id:
        errors["travel_document_request"] = _("Choose a travel-document request of this case.")
    if errors:
        raise ValidationError(errors)


def _answer_the_request(presentation: EmbassyPresentation, actor) -> None:
    # The embassy's answer at a presentation also answers the travel-document request it
    # serves, when that request was submitted and has no answer yet. It goes through that
    # request's service so its own rules and audit apply.
    request = presentation.travel_document_request
    if request is None or not presentation.answer:
        return
    request.refresh_from_db()
    if request.answer or request.submitted_on is None:
        return
    record_travel_document_answer(
        request,
        actor=actor,
        answer=presentation.answer,
        answered_on=max(presentation.answered_on, request.submitted_on),
    )


def _apply_answer_date(presentation: EmbassyPresentation) -> None:
    # An answer without a date is dated today; no answer means no date.
    if presentation.answer and not presentation.answered_on:
        presentation.answered_on = timezone.localdate()
    if not presentation.answer:
        presentation.answered_on = None


@transaction.atomic
def record_embassy_presentation(case: Case, *, actor, **fields) -> EmbassyPresentation:
    """A presentation at an embassy or consulate, with its answer when there is one. The
    travel-document request it serves gets that answer too when it has none yet."""
    case_access.require_case_worker(actor, case)
    case_services.require_open(case)
    unknown = set(fields) - PRESENTATION_FIELDS
    if unknown:
        raise ValidationError(_("These facts cannot be changed here: %s") % ", ".join(unknown))
    presentation = EmbassyPresentation(case=case, created_by=actor, **fields)
    _apply_answer_date(presentation)
    _validate_presentation(presentation)
    presentation.full_clean(exclude=["case", "created_by"])
    presentation.save()
    _answer_the_request(presentation, actor)
    case_services.refresh_derived(case)
    return presentation


@transaction.atomic
def update_embassy_presentation(
    presentation: EmbassyPresentation, *, actor, **fields
) -> EmbassyPresentation:
    """Correct a presentation or record the embassy's answer once it arrives."""
    case = presentation.case
    case_access.require_case_worker(actor, case)
    case_services.require_open(case)
    unknown = set(fields) - PRESENTATION_FIELDS
    if unknown:
        raise ValidationError(_("These facts cannot be changed here: %s") % ", ".join(unknown))
    current = EmbassyPresentation.objects.select_for_update().get(pk=presentation.pk)
    for name, value in fields.items():
        setattr(current, name, value)
    _apply_answer_date(current)
    _validate_presentation(current)
    current.full_clean(exclude=["case", "created_by"])
    current.save()
    _answer_the_request(current, actor)
    case_services.refresh_derived(case)
    return current
