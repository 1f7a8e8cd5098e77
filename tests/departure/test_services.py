import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, PhaseChange
from departure import services
from departure.models import (
    Advice,
    CourtReview,
    Departure,
    Measure,
    ReturnSupport,
    TravelDocumentRequest,
)
from dtv.audit.models import AuditEntry
from tests.cases.factories import CaseFactory
from tests.departure.factories import (
    AdviceFactory,
    EmbassyFactory,
    MeasureFactory,
    ReturnSupportFactory,
    TravelDocumentRequestFactory,
    issued_travel_document,
)

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


# ---- measures ----------------------------------------------------------------------------


def test_starting_a_vbl_stay_moves_an_obliged_case_to_the_vbl(make_case, officer):
    case = make_case(phase=Case.Phase.OBLIGED)
    measure = services.start_measure(
        case, actor=officer, type=Measure.Type.VBL, started_on=_today(), location="Ter Apel"
    )
    case.refresh_from_db()
    assert measure.created_by == officer
    assert case.phase == Case.Phase.VBL
    assert PhaseChange.objects.filter(case=case, to_phase=Case.Phase.VBL).exists()
    # auditlog keeps the change with the person's V-number.
    entry = AuditEntry.objects.get_for_object(measure).get()
    assert entry.additional_data["v_nummer"] == case.person.v_nummer


def test_a_reporting_duty_leaves_the_phase_alone(make_case, officer):
    case = make_case(phase=Case.Phase.OBLIGED)
    services.start_measure(
        case, actor=officer, type=Measure.Type.REPORTING_DUTY, started_on=_today()
    )
    case.refresh_from_db()
    assert case.phase == Case.Phase.OBLIGED


def test_one_current_measure_of_a_type(make_case, officer):
    case = make_case(phase=Case.Phase.OBLIGED)
    services.start_measure(case, actor=officer, type=Measure.Type.VBL, started_on=_today())
    with pytest.raises(ValidationError, match="current measure of this type"):
        services.start_measure(case, actor=officer, type=Measure.Type.VBL, started_on=_today())


def test_a_measure_cannot_start_in_the_future_except_the_end_of_reception(make_case, officer):
    case = make_case(phase=Case.Phase.OBLIGED)
    tomorrow = _today() + timedelta(days=1)
    with pytest.raises(ValidationError):
        services.start_measure(case, actor=officer, type=Measure.Type.VBL, started_on=tomorrow)
    ends = services.start_measure(
        case,
        actor=officer,
        type=Measure.Type.RECEPTION_END,
        started_on=_today() + timedelta(days=10),
        alternative_shelter=Measure.AlternativeShelter.MUNICIPAL,
    )
    assert ends.alternative_shelter == "municipal"


def test_alternative_shelter_belongs_to_the_end_of_reception(make_case, officer):
    case = make_case(phase=Case.Phase.OBLIGED)
    with pytest.raises(ValidationError):
        services.start_measure(
            case,
            actor=officer,
            type=Measure.Type.VBL,
            started_on=_today(),
            alternative_shelter=Measure.AlternativeShelter.LVV,
        )


def test_detention_extension_and_its_limit(make_case, officer):
    case = make_case(phase=Case.Phase.OBLIGED, opened_on=_today() - timedelta(days=300))
    start = _today() - timedelta(days=160)
    detention = services.start_measure(
        case,
        actor=officer,
        type=Measure.Type.DETENTION_59,
        started_on=start,
        location="DC Rotterdam",
    )
    case.refresh_from_db()
    assert case.phase == Case.Phase.DETENTION
    services.extend_detention(detention, actor=officer, extended_on=_today())
    detention.refresh_from_db()
    assert detention.extended_on == _today()
    with pytest.raises(ValidationError, match="18 months"):
        services.update_measure(
            detention, actor=officer, planned_end_on=start + timedelta(days=600)
        )


def test_only_detention_is_extended(make_case, officer):
    vbl = MeasureFactory(case=make_case(phase=Case.Phase.VBL))
    with pytest.raises(ValidationError):
        services.extend_detention(vbl, actor=officer, extended_on=_today())


