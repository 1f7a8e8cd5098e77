"""The transfer pages through the client: the proposal from the case page, the receiving lead's
decision, the team lead's list, and the former team's read-only handover view. The receiving
team, the case and the steps through the services are fixtures of tests/cases/conftest.py."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cases import services
from cases.models import Case, CaseTransfer
from dtv.audit.models import AuditEntry
from tests.accounts.factories import OfficerFactory
from tests.cases.factories import HANDOVER_NOTE, CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    # The pages are read in the source language (the Dutch catalogue is the lead's to merge).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _body(response) -> str:
    return response.content.decode()


def test_the_officer_proposes_from_the_case_page(client, officer, case, other_team, other_lead):
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.reference]))
    propose_url = reverse("cases:transfer_propose", args=[case.reference])
    assert propose_url in _body(page)
    response = client.post(
        propose_url,
        {"to_team": other_team.pk, "reason": "Verhuizing", "handover_note": "Let op: tolk."},
    )
    assert response.status_code == 302
    transfer = CaseTransfer.objects.get(case=case)
    assert transfer.to_team == other_team and transfer.handover_note == "Let op: tolk."
    page = client.get(reverse("cases:detail", args=[case.reference]))
    body = _body(page)
    assert 'id="pending-transfer"' in body and "Zuid" in body
    assert f'href="{propose_url}"' not in body  # one pending transfer at a time


def test_a_proposal_to_the_own_team_is_refused_with_the_reason(client, officer, case):
    client.force_login(officer)
    response = client.post(
        reverse("cases:transfer_propose", args=[case.reference]),
        {"to_team": officer.team.pk, "reason": "Verhuizing"},
    )
    assert response.status_code == 200
    assert "is already in team Noord" in _body(response)
    assert "Error:" in _body(response).split("</title>")[0]  # and the error summary
    assert not CaseTransfer.objects.exists()


def test_a_closed_case_offers_no_transfer_and_refuses_one(
    client, officer, case, other_team, other_lead, close_case
):
    close_case(case, officer)
    client.force_login(officer)
    propose_url = reverse("cases:transfer_propose", args=[case.reference])
    assert propose_url not in _body(client.get(reverse("cases:detail", args=[case.reference])))
    response = client.post(propose_url, {"to_team": other_team.pk, "reason": "Verhuizing"})
    assert "a closed case cannot be transferred" in _body(response)
    assert not CaseTransfer.objects.exists()


def test_the_receiving_lead_accepts_and_assigns_an_officer(
    client, officer, case, other_team, other_lead, propose
):
    new_officer = OfficerFactory(username="zuid1", team=other_team)
    propose(case, officer, other_team)
    client.force_login(other_lead)
    url = reverse("cases:transfer_decide", args=[case.reference])
    page = client.get(url)
    assert page.status_code == 200
    assert HANDOVER_NOTE in _body(page) and case.person.v_nummer in _body(page)
    response = client.post(url, {"decision": "accept", "officer": new_officer.pk})
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    case.refresh_from_db()
    assert case.team == other_team and case.officer == new_officer
    # The lead now sees the case itself, with the transfer on its timeline.
    body = _body(client.get(case.get_absolute_url()))
    assert "Transferred from team Noord to team Zuid" in body
    # A second decision is refused with what happened, nothing changes.
    again = client.post(url, {"decision": "decline", "reason": "Toch niet"})
    assert again.status_code == 200
    assert "already accepted" in _body(again)
    assert CaseTransfer.objects.get(case=case).status == CaseTransfer.Status.ACCEPTED


def test_declining_needs_a_reason(client, officer, case, other_team, other_lead, propose):
    propose(case, officer, other_team)
    client.force_login(other_lead)
    url = reverse("cases:transfer_decide", args=[case.reference])
    response = client.post(url, {"decision": "decline", "reason": ""})
    assert response.status_code == 200 and "Say why you decline" in _body(response)
    assert CaseTransfer.objects.get(case=case).is_pending
    response = client.post(url, {"decision": "decline", "reason": "Geen capaciteit"})
    assert response.status_code == 302
    assert CaseTransfer.objects.get(case=case).status == CaseTransfer.Status.DECLINED
    assert Case.objects.get(pk=case.pk).team == officer.team


def test_a_transfer_that_is_not_yours_does_not_exist_for_you(
    client, officer, team_lead, case, other_team, other_lead, propose
):
    propose(case, officer, other_team)
    url = reverse("cases:transfer_decide", args=[case.reference])
    client.force_login(team_lead)  # the lead of the team handing it over
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "accept"}).status_code == 404
    assert CaseTransfer.objects.get(case=case).is_pending


def test_the_list_shows_incoming_and_outgoing_by_status(
    client, officer, team_lead, case, other_team, other_lead, propose
):
    incoming_case = CaseFactory(team=other_team, officer=None)
    propose(incoming_case, other_lead, officer.team)
    propose(case, officer, other_team)
    client.force_login(team_lead)
    url = reverse("cases:transfers")
    body = _body(client.get(url))
    assert incoming_case.reference in body and case.reference in body
    assert reverse("cases:transfer_decide", args=[incoming_case.reference]) in body
    assert "1 incoming (yours to decide), 1 outgoing" in body
    body = _body(client.get(url, {"direction": "incoming"}))
    assert incoming_case.reference in body and case.reference not in body
    body = _body(client.get(url, {"direction": "outgoing", "status": "decided"}))
    assert case.reference not in body
    entry = AuditEntry.objects.filter(purpose="cases:transfers").latest("timestamp")
    assert entry.actor == team_lead


def test_the_list_query_count_does_not_grow(client, team_lead, other_team, other_lead, propose):
    def make(n):
        for _ in range(n):
            propose(CaseFactory(team=other_team, officer=None), other_lead, team_lead.team)

    make(3)
    client.force_login(team_lead)
    url = reverse("cases:transfers")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    make(9)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_officers_have_no_list_and_partners_no_pages(client, officer, partner_user):
    client.force_login(officer)
    assert client.get(reverse("cases:transfers")).status_code == 403
    client.force_login(partner_user)
    assert client.get(reverse("cases:transfers")).status_code == 404


def test_the_former_team_reads_up_to_the_handover_for_the_set_period(
    client, settings, officer, colleague, case, other_team, other_lead, propose, accept
):
    settings.CASE_TRANSFER_READ_DAYS = 30
    with services.acting_as(officer):
        services.add_note(case, actor=officer, text="Eerste gesprek: wil terug naar huis.")
    accept(propose(case, officer, other_team), other_lead)
    case.refresh_from_db()
    with services.acting_as(other_lead):
        services.add_note(case, actor=other_lead, text="Nieuw team: intake gedaan.")
    client.force_login(colleague)
    before = AuditEntry.objects.filter(actor=colleague).count()
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    body = _body(response)
    assert 'id="handed-over"' in body
    assert "Eerste gesprek" in body and "Nieuw team" not in body
    assert reverse("cases:edit", args=[case.reference]) not in body
    assert AuditEntry.objects.filter(actor=colleague).count() == before + 1
    # Every other page of the case is the new team's.
    assert client.get(reverse("cases:edit", args=[case.reference])).status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        client.force_login(colleague)
        assert client.get(case.get_absolute_url()).status_code == 404
    settings.CASE_TRANSFER_READ_DAYS = 0
    assert client.get(case.get_absolute_url()).status_code == 404


def test_the_proposer_withdraws_from_the_case_page(
    client, officer, case, other_team, other_lead, propose
):
    propose(case, officer, other_team)
    client.force_login(officer)
    url = reverse("cases:transfer_withdraw", args=[case.reference])
    assert url in _body(client.get(case.get_absolute_url()))
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert CaseTransfer.objects.get(case=case).status == CaseTransfer.Status.WITHDRAWN
    body = _body(client.get(case.get_absolute_url()))
    assert 'id="pending-transfer"' not in body and "Transfer to team Zuid withdrawn" in body
    # Nothing left to withdraw.
    assert client.post(url).status_code == 404
