"""A signal found in an interview's special-circumstances checklist shows on the person, and a
hardship signal proposes the hardship (schrijnendheid) advice to the IND."""

from datetime import timedelta

import pytest
from django.utils import timezone

from departure.models import Advice
from interviews import services as interview_services
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _log(case, officer, **checks):
    values = {"check_medical": "nothing", "check_trafficking": "nothing"}
    values.update(checks)
    return interview_services.log_interview(
        case,
        actor=officer,
        stage="post_ruling",
        held_at=timezone.now() - timedelta(hours=1),
        report="Signalen besproken.",
        **values,
    )


def test_a_hardship_signal_shows_on_the_person_and_proposes_the_advice(officer, officer_client):
    case = CaseFactory(team=officer.team, officer=officer)
    _log(case, officer, check_hardship="signal")
    case.person.refresh_from_db()
    assert case.person.hardship_signal
    advice = Advice.objects.get(case=case)
    assert (advice.type, advice.status, advice.created_by) == ("hardship", "draft", officer)
    assert advice.requested_on == timezone.localdate()
    assert advice.motivation
    page = officer_client.get(case.get_absolute_url()).content.decode()
    assert "Hardship signal" in page


def test_a_second_signal_does_not_propose_a_second_open_advice(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    _log(case, officer, check_hardship="signal")
    _log(case, officer, check_hardship="signal")
    assert Advice.objects.filter(case=case, type="hardship").count() == 1


def test_no_signal_no_advice_and_other_signals_show_on_the_person(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    _log(case, officer, check_hardship="nothing", check_medical="signal")
    case.person.refresh_from_db()
    assert case.person.medical_flag
    assert not case.person.hardship_signal
    assert not Advice.objects.filter(case=case).exists()


def test_a_planned_interview_updated_with_a_signal_proposes_the_advice(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    planned = interview_services.plan_interview(
        case, actor=officer, stage="progress", planned_at=timezone.now() + timedelta(days=1)
    )
    assert not Advice.objects.exists()
    interview_services.update_interview(
        planned,
        actor=officer,
        version=planned.version,
        held_at=timezone.now() - timedelta(hours=1),
        report="Signalen besproken.",
        check_medical="nothing",
        check_trafficking="nothing",
        check_hardship="signal",
    )
    assert Advice.objects.filter(case=case, type="hardship", status="draft").exists()
