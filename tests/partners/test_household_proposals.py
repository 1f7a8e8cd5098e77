"""The LTO proposals treat a household as one item: one proposal, led by its most urgent
case, listing the other members (proposed themselves or not), and going on the agenda
together."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from partners import agenda, rules
from partners.models import AgendaItem
from tests.cases.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    # Messages are matched in English (the site speaks Dutch by default).
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


R = AgendaItem.Reason


def _today():
    return timezone.localdate()


@pytest.fixture
def household(officer, make_case):
    """A father whose term lapsed, a mother whose term ends in ten days, and their daughter
    with no reason of her own."""
    father = make_case(
        phase=Case.Phase.OBLIGED,
        term_ends_on=_today() - timedelta(days=3),
        person=PersonFactory(family_name="Haddad", given_names="Karim"),
    )
    mother = make_case(
        phase=Case.Phase.TERM_RUNNING,
        term_ends_on=_today() + timedelta(days=10),
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
    return father, mother, daughter


def test_the_household_is_one_proposal_led_by_its_most_urgent_case(
    meeting, officer, household, make_case
):
    father, mother, daughter = household
    single = make_case(phase=Case.Phase.OBLIGED, term_ends_on=_today() - timedelta(days=1))
    found = agenda.proposals(meeting, user=officer)
    assert [p.case for p in found] == [father, single]
    (family,) = [p for p in found if p.members]
    assert [m.case for m in family.members] == [mother, daughter]
    assert family.members[0].reason_codes == [R.TERM_ENDING]
    assert family.members[1].reason_codes == []  # with the household only
    assert family.picks() == [
        (father, [R.TERM_LAPSED]),
        (mother, [R.TERM_ENDING, R.HOUSEHOLD]),
        (daughter, [R.HOUSEHOLD]),
    ]


def test_a_member_of_another_municipality_or_team_is_left_out(
    meeting, officer, household, other_team
):
    father, mother, daughter = household
    elsewhere = CaseFactory(
        team=other_team,
        person=PersonFactory(given_names="Omar"),
        phase=Case.Phase.OBLIGED,
        term_ends_on=_today() - timedelta(days=3),
    )
    case_services.link_household(
        mother.person, actor=officer, case=mother, relative=elsewhere.person, relation="child"
    )
    (family,) = agenda.proposals(meeting, user=officer)
    assert elsewhere not in family.cases
    assert family.cases == [father, mother, daughter]


def test_ticking_the_household_puts_every_member_on_the_agenda(officer_client, meeting, household):
    father, mother, daughter = household
    url = reverse("partners:meeting_proposals", args=[meeting.reference])
    page = officer_client.get(url).content.decode()
    assert page.count('name="cases"') == 1  # one item to tick
    # The members are listed in the household's own row, under the lead's name.
    row = page[page.index(f'id="pick-{father.reference}"') :]
    row = row[: row.index("</tr>")]
    assert mother.reference in row and daughter.reference in row and "badge-minor" in row
    response = officer_client.post(url, {"cases": [father.reference]})
    assert response.status_code == 302
    items = list(meeting.agenda_items.on_agenda().order_by("position"))
    assert [item.case for item in items] == [father, mother, daughter]
    assert items[2].reasons == [R.HOUSEHOLD]
    # On the agenda, the member without a reason of her own is there with the household.
    rows = agenda.agenda_rows(meeting)
    assert any(
        str(reason) in ("With the household", "Met het gezin") for reason in rows[2][1].reasons
    )
    assert rows[2][1].minor is True


def test_the_add_button_of_a_household_adds_the_household(officer_client, meeting, household):
    response = officer_client.post(
        reverse("partners:agenda_add", args=[meeting.reference]),
        {"case": household[0].reference},
    )
    assert response.status_code == 302
    assert meeting.agenda_items.on_agenda().count() == 3


def test_a_household_on_the_agenda_is_no_longer_proposed(meeting, officer, household):
    from partners import services

    found = agenda.proposals(meeting, user=officer)
    services.add_agenda_items(meeting, actor=officer, picks=found[0].picks())
    assert agenda.proposals(meeting, user=officer) == []


def test_proposal_queries_with_a_household(meeting, officer, household, django_assert_num_queries):
    # 1-4 as without households (nominations, cases, nationalities, obstacles); 5 the links
    # of the proposed father and mother (to each other, to the daughter), 6 the links of the
    # daughter (none further), 7 the daughter's case.
    with django_assert_num_queries(7):
        agenda.proposals(meeting, user=officer)


def test_the_household_rule_is_on():
    assert rules.HOUSEHOLD_AS_ONE_ITEM is True
