from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cases import services
from cases.models import Case, Obstacle, Person, PhaseChange
from dtv.audit.models import AuditEntry
from tests.cases.factories import CaseFactory, ObstacleFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def _person(**overrides):
    values = {
        "v_nummer": "0123456789",
        "family_name": "El Amrani",
        "given_names": "Youssef",
        "birth_date": date(1994, 5, 17),
    }
    values.update(overrides)
    return services.PersonData(**values)


def _register(officer, **overrides):
    return services.register_case(
        _person(**overrides),
        actor=officer,
        nationalities=[("MA", "presumed")],
        languages=["ary"],
        aliases=["Youssef Amrani"],
        case_fields={"source": "ind", "category": "asylum"},
    )


def test_register_case_creates_person_case_and_audit(officer):
    with services.acting_as(officer):
        case = _register(officer)
    assert case.reference.startswith("TK-")
    assert case.team == officer.team
    assert case.officer == officer
    assert case.person.nationalities.get().country == "MA"
    assert "youssef amrani" in case.person.search_name
    entry = AuditEntry.objects.filter(kind="create", v_nummer="0123456789").first()
    assert entry is not None and entry.actor == officer


def test_register_refuses_existing_v_nummer(officer):
    _register(officer)
    with pytest.raises(services.DuplicateVNumber) as error:
        _register(officer, family_name="Someone")
    assert error.value.existing.v_nummer == "0123456789"
    assert Person.objects.count() == 1


def test_register_warns_on_same_name_birth_date_and_nationality(officer):
    _register(officer)
    with pytest.raises(services.PossibleDuplicate):
        _register(officer, v_nummer="0123456780")
    assert Case.objects.count() == 1
    services.register_case(
        _person(v_nummer="0123456780"),
        actor=officer,
        nationalities=[("MA", "presumed")],
        languages=[],
        aliases=[],
        case_fields={"source": "ind", "category": "asylum"},
        confirm_duplicate=True,
    )
    assert Case.objects.count() == 2