def test_lto_decision_on_a_vbl_stay(make_case, officer):
    vbl = MeasureFactory(case=make_case(phase=Case.Phase.VBL))
    services.record_lto_decision(
        vbl, actor=officer, decision=Measure.LtoDecision.EXTEND, decided_on=_today()
    )
    vbl.refresh_from_db()
    assert vbl.lto_decision == "extend"
    with pytest.raises(ValidationError):
        services.update_measure(vbl, actor=officer, lto_decision="end", lto_decided_on=None)


def test_ending_a_measure(make_case, officer):
    vbl = MeasureFactory(case=make_case(phase=Case.Phase.VBL))
    services.end_measure(vbl, actor=officer, ended_on=_today(), end_reason="Vertrokken uit VBL")
    vbl.refresh_from_db()
    assert vbl.ended_on == _today()
    with pytest.raises(ValidationError, match="already ended"):
        services.end_measure(vbl, actor=officer, ended_on=_today())


def test_a_measure_cannot_end_before_it_started(make_case, officer):
    vbl = MeasureFactory(case=make_case(phase=Case.Phase.VBL))
    with pytest.raises(ValidationError):
        services.end_measure(vbl, actor=officer, ended_on=vbl.started_on - timedelta(days=1))


def test_court_reviews_belong_to_a_detention(make_case, officer):
    case = make_case(phase=Case.Phase.DETENTION)
    detention = MeasureFactory(
        case=case, type=Measure.Type.DETENTION_59, started_on=_today() - timedelta(days=30)
    )
    review = services.add_court_review(
        detention,
        actor=officer,
        reviewed_on=_today() - timedelta(days=2),
        court="Rechtbank Den Haag",
        lawful=False,
    )
    assert list(detention.court_reviews.all()) == [review]
    assert CourtReview.objects.get().created_by == officer
    with pytest.raises(ValidationError, match="precede"):
        services.add_court_review(
            detention, actor=officer, reviewed_on=detention.started_on - timedelta(days=1)
        )
    vbl = MeasureFactory(case=case, type=Measure.Type.VBL)
    with pytest.raises(ValidationError):
        services.add_court_review(vbl, actor=officer, reviewed_on=_today())


def test_an_officer_of_another_team_cannot_change_measures(make_case, outsider):
    case = make_case(phase=Case.Phase.OBLIGED)
    with pytest.raises(ValidationError, match="another team"):
        services.start_measure(case, actor=outsider, type=Measure.Type.VBL, started_on=_today())


# ---- departure ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        (Departure.Type.INDEPENDENT_PROVEN, Case.ClosureReason.INDEPENDENT_PROVEN),
        (Departure.Type.WITHOUT_SUPERVISION, Case.ClosureReason.WITHOUT_SUPERVISION),
        (Departure.Type.FORCED, Case.ClosureReason.FORCED),
        (Departure.Type.DUBLIN_TRANSFER, Case.ClosureReason.DUBLIN_TRANSFER),
    ],
)
def test_recording_a_departure_closes_the_case_with_its_reason(make_case, officer, kind, reason):
    case = make_case(phase=Case.Phase.OBLIGED)
    if kind == Departure.Type.FORCED:
        # The conditions of forced removal: in detention, with a valid travel document.
        MeasureFactory(case=case, type=Measure.Type.DETENTION_59, started_on=_today())
        issued_travel_document(case)
    departure = services.record_departure(
        case,
        actor=officer,
        type=kind,
        departed_on=_today(),
        destination="MA",
        confirmed_by=Departure.ConfirmedBy.KMAR,
    )
    case.refresh_from_db()
    assert case.is_closed
    assert case.closure_reason == reason
    assert case.closed_on == _today()
    assert case.term_ends_on is None
    assert departure.created_by == officer
    assert PhaseChange.objects.filter(case=case, to_phase=Case.Phase.CLOSED).count() == 1


