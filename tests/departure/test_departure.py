import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from departure import reminders, services
from departure.models import Departure, Measure, ReturnSupport
from dtv.notifications.models import Notification
from tests.cases.factories import CaseFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


def _lapsed_case(officer, *, days_ago=3):
    """A case whose 28-day term from the decision lapsed `days_ago` days ago."""
    case = CaseFactory(
        team=officer.team,
        officer=officer,
        phase=Case.Phase.TERM_RUNNING,
        opened_on=TODAY - timedelta(days=60),
        decision_on=TODAY - timedelta(days=28 + days_ago),
    )
    from cases.services import refresh_derived

    refresh_derived(case, today=TODAY)
    case.refresh_from_db()
    return case


def test_term_end_is_derived_onto_the_case(officer):
    case = _lapsed_case(officer, days_ago=3)
    assert case.term_ends_on == TODAY - timedelta(days=3)


def test_a_suspensive_appeal_removes_the_stored_term(officer):
    case = _lapsed_case(officer)
    from cases import services as case_services

    case_services.add_procedure(
        case, actor=officer, type="appeal", filed_on=case.decision_on, suspensive=True
    )
    case.refresh_from_db()
    assert case.term_ends_on is None


@time_machine.travel(timezone.make_aware(timezone.datetime(2026, 11, 28, 9)), tick=False)
def test_sweep_notifies_once_and_emails_once(officer):
    case = _lapsed_case(officer)
    first = reminders.send_due_reminders(today=TODAY)
    second = reminders.send_due_reminders(today=TODAY)
    keyed = Notification.objects.filter(case=case, rule="term_lapsed")
    assert keyed.count() == 1
    assert keyed.get().recipient == officer
    assert first["created"] >= 1 and second["created"] == 0
    # One e-mail per notification of this case (the term and, here, the overdue intake),
    # and the second sweep sent none.
    emails = [m for m in mail.outbox if case.reference in m.subject]
    assert len(emails) == Notification.objects.filter(case=case).count()
    assert len([m for m in emails if "lapsed" in m.subject or "verstreken" in m.subject]) == 1
    case.refresh_from_db()
    assert case.phase == Case.Phase.OBLIGED


def test_term_warning_a_week_before(officer):
    case = CaseFactory(
        team=officer.team,
        officer=officer,
        phase=Case.Phase.TERM_RUNNING,
        decision_on=TODAY - timedelta(days=22),
        opened_on=TODAY - timedelta(days=30),
    )
    from cases.services import refresh_derived

    refresh_derived(case, today=TODAY)
    reminders.send_due_reminders(today=TODAY)
    note = Notification.objects.get(case=case, rule="term_warning")
    assert note.due_on == TODAY + timedelta(days=6)


def test_escalation_after_three_working_days_once(officer, team_lead):
    case = _lapsed_case(officer)
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 11, 27, 9)), tick=False):
        reminders.send_due_reminders(today=date(2026, 11, 27))
    assert not Notification.objects.filter(rule="term_lapsed_escalation").exists()
    # Friday + 3 working days = Wednesday.
    reminders.send_due_reminders(today=date(2026, 12, 1))
    assert not Notification.objects.filter(rule="term_lapsed_escalation").exists()
    reminders.send_due_reminders(today=date(2026, 12, 2))
    reminders.send_due_reminders(today=date(2026, 12, 3))
    escalation = Notification.objects.get(rule="term_lapsed_escalation")
    assert escalation.recipient == team_lead
    assert escalation.case == case
    assert escalation.kind == Notification.Kind.ESCALATION


