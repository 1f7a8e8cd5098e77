"""The rules table (dtv/rules.py): every rule has a source and validity dates, a case is judged
by the version in force on the date that matters for it, the return border procedure and the
Dublin III / AMMR transfer periods, and settings that override a rule fail loudly."""

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse

from cases import services as case_services
from cases.models import Case
from departure import deadlines, reminders
from departure.deadlines import CaseFacts
from departure.facts import case_facts
from departure.phase import phase_from_facts
from dtv import rules
from dtv.notifications.models import Notification
from tests.cases.factories import CaseFactory

ROOT = Path(__file__).resolve().parents[2]
AMS = ZoneInfo("Europe/Amsterdam")


def by_rule(facts):
    return {d.rule: d for d in deadlines.compute_deadlines(facts)}


def at(day: date):
    return datetime(day.year, day.month, day.day, 9, tzinfo=AMS)


# ---- the table ---------------------------------------------------------------------------


def test_every_rule_has_a_source_a_unit_and_a_start():
    for rule in rules.TABLE:
        assert rule.source.strip(), rule.key
        assert rule.unit in rules.UNITS
        assert rule.valid_from is not None


def test_versions_of_a_rule_never_overlap_and_leave_no_gap():
    for key in rules.KEYS:
        found = rules.versions(key)
        for earlier, later in zip(found, found[1:], strict=False):
            assert earlier.valid_to is not None, key
            assert (later.valid_from - earlier.valid_to).days == 1, key


def test_the_transfer_period_is_dublin_iii_before_1_july_2026_and_the_ammr_from_then_on():
    assert rules.rule("transfer_months", on=date(2026, 6, 30)).source == (
        "Dublin III art. 29 lid 1"
    )
    assert rules.rule("transfer_months", on=date(2026, 7, 1)).source == "AMMR art. 46 lid 1"
    assert deadlines.transfer_regime(date(2026, 6, 30)) == "Dublin III"
    assert deadlines.transfer_regime(date(2026, 7, 1)) == "AMMR"


def test_a_pact_rule_is_not_in_force_before_the_pact_applies():
    with pytest.raises(rules.RuleNotInForce):
        rules.rule("border_max_weeks", on=date(2026, 6, 11))
    assert rules.value("border_max_weeks", on=date(2026, 6, 12)) == 12


def test_the_numbers_with_legal_meaning():
    on = date(2026, 8, 1)
    assert rules.value("appeal_days", on=on) == 28
    assert rules.value("appeal_days_accelerated", on=on) == 7
    assert rules.value("departure_term_days", on=on) == 28
    assert rules.value("border_max_weeks", on=on) == 12
    assert rules.value("border_voluntary_max_days", on=on) == 15
    assert rules.value("border_crisis_max_weeks", on=on) == 6
    assert rules.value("transfer_months", on=on) == 6
    assert rules.value("transfer_imprisoned_months", on=on) == 12
    assert rules.value("transfer_absconded_months", on=date(2026, 6, 1)) == 18
    assert rules.value("transfer_detained_request", on=on) == 2  # weeks, AMMR art. 45
    assert rules.value("transfer_detained_reply", on=on) == 1


def test_the_interview_plan_reads_its_cadence_from_the_table():
    from interviews.plan import PLAN_INTERVALS

    assert PLAN_INTERVALS["intake"] == rules.days("interview_intake_days") == 14
    assert PLAN_INTERVALS["progress"]["border"] == 14
    assert PLAN_INTERVALS["progress"]["registered"] == 8 * 7


def test_labels_format_the_rules_value(settings):
    from partners.models import AgendaItem

    assert str(AgendaItem.Reason.TERM_ENDING.label) == "Departure term ends within 14 days"
    settings.DTV_RULE_OVERRIDES = {"term_ending_soon_days": 10}
    assert str(AgendaItem.Reason.TERM_ENDING.label) == "Departure term ends within 10 days"
    assert deadlines.label_for("term_warning") == "Departure term ends in 7 days"


# ---- overrides from the settings -----------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "appeal_days=soon",
        "no_such_rule=3",
        "appeal_days",
        "appeal_days=-1",
        "travel_document_followup_months=3",
    ],
)
def test_a_malformed_override_is_refused(raw):
    with pytest.raises(ImproperlyConfigured):
        rules.parse_overrides(raw)


def test_an_override_replaces_the_value_in_every_version():
    assert rules.parse_overrides(" appeal_days = 21 ,term_warning_days=10") == {
        "appeal_days": 21,
        "term_warning_days": 10,
    }
    assert rules.parse_overrides("", escalation=0) == {"escalation_working_days": 0}