def test_a_departure_ends_the_running_measures(make_case, officer):
    case = make_case(phase=Case.Phase.DETENTION)
    detention = MeasureFactory(
        case=case, type=Measure.Type.DETENTION_59, started_on=_today() - timedelta(days=30)
    )
    issued_travel_document(case)
    services.record_departure(
        case,
        actor=officer,
        type=Departure.Type.FORCED,
        departed_on=_today(),
        forced_from=Departure.ForcedFrom.DETENTION,
        escort=True,
    )
    detention.refresh_from_db()
    assert detention.ended_on == _today()


def test_a_second_departure_is_refused(make_case, officer):
    case = make_case(phase=Case.Phase.OBLIGED)
    services.record_departure(
        case, actor=officer, type=Departure.Type.WITHOUT_SUPERVISION, departed_on=_today()
    )
    with pytest.raises(ValidationError, match="already been recorded"):
        services.record_departure(
            case, actor=officer, type=Departure.Type.FORCED, departed_on=_today()
        )
    assert Departure.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"type": "independent_proven", "confirmed_by": ""},
        {"type": "without_supervision", "forced_from": "detention"},
        {"type": "independent_proven", "confirmed_by": "iom", "escort": True},
        {"type": "forced", "departed_on": "future"},
        {"type": "forced", "departed_on": "before_case"},
    ],
)
def test_departure_rules(make_case, officer, data):
    case = make_case(phase=Case.Phase.OBLIGED)
    data = dict(data)
    when = data.pop("departed_on", "today")
    departed_on = {
        "today": _today(),
        "future": _today() + timedelta(days=1),
        "before_case": case.opened_on - timedelta(days=1),
    }[when]
    with pytest.raises(ValidationError):
        services.record_departure(case, actor=officer, departed_on=departed_on, **data)
    case.refresh_from_db()
    assert not case.is_closed
    assert not Departure.objects.exists()


