"""Nominating a case: only for a meeting the case can go to, and a nomination grants no access
to the meeting (issue 24.4: officer3 of team Zuid saw a Noord meeting by nominating for it)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dtv.audit.models import AuditEntry
from partners import agenda, services
from partners.models import AgendaItem, Meeting
from tests.cases.factories import CaseFactory
from tests.partners.factories import AgendaItemFactory, MeetingFactory, ParticipantFactory, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def zuid_case(outsider, municipality):
    """A case of the other team (Zuid), in the same municipality as the Noord meeting."""
    return CaseFactory(team=outsider.team, officer=outsider, municipality=municipality)


@pytest.fixture
def noord_item(meeting, make_case):
    """A Noord case on the Noord meeting's agenda, with a question that names its person."""
    case = make_case()
    AgendaItemFactory(meeting=meeting, case=case, position=1, question="Toezicht Lungu?")
    return case


def _meeting_urls(meeting) -> list[str]:
    return [
        reverse("partners:meeting_detail", args=[meeting.reference]),
        reverse("partners:agenda_print", args=[meeting.reference]),
        reverse("partners:agenda_pdf", args=[meeting.reference]),
    ]


def test_the_form_offers_no_meeting_of_another_team(client, outsider, meeting, zuid_case):
    client.force_login(outsider)
    url = reverse("partners:nominate_case", args=[zuid_case.reference])
    page = client.get(url)
    assert page.status_code == 200
    assert meeting.reference not in page.content.decode()
    assert not agenda.meetings_open_for(zuid_case, user=outsider).exists()


def test_another_teams_meeting_stays_404_after_a_nomination_attempt(
    client, outsider, meeting, zuid_case, noord_item
):
    client.force_login(outsider)
    for url in _meeting_urls(meeting):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("partners:nominate_case", args=[zuid_case.reference]),
        {"meeting": meeting.reference, "question": "Graag bespreken"},
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not AgendaItem.objects.filter(case=zuid_case).exists()
    for url in _meeting_urls(meeting):
        response = client.get(url)
        assert response.status_code == 404, url
        assert noord_item.person.family_name not in response.content.decode()


def test_the_service_refuses_a_meeting_the_case_cannot_go_to(outsider, meeting, zuid_case):
    with pytest.raises(ValidationError, match="cannot go to this meeting"):
        services.nominate_case(meeting, actor=outsider, case=zuid_case, question="?")
    # Its own team's meetings for its municipality, or for none, are open to it.
    elsewhere = MeetingFactory(chair=outsider, municipality=None, region="Zuid", type="rao")
    own = MeetingFactory(chair=outsider, municipality=zuid_case.municipality)
    assert set(Meeting.objects.open_to_case(zuid_case)) == {elsewhere, own}


def test_a_nomination_made_before_the_rule_grants_no_access(
    client, outsider, meeting, zuid_case, noord_item
):
    # As the hole left it: a Zuid case nominated for the Noord meeting.
    AgendaItem.objects.create(meeting=meeting, case=zuid_case, status="nominated")
    client.force_login(outsider)
    for url in _meeting_urls(meeting):
        assert client.get(url).status_code == 404, url
    assert not Meeting.objects.visible_to(outsider).filter(pk=meeting.pk).exists()


def test_a_partner_cannot_carry_a_case_to_another_teams_meeting(
    partner_user, partner_contact, avim, meeting, outsider, noord_item
):
    # The partner sees the Noord case through the Noord meeting...
    send(meeting)
    zuid_meeting = MeetingFactory(chair=outsider, municipality=meeting.municipality)
    ParticipantFactory(meeting=zuid_meeting, organisation=avim)
    # ...and may not nominate it for a Zuid meeting AVIM also takes part in.
    with pytest.raises(ValidationError, match="cannot go to this meeting"):
        services.nominate_case(zuid_meeting, actor=partner_user, case=noord_item)


def test_a_partner_is_offered_only_cases_that_can_go_to_the_meeting(
    client, partner_user, partner_contact, avim, meeting, outsider, noord_item
):
    send(meeting)
    zuid_meeting = MeetingFactory(chair=outsider, municipality=meeting.municipality)
    ParticipantFactory(meeting=zuid_meeting, organisation=avim)
    client.force_login(partner_user)
    page = client.get(reverse("partners:nominate", args=[zuid_meeting.reference]))
    assert page.status_code == 200
    assert noord_item.reference not in page.content.decode()


def test_viewing_nominations_is_audited(client, officer, colleague, meeting, make_case):
    case = make_case()
    services.nominate_case(meeting, actor=colleague, case=case, question="Bespreken")
    client.force_login(officer)
    page = client.get(reverse("partners:meeting_detail", args=[meeting.reference]))
    assert case.person.family_name in page.content.decode()
    entry = AuditEntry.objects.get(purpose="partners:meeting_nominations")
    assert entry.actor == officer
    assert entry.additional_data["v_nummers"] == [case.person.v_nummer]