@pytest.mark.parametrize(
    "variable, value",
    [("REMINDER_ESCALATION_WORKING_DAYS", "three"), ("RULE_OVERRIDES", "appeal_days=four")],
)
def test_the_application_does_not_start_with_a_malformed_rule_setting(variable, value):
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "dtv.settings", variable: value}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_the_escalation_grace_follows_the_override(settings):
    assert reminders.escalation_working_days() == 3
    settings.DTV_RULE_OVERRIDES = {"escalation_working_days": 0}
    assert reminders.escalation_working_days() == 0


# ---- the return border procedure -----------------------------------------------------------


BORDER = CaseFacts(
    decision_on=date(2026, 7, 20),
    border_procedure=True,
    right_to_remain_ended_on=date(2026, 8, 1),
    border_voluntary_days=15,
)


def test_the_border_procedure_lasts_12_weeks_from_the_end_of_the_right_to_remain():
    found = by_rule(BORDER)
    end = found["border_end"]
    assert end.due_on == date(2026, 10, 24)
    assert "Reg. 2024/1349 art. 4 lid 1" in end.explanation
    assert end.legal_basis == "Reg. 2024/1349 art. 4 lid 1"
    assert found["border_warning"].due_on == date(2026, 10, 10)
    # The national appeal window and 28-day term give way to the voluntary departure period.
    assert "appeal_window" not in found
    term = found["term_end"]
    assert term.due_on == date(2026, 8, 16)
    assert term.legal_basis == "Reg. 2024/1349 art. 4 lid 3"


def test_a_declared_crisis_extends_by_at_most_6_weeks():
    crisis = by_rule(replace(BORDER, crisis_extension_weeks=6))["border_end"]
    assert crisis.due_on == date(2026, 12, 5)
    assert "Reg. 2024/1359 art. 5 lid 1" in crisis.explanation
    capped = by_rule(replace(BORDER, crisis_extension_weeks=9))["border_end"]
    assert capped.due_on == date(2026, 12, 5)


def test_no_voluntary_departure_period_means_obliged_from_the_end_of_the_right_to_remain():
    term = by_rule(replace(BORDER, border_voluntary_days=0))["term_end"]
    assert term.immediate and term.due_on == date(2026, 8, 1)


def test_a_right_to_remain_that_ended_before_the_pact_keeps_the_national_rules():
    old = replace(BORDER, right_to_remain_ended_on=date(2026, 6, 1))
    found = by_rule(old)
    assert "border_end" not in found
    assert found["term_end"].legal_basis == "Vw 2000 art. 62 lid 1"


def test_the_border_procedure_is_its_own_phase_until_its_maximum():
    assert phase_from_facts(BORDER, today=date(2026, 9, 1)).phase == Case.Phase.BORDER
    assert phase_from_facts(BORDER, today=date(2026, 10, 24)).phase == Case.Phase.BORDER
    assert phase_from_facts(BORDER, today=date(2026, 10, 25)).phase == Case.Phase.OBLIGED


def test_detention_in_the_border_procedure_ends_with_it_and_is_reviewed():
    detained = by_rule(replace(BORDER, detention_start=date(2026, 8, 2)))
    assert detained["border_detention_max"].due_on == date(2026, 10, 24)
    assert "detention_max" not in detained  # not the 18 months of art. 59 Vw
    assert "detention_extension" not in detained
    assert detained["detention_court_review"].due_on == date(2026, 9, 13)


def test_the_sweep_reminds_before_the_border_procedure_runs_out(make_case, officer):
    case = make_case(
        today=date(2026, 10, 10),
        decision_on=date(2026, 7, 20),
        border_procedure=True,
        right_to_remain_ended_on=date(2026, 8, 1),
        border_voluntary_days=15,
        phase=Case.Phase.BORDER,
    )
    for day in (date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 11)):
        with time_machine.travel(at(day), tick=False):
            reminders.send_due_reminders(today=day)
    notes = Notification.objects.filter(case=case, rule="border_warning")
    assert notes.count() == 1
    note = notes.get()
    assert note.due_on == date(2026, 10, 10) and note.recipient == officer
    assert "24 Oct" in note.title or "October 24" in note.title or "24" in note.title


# ---- transfers: Dublin III and the AMMR ----------------------------------------------------


AMMR = CaseFacts(
    decision_on=None,
    application_registered_on=date(2026, 7, 10),
    transfer_accepted_on=date(2026, 8, 3),
)


def test_an_ammr_transfer_is_due_six_months_after_acceptance():
    transfer = by_rule(AMMR)["transfer"]
    assert transfer.due_on == date(2027, 2, 3)
    assert transfer.legal_basis == "AMMR art. 46 lid 1"
    assert transfer.explanation.startswith("AMMR art. 46 lid 1: transfer within 6 months of")
    assert "acceptance" in transfer.explanation


