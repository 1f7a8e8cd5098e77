"""Households: one directed link per pair with the inverse derived, the rules a link must
keep (not oneself, no loop of parents and children, once per pair), minors from the date of
birth, and the household shown together on the case page."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from cases import services
from cases.models import HouseholdLink, Person
from tests.cases.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(officer):
    """Mother and father (partners), two children; each with a case of the officer's team."""
    cases = {
        name: CaseFactory(
            team=officer.team,
            officer=officer,
            person=PersonFactory(family_name="Haddad", given_names=name, birth_date=born),
        )
        for name, born in (
            ("Amal", date(1985, 4, 2)),
            ("Karim", date(1982, 9, 14)),
            ("Lina", date(2012, 6, 1)),
            ("Omar", date(2016, 1, 20)),
        )
    }
    mother, father = cases["Amal"], cases["Karim"]
    services.link_household(
        mother.person, actor=officer, case=mother, relative=father.person, relation="partner"
    )
    for child in ("Lina", "Omar"):
        services.link_household(
            mother.person,
            actor=officer,
            case=mother,
            relative=cases[child].person,
            relation="child",
        )
    services.link_household(
        cases["Lina"].person,
        actor=officer,
        case=cases["Lina"],
        relative=father.person,
        relation="parent",
    )
    return cases


def test_one_directed_link_is_stored_and_the_inverse_derived(family):
    lina = family["Lina"].person
    # Lina's link to her father was entered from her side as "parent": stored father -> Lina.
    link = HouseholdLink.objects.get(relative=lina, person=family["Karim"].person)
    assert link.relation == HouseholdLink.Relation.PARENT
    assert HouseholdLink.objects.count() == 4
    with translation.override("en"):
        seen_by_lina = {m.person.given_names: str(m.relation) for m in services.household_of(lina)}
        seen_by_mother = {
            m.person.given_names: str(m.relation)
            for m in services.household_of(family["Amal"].person)
        }
    assert seen_by_lina == {"Amal": "Parent", "Karim": "Parent", "Omar": "Brother or sister"}
    assert seen_by_mother == {"Karim": "Partner", "Lina": "Child", "Omar": "Child"}


def test_the_household_reaches_brothers_and_sisters_through_the_parents(family):
    ids = services.household_member_ids([family["Omar"].person.pk])[family["Omar"].person.pk]
    assert ids == {case.person.pk for case in family.values()}
    loner = PersonFactory()
    assert services.household_member_ids([loner.pk]) == {loner.pk: frozenset({loner.pk})}


@pytest.mark.parametrize(
    ("relation", "message"),
    [
        ("partner", "A person cannot be their own partner."),
        ("parent", "A person cannot be their own parent or child."),
        ("child", "A person cannot be their own parent or child."),
    ],
)
def test_nobody_is_their_own_relative(officer, relation, message):
    case = CaseFactory(team=officer.team, officer=officer)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.link_household(
            case.person, actor=officer, case=case, relative=case.person, relation=relation
        )
    assert error.value.messages == [message]
    assert not HouseholdLink.objects.exists()


def test_a_pair_is_linked_once_whichever_way_round(family, officer):
    father, lina = family["Karim"], family["Lina"]
    for case, relative, relation in (
        (father, lina.person, "child"),
        (lina, father.person, "parent"),
        (lina, father.person, "partner"),
    ):
        with translation.override("en"), pytest.raises(ValidationError) as error:
            services.link_household(
                case.person, actor=officer, case=case, relative=relative, relation=relation
            )
        assert error.value.code == "duplicate"
        assert "already linked" in error.value.messages[0]
    assert HouseholdLink.objects.count() == 4


def test_the_database_refuses_the_inverse_link_too(family):
    # The rule holds below the service as well: (A, B) and (B, A) are one pair.
    father, lina = family["Karim"].person, family["Lina"].person
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdLink.objects.create(person=lina, relative=father, relation="partner")


def test_no_loop_of_parents_and_children(family, officer):
    lina = family["Lina"]
    grandchild_case = CaseFactory(team=officer.team, officer=officer)
    services.link_household(
        lina.person, actor=officer, case=lina, relative=grandchild_case.person, relation="child"
    )
    # The grandchild cannot become the parent (or the partner) of the grandmother.
    for relation in ("parent", "partner"):
        with translation.override("en"), pytest.raises(ValidationError) as error:
            services.link_household(
                family["Amal"].person,
                actor=officer,
                case=family["Amal"],
                relative=grandchild_case.person,
                relation="child" if relation == "parent" else relation,
            )
        assert error.value.code in ("cycle", "duplicate")
    with pytest.raises(ValidationError) as error:
        services.link_household(
            grandchild_case.person,
            actor=officer,
            case=grandchild_case,
            relative=family["Amal"].person,
            relation="child",
        )
    assert error.value.code == "cycle"


def test_a_child_has_at_most_two_parents(family, officer):
    third = CaseFactory(team=officer.team, officer=officer)
    with pytest.raises(ValidationError) as error:
        services.link_household(
            third.person,
            actor=officer,
            case=third,
            relative=family["Lina"].person,
            relation="child",
        )
    assert error.value.code == "parents"


def test_only_the_team_of_the_case_links(family, outsider):
    with pytest.raises(ValidationError):
        services.link_household(
            family["Omar"].person,
            actor=outsider,
            case=family["Omar"],
            relative=PersonFactory(),
            relation="parent",
        )


