"""Issue 23, points 2, 3 and 5 at the service: no text cut to fit, dates plausible against
the person and the case, one open obstacle per kind."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from cases import services
from cases.forms import CaseCreateForm
from cases.models import Obstacle, PhaseChange
from tests.cases.factories import CaseFactory, ObstacleFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def case(officer):
    person = PersonFactory(birth_date=date(2001, 3, 1))
    return CaseFactory(
        person=person, team=officer.team, officer=officer, opened_on=date(2025, 6, 1)
    )


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


# --- 23.5: one open obstacle per kind ---------------------------------------------------------


def test_a_second_open_obstacle_of_the_same_kind_is_refused(case, officer):
    first = services.add_obstacle(case, actor=officer, category="travel_document")
    services.update_obstacle(first, actor=officer, status="in_progress")
    errors = _errors(lambda: services.add_obstacle(case, actor=officer, category="travel_document"))
    assert (
        "already has an open obstacle “No travel document” (in progress since"
        in (errors["category"][0])
    )
    assert case.obstacles.count() == 1
    # Another kind, or "other", or once the first is resolved: fine.
    services.add_obstacle(case, actor=officer, category="identity")
    services.add_obstacle(case, actor=officer, category="other")
    services.add_obstacle(case, actor=officer, category="other")
    services.update_obstacle(first, actor=officer, status="resolved", resolution="Paspoort er.")
    services.add_obstacle(case, actor=officer, category="travel_document")


def test_reopening_a_resolved_obstacle_beside_an_open_one_is_refused(case, officer):
    old = ObstacleFactory(
        case=case, status="resolved", resolved_on=timezone.localdate(), resolution="Opgelost."
    )
    services.add_obstacle(case, actor=officer, category="travel_document")
    errors = _errors(lambda: services.update_obstacle(old, actor=officer, status="open"))
    assert "category" in errors


def test_the_database_refuses_a_duplicate_open_obstacle_too(case):
    ObstacleFactory(case=case, category="medical", status="open")
    with pytest.raises(IntegrityError), transaction.atomic():
        ObstacleFactory(case=case, category="medical", status="in_progress")


# --- 23.2: refused, never cut -----------------------------------------------------------------


def test_a_long_phase_reason_is_refused_not_cut(case, officer):
    case.phase = "obliged"
    case.save()
    with pytest.raises(ValidationError) as error:
        services.change_phase(case, actor=officer, to_phase="suspended", reason="r" * 600)
    assert error.value.messages == ["The reason can be at most 500 characters long; it is 600."]
    assert not PhaseChange.objects.filter(case=case).exists()


def test_a_long_alias_line_is_refused_by_the_form():
    form = CaseCreateForm(data={"aliases": "kort\n" + "a" * 250})
    form.is_valid()
    assert "at most 200 characters" in form.errors["aliases"][0]


def test_a_long_alias_is_refused_by_the_service(case, officer):
    with pytest.raises(ValidationError):
        services.update_person(case.person, actor=officer, case=case, aliases=["a" * 201])
    assert not case.person.aliases.exists()


# --- 23.3: plausible dates --------------------------------------------------------------------


def test_an_obstacle_cannot_predate_the_case_or_the_person(case, officer):
    errors = _errors(
        lambda: services.add_obstacle(
            case, actor=officer, category="medical", identified_on=date(2025, 5, 31)
        )
    )
    assert errors["identified_on"] == ["This date is before the case was opened (1 Jun 2025)."]


def test_a_procedure_may_predate_the_case_but_not_the_person(case, officer):
    services.add_procedure(case, actor=officer, type="appeal", filed_on=date(2024, 1, 10))
    errors = _errors(
        lambda: services.add_procedure(
            case, actor=officer, type="appeal", filed_on=date(1999, 1, 1)
        )
    )
    assert errors["filed_on"] == ["This date is before the person's date of birth (1 Mar 2001)."]
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors = _errors(
        lambda: services.add_procedure(case, actor=officer, type="appeal", filed_on=tomorrow)
    )
    assert errors["filed_on"] == ["This date cannot be in the future."]


def test_a_decision_before_birth_is_refused(case, officer):
    errors = _errors(
        lambda: services.update_case(
            case, actor=officer, version=case.version, decision_on=date(1990, 1, 1)
        )
    )
    assert "date of birth" in errors["decision_on"][0]


def test_the_obstacle_form_shows_the_date_error_at_its_field(officer_client, officer, case):
    from django.urls import reverse

    response = officer_client.post(
        reverse("cases:obstacle_add", args=[case.reference]),
        {"category": "identity", "status": "open", "identified_on": "1990-01-01"},
    )
    assert response.status_code == 200
    assert "identified_on" in response.context["form"].errors
    assert not Obstacle.objects.exists()
