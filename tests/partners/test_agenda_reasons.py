""" "On the agenda because" is computed from the facts the agenda shows beside it (issue 23.7),
and a partner who nominates a case sees the nomination on the meeting page (issue 23.8)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.models import ActionItem, AgendaItem
from tests.cases.factories import ObstacleFactory
from tests.partners.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    ParticipantFactory,
    finalise,
    send,
)

pytestmark = pytest.mark.django_db
R = AgendaItem.Reason


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _case_page(client, meeting, case):
    response = client.get(reverse("partners:agenda_case", args=[meeting.reference, case.reference]))
    assert response.status_code == 200
    return response


def _because(response) -> str:
    html = response.content.decode()
    start = html.index("On the agenda because")
    return html[start : html.index("</dd>", start)]


def _earlier_meeting_with_open_action(officer, meeting, case, **action):
    earlier = MeetingFactory(chair=officer, starts_at=meeting.starts_at - timedelta(days=30))
    finalise(earlier, at=earlier.starts_at + timedelta(hours=3))
    item = AgendaItemFactory(meeting=earlier, case=case)
    return ActionItemFactory(agenda_item=item, **action)


def test_open_action_items_reason_shows_the_items_it_counts(
    officer_client, officer, meeting, make_case, avim
):
    case = make_case()
    action = _earlier_meeting_with_open_action(
        officer, meeting, case, description="Identiteitsonderzoek afronden", owner_organisation=avim
    )
    AgendaItemFactory(meeting=meeting, case=case, reasons=[R.OPEN_ACTIONS])
    response = _case_page(officer_client, meeting, case)
    assert "Open action items from an earlier meeting (1 action item open)" in _because(response)
    earlier = response.content.decode().split('id="earlier-actions"')[1].split("</ul>")[0]
    assert "Identiteitsonderzoek afronden" in earlier
    # Once done, the reason no longer holds and is not shown, whatever was stored.
    services.update_action_item(action, actor=officer, status=ActionItem.Status.DONE)
    response = _case_page(officer_client, meeting, case)
    assert "Open action items" not in _because(response)
    assert 'id="earlier-actions"' not in response.content.decode()


def test_obstacle_reason_only_with_the_obstacle_the_page_lists(officer_client, meeting, make_case):
    today = timezone.localdate()
    with_obstacle = make_case()
    ObstacleFactory(case=with_obstacle, identified_on=today - timedelta(weeks=10))
    without = make_case()
    for case in (with_obstacle, without):
        AgendaItemFactory(meeting=meeting, case=case, reasons=[R.OBSTACLE_OPEN])
    shown = _case_page(officer_client, meeting, with_obstacle)
    assert "Obstacle open longer than 8 weeks" in _because(shown)
    html = shown.content.decode()
    assert "No travel document" in html.split("Open obstacles")[1].split("</dd>")[0]
    gone = _case_page(officer_client, meeting, without)
    assert "Obstacle open" not in _because(gone)
    assert "—" in gone.content.decode().split("Open obstacles")[1].split("</dd>")[0]


def test_term_reasons_follow_the_deadline_the_page_shows(officer_client, meeting, make_case):
    today = timezone.localdate()
    lapsed = make_case(phase="obliged", term_ends_on=today - timedelta(days=3))
    no_term = make_case(phase="registered")
    # Stored as "ending" when it was added; the term has lapsed since.
    AgendaItemFactory(meeting=meeting, case=lapsed, reasons=[R.TERM_ENDING])
    AgendaItemFactory(meeting=meeting, case=no_term, reasons=[R.TERM_ENDING])
    because = _because(_case_page(officer_client, meeting, lapsed))
    assert "Departure term lapsed" in because and "within 14 days" not in because
    assert "Departure term" not in _because(_case_page(officer_client, meeting, no_term))


def test_the_chairs_own_choice_stays(officer_client, meeting, make_case):
    case = make_case()
    AgendaItemFactory(meeting=meeting, case=case, reasons=[R.CHAIR])
    assert "Added by the chair" in _because(_case_page(officer_client, meeting, case))


def test_meeting_page_reasons_are_the_same_computation(officer_client, meeting, make_case):
    today = timezone.localdate()
    case = make_case(phase="obliged", term_ends_on=today - timedelta(days=3))
    stale = make_case()
    AgendaItemFactory(meeting=meeting, case=case, reasons=[R.TERM_ENDING])
    AgendaItemFactory(meeting=meeting, case=stale, reasons=[R.OPEN_ACTIONS])
    html = officer_client.get(reverse("partners:meeting_detail", args=[meeting.reference]))
    html = html.content.decode()
    assert "Departure term lapsed" in html
    assert "Open action items from an earlier meeting" not in html


def test_partner_sees_their_nomination_on_the_meeting_page(
    client, officer, meeting, partner_user, partner_contact, make_case
):
    earlier = MeetingFactory(chair=officer, starts_at=timezone.now() - timedelta(days=10))
    ParticipantFactory(meeting=earlier, organisation=partner_contact.organisation)
    case = make_case()
    AgendaItemFactory(meeting=earlier, case=case)
    send(earlier)
    other_org_case = make_case()
    AgendaItemFactory(
        meeting=meeting,
        case=other_org_case,
        status=AgendaItem.Status.NOMINATED,
        reasons=[R.NOMINATED],
        nominated_by=officer,
    )
    client.force_login(partner_user)
    response = client.post(
        reverse("partners:nominate", args=[meeting.reference]),
        {"case": case.reference, "question": "Toezicht?"},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    nominations = html.split('id="nominations"')[1].split("</section>")[0]
    assert case.reference in nominations and "Toezicht?" in nominations
    assert "Awaiting the chair" in nominations
    # Only their own organisation's nominations: not the officer's.
    assert other_org_case.reference not in nominations
