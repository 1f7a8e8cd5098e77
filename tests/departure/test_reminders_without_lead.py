"""A team without a team lead (the demo's Zuid): a reminder for one of its unassigned cases, and
an escalation in it, go to the functional administrator, who keeps the teams configured
(shared/DESIGN.md), once each; the teams' admin page warns of the team without a lead."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from departure import reminders
from dtv.notifications.models import Notification
from tests.accounts.factories import AdminUserFactory, TeamFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
FRIDAY = date(2026, 11, 27)


def site_text(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


def sweep(day: date):
    with time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=AMS), tick=False):
        return reminders.send_due_reminders(today=day)


@pytest.fixture
def leadless():
    return TeamFactory(name="Zuid", lead=None)


@pytest.fixture
def administrator():
    return AdminUserFactory(username="beheer", email="beheer@example.org")


def test_an_unassigned_case_of_a_team_without_a_lead_reminds_the_administrator_once(
    make_case, leadless, administrator
):
    case = make_case(today=FRIDAY, term_lapsed_days_ago=2, team=leadless, officer=None)
    sweep(FRIDAY)
    sweep(FRIDAY)
    note = Notification.objects.get(case=case, rule="term_lapsed")
    assert note.recipient == administrator
    assert note.kind == Notification.Kind.ESCALATION
    assert note.due_on == case.term_ends_on
    # Written in the site's language, as every reminder is.
    with translation.override(settings.LANGUAGE_CODE):
        reminder = gettext("Departure term of %(ref)s lapsed on %(date)s: record the outcome") % {
            "ref": case.reference,
            "date": date_format(case.term_ends_on),
        }
    assert note.title == site_text("No one to remind: %(title)s") % {"title": reminder}
    assert note.body == site_text(
        "Case %(ref)s has no departure officer and its team has no team lead, so this "
        "reminder had nobody to go to. Appoint a team lead for the team, or ask the team to "
        "assign an officer to the case."
    ) % {"ref": case.reference}
    # They do not read cases: the link leads to the teams, and no name of the person is in it.
    assert note.link == reverse("admin:accounts_team_changelist")
    assert case.person.family_name not in note.title + note.body
    sent = [m for m in mail.outbox if m.to == [administrator.email] and note.title in m.subject]
    assert len(sent) == 1


def test_the_longest_standing_active_administrator_is_the_one(make_case, leadless):
    with time_machine.travel(datetime(2025, 1, 1, tzinfo=AMS)):
        first = AdminUserFactory(username="beheer1")
    with time_machine.travel(datetime(2025, 6, 1, tzinfo=AMS)):
        AdminUserFactory(username="beheer2")
    with time_machine.travel(datetime(2024, 6, 1, tzinfo=AMS)):
        AdminUserFactory(username="vertrokken", is_active=False)
    case = make_case(today=FRIDAY, term_lapsed_days_ago=2, team=leadless, officer=None)
    sweep(FRIDAY)
    assert Notification.objects.get(case=case, rule="term_lapsed").recipient == first


def test_without_an_administrator_there_is_still_nobody_and_nothing_breaks(make_case, leadless):
    AdminUserFactory(username="vertrokken", is_active=False)
    case = make_case(today=FRIDAY, term_lapsed_days_ago=2, team=leadless, officer=None)
    sweep(FRIDAY)
    assert not Notification.objects.filter(case=case).exists()


def test_an_assigned_case_of_a_team_without_a_lead_still_reminds_its_officer(
    make_case, officer, leadless, administrator
):
    officer.team = leadless
    officer.save()
    case = make_case(today=FRIDAY, term_lapsed_days_ago=2, team=leadless, officer=officer)
    sweep(FRIDAY)
    assert Notification.objects.get(case=case, rule="term_lapsed").recipient == officer


def test_an_escalation_in_a_team_without_a_lead_goes_to_the_administrator_once(
    make_case, officer, leadless, administrator
):
    officer.team = leadless
    officer.save()
    case = make_case(today=FRIDAY, term_lapsed_days_ago=3, team=leadless, officer=officer)
    sweep(FRIDAY)
    sweep(date(2026, 12, 1))  # two working days: not yet
    assert not Notification.objects.filter(rule="term_lapsed_escalation").exists()
    sweep(date(2026, 12, 2))  # three working days
    sweep(date(2026, 12, 3))
    escalation = Notification.objects.get(rule="term_lapsed_escalation")
    assert escalation.recipient == administrator and escalation.case == case
    assert escalation.body == site_text(
        "The reminder was not acknowledged within %(days)d working days, and the "
        "case's team has no team lead to escalate to. Appoint a team lead for the team."
    ) % {"days": 3}
    assert escalation.link == reverse("admin:accounts_team_changelist")
    reminder = Notification.objects.get(case=case, rule="term_lapsed")
    assert reminder.escalated_at is not None
    # The officer's inbox says who heard of it: the administrator, not a team lead.
    assert reminder.escalated_to == administrator
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("notifications:inbox")).content.decode()
    name = administrator.get_full_name() or administrator.username
    assert site_text("escalated to %(name)s") % {"name": name} in page
    assert site_text("escalated to the team lead") not in page


def test_the_administrators_own_reminder_is_not_escalated_to_them_again(
    make_case, leadless, administrator
):
    make_case(today=FRIDAY, term_lapsed_days_ago=3, team=leadless, officer=None)
    sweep(FRIDAY)
    sweep(date(2026, 12, 3))
    assert not Notification.objects.filter(rule="term_lapsed_escalation").exists()
    reminder = Notification.objects.get(rule="term_lapsed")
    assert reminder.escalated_at is not None and reminder.escalated_to is None


def test_a_team_with_a_lead_keeps_its_lead(make_case, team_lead, administrator):
    case = make_case(today=FRIDAY, term_lapsed_days_ago=2, officer=None)
    sweep(FRIDAY)
    assert Notification.objects.get(case=case, rule="term_lapsed").recipient == team_lead


# ---- the warning on the teams' admin pages ------------------------------------------------


def test_the_team_list_warns_of_a_team_without_a_lead(client, admin_user, leadless, team_lead):
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_team_changelist")).content.decode()
    assert "Team without a team lead: Zuid." in page
    assert "Noord" not in page.split("Team without a team lead:")[1].split(".")[0]
    # The column and the filter name it too.
    only = client.get(reverse("admin:accounts_team_changelist"), {"has_lead": "no"})
    names = [team.name for team in only.context["cl"].result_list]
    assert names == ["Zuid"]


def test_a_team_with_its_lead_shows_no_warning(client, admin_user, team_lead):
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_team_changelist")).content.decode()
    assert "Team without a team lead:" not in page
    page = client.get(
        reverse("admin:accounts_team_change", args=[team_lead.team.pk])
    ).content.decode()
    assert "Team without a team lead:" not in page


def test_the_team_page_warns_of_its_missing_lead(client, admin_user, leadless):
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_team_change", args=[leadless.pk])).content.decode()
    assert "Team without a team lead: Zuid." in page
    assert "go to the functional administrator" in page
