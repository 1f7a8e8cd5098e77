"""Transfers between teams in the reports: per period, proposed / accepted / declined /
awaiting decision, and for a team what it took over and handed over; CSV like the others."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases import services, transfers
from dtv.reports import figures
from tests.accounts.factories import TeamLeadFactory
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(officer, team_lead, other_team):
    """Three proposals out of the team (one accepted, one declined, one pending) and one
    accepted into it."""
    other_lead = TeamLeadFactory(username="lead_zuid", team=other_team)
    outgoing = [CaseFactory(team=officer.team, officer=officer) for _ in range(3)]
    proposed = []
    for case in outgoing:
        with services.acting_as(officer):
            proposed.append(
                transfers.propose_transfer(
                    case, actor=officer, to_team=other_team, reason="Verhuizing"
                )
            )
    transfers.accept_transfer(proposed[0], actor=other_lead)
    transfers.decline_transfer(proposed[1], actor=other_lead, reason="Geen plek")
    incoming = CaseFactory(team=other_team, officer=None)
    transfer = transfers.propose_transfer(
        incoming, actor=other_lead, to_team=officer.team, reason="Terug naar het noorden"
    )
    transfers.accept_transfer(transfer, actor=team_lead)
    return officer.team


def test_the_figures_count_each_state_and_the_team_in_and_out(moved):
    today = timezone.localdate()
    data = figures.transfers(figures.Filters(since=today, until=today, team=moved))
    assert data["totals"] == {
        "proposed": 4,
        "accepted": 2,
        "declined": 1,
        "pending": 1,
        "withdrawn": 0,
        "incoming": 1,
        "outgoing": 1,
    }
    everyone = figures.transfers(figures.Filters(since=today, until=today))
    assert "incoming" not in everyone["totals"] and everyone["totals"]["proposed"] == 4


def test_the_team_lead_reads_the_report_and_exports_it(client, team_lead, moved):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(team_lead)
    url = reverse("reports:report", args=["transfers"])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Transfers between teams" in body and "Taken over by the team" in body
    assert (
        reverse("reports:report", args=["transfers"])
        in client.get(reverse("reports:index")).content.decode()
    )
    export = client.get(url, {"export": "csv"})
    assert export.status_code == 200
    text = b"".join(export.streaming_content if export.streaming else [export.content]).decode()
    assert "Proposed" in text and "4" in text
    public = client.get(url, {"export": "csv-public"})
    assert public.status_code == 200
