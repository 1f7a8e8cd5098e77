"""The proposals page a page at a time: the most urgent first, cut in the database (the urgency
computed in SQL must order the cases as Proposal.sort_key does), a household on the page of
its most urgent case only, the queries the same whatever the number of candidates."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, PhaseChange
from departure.models import Measure
from partners import agenda
from partners.models import AgendaItem
from tests.cases.factories import ObstacleFactory, PersonFactory
from tests.partners.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
R = AgendaItem.Reason


def _today():
    return timezone.localdate()


def _noon(day):
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _all_pages(meeting, user, size, today=None):
    pages, number = [], 1
    while True:
        page = agenda.proposal_page(meeting, user=user, today=today, number=number, size=size)
        pages.append(page)
        if not page.has_next:
            return pages
        number += 1


def _refs(proposals):
    return [p.case.reference for p in proposals]


@pytest.fixture
def every_reason(meeting, officer, colleague, make_case):
    """One case for each reason, two lapsed terms and one without a term that ends soon."""
    today = _today()
    obstacle = make_case()
    ObstacleFactory(case=obstacle, identified_on=today - timedelta(weeks=12))
    nominated = make_case()
    AgendaItemFactory(
        meeting=meeting, case=nominated, status="nominated", position=None, nominated_by=colleague
    )
    vbl = make_case(phase=Case.Phase.VBL)
    PhaseChange.objects.create(
        case=vbl, to_phase="vbl", reason="VBL", at=_noon(today - timedelta(days=80))
    )
    # In the VBL by the departure app's measure since eight weeks, though the phase change is
    # older: the measure counts, so the case is not proposed for the VBL.
    measured = make_case(phase=Case.Phase.VBL)
    PhaseChange.objects.create(
        case=measured, to_phase="vbl", reason="VBL", at=_noon(today - timedelta(days=90))
    )
    Measure.objects.create(case=measured, type="vbl", started_on=today - timedelta(weeks=8))
    reception = make_case()
    Measure.objects.create(
        case=reception, type="reception_end", started_on=today + timedelta(days=5)
    )
    make_case(phase=Case.Phase.TERM_RUNNING, term_ends_on=today + timedelta(days=5))
    make_case(phase=Case.Phase.TERM_RUNNING, term_ends_on=today + timedelta(days=30))
    make_case(phase=Case.Phase.OBLIGED, term_ends_on=today - timedelta(days=1))
    make_case(phase=Case.Phase.OBLIGED, term_ends_on=today - timedelta(days=40))
    make_case(phase=Case.Phase.OBLIGED, term_ends_on=today, departure_term_days=0)
    earlier = MeetingFactory(
        chair=officer,
        municipality=meeting.municipality,
        starts_at=meeting.starts_at - timedelta(days=30),
    )
    actions = make_case()
    ActionItemFactory(agenda_item=AgendaItemFactory(meeting=earlier, case=actions))
    return measured


@pytest.mark.parametrize("size", [1, 2, 3, 25])
def test_the_pages_together_are_the_proposals_in_their_order(meeting, officer, every_reason, size):
    everything = agenda.proposals(meeting, user=officer)
    assert len(everything) == 9
    assert every_reason.reference not in _refs(everything)
    pages = _all_pages(meeting, officer, size)
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))
    assert all(len(p.proposals) <= size for p in pages)
    assert [ref for page in pages for ref in _refs(page.proposals)] == _refs(everything)
    assert [reason for page in pages for p in page.proposals for reason in p.reason_codes] == [
        reason for p in everything for reason in p.reason_codes
    ]
    assert len(pages) == -(-9 // size)


def test_a_household_is_on_the_page_of_its_most_urgent_case_only(meeting, officer, make_case):
    today = _today()
    father = make_case(
        phase=Case.Phase.OBLIGED,
        term_ends_on=today - timedelta(days=3),
        person=PersonFactory(family_name="Haddad", given_names="Karim"),
    )
    single = make_case(phase=Case.Phase.OBLIGED, term_ends_on=today - timedelta(days=1))
    mother = make_case(
        phase=Case.Phase.TERM_RUNNING,
        term_ends_on=today + timedelta(days=10),
        person=PersonFactory(family_name="Haddad", given_names="Amal"),
    )
    daughter = make_case(
        phase=Case.Phase.TERM_RUNNING,
        person=PersonFactory(family_name="Haddad", given_names="Lina", birth_date=date(2015, 2, 2)),
    )
    case_services.link_household(
        father.person, actor=officer, case=father, relative=mother.person, relation="partner"
    )
    case_services.link_household(
        mother.person, actor=officer, case=mother, relative=daughter.person, relation="child"
    )
    first = agenda.proposal_page(meeting, user=officer, size=2)
    assert [p.case for p in first.proposals] == [father, single]
    family = first.proposals[0]
    # The mother's own proposal is on the next page of cases; she is listed here, with it.
    assert [m.case for m in family.members] == [mother, daughter]
    assert family.members[0].reason_codes == [R.TERM_ENDING]
    assert family.picks() == agenda.proposals(meeting, user=officer)[0].picks()
    assert first.has_next
    second = agenda.proposal_page(meeting, user=officer, number=2, size=2)
    assert second.proposals == [] and not second.has_next


def test_page_queries_do_not_grow_with_the_candidates(
    meeting, officer, make_case, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            case = make_case(phase=Case.Phase.OBLIGED, term_ends_on=_today() - timedelta(days=3))
            ObstacleFactory(case=case, identified_on=_today() - timedelta(weeks=10))

    add(5)
    officer.get_all_permissions()
    # As proposals(): the nominations, the cases, their nationalities, their open obstacles,
    # the household links of the page's cases.
    with django_assert_num_queries(5):
        page = agenda.proposal_page(meeting, user=officer)
    assert len(page.proposals) == 5 and not page.has_next
    add(45)
    with django_assert_num_queries(5):
        page = agenda.proposal_page(meeting, user=officer)
    assert len(page.proposals) == agenda.PROPOSALS_PER_PAGE and page.has_next
    assert all(p.nationalities and p.obstacle_categories for p in page.proposals)


@pytest.fixture
def english(client, settings):
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def test_the_page_shows_one_page_and_links_the_next(
    officer_client, meeting, make_case, monkeypatch, english
):
    monkeypatch.setattr(agenda, "PROPOSALS_PER_PAGE", 2)
    cases = [
        make_case(phase=Case.Phase.OBLIGED, term_ends_on=_today() - timedelta(days=days))
        for days in (5, 4, 3)
    ]
    url = reverse("partners:meeting_proposals", args=[meeting.reference])
    first = officer_client.get(url)
    assert [p.case for p in first.context["proposals"]] == cases[:2]
    html = first.content.decode()
    assert "2 proposals on page 1" in html and "?page=2" in html
    second = officer_client.get(url, {"page": "2"})
    assert [p.case for p in second.context["proposals"]] == cases[2:]
    html = second.content.decode()
    # The form ticks this page's cases: it posts back to this page.
    assert f'action="{url}?page=2"' in html
    response = officer_client.post(f"{url}?page=2", {"cases": [cases[2].reference]})
    assert response.status_code == 302
    assert meeting.agenda_items.on_agenda().get().case == cases[2]


@pytest.mark.parametrize("number", ["abc", "-1", "0", "401", "1000000", "9" * 40])
def test_a_page_number_that_cannot_be_shown_gives_the_first_page(
    officer_client, meeting, make_case, number, english
):
    case = make_case(phase=Case.Phase.OBLIGED, term_ends_on=_today() - timedelta(days=5))
    url = reverse("partners:meeting_proposals", args=[meeting.reference])
    response = officer_client.get(url, {"page": number})
    assert response.status_code == 200
    assert [p.case for p in response.context["proposals"]] == [case]
    assert "this is the first page" in response.content.decode()


def test_a_page_past_the_last_gives_the_first_page(officer_client, meeting, make_case, english):
    case = make_case(phase=Case.Phase.OBLIGED, term_ends_on=_today() - timedelta(days=5))
    url = reverse("partners:meeting_proposals", args=[meeting.reference])
    response = officer_client.get(url, {"page": "7"})
    assert [p.case for p in response.context["proposals"]] == [case]
    assert "There is no page of that number; this is the first page." in response.content.decode()


def test_the_page_reads_no_column_it_did_not_ask_for(officer_client, officer, meeting, make_case):
    """The page's query of the candidates reads only agenda.PROPOSAL_FIELDS of a case, its
    person and officer: a cell that read another column would cost a query per row, so the
    page's queries would grow from 3 proposals (one of them a household) to 25."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(count):
        for _ in range(count):
            case = make_case(
                phase=Case.Phase.OBLIGED,
                term_ends_on=_today() - timedelta(days=3),
                person=PersonFactory(birth_date=date(2012, 5, 1)),
            )
            ObstacleFactory(case=case, identified_on=_today() - timedelta(weeks=10))

    father = make_case(phase=Case.Phase.OBLIGED, term_ends_on=_today() - timedelta(days=4))
    child = make_case(phase=Case.Phase.TERM_RUNNING)
    case_services.link_household(
        father.person, actor=officer, case=father, relative=child.person, relation="child"
    )
    add(2)
    url = reverse("partners:meeting_proposals", args=[meeting.reference])
    officer_client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = officer_client.get(url)
    assert len(page.context["proposals"]) == 3
    assert child.reference in page.content.decode()
    add(30)
    with CaptureQueriesContext(connection) as many:
        page = officer_client.get(url)
    assert len(page.context["proposals"]) == agenda.PROPOSALS_PER_PAGE
    assert len(many.captured_queries) == len(few.captured_queries)
