"""Dates in the departure records are plausible against the person and the case: not before
the person's birth, not before the case was opened for what happens within the case, not in the
future for what has happened. Planned and expected dates may lie ahead."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from departure import services
from departure.models import Advice, Departure, Measure, ReturnSupport, TravelDocumentRequest
from tests.departure.factories import (
    AdviceFactory,
    MeasureFactory,
    ReturnSupportFactory,
    TravelDocumentRequestFactory,
)

pytestmark = pytest.mark.django_db

BORN = date(2001, 5, 4)
BEFORE_BIRTH = date(1901, 1, 1)


def _today():
    return timezone.localdate()


@pytest.fixture
def case(make_case):
    case = make_case(phase=Case.Phase.OBLIGED, opened_on=_today() - timedelta(days=90))
    case.person.birth_date = BORN
    case.person.save()
    return case


@pytest.fixture
def before_opening(case):
    return case.opened_on - timedelta(days=1)


def _refused(error, field, *, birth=False):
    message = " ".join(error.value.message_dict[field])
    expected = "date of birth" if birth else "before the case was opened"
    assert expected in message, message


# ---- measures ----------------------------------------------------------------------------


def test_a_measure_cannot_start_before_the_case_or_the_birth(case, officer, before_opening):
    for started_on, birth in ((before_opening, False), (BEFORE_BIRTH, True)):
        with pytest.raises(ValidationError) as error:
            services.start_measure(
                case, actor=officer, type=Measure.Type.REPORTING_DUTY, started_on=started_on
            )
        _refused(error, "started_on", birth=birth)
    assert not Measure.objects.filter(case=case).exists()


def test_a_begun_measure_cannot_start_in_the_future(case, officer):
    with pytest.raises(ValidationError) as error:
        services.start_measure(
            case,
            actor=officer,
            type=Measure.Type.REPORTING_DUTY,
            started_on=_today() + timedelta(days=1),
        )
    assert "started_on" in error.value.message_dict


def test_a_measure_with_plausible_dates_and_a_planned_end_ahead_is_accepted(case, officer):
    measure = services.start_measure(
        case,
        actor=officer,
        type=Measure.Type.DETENTION_59,
        started_on=case.opened_on,
        planned_end_on=_today() + timedelta(days=60),
    )
    assert measure.planned_end_on > _today()


def test_the_end_of_reception_may_precede_the_case_but_not_the_birth(case, officer, before_opening):
    measure = services.start_measure(
        case, actor=officer, type=Measure.Type.RECEPTION_END, started_on=before_opening
    )
    assert measure.started_on == before_opening
    measure.delete()
    with pytest.raises(ValidationError) as error:
        services.start_measure(
            case, actor=officer, type=Measure.Type.RECEPTION_END, started_on=BEFORE_BIRTH
        )
    _refused(error, "started_on", birth=True)


def test_a_correction_of_a_measure_is_checked_too(case, officer, before_opening):
    detention = MeasureFactory(case=case, type=Measure.Type.DETENTION_59, started_on=_today())
    with pytest.raises(ValidationError) as error:
        services.update_measure(detention, actor=officer, started_on=before_opening)
    _refused(error, "started_on")
    with pytest.raises(ValidationError) as error:
        services.extend_detention(detention, actor=officer, extended_on=BEFORE_BIRTH)
    _refused(error, "extended_on", birth=True)
    services.extend_detention(detention, actor=officer, extended_on=_today())
    detention.refresh_from_db()
    assert detention.extended_on == _today()


def test_an_unchanged_earlier_date_does_not_block_a_correction(case, officer, before_opening):
    # A record from before this rule keeps being correctable in its other fields.
    measure = MeasureFactory(case=case, type=Measure.Type.REPORTING_DUTY, started_on=before_opening)
    services.update_measure(
        measure, actor=officer, started_on=before_opening, location="Politiebureau Zwolle"
    )
    measure.refresh_from_db()
    assert measure.location == "Politiebureau Zwolle"


def test_a_measure_cannot_end_before_the_case(case, officer, before_opening):
    measure = MeasureFactory(case=case, type=Measure.Type.REPORTING_DUTY, started_on=before_opening)
    with pytest.raises(ValidationError) as error:
        services.end_measure(measure, actor=officer, ended_on=before_opening - timedelta(days=1))
    _refused(error, "ended_on")


def test_a_court_review_cannot_precede_the_birth(case, officer):
    detention = MeasureFactory(case=case, type=Measure.Type.DETENTION_59, started_on=BEFORE_BIRTH)
    with pytest.raises(ValidationError) as error:
        services.add_court_review(detention, actor=officer, reviewed_on=BEFORE_BIRTH)
    _refused(error, "reviewed_on", birth=True)
    review = services.add_court_review(detention, actor=officer, reviewed_on=_today())
    assert review.reviewed_on == _today()


# ---- departure ---------------------------------------------------------------------------


def test_a_departure_cannot_precede_the_case_or_the_birth_or_lie_ahead(
    case, officer, before_opening
):
    for departed_on, field_message in (
        (before_opening, "before the case was opened"),
        (BEFORE_BIRTH, "date of birth"),
        (_today() + timedelta(days=1), "future"),
    ):
        with pytest.raises(ValidationError) as error:
            services.record_departure(
                case,
                actor=officer,
                type=Departure.Type.WITHOUT_SUPERVISION,
                departed_on=departed_on,
            )
        assert field_message in " ".join(error.value.message_dict["departed_on"])
    departure = services.record_departure(
        case, actor=officer, type=Departure.Type.WITHOUT_SUPERVISION, departed_on=_today()
    )
    assert departure.departed_on == _today()


# ---- return support ----------------------------------------------------------------------


def test_return_support_dates_are_plausible(case, officer, before_opening):
    with pytest.raises(ValidationError) as error:
        services.apply_return_support(
            case, actor=officer, programme=ReturnSupport.Programme.REAN, applied_on=before_opening
        )
    _refused(error, "applied_on")
    support, _warning = services.apply_return_support(
        case, actor=officer, programme=ReturnSupport.Programme.REAN, applied_on=case.opened_on
    )
    assert support.applied_on == case.opened_on
    earlier = ReturnSupportFactory(case=case, applied_on=BEFORE_BIRTH)
    with pytest.raises(ValidationError) as error:
        services.decide_return_support(
            earlier,
            actor=officer,
            decision=ReturnSupport.Decision.REFUSED,
            decided_on=BEFORE_BIRTH,
            in_kind_eur=0,
            cash_eur=0,
        )
    _refused(error, "decided_on", birth=True)


# ---- travel documents --------------------------------------------------------------------


def test_a_travel_document_request_cannot_precede_the_case(case, officer, before_opening):
    for field, value, birth in (
        ("ordered_on", before_opening, False),
        ("submitted_on", BEFORE_BIRTH, True),
    ):
        dates = {"ordered_on": case.opened_on, field: value}
        with pytest.raises(ValidationError) as error:
            services.request_travel_document(
                case,
                actor=officer,
                document_type=TravelDocumentRequest.DocumentType.LP,
                **dates,
            )
        _refused(error, field, birth=birth)
    request = services.request_travel_document(
        case,
        actor=officer,
        document_type=TravelDocumentRequest.DocumentType.LP,
        ordered_on=case.opened_on,
    )
    with pytest.raises(ValidationError) as error:
        services.update_travel_document(request, actor=officer, ordered_on=before_opening)
    _refused(error, "ordered_on")


def test_an_answer_cannot_be_dated_implausibly_but_a_validity_runs_ahead(case, officer):
    request = TravelDocumentRequestFactory(
        case=case, ordered_on=case.opened_on, submitted_on=case.opened_on
    )
    answer = TravelDocumentRequest.ISSUING[0]
    with pytest.raises(ValidationError) as error:
        services.record_travel_document_answer(
            request,
            actor=officer,
            answer=answer,
            answered_on=_today(),
            issued_on=_today() + timedelta(days=1),
        )
    assert "issued_on" in error.value.message_dict
    answered = services.record_travel_document_answer(
        request,
        actor=officer,
        answer=answer,
        answered_on=_today(),
        issued_on=_today(),
        valid_until=_today() + timedelta(days=365),
    )
    assert answered.valid_until > _today()


# ---- advice ------------------------------------------------------------------------------


def test_advice_dates_are_plausible(case, officer, before_opening):
    with pytest.raises(ValidationError) as error:
        services.create_advice(
            case,
            actor=officer,
            type=Advice.Type.NO_FAULT,
            motivation="Geen reisdocument te verkrijgen.",
            requested_on=before_opening,
        )
    _refused(error, "requested_on")
    draft = AdviceFactory(case=case, requested_on=BEFORE_BIRTH)
    with pytest.raises(ValidationError) as error:
        services.send_advice(draft, actor=officer, sent_on=BEFORE_BIRTH)
    _refused(error, "sent_on", birth=True)
    sent = services.send_advice(draft, actor=officer, sent_on=_today())
    sent.sent_on = BEFORE_BIRTH
    sent.save()
    with pytest.raises(ValidationError) as error:
        services.record_advice_outcome(
            sent, actor=officer, decided_on=BEFORE_BIRTH, outcome="Afgewezen."
        )
    _refused(error, "decided_on", birth=True)


# ---- the form shows it at the field ------------------------------------------------------


def test_the_form_shows_an_implausible_date_at_its_field(officer_client, case, before_opening):
    response = officer_client.post(
        reverse("departure:add_return_support", args=[case.reference]),
        {
            "programme": "rean",
            "applied_on": before_opening.isoformat(),
            "in_kind_eur": "0",
            "cash_eur": "0",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "before the case was opened" in " ".join(form.errors["applied_on"])
    assert not ReturnSupport.objects.filter(case=case).exists()
