"""Registration warns on near-duplicate persons, without telling another team's details."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from cases import services
from cases.models import Alias, Case, Person
from dtv.audit.models import AuditEntry
from tests.cases.factories import CaseFactory, PersonFactory
from tests.cases.form_data import create_form_data

pytestmark = pytest.mark.django_db


def _form(**overrides):
    person = {
        "family_name": "Balogun",
        "given_names": "Adewale",
        "birth_date": "1988-04-11",
        "sex": "m",
        "nationality": "NG",
    }
    return create_form_data(**{**person, **overrides})


def _registered(team, **person):
    values = {"family_name": "Balógun", "given_names": "Adewale", "birth_date": date(1988, 4, 12)}
    values.update(person)
    return CaseFactory(team=team, person=PersonFactory(**values))


@pytest.mark.parametrize(
    ("family_name", "given_names", "birth_date"),
    [
        ("Balógun", "Adewale", date(1988, 4, 11)),  # accent
        ("BALOGUN", "adewale", date(1988, 4, 10)),  # case, a day before
        ("Balógun", "Adewale", date(1988, 4, 12)),  # a day after
        ("Ballogun", "Adewale", date(1988, 4, 11)),  # a typing error
        ("Balogun", "Adewale", date(1988, 11, 4)),  # day and month swapped
    ],
)
def test_near_matches_are_found(officer, family_name, given_names, birth_date):
    registered = CaseFactory(
        team=officer.team,
        person=PersonFactory(
            family_name=family_name, given_names=given_names, birth_date=birth_date
        ),
    ).person
    registered.refresh_search_name()
    registered.save()
    found = services.find_duplicates(
        family_name="Balogun", given_names="Adewale", birth_date=date(1988, 4, 11)
    )
    assert [p.pk for p in found] == [registered.pk]


@pytest.mark.parametrize(
    ("family_name", "birth_date"),
    [
        ("Okonkwo", date(1988, 4, 11)),
        ("Balogun", date(1988, 4, 14)),
        ("Balogun", date(1989, 4, 11)),
    ],
)
def test_other_people_are_not_matches(officer, family_name, birth_date):
    person = PersonFactory(family_name=family_name, given_names="Adewale", birth_date=birth_date)
    person.refresh_search_name()
    person.save()
    assert (
        services.find_duplicates(
            family_name="Balogun", given_names="Adewale", birth_date=date(1988, 4, 11)
        )
        == []
    )


def test_an_alias_counts_and_anonymised_persons_do_not(officer):
    person = PersonFactory(family_name="Smith", given_names="John", birth_date=date(1988, 4, 11))
    Alias.objects.create(person=person, name="Adewale Balogun")
    person.refresh_search_name(["Adewale Balogun"])
    person.save()
    gone = PersonFactory(family_name="Balogun", given_names="Adewale", birth_date=date(1988, 4, 11))
    gone.refresh_search_name()
    gone.anonymised_at = gone.created_at
    gone.save()
    found = services.find_duplicates(
        family_name="Balogun", given_names="Adewale", birth_date=date(1988, 4, 11)
    )
    assert [p.pk for p in found] == [person.pk]


def test_near_match_in_own_team_is_listed_and_audited(officer_client, officer):
    existing = _registered(officer.team).person
    existing.refresh_search_name()
    existing.save()
    response = officer_client.post(reverse("cases:create"), _form())
    assert response.status_code == 200
    body = response.content.decode()
    assert existing.v_nummer in body and "Balógun" in body
    assert Person.objects.count() == 1
    entry = AuditEntry.objects.get(purpose="cases:duplicate_check")
    assert entry.v_nummer == existing.v_nummer and entry.actor == officer
    # Confirming that it is someone else registers them.
    response = officer_client.post(reverse("cases:create"), _form(confirm_duplicate="on"))
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_match_in_another_team_names_the_team_not_the_person(client, officer, outsider):
    existing = _registered(officer.team).person
    existing.refresh_search_name()
    existing.save()
    officer.team.lead = officer
    officer.team.save()
    client.force_login(outsider)
    with translation.override("en"):
        response = client.post(reverse("cases:create"), _form(), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert existing.v_nummer not in body
    assert "Balógun" not in body and "12 Apr" not in body and "1988" not in body.split("form")[0]
    assert officer.team.name in body
    entry = AuditEntry.objects.get(purpose="cases:duplicate_check")
    assert entry.v_nummer == existing.v_nummer and entry.actor == outsider
    assert Person.objects.count() == 1


def test_existing_v_nummer_of_another_team_shows_no_dossier(client, officer, outsider):
    existing = _registered(officer.team, v_nummer="0012345678")
    client.force_login(outsider)
    response = client.post(reverse("cases:create"), _form())
    body = response.content.decode()
    assert existing.reference not in body and "Balógun" not in body
    assert officer.team.name in body


def test_a_person_whose_cases_closed_gets_a_new_case_on_the_same_record(officer_client, officer):
    old = CaseFactory(
        team=officer.team,
        person__v_nummer="0012345678",
        opened_on=date(2020, 1, 1),
        phase="closed",
        closed_on=date(2021, 1, 1),
        closure_reason="other",
    )
    response = officer_client.post(reverse("cases:create"), _form())
    assert response.status_code == 200
    assert 'name="use_registered_person"' in response.content.decode()
    response = officer_client.post(reverse("cases:create"), _form(use_registered_person="on"))
    assert response.status_code == 302
    assert Person.objects.count() == 1
    assert Case.objects.filter(person=old.person).count() == 2
    new = Case.objects.exclude(pk=old.pk).get()
    assert response["Location"] == new.get_absolute_url()


def test_a_person_with_an_open_case_is_not_reused(officer_client, officer):
    CaseFactory(team=officer.team, person__v_nummer="0012345678")
    response = officer_client.post(reverse("cases:create"), _form(use_registered_person="on"))
    assert response.status_code == 200
    assert Case.objects.count() == 1


def test_given_and_family_name_swapped_is_a_match(officer):
    person = PersonFactory(
        family_name="Adewale", given_names="Balogun", birth_date=date(1988, 4, 11)
    )
    person.refresh_search_name()
    person.save()
    found = services.find_duplicates(
        family_name="Balogun", given_names="Adewale", birth_date=date(1988, 4, 11)
    )
    assert [p.pk for p in found] == [person.pk]