def test_acknowledged_lapse_is_not_escalated(officer, team_lead):
    _lapsed_case(officer)
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 11, 27, 9)), tick=False):
        reminders.send_due_reminders(today=date(2026, 11, 27))
    Notification.objects.filter(rule="term_lapsed").update(acknowledged_at=timezone.now())
    reminders.send_due_reminders(today=date(2026, 12, 10))
    assert not Notification.objects.filter(rule="term_lapsed_escalation").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_two_concurrent_sweeps_make_one_notification(officer):
    cases = [_lapsed_case(officer) for _ in range(30)]
    errors = []
    barrier = threading.Barrier(2)

    def sweep():
        try:
            barrier.wait()
            reminders.send_due_reminders(today=TODAY)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for case in cases:
        assert Notification.objects.filter(case=case, rule="term_lapsed").count() == 1
    subjects = [m.subject for m in mail.outbox if "TK-" in m.subject]
    assert len(subjects) == len(set(subjects))


def test_recording_a_departure_closes_the_case(officer):
    case = CaseFactory(team=officer.team, officer=officer, phase=Case.Phase.OBLIGED)
    services.record_departure(
        case,
        actor=officer,
        type=Departure.Type.INDEPENDENT_PROVEN,
        departed_on=timezone.localdate(),
        confirmed_by="kmar",
    )
    case.refresh_from_db()
    assert case.is_closed
    assert case.closure_reason == Case.ClosureReason.INDEPENDENT_PROVEN
    with pytest.raises(ValidationError):
        services.record_departure(
            case, actor=officer, type=Departure.Type.FORCED, departed_on=timezone.localdate()
        )
    assert Departure.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_two_officers_recording_the_same_departure_one_succeeds(officer, colleague):
    case = CaseFactory(team=officer.team, officer=officer, phase=Case.Phase.OBLIGED)
    outcomes = []
    barrier = threading.Barrier(2)

    def record(actor):
        try:
            barrier.wait()
            services.record_departure(
                Case.objects.get(pk=case.pk),
                actor=actor,
                type=Departure.Type.WITHOUT_SUPERVISION,
                departed_on=timezone.localdate(),
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(u,)) for u in (officer, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Departure.objects.filter(case=case).count() == 1


def test_assisted_return_within_five_years_warns(officer):
    earlier = CaseFactory(team=officer.team, officer=officer)
    ReturnSupport.objects.create(
        case=earlier,
        programme="rean",
        applied_on=timezone.localdate() - timedelta(days=400),
        decision="approved",
        decided_on=timezone.localdate() - timedelta(days=390),
    )
    case = CaseFactory(team=officer.team, officer=officer, person=earlier.person)
    _support, warning = services.apply_return_support(
        case, actor=officer, programme="rean", applied_on=timezone.localdate()
    )
    assert warning


def test_vbl_week_10_reminder(officer):
    case = CaseFactory(team=officer.team, officer=officer, phase=Case.Phase.VBL)
    Measure.objects.create(case=case, type="vbl", started_on=TODAY - timedelta(weeks=10))
    reminders.send_due_reminders(today=TODAY)
    assert Notification.objects.filter(case=case, rule="vbl_week_10").count() == 1
    assert not Notification.objects.filter(case=case, rule="vbl_week_12").exists()


def test_departure_urls_404_for_another_team(client, officer, outsider):
    case = CaseFactory(team=officer.team, officer=officer)
    measure = Measure.objects.create(case=case, type="vbl", started_on=TODAY)
    ProcedureFactory(case=case)
    client.force_login(outsider)
    for name, args in [
        ("departure:record_departure", [case.reference]),
        ("departure:add_measure", [case.reference]),
        ("departure:edit_measure", [case.reference, measure.pk]),
        ("departure:add_court_review", [case.reference, measure.pk]),
        ("departure:add_return_support", [case.reference]),
        ("departure:add_travel_document", [case.reference]),
        ("departure:add_advice", [case.reference]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_record_departure_form(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer, phase=Case.Phase.OBLIGED)
    response = officer_client.post(
        reverse("departure:record_departure", args=[case.reference]),
        {"type": "forced", "departed_on": timezone.localdate().isoformat(), "destination": "MA"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.closure_reason == "forced"


def test_case_page_shows_deadlines_with_explanation(officer_client, officer):
    case = _lapsed_case(officer)
    response = officer_client.get(reverse("cases:detail", args=[case.reference]))
    assert "art. 62 Vw" in response.content.decode()
