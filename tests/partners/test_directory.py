import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Organisation
from tests.partners.factories import ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_officer_reads_the_directory_by_kind_with_contacts(officer_client, avim):
    ContactFactory(organisation=avim, name="Petra Hoekstra", role="Vreemdelingenpolitie")
    response = officer_client.get(reverse("partners:organisation_list"), {"kind": "avim"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "AVIM Noord-Nederland" in body and "Petra Hoekstra" in body
    assert "Raad van State" not in body
    detail = officer_client.get(reverse("partners:organisation_detail", args=[avim.pk]))
    assert detail.status_code == 200
    assert "Petra Hoekstra" in detail.content.decode()


def test_a_fresh_install_has_municipalities_and_standing_partners(db):
    from directory.models import Municipality

    assert Municipality.objects.filter(code="GM0363", name="Amsterdam").exists()
    assert Municipality.objects.count() > 300
    assert Organisation.objects.filter(kind="ind").exists()


def test_directory_search_and_bad_input(officer_client):
    response = officer_client.get(reverse("partners:organisation_list"), {"q": "State"})
    assert "Raad van State" in response.content.decode()
    response = officer_client.get(reverse("partners:organisation_list"), {"kind": "nonsense"})
    assert response.status_code == 200


def test_directory_query_count_does_not_grow(officer_client, django_assert_num_queries):
    def add(count, start):
        for n in range(start, start + count):
            organisation = OrganisationFactory(kind="coa", name=f"COA locatie {n}")
            ContactFactory(organisation=organisation)
            ContactFactory(organisation=organisation)

    url = reverse("partners:organisation_list")
    add(5, 0)
    officer_client.get(url, {"kind": "coa"})  # fills the permission cache
    with CaptureQueriesContext(connection) as small:
        officer_client.get(url, {"kind": "coa"})
    add(45, 5)
    with django_assert_num_queries(len(small)):
        officer_client.get(url, {"kind": "coa"})


def test_functional_administrator_edits_partners_in_the_admin(client, admin_user, avim):
    client.force_login(admin_user)
    assert client.get(reverse("admin:directory_organisation_changelist")).status_code == 200
    change = reverse("admin:directory_organisation_change", args=[avim.pk])
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:directory_contact_add")).status_code == 200
    assert client.get(reverse("admin:directory_municipality_changelist")).status_code == 200


def test_officers_cannot_use_the_admin(officer_client):
    response = officer_client.get(reverse("admin:directory_organisation_changelist"))
    assert response.status_code in (302, 403, 404)