def test_a_dublin_iii_transfer_for_an_application_registered_before_1_july_2026():
    dublin = by_rule(replace(AMMR, application_registered_on=date(2026, 6, 30)))["transfer"]
    assert dublin.due_on == date(2027, 2, 3)
    assert dublin.legal_basis == "Dublin III art. 29 lid 1"


def test_the_period_runs_from_the_final_appeal_decision_when_there_is_one():
    appealed = by_rule(replace(AMMR, transfer_appeal_final_on=date(2026, 9, 15)))["transfer"]
    assert appealed.due_on == date(2027, 3, 15)
    assert "final appeal decision" in appealed.explanation


@pytest.mark.parametrize(
    "registered, extension, due, source",
    [
        (date(2026, 6, 1), "imprisoned", date(2027, 8, 3), "Dublin III art. 29 lid 2"),
        (date(2026, 6, 1), "absconded", date(2028, 2, 3), "Dublin III art. 29 lid 2"),
        (date(2026, 7, 10), "imprisoned", date(2027, 8, 3), "AMMR art. 46 lid 2"),
        (date(2026, 7, 10), "absconded", date(2029, 8, 3), "AMMR art. 46 lid 2"),
    ],
)
def test_the_extensions_of_the_transfer_period(registered, extension, due, source):
    facts = replace(AMMR, application_registered_on=registered, transfer_extension=extension)
    transfer = by_rule(facts)["transfer"]
    assert transfer.due_on == due
    assert transfer.legal_basis == source
    assert "extended" in transfer.explanation


def test_a_detained_person_has_the_shorter_periods_of_art_45():
    waiting = by_rule(replace(AMMR, transfer_accepted_on=None, transfer_detained=True))
    assert waiting["transfer_detained_request"].due_on == date(2026, 7, 24)
    assert waiting["transfer_detained_request"].legal_basis == "AMMR art. 45 lid 1"
    accepted = by_rule(replace(AMMR, transfer_detained=True))
    assert accepted["transfer_detained"].due_on == date(2026, 9, 7)  # five weeks
    dublin = by_rule(
        replace(AMMR, application_registered_on=date(2026, 6, 1), transfer_detained=True)
    )
    assert dublin["transfer_detained"].due_on == date(2026, 9, 14)  # six weeks


# ---- a rule that changes on a later date ----------------------------------------------------


@pytest.fixture
def shorter_appeal_window(monkeypatch):
    """The legislator shortens the appeal window to 21 days for decisions from 1 January 2027
    (a test's table: no such law exists)."""
    table = []
    for rule in rules.TABLE:
        if rule.key == "appeal_days":
            table.append(replace(rule, valid_to=date(2026, 12, 31)))
            table.append(
                replace(
                    rule,
                    value=21,
                    source="Vw 2000 art. 69 lid 1 (new)",
                    valid_from=date(2027, 1, 1),
                )
            )
        else:
            table.append(rule)
    monkeypatch.setattr(rules, "TABLE", tuple(table))


@pytest.mark.django_db
def test_a_case_keeps_the_rule_of_its_decision_date_across_the_change(
    shorter_appeal_window, officer
):
    before = CaseFactory(team=officer.team, officer=officer, decision_on=date(2026, 12, 28))
    for day in (date(2026, 12, 30), date(2027, 1, 1), date(2027, 1, 10)):
        with time_machine.travel(at(day), tick=False):
            window = by_rule(case_facts(before))["appeal_window"]
            assert window.due_on == date(2027, 1, 25)
            assert window.legal_basis == "Vw 2000 art. 69 lid 1"
    with time_machine.travel(at(date(2027, 1, 10)), tick=False):
        after = CaseFactory(team=officer.team, officer=officer, decision_on=date(2027, 1, 4))
        window = by_rule(case_facts(after))["appeal_window"]
    assert window.due_on == date(2027, 1, 25)
    assert window.legal_basis == "Vw 2000 art. 69 lid 1 (new)"
    assert "21 days" in window.explanation


# ---- the case form --------------------------------------------------------------------------


def _edit(client, case, **data):
    values = {
        "version": str(case.version),
        "source": case.source,
        "category": case.category,
        "priority": "0",
        "departure_term_days": "28",
        "entry_ban_years": "0",
        "departure_plan": "",
        **data,
    }
    return client.post(reverse("cases:edit", args=[case.reference]), values)


