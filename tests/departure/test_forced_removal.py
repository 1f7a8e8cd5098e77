"""A forced departure is recorded only when the conditions of forced removal hold (DOMAIN.md
§2), and the refusal says which one is missing; the form lists them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import Case, Obstacle, Procedure
from departure import removal, services
from departure.models import Departure, Measure
from tests.cases.factories import ObstacleFactory, ProcedureFactory
from tests.departure.factories import MeasureFactory, issued_travel_document

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _forced(case, officer, **extra):
    with translation.override("en"):
        return services.record_departure(
            case,
            actor=officer,
            type=Departure.Type.FORCED,
            departed_on=_today(),
            forced_from=Departure.ForcedFrom.DETENTION,
            **extra,
        )


def _removable_case(make_case):
    case = make_case(phase=Case.Phase.DETENTION)
    MeasureFactory(
        case=case, type=Measure.Type.DETENTION_59, started_on=_today() - timedelta(days=20)
    )
    issued_travel_document(case)
    return case


def test_the_reported_case_is_refused_with_every_missing_condition(make_case, officer):
    # A pending suspensive appeal, no detention and no travel document (issue 19.4).
    case = make_case(phase=Case.Phase.OBLIGED)
    ProcedureFactory(case=case, type=Procedure.Type.APPEAL, suspensive=True)
    with pytest.raises(ValidationError) as refused:
        _forced(case, officer)
    text = " ".join(refused.value.messages)
    assert "Legally removable" in text and "suspensive effect is pending" in text
    assert "Available (in detention)" in text
    assert "A valid travel document" in text
    assert not Departure.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert not case.is_closed


def test_a_forced_departure_with_every_condition_is_recorded(make_case, officer):
    case = _removable_case(make_case)
    departure = _forced(case, officer)
    assert departure.type == Departure.Type.FORCED
    case.refresh_from_db()
    assert case.is_closed


def test_a_pending_criminal_case_blocks_removal_until_the_prosecutor_agrees(make_case, officer):
    case = _removable_case(make_case)
    obstacle = ObstacleFactory(case=case, category=Obstacle.Category.CRIMINAL)
    with pytest.raises(ValidationError, match="public prosecutor"):
        _forced(case, officer)
    obstacle.status = Obstacle.Status.RESOLVED
    obstacle.resolved_on = _today()
    obstacle.resolution = "OM stemt in met uitzetting"
    obstacle.save()
    assert _forced(case, officer).pk


def test_an_expired_travel_document_is_not_valid(make_case, officer):
    case = make_case(phase=Case.Phase.DETENTION)
    MeasureFactory(case=case, type=Measure.Type.DETENTION_59, started_on=_today())
    document = issued_travel_document(case)
    document.valid_until = _today() - timedelta(days=1)
    document.save()
    with pytest.raises(ValidationError, match="no travel document issued and valid"):
        _forced(case, officer)


def test_removal_from_prison_counts_as_available(make_case, officer):
    case = make_case(phase=Case.Phase.OBLIGED)
    issued_travel_document(case)
    with translation.override("en"):
        departure = services.record_departure(
            case,
            actor=officer,
            type=Departure.Type.FORCED,
            departed_on=_today(),
            forced_from=Departure.ForcedFrom.PRISON,
        )
    assert departure.forced_from == "prison"


def test_other_departures_need_no_removal_conditions(make_case, officer):
    case = make_case(phase=Case.Phase.OBLIGED)
    ProcedureFactory(case=case, type=Procedure.Type.APPEAL, suspensive=True)
    services.record_departure(
        case, actor=officer, type=Departure.Type.WITHOUT_SUPERVISION, departed_on=_today()
    )
    assert Departure.objects.filter(case=case).exists()


def test_the_unconfirmed_fourth_condition_is_checked_only_when_switched_on(
    make_case, officer, monkeypatch
):
    case = _removable_case(make_case)
    monkeypatch.setattr(removal, "CHECK_JOURNEY", True)
    with pytest.raises(ValidationError, match="unconfirmed condition"):
        _forced(case, officer)
    assert _forced(case, officer, journey_possible=True).pk


def test_the_form_lists_the_conditions_and_shows_the_refusal(officer_client, make_case):
    case = make_case(phase=Case.Phase.OBLIGED)
    target = reverse("departure:record_departure", args=[case.reference])
    page = officer_client.get(target).content.decode()
    assert "A forced departure needs every condition of forced removal" in page
    assert "no detention on" in page
    response = officer_client.post(
        target,
        {
            "type": "forced",
            "departed_on": _today().isoformat(),
            "destination": "MA",
            "confirmed_by": "kmar",
            "forced_from": "detention",
            "confirmed": "1",
        },
    )
    assert response.status_code == 200
    assert "Not met:" in response.content.decode()
    assert not Departure.objects.filter(case=case).exists()