def test_allowed_phase_transition_is_recorded(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    # A factory row, not the service: the stored phase has not followed the appeal yet.
    ProcedureFactory(case=case, suspensive=True)
    services.change_phase(case, actor=officer, to_phase="procedure_pending", reason="Beroep")
    case.refresh_from_db()
    assert case.phase == "procedure_pending"
    change = PhaseChange.objects.get(case=case)
    assert (change.from_phase, change.to_phase, change.actor) == (
        "registered",
        "procedure_pending",
        officer,
    )


@pytest.mark.parametrize(
    ("start", "target"),
    [("registered", "vbl"), ("registered", "detention"), ("term_running", "registered")],
)
def test_forbidden_phase_transition_is_refused(officer, start, target):
    case = CaseFactory(team=officer.team, officer=officer, phase=start)
    with pytest.raises(ValidationError):
        services.change_phase(case, actor=officer, to_phase=target, reason="x")
    case.refresh_from_db()
    assert case.phase == start


def test_phase_change_needs_a_reason(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    with pytest.raises(ValidationError):
        services.change_phase(case, actor=officer, to_phase="procedure_pending", reason="  ")


def test_every_phase_but_closed_can_be_left():
    for phase in Case.Phase.values:
        if phase != Case.Phase.CLOSED:
            assert services.TRANSITIONS[phase], phase
    assert services.TRANSITIONS[Case.Phase.CLOSED] == set()


def test_close_case_once(officer, colleague):
    case = CaseFactory(team=officer.team, officer=officer, phase="obliged")
    services.close_case(
        case, actor=officer, closure_reason="without_supervision", closed_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as refused:
        services.close_case(
            case, actor=colleague, closure_reason="forced", closed_on=timezone.localdate()
        )
    assert refused.value.code == "already_closed"
    case.refresh_from_db()
    assert case.closure_reason == "without_supervision"


def test_closed_case_cannot_change(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    services.close_case(case, actor=officer, closure_reason="other", closed_on=case.opened_on)
    with pytest.raises(ValidationError):
        services.add_obstacle(case, actor=officer, category="identity")


def test_concurrent_edit_is_refused_and_first_kept(officer, colleague):
    case = CaseFactory(team=officer.team, officer=officer)
    first_view = Case.objects.get(pk=case.pk)
    second_view = Case.objects.get(pk=case.pk)
    first_view.departure_plan = "Plan A"
    services.update_case(first_view, actor=officer, version=1, departure_plan="Plan A")
    second_view.departure_plan = "Plan B"
    with translation.override("en"):
        with pytest.raises(services.EditConflict) as error:
            services.update_case(second_view, actor=colleague, version=1, departure_plan="Plan B")
        assert ("Departure plan", "Plan A", "Plan B") in [
            (str(a), b, c) for a, b, c in error.value.changes
        ]
    case.refresh_from_db()
    assert case.departure_plan == "Plan A"
    assert case.version == 2


def test_other_team_cannot_change_a_case(officer, outsider):
    case = CaseFactory(team=officer.team, officer=officer)
    with pytest.raises(ValidationError):
        services.add_note(case, actor=outsider, text="hello")


def test_obstacle_resolution_needs_text_and_sets_date(officer):
    obstacle = ObstacleFactory(case=CaseFactory(team=officer.team, officer=officer))
    with pytest.raises(ValidationError):
        services.update_obstacle(obstacle, actor=officer, status="resolved", resolution="")
    obstacle = Obstacle.objects.get(pk=obstacle.pk)
    services.update_obstacle(obstacle, actor=officer, status="resolved", resolution="Paspoort")
    obstacle.refresh_from_db()
    assert obstacle.resolved_on == timezone.localdate()


def test_change_is_audited_with_before_and_after(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    with services.acting_as(officer):
        services.update_case(case, actor=officer, version=1, departure_plan="Nieuw plan")
    entry = AuditEntry.objects.filter(
        kind="change", object_pk=str(case.pk), changes__has_key="departure_plan"
    ).get()
    assert entry.changes["departure_plan"] == ["", "Nieuw plan"]
    assert entry.actor == officer
    assert entry.v_nummer == case.person.v_nummer


def test_bulk_update_of_audited_models_is_impossible():
    with pytest.raises(PermissionError):
        Case.objects.all().update(departure_plan="x")
    with pytest.raises(PermissionError):
        Person.objects.all().delete()


def test_obstacle_dates_cannot_be_reversed(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    with pytest.raises(ValidationError):
        services.add_obstacle(
            case,
            actor=officer,
            category="identity",
            status="resolved",
            resolution="x",
            identified_on=timezone.localdate(),
            resolved_on=timezone.localdate() - timedelta(days=3),
        )


def test_a_reference_taken_in_the_database_or_the_batch_is_drawn_again(officer, monkeypatch):
    from cases import models as case_models

    existing = CaseFactory(team=officer.team)
    # The random source gives the taken reference first, then a free one.
    draws = iter([existing.reference, existing.reference, "TK-FREE2345", "TK-FREE2346"])
    monkeypatch.setattr(case_models, "new_reference", lambda: next(draws))
    one = Case(reference=case_models.new_reference(), team=officer.team)
    two = Case(reference=case_models.new_reference(), team=officer.team)
    case_models.give_unique_references([one, two])
    assert {one.reference, two.reference} == {"TK-FREE2345", "TK-FREE2346"}


def test_seeded_references_never_repeat_nor_meet_a_random_one():
    from cases.demo import reference_for

    references = {reference_for(index) for index in range(200_000)}
    assert len(references) == 200_000
    assert all(len(ref) == 11 and ref.startswith("TK-0") for ref in references)
    assert reference_for(32**7 - 1) not in references
    with pytest.raises(ValueError):
        reference_for(32**7)