def test_a_closed_case_takes_no_departure(make_case, officer):
    case = make_case(
        phase=Case.Phase.CLOSED, closed_on=_today(), closure_reason=Case.ClosureReason.PERMIT
    )
    with pytest.raises(ValidationError):
        services.record_departure(
            case, actor=officer, type=Departure.Type.FORCED, departed_on=_today()
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_two_officers_recording_the_same_departure_exactly_one_succeeds(officer, colleague):
    case = CaseFactory(
        team=officer.team,
        officer=officer,
        phase=Case.Phase.OBLIGED,
        opened_on=_today() - timedelta(days=30),
    )
    outcomes = []
    barrier = threading.Barrier(2)

    def record(actor):
        try:
            barrier.wait()
            services.record_departure(
                Case.objects.get(pk=case.pk),
                actor=actor,
                type=Departure.Type.WITHOUT_SUPERVISION,
                departed_on=_today(),
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(user,)) for user in (officer, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Departure.objects.filter(case=case).count() == 1
    assert PhaseChange.objects.filter(case=case, to_phase=Case.Phase.CLOSED).count() == 1


# ---- return support ----------------------------------------------------------------------


def test_assisted_return_within_five_years_warns(make_case, officer):
    earlier = make_case()
    ReturnSupportFactory(
        case=earlier,
        applied_on=_today() - timedelta(days=400),
        decision=ReturnSupport.Decision.APPROVED,
        decided_on=_today() - timedelta(days=390),
    )
    case = make_case(person=earlier.person, phase=Case.Phase.OBLIGED)
    support, warning = services.apply_return_support(
        case, actor=officer, programme=ReturnSupport.Programme.REAN, applied_on=_today()
    )
    assert support.decision == ReturnSupport.Decision.PENDING
    assert earlier.reference in warning
    assert "5 years" in warning


def test_no_warning_without_earlier_approved_support(make_case, officer):
    earlier = make_case()
    ReturnSupportFactory(
        case=earlier,
        decision=ReturnSupport.Decision.REFUSED,
        decided_on=_today() - timedelta(days=10),
    )
    other_person = make_case()
    ReturnSupportFactory(
        case=other_person,
        decision=ReturnSupport.Decision.APPROVED,
        decided_on=_today() - timedelta(days=10),
    )
    case = make_case(person=earlier.person)
    _support, warning = services.apply_return_support(
        case, actor=officer, programme=ReturnSupport.Programme.REAN, applied_on=_today()
    )
    assert warning == ""


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_the_five_years_are_calendar_years(make_case, officer):
    earlier = make_case(opened_on=date(2020, 1, 1))
    ReturnSupportFactory(
        case=earlier,
        applied_on=date(2021, 2, 1),
        decision=ReturnSupport.Decision.APPROVED,
        decided_on=date(2021, 3, 1),
    )
    case = make_case(person=earlier.person, opened_on=date(2026, 1, 1))
    assert services.assisted_return_warning(case)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        assert services.assisted_return_warning(case) == ""


def test_deciding_return_support(make_case, officer):
    support = ReturnSupportFactory(case=make_case(phase=Case.Phase.OBLIGED))
    services.decide_return_support(
        support,
        actor=officer,
        decision=ReturnSupport.Decision.APPROVED,
        decided_on=_today(),
        in_kind_eur=Decimal("1800"),
        cash_eur=Decimal("300"),
    )
    support.refresh_from_db()
    assert (support.decision, support.cash_eur) == ("approved", Decimal("300.00"))
    with pytest.raises(ValidationError, match="already been decided"):
        services.decide_return_support(
            support,
            actor=officer,
            decision=ReturnSupport.Decision.REFUSED,
            decided_on=_today(),
            in_kind_eur=0,
            cash_eur=0,
        )


def test_a_refusal_pays_nothing(make_case, officer):
    support = ReturnSupportFactory(case=make_case(), in_kind_eur=Decimal(500))
    services.decide_return_support(
        support,
        actor=officer,
        decision=ReturnSupport.Decision.REFUSED,
        decided_on=_today(),
        in_kind_eur=Decimal(500),
        cash_eur=Decimal(40),
    )
    support.refresh_from_db()
    assert support.in_kind_eur == support.cash_eur == 0


# ---- travel documents --------------------------------------------------------------------


def test_requesting_and_answering_a_travel_document(make_case, officer):
    case = make_case(phase=Case.Phase.OBLIGED)
    embassy = EmbassyFactory()
    request = services.request_travel_document(
        case,
        actor=officer,
        document_type=TravelDocumentRequest.DocumentType.LP,
        embassy=embassy,
        ordered_on=_today() - timedelta(days=20),
        submitted_on=_today() - timedelta(days=15),
    )
    services.record_travel_document_answer(
        request,
        actor=officer,
        answer=TravelDocumentRequest.Answer.RECOGNISED,
        answered_on=_today(),
        issued_on=_today(),
        valid_until=_today() + timedelta(days=30),
    )
    request.refresh_from_db()
    assert request.answer == "recognised"
    assert request.valid_until == _today() + timedelta(days=30)


def test_only_a_recognition_issues_a_document(make_case, officer):
    request = TravelDocumentRequestFactory(case=make_case())
    with pytest.raises(ValidationError):
        services.record_travel_document_answer(
            request,
            actor=officer,
            answer=TravelDocumentRequest.Answer.NON_STATEMENT,
            answered_on=_today(),
            issued_on=_today(),
        )


def test_a_request_is_submitted_after_it_was_ordered(make_case, officer):
    with pytest.raises(ValidationError):
        services.request_travel_document(
            make_case(),
            actor=officer,
            document_type=TravelDocumentRequest.DocumentType.LP,
            ordered_on=_today(),
            submitted_on=_today() - timedelta(days=1),
        )


def test_an_answer_needs_a_submitted_request(make_case, officer):
    request = TravelDocumentRequestFactory(case=make_case(), submitted_on=None)
    with pytest.raises(ValidationError, match="submitted"):
        services.record_travel_document_answer(
            request,
            actor=officer,
            answer=TravelDocumentRequest.Answer.RECOGNISED,
            answered_on=_today(),
        )


# ---- advice ------------------------------------------------------------------------------


def test_advice_from_draft_to_sent_to_decided(make_case, officer):
    case = make_case(phase=Case.Phase.OBLIGED)
    advice = services.create_advice(
        case,
        actor=officer,
        type=Advice.Type.NO_FAULT,
        motivation="Werkt mee; land weigert.",
        requested_on=_today() - timedelta(days=3),
    )
    assert advice.status == Advice.Status.DRAFT
    services.send_advice(advice, actor=officer, sent_on=_today() - timedelta(days=2))
    with pytest.raises(ValidationError, match="already been sent"):
        services.send_advice(advice, actor=officer)
    services.record_advice_outcome(
        advice, actor=officer, decided_on=_today(), outcome="Buitenschuldvergunning verleend."
    )
    advice.refresh_from_db()
    assert advice.status == Advice.Status.DECIDED
    assert advice.decided_on == _today()


def test_advice_needs_a_motivation_and_an_outcome(make_case, officer):
    case = make_case()
    with pytest.raises(ValidationError):
        services.create_advice(case, actor=officer, type=Advice.Type.HARDSHIP, motivation=" ")
    advice = AdviceFactory(case=case, status=Advice.Status.SENT, sent_on=_today())
    with pytest.raises(ValidationError):
        services.record_advice_outcome(advice, actor=officer, decided_on=_today(), outcome="")


def test_nothing_changes_on_a_closed_case(make_case, officer):
    case = make_case(
        phase=Case.Phase.CLOSED, closed_on=_today(), closure_reason=Case.ClosureReason.OTHER
    )
    with pytest.raises(ValidationError, match="closed"):
        services.create_advice(case, actor=officer, type=Advice.Type.HARDSHIP, motivation="x")
    with pytest.raises(ValidationError, match="closed"):
        services.start_measure(case, actor=officer, type=Measure.Type.VBL, started_on=_today())


# ---- the system's transition -------------------------------------------------------------


def test_a_lapsed_term_moves_the_case_to_obliged_once_without_an_actor(make_case):
    case = make_case(term_lapsed_days_ago=2)
    assert services.mark_term_lapsed(case, today=_today()) is True
    assert services.mark_term_lapsed(case, today=_today()) is False
    case.refresh_from_db()
    assert case.phase == Case.Phase.OBLIGED
    change = PhaseChange.objects.get(case=case, to_phase=Case.Phase.OBLIGED)
    assert change.actor is None
    assert "lapsed" in change.reason


def test_lapsing_many_cases_audits_each_with_before_and_after(make_case):
    cases = [make_case(term_lapsed_days_ago=days) for days in (1, 3, 10)]
    ahead = make_case(term_lapsed_days_ago=-5)
    versions = {case.pk: case.version for case in cases}
    moved = services.mark_terms_lapsed([c.pk for c in [*cases, ahead]], today=_today())
    assert moved == 3
    for case in cases:
        case.refresh_from_db()
        assert case.phase == Case.Phase.OBLIGED
        assert case.version == versions[case.pk] + 1
        entry = AuditEntry.objects.filter(
            object_id=case.pk, kind=AuditEntry.Kind.CHANGE, changes__has_key="phase"
        ).get()
        assert entry.changes["phase"] == ["term_running", "obliged"]
        assert entry.v_nummer == case.person.v_nummer
        assert entry.actor is None
        assert PhaseChange.objects.filter(case=case, to_phase=Case.Phase.OBLIGED).count() == 1
    ahead.refresh_from_db()
    assert ahead.phase == Case.Phase.TERM_RUNNING
    # Once moved, a case is not moved (or audited) again.
    assert services.mark_terms_lapsed([c.pk for c in cases], today=_today()) == 0


def test_lapsing_costs_the_same_queries_for_5_or_50_cases(make_case):
    def lapse(count):
        ids = [make_case(term_lapsed_days_ago=2).pk for _ in range(count)]
        with CaptureQueriesContext(connection) as queries:
            assert services.mark_terms_lapsed(ids, today=_today()) == count
        return len(queries)

    assert lapse(5) == lapse(50)


def test_a_term_ending_today_has_not_lapsed(make_case):
    case = make_case(term_lapsed_days_ago=0)
    assert services.mark_term_lapsed(case, today=_today()) is False
