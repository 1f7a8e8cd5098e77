"""The reminder sweep: each rule, exactly once per (case, rule, date), e-mails once, catch-up
after an outage, escalation to the team lead, and concurrency on PostgreSQL."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, Cover
from departure import reminders
from departure.models import Measure
from dtv.notifications import services as notification_services
from dtv.notifications.models import Notification
from partners import reminders as partners_reminders
from tests.accounts.factories import OfficerFactory
from tests.departure.factories import MeasureFactory, TravelDocumentRequestFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
# A Friday; the Wednesday after it is three working days later.
FRIDAY = date(2026, 11, 27)


def at(day: date, hour: int = 9):
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMS)


def sweep(day: date):
    """One sweep as it runs on `day` (the clock is moved too: reminders are stamped with it)."""
    with time_machine.travel(at(day), tick=False):
        return reminders.send_due_reminders(today=day)


def keyed(case, rule):
    return Notification.objects.filter(case=case, rule=rule)


def test_the_sweep_twice_gives_one_notification_and_one_email_per_deadline(make_case, officer):
    case = make_case(today=FRIDAY, term_lapsed_days_ago=3)
    first = sweep(FRIDAY)
    second = sweep(FRIDAY)
    note = keyed(case, "term_lapsed").get()
    assert note.recipient == officer
    assert note.due_on == FRIDAY - timedelta(days=3)
    assert note.link.endswith("#deadlines")
    assert first["created"] >= 1
    assert second["created"] == 0
    assert second["emailed"] == 0
    # One e-mail per notification of the case, none from the second sweep.
    subjects = [m.subject for m in mail.outbox if case.reference in m.subject]
    assert len(subjects) == Notification.objects.filter(case=case).count()
    assert len(subjects) == len(set(subjects))


def test_a_lapsed_term_moves_the_case_to_obliged(make_case):
    case = make_case(today=FRIDAY, term_lapsed_days_ago=1)
    counts = sweep(FRIDAY)
    case.refresh_from_db()
    assert case.phase == Case.Phase.OBLIGED
    assert counts["lapsed"] == 1
    assert sweep(FRIDAY)["lapsed"] == 0


def test_the_term_warning_comes_a_week_before_the_end(make_case):
    case = make_case(today=FRIDAY, term_lapsed_days_ago=-6)
    sweep(FRIDAY)
    assert keyed(case, "term_warning").get().due_on == FRIDAY + timedelta(days=6)
    far = make_case(today=FRIDAY, term_lapsed_days_ago=-8)
    sweep(FRIDAY)
    assert not keyed(far, "term_warning").exists()


def test_a_term_ending_today_is_warned_about_not_lapsed(make_case):
    case = make_case(today=FRIDAY, term_lapsed_days_ago=0)
    sweep(FRIDAY)
    assert keyed(case, "term_warning").exists()
    assert not keyed(case, "term_lapsed").exists()
    sweep(FRIDAY + timedelta(days=1))
    assert keyed(case, "term_lapsed").get().due_on == FRIDAY


def test_a_sweep_after_an_outage_catches_up_within_the_window(make_case):
    # The sweep did not run for ten days: the lapse is still reminded, once.
    recent = make_case(today=FRIDAY, term_lapsed_days_ago=10)
    old = make_case(today=FRIDAY, term_lapsed_days_ago=reminders.CATCH_UP_DAYS + 1)
    sweep(FRIDAY)
    assert keyed(recent, "term_lapsed").count() == 1
    # Older than the catch-up window: shown on the case page, not pushed to the inbox.
    assert not keyed(old, "term_lapsed").exists()


def test_a_lapsed_term_with_an_outcome_is_not_reminded(make_case):
    case = make_case(today=FRIDAY, term_lapsed_days_ago=3, phase=Case.Phase.VBL)
    sweep(FRIDAY)
    assert not keyed(case, "term_lapsed").exists()


def test_closed_cases_get_no_reminders(make_case):
    case = make_case(
        today=FRIDAY,
        phase=Case.Phase.CLOSED,
        closed_on=FRIDAY,
        closure_reason=Case.ClosureReason.OTHER,
        next_interview_due_on=FRIDAY - timedelta(days=5),
    )
    sweep(FRIDAY)
    assert not Notification.objects.filter(case=case).exists()


def test_an_overdue_interview(make_case):
    case = make_case(today=FRIDAY, phase=Case.Phase.OBLIGED)
    case.next_interview_due_on = FRIDAY - timedelta(days=2)
    case.save(update_fields=["next_interview_due_on"])
    sweep(FRIDAY)
    sweep(FRIDAY + timedelta(days=1))
    assert keyed(case, "interview_overdue").get().due_on == FRIDAY - timedelta(days=2)


def test_vbl_week_10_and_week_12(make_case):
    case = make_case(today=FRIDAY, phase=Case.Phase.VBL)
    MeasureFactory(case=case, type=Measure.Type.VBL, started_on=FRIDAY - timedelta(weeks=10))
    sweep(FRIDAY)
    assert keyed(case, "vbl_week_10").get().due_on == FRIDAY
    assert not keyed(case, "vbl_week_12").exists()
    sweep(FRIDAY + timedelta(weeks=2))
    assert keyed(case, "vbl_week_12").get().due_on == FRIDAY + timedelta(weeks=2)
    assert keyed(case, "vbl_week_10").count() == 1


def test_a_decided_vbl_stay_and_the_family_location_are_not_reminded(make_case):
    decided = make_case(today=FRIDAY, phase=Case.Phase.VBL)
    MeasureFactory(
        case=decided,
        type=Measure.Type.VBL,
        started_on=FRIDAY - timedelta(weeks=12),
        lto_decision=Measure.LtoDecision.EXTEND,
        lto_decided_on=FRIDAY,
    )
    family = make_case(today=FRIDAY, phase=Case.Phase.VBL)
    MeasureFactory(
        case=family, type=Measure.Type.FAMILY_LOCATION, started_on=FRIDAY - timedelta(weeks=12)
    )
    sweep(FRIDAY)
    assert not Notification.objects.filter(
        case__in=[decided, family], rule__startswith="vbl_"
    ).exists()


def test_detention_month_5(make_case):
    case = make_case(today=FRIDAY, phase=Case.Phase.DETENTION)
    MeasureFactory(case=case, type=Measure.Type.DETENTION_59, started_on=date(2026, 6, 30))
    sweep(date(2026, 11, 29))
    assert not keyed(case, "detention_extension").exists()
    sweep(date(2026, 11, 30))
    assert keyed(case, "detention_extension").get().due_on == date(2026, 11, 30)


def test_an_extended_detention_is_not_reminded(make_case):
    case = make_case(today=FRIDAY, phase=Case.Phase.DETENTION)
    MeasureFactory(
        case=case,
        type=Measure.Type.DETENTION_59,
        started_on=date(2026, 6, 27),
        extended_on=date(2026, 11, 20),
    )
    sweep(FRIDAY)
    assert not keyed(case, "detention_extension").exists()


def test_travel_document_follow_ups_at_3_6_and_12_months(make_case):
    case = make_case(today=FRIDAY, phase=Case.Phase.OBLIGED, opened_on=date(2025, 1, 1))
    TravelDocumentRequestFactory(
        case=case, ordered_on=date(2025, 11, 20), submitted_on=date(2025, 11, 27)
    )
    answered = TravelDocumentRequestFactory(
        case=make_case(today=FRIDAY, opened_on=date(2025, 1, 1)),
        ordered_on=date(2026, 8, 20),
        submitted_on=date(2026, 8, 27),
        answer="non_statement",
        answered_on=date(2026, 9, 1),
    )
    sweep(FRIDAY)
    # 12 months after 27 Nov 2025 is today; the 3 and 6 month ones are past the catch-up window.
    assert keyed(case, "lp_followup_12").get().due_on == FRIDAY
    assert not keyed(case, "lp_followup_6").exists()
    assert not Notification.objects.filter(
        case=answered.case, rule__startswith="lp_followup"
    ).exists()


def test_travel_document_three_months(make_case):
    case = make_case(today=FRIDAY, phase=Case.Phase.OBLIGED)
    TravelDocumentRequestFactory(
        case=case, ordered_on=date(2026, 8, 20), submitted_on=date(2026, 8, 27)
    )
    sweep(FRIDAY)
    assert keyed(case, "lp_followup_3").get().due_on == FRIDAY


def test_lto_action_items_due_go_to_their_owner(make_case, officer, colleague):
    from partners.models import ActionItem
    from tests.partners.factories import ActionItemFactory, AgendaItemFactory

    case = make_case(today=FRIDAY, phase=Case.Phase.OBLIGED)
    item = AgendaItemFactory(case=case, meeting__chair=officer)
    due = ActionItemFactory(agenda_item=item, owner_user=colleague, due_on=FRIDAY)
    ActionItemFactory(agenda_item=item, owner_user=colleague, due_on=FRIDAY + timedelta(days=1))
    ActionItemFactory(
        agenda_item=item,
        owner_user=colleague,
        due_on=FRIDAY,
        status=ActionItem.Status.DONE,
        done_at=timezone.now(),
    )
    sweep(FRIDAY)
    notes = Notification.objects.filter(case=case, rule__startswith="action_item_")
    assert [(n.rule, n.recipient) for n in notes] == [(f"action_item_{due.pk}", colleague)]
    assert notes.get().link.endswith(f"/{due.pk}/")
    assert partners_reminders.action_item_reminders in reminders.RULES


def test_a_covering_colleague_gets_the_absent_officers_reminders(make_case, officer, colleague):
    Cover.objects.create(
        officer=officer,
        colleague=colleague,
        starts_on=FRIDAY - timedelta(days=1),
        ends_on=FRIDAY + timedelta(days=5),
    )
    case = make_case(today=FRIDAY, term_lapsed_days_ago=2)
    sweep(FRIDAY)
    assert keyed(case, "term_lapsed").get().recipient == colleague


def test_a_case_without_an_officer_reminds_the_team_lead(make_case, team_lead):
    case = make_case(today=FRIDAY, term_lapsed_days_ago=2, officer=None)
    sweep(FRIDAY)
    assert keyed(case, "term_lapsed").get().recipient == team_lead


def test_reassignment_does_not_repeat_a_reminder(make_case, colleague):
    case = make_case(today=FRIDAY, term_lapsed_days_ago=2)
    sweep(FRIDAY)
    case.officer = colleague
    case.save(update_fields=["officer"])
    sweep(FRIDAY)
    assert keyed(case, "term_lapsed").count() == 1


# ---- escalation --------------------------------------------------------------------------


def test_escalation_after_three_working_days_once(make_case, officer, team_lead):
    case = make_case(today=FRIDAY, term_lapsed_days_ago=3)
    sweep(FRIDAY)
    sweep(date(2026, 11, 28))  # Saturday
    sweep(date(2026, 12, 1))  # Tuesday: two working days
    assert not Notification.objects.filter(rule="term_lapsed_escalation").exists()
    sweep(date(2026, 12, 2))  # Wednesday: three working days
    sweep(date(2026, 12, 3))
    escalation = Notification.objects.get(rule="term_lapsed_escalation")
    assert escalation.recipient == team_lead
    assert escalation.case == case
    assert escalation.kind == Notification.Kind.ESCALATION
    assert escalation.due_on == case.term_ends_on
    reminder = keyed(case, "term_lapsed").get()
    assert reminder.escalated_at is not None and reminder.escalated_to == team_lead
    assert len([m for m in mail.outbox if m.to == [team_lead.email]]) == 1


def test_an_acknowledged_lapse_is_not_escalated(make_case, officer, team_lead):
    make_case(today=FRIDAY, term_lapsed_days_ago=3)
    sweep(FRIDAY)
    note = Notification.objects.get(rule="term_lapsed")
    with time_machine.travel(at(FRIDAY, 15), tick=False):
        notification_services.acknowledge(note, actor=officer)
    sweep(date(2026, 12, 10))
    assert not Notification.objects.filter(rule="term_lapsed_escalation").exists()


def test_a_snoozed_lapse_escalates_only_after_the_snooze(make_case, officer, team_lead):
    make_case(today=FRIDAY, term_lapsed_days_ago=3)
    sweep(FRIDAY)
    note = Notification.objects.get(rule="term_lapsed")
    with time_machine.travel(at(date(2026, 12, 1), 15), tick=False):
        notification_services.snooze(note, actor=officer, days=7, reason="Wacht op AVIM")
    sweep(date(2026, 12, 4))
    assert not Notification.objects.filter(rule="term_lapsed_escalation").exists()
    sweep(date(2026, 12, 9))
    assert Notification.objects.filter(rule="term_lapsed_escalation").count() == 1


def test_an_outcome_recorded_in_time_stops_the_escalation(make_case, team_lead):
    case = make_case(today=FRIDAY, term_lapsed_days_ago=3)
    sweep(FRIDAY)
    case.refresh_from_db()
    case.phase = Case.Phase.VBL
    case.save(update_fields=["phase"])
    sweep(date(2026, 12, 3))
    assert not Notification.objects.filter(rule="term_lapsed_escalation").exists()


def test_public_holidays_are_not_working_days(make_case, team_lead):
    # Sent on Wednesday 23 December: Christmas (25th, 26th) and the weekend do not count.
    wednesday = date(2026, 12, 23)
    make_case(today=wednesday, term_lapsed_days_ago=2)
    sweep(wednesday)
    sweep(date(2026, 12, 28))  # Thursday 24 and Monday 28: two working days
    assert not Notification.objects.filter(rule="term_lapsed_escalation").exists()
    sweep(date(2026, 12, 29))
    assert Notification.objects.filter(rule="term_lapsed_escalation").count() == 1


def test_the_grace_period_can_be_set_by_the_settings(make_case, team_lead, settings):
    # REMINDER_ESCALATION_WORKING_DAYS=0 in the environment gives this setting at start-up.
    settings.DTV_RULE_OVERRIDES = {"escalation_working_days": 0}
    make_case(today=FRIDAY, term_lapsed_days_ago=3)
    sweep(FRIDAY)
    assert Notification.objects.filter(rule="term_lapsed_escalation").count() == 1
    sweep(FRIDAY)
    assert Notification.objects.filter(rule="term_lapsed_escalation").count() == 1


def test_a_lead_reminded_personally_gets_no_escalation(make_case, team_lead):
    make_case(today=FRIDAY, term_lapsed_days_ago=3, officer=team_lead)
    sweep(FRIDAY)
    sweep(date(2026, 12, 3))
    assert not Notification.objects.filter(rule="term_lapsed_escalation").exists()
    assert Notification.objects.get(rule="term_lapsed").escalated_at is not None


# ---- scale and concurrency ---------------------------------------------------------------


def test_a_second_sweep_costs_the_same_queries_whatever_the_number_of_cases(make_case):
    for _ in range(5):
        make_case(today=FRIDAY, term_lapsed_days_ago=2)
    sweep(FRIDAY)
    with CaptureQueriesContext(connection) as small:
        sweep(FRIDAY)
    for _ in range(45):
        make_case(today=FRIDAY, term_lapsed_days_ago=2)
    sweep(FRIDAY)
    with CaptureQueriesContext(connection) as large:
        counts = sweep(FRIDAY)
    assert counts["created"] == 0
    assert len(large) == len(small)


def test_the_first_sweep_inserts_in_batches(make_case, monkeypatch):
    for _ in range(12):
        make_case(today=FRIDAY, term_lapsed_days_ago=2, phase=Case.Phase.OBLIGED)
    sweep(FRIDAY - timedelta(days=10))  # nothing due then
    monkeypatch.setattr(reminders, "BATCH", 5)
    with CaptureQueriesContext(connection) as queries:
        counts = sweep(FRIDAY)
    assert counts["by_rule"]["term_reminders"] == 12
    inserts = [
        q
        for q in queries
        if q["sql"].startswith("INSERT")
        and '"notifications_notification"' in q["sql"]
        and "term_lapsed" in q["sql"]
    ]
    assert len(inserts) == 3  # 5 + 5 + 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_two_concurrent_sweeps_make_one_notification_and_one_email(team):
    officer = OfficerFactory(team=team)
    today = timezone.localdate()
    from tests.cases.factories import CaseFactory, store_derived

    cases = []
    for _ in range(40):
        case = CaseFactory(
            team=team,
            officer=officer,
            phase=Case.Phase.TERM_RUNNING,
            opened_on=today - timedelta(days=60),
            decision_on=today - timedelta(days=30),
        )
        store_derived(case, today=today)
        cases.append(case)
    errors = []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            reminders.send_due_reminders(today=today)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for case in cases:
        assert keyed(case, "term_lapsed").count() == 1
        case.refresh_from_db()
        assert case.phase == Case.Phase.OBLIGED
        assert case.phase_changes.filter(to_phase=Case.Phase.OBLIGED).count() == 1
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == Notification.objects.count()
    assert len(subjects) == len(set(subjects))


# ---- task and command --------------------------------------------------------------------


def test_the_task_runs_the_sweep(make_case):
    from departure.tasks import send_due_reminders

    make_case(term_lapsed_days_ago=2)
    result = send_due_reminders.delay().get()
    assert result["created"] >= 1
    assert "by_rule" not in result


def test_the_task_retries_only_on_transient_database_errors():
    from django.db import InterfaceError, OperationalError

    from departure.tasks import send_due_reminders

    assert set(send_due_reminders.autoretry_for) == {OperationalError, InterfaceError}


def test_run_reminders_once(make_case, capsys):
    case = make_case(today=FRIDAY, term_lapsed_days_ago=2)
    with time_machine.travel(at(FRIDAY), tick=False):
        call_command("run_reminders", "--once", "--date", FRIDAY.isoformat())
    assert keyed(case, "term_lapsed").exists()
    assert "new" in capsys.readouterr().out


def test_run_reminders_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("run_reminders", "--once", "--date", "31-12-2026")
