"""The Logboek Dataverwerkingen records every page that shows personal data: exactly one
access entry for each page shown, and none for a 404.

The URLs come from the URL conf through the permission matrix (which fails on an unlisted
name), and which pages show a person is not declared by hand: every page is fetched as each
role, and one that shows the test person's V-number or family name must have written exactly
one entry. So a new URL that shows a person and writes nothing fails here."""

import pytest
from django.urls import reverse

from cases.models import Case
from dtv.audit.models import AuditEntry
from tests.cases.factories import CaseFactory
from tests.test_permission_matrix import MATRIX, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

ROLES = ("officer", "team_lead", "partner", "auditor", "outsider")
FAMILY_NAME = "Zwanenburgh"
# Pages that show a person but are not read through a page of this site's own, with why.
NOT_A_PAGE = {
    # The export writes its own EXPORT entry (tests/cases), counted here like any other.
}


def _body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _entries(user):
    return AuditEntry.objects.filter(actor=user, action=AuditEntry.Action.ACCESS).count()


@pytest.fixture
def named_world(world):  # noqa: F811
    person = world["case"].person
    person.family_name = FAMILY_NAME
    person.save()
    return world


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_page_that_shows_a_person_writes_one_entry(client, named_world, name):
    args_for, _expected = MATRIX[name]
    url = reverse(name, args=args_for(named_world))
    v_nummer = named_world["case"].person.v_nummer
    for role in ROLES:
        user = named_world["users"][role]
        client.force_login(user)
        before = _entries(user)
        response = client.get(url)
        written = _entries(user) - before
        if response.status_code != 200:
            assert written == 0, (role, url, response.status_code, written)
            continue
        body = _body(response)
        if v_nummer in body or FAMILY_NAME in body:
            assert written == 1, (role, url, written)


LIST_PAGES = ["cases:list", "cases:worklist", "interviews:agenda", "notifications:inbox"]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_entry_records_the_v_numbers_and_the_filter(officer_client, officer, name):
    cases = CaseFactory.create_batch(3, team=officer.team, officer=officer, phase="obliged")
    from dtv.notifications.services import notify

    for case in cases:
        notify(officer, title="Termijn", case=case)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    response = officer_client.get(reverse(name), {"sort": "reference", "page": "1"})
    assert response.status_code == 200
    (entry,) = AuditEntry.objects.exclude(pk__in=before)
    assert entry.actor == officer and entry.kind == AuditEntry.Kind.VIEW
    assert entry.purpose == name
    assert entry.additional_data["filter"] == {"sort": "reference", "page": "1"}
    shown = set(entry.additional_data["v_nummers"])
    assert shown <= {c.person.v_nummer for c in Case.objects.all()}
    if name != "interviews:agenda":
        assert shown == {c.person.v_nummer for c in cases}


def test_a_list_page_costs_one_insert(officer_client, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CaseFactory.create_batch(5, team=officer.team, officer=officer)
    officer_client.get(reverse("cases:list"))  # session and cached choice lists warm
    with CaptureQueriesContext(connection) as small:
        officer_client.get(reverse("cases:list"))
    CaseFactory.create_batch(20, team=officer.team, officer=officer)
    with CaptureQueriesContext(connection) as large:
        officer_client.get(reverse("cases:list"))
    inserts = [q for q in large.captured_queries if "INSERT" in q["sql"] and "audit" in q["sql"]]
    assert len(inserts) == 1
    assert len(large) == len(small)


def test_a_404_writes_no_entry(officer_client, officer):
    before = _entries(officer)
    assert officer_client.get(reverse("cases:detail", args=["Z-0000-0000"])).status_code == 404
    assert officer_client.get(reverse("cases:list"), {"page": "x"}).status_code == 200
    assert _entries(officer) == before + 1


def test_who_has_seen_this_lists_the_list_pages_that_showed_the_person(
    client, officer_client, officer, auditor
):
    case, other = CaseFactory.create_batch(2, team=officer.team, officer=officer)
    assert officer_client.get(reverse("cases:list")).status_code == 200
    shown = AuditEntry.objects.filter(purpose="cases:list").get()
    assert case.person.v_nummer in shown.additional_data["v_nummers"]

    assert shown in AuditEntry.objects.for_person(case.person.v_nummer)
    assert shown in AuditEntry.objects.for_person(other.person.v_nummer)
    # A V-number that was on no page is not matched by a part of another one.
    assert shown not in AuditEntry.objects.for_person(case.person.v_nummer[:9])

    client.force_login(auditor)
    page = client.get(reverse("privacy:case_access", args=[case.reference]))
    assert page.status_code == 200
    assert shown in page.context["page_obj"].object_list