@pytest.mark.parametrize(
    ("born", "precision", "minor"),
    [
        (date(2008, 12, 3), "full", False),  # 18 today
        (date(2008, 12, 4), "full", True),  # 18 tomorrow
        (date(2008, 1, 1), "year", True),  # born some day in 2008: may still be 17
        (date(2007, 1, 1), "year", False),
        (date(2008, 12, 1), "year_month", True),
        (date(2008, 11, 1), "year_month", False),
        (None, "unknown", False),
    ],
)
@time_machine.travel("2026-12-03 12:00 +0100", tick=False)
def test_a_minor_is_younger_than_18_by_the_date_of_birth(born, precision, minor):
    person = Person(birth_date=born, birth_date_precision=precision)
    assert person.is_minor is minor


def test_a_leap_day_birthday_comes_of_age_on_the_first_of_march():
    person = Person(birth_date=date(2008, 2, 29), birth_date_precision="full")
    assert person.is_minor_on(date(2026, 2, 28))
    assert not person.is_minor_on(date(2026, 3, 1))


def test_the_case_page_shows_the_household_and_its_cases(officer_client, family):
    response = officer_client.get(family["Amal"].get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="household"' in body
    for name in ("Karim", "Lina", "Omar"):
        assert family[name].reference in body
    # The two children carry the badge, in the household table (and nowhere else on the page).
    assert body.count("badge-minor") == 2


def test_the_household_shows_no_case_of_another_team(officer_client, family, other_team):
    elsewhere = CaseFactory(team=other_team, person=family["Omar"].person)
    body = officer_client.get(family["Amal"].get_absolute_url()).content.decode()
    assert elsewhere.reference not in body
    assert family["Omar"].reference in body


def test_the_form_links_a_child_by_v_number(officer_client, officer):
    parent = CaseFactory(team=officer.team, officer=officer)
    child = CaseFactory(team=officer.team, person=PersonFactory(birth_date=date(2015, 5, 5)))
    url = reverse("cases:household_add", args=[parent.reference])
    response = officer_client.post(url, {"v_nummer": child.person.v_nummer, "relation": "child"})
    assert response.status_code == 302
    link = HouseholdLink.objects.get()
    assert (link.person, link.relative, link.relation) == (parent.person, child.person, "parent")


@pytest.mark.parametrize(
    ("v_nummer", "message"),
    [
        ("12345abcde", "10 cijfers"),
        ("9999999999", "Geen persoon met dit V-nummer"),
    ],
)
def test_the_form_refuses_a_bad_v_number_in_dutch(officer_client, officer, v_nummer, message):
    case = CaseFactory(team=officer.team, officer=officer)
    url = reverse("cases:household_add", args=[case.reference])
    with translation.override("nl"):
        response = officer_client.post(
            url, {"v_nummer": v_nummer, "relation": "partner"}, HTTP_ACCEPT_LANGUAGE="nl"
        )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HouseholdLink.objects.exists()


def test_the_form_refuses_oneself_with_a_message(officer_client, officer, settings):
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    case = CaseFactory(team=officer.team, officer=officer)
    url = reverse("cases:household_add", args=[case.reference])
    response = officer_client.post(
        url, {"v_nummer": case.person.v_nummer, "relation": "parent"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "cannot be their own parent" in response.content.decode()
    assert not HouseholdLink.objects.exists()


def test_minors_carry_the_badge_on_the_worklist_and_the_case_list(officer_client, family):
    for url in (reverse("cases:worklist"), reverse("cases:list")):
        body = officer_client.get(url).content.decode()
        # Lina and Omar, not their parents.
        assert body.count("badge-minor") == 2, url


def test_minors_carry_the_badge_on_the_interview_agenda(officer_client, officer, family):
    from datetime import timedelta

    from django.utils import timezone

    from interviews import services as interview_services

    # In a few minutes: this week's agenda, whatever the day.
    interview_services.plan_interview(
        family["Omar"],
        actor=officer,
        stage="progress",
        planned_at=timezone.now() + timedelta(minutes=5),
    )
    body = officer_client.get(reverse("interviews:agenda")).content.decode()
    row = body[body.index(family["Omar"].reference) :]
    assert "badge-minor" in row[: row.index("</tr>")]


def test_the_household_costs_the_same_queries_however_many_children(
    officer_client, officer, family, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = family["Amal"].get_absolute_url()
    # A first request fills what is kept between requests (the user's permissions, dropped
    # again when the factories below add users); the page's own queries are the next one's.
    officer_client.get(url)
    with CaptureQueriesContext(connection) as small:
        officer_client.get(url)
    # Counted now: a later request empties the connection's query log that `small` reads.
    expected = len(small)
    mother = family["Amal"]
    for index in range(4):
        child = CaseFactory(
            team=officer.team, person=PersonFactory(birth_date=date(2010 + index, 1, 1))
        )
        services.link_household(
            mother.person, actor=officer, case=mother, relative=child.person, relation="child"
        )
    officer_client.get(url)
    with django_assert_num_queries(expected):
        response = officer_client.get(url)
    assert response.content.decode().count("badge-minor") == 6


def test_a_link_recorded_in_error_is_removed_from_a_case_of_the_two(family, officer):
    lina, father = family["Lina"], family["Karim"]
    link = HouseholdLink.objects.get(person=father.person, relative=lina.person)
    with pytest.raises(ValidationError):
        # Not from the case of someone else in the household.
        services.unlink_household(link, actor=officer, case=family["Omar"])
    services.unlink_household(link, actor=officer, case=lina)
    assert not HouseholdLink.objects.filter(pk=link.pk).exists()
    # Lina still belongs to the household through her mother.
    assert father.person.pk in services.household_member_ids([lina.person.pk])[lina.person.pk]