@pytest.mark.django_db
def test_the_case_form_records_a_border_procedure(officer, officer_client):
    case = CaseFactory(team=officer.team, officer=officer, opened_on=date(2026, 7, 1))
    with time_machine.travel(at(date(2026, 9, 1)), tick=False):
        response = _edit(
            officer_client,
            case,
            decision_on="2026-07-20",
            border_procedure="on",
            right_to_remain_ended_on="2026-08-01",
            border_voluntary_days="15",
            crisis_extension_weeks="0",
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.phase == Case.Phase.BORDER
        assert case.term_ends_on == date(2026, 8, 16)
        page = officer_client.get(case.get_absolute_url()).content.decode()
    assert "Reg. 2024/1349 art. 4 lid 1" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {
                "border_procedure": "on",
                "right_to_remain_ended_on": "2026-08-01",
                "border_voluntary_days": "16",
            },
            "border_voluntary_days",
            "at most 15 days",
        ),
        (
            {
                "border_procedure": "on",
                "right_to_remain_ended_on": "2026-08-01",
                "crisis_extension_weeks": "7",
            },
            "crisis_extension_weeks",
            "at most 6 weeks",
        ),
        (
            {"border_procedure": "on", "right_to_remain_ended_on": "2026-05-01"},
            "right_to_remain_ended_on",
            "applies from",
        ),
        ({"border_procedure": "on"}, "right_to_remain_ended_on", "right to remain ended"),
        ({"border_voluntary_days": "5"}, "border_procedure", "belongs to the return border"),
        (
            {"transfer_accepted_on": "2026-08-03"},
            "application_registered_on",
            "Dublin III or the AMMR",
        ),
        (
            {"application_registered_on": "2026-07-10", "transfer_appeal_final_on": "2026-08-03"},
            "transfer_accepted_on",
            "before the final appeal decision",
        ),
    ],
)
def test_the_case_form_refuses_facts_the_rules_do_not_allow(
    officer, officer_client, data, field, message
):
    case = CaseFactory(team=officer.team, officer=officer, opened_on=date(2026, 4, 1))
    with time_machine.travel(at(date(2026, 9, 1)), tick=False):
        response = _edit(officer_client, case, **data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    case.refresh_from_db()
    assert case.version == 1 and not case.border_procedure and case.transfer_accepted_on is None


@pytest.mark.django_db
def test_the_service_refuses_what_the_form_would(officer):
    case = CaseFactory(team=officer.team, officer=officer, opened_on=date(2026, 4, 1))
    with time_machine.travel(at(date(2026, 9, 1)), tick=False):
        with pytest.raises(ValidationError) as refused:
            case_services.update_case(
                case,
                actor=officer,
                version=1,
                border_procedure=True,
                right_to_remain_ended_on=date(2026, 8, 1),
                crisis_extension_weeks=8,
            )
    assert "crisis_extension_weeks" in refused.value.message_dict
    case.refresh_from_db()
    assert not case.border_procedure


@pytest.mark.django_db
def test_the_case_page_explains_an_ammr_transfer(officer, officer_client):
    case = CaseFactory(
        team=officer.team,
        officer=officer,
        opened_on=date(2026, 7, 10),
        category=Case.Category.DUBLIN,
        application_registered_on=date(2026, 7, 10),
        transfer_accepted_on=date(2026, 8, 3),
    )
    with time_machine.travel(at(date(2026, 9, 1)), tick=False):
        page = officer_client.get(case.get_absolute_url()).content.decode()
    assert "AMMR art. 46 lid 1: transfer within 6 months of acceptance on" in page


# ---- the demo --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_has_a_border_procedure_an_ammr_and_a_dublin_iii_transfer(settings):
    import io

    from django.core.management import call_command

    settings.DEBUG = True
    with time_machine.travel(at(date(2026, 12, 3)), tick=False):
        call_command("seed_demo", "--cases", "120", stdout=io.StringIO())
        border = Case.objects.get(border_procedure=True)
        transfers = {
            deadlines.transfer_regime(case.application_registered_on): case
            for case in Case.objects.filter(application_registered_on__isnull=False)
        }
        found = {
            regime: by_rule(case_facts(case))["transfer"] for regime, case in transfers.items()
        }
    assert border.phase == Case.Phase.BORDER
    assert border.right_to_remain_ended_on >= rules.PACT_APPLIES_FROM
    assert set(found) == {"AMMR", "Dublin III"}
    assert transfers["AMMR"].application_registered_on >= date(2026, 7, 1)
    assert transfers["Dublin III"].application_registered_on < date(2026, 7, 1)
    assert found["AMMR"].legal_basis == "AMMR art. 46 lid 1"
    assert found["Dublin III"].legal_basis == "Dublin III art. 29 lid 2"  # absconded
