"""Deep pages and bounded counts of the case list and the worklist (cases/paging.py): a page
number past the end, or not a number, answers 200 with the last or first page and a notice,
never a 404 or 500; the count stops at the cap, and the queries stay the same in number and
never read past the cap."""

import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import paging
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thirty(officer):
    return CaseFactory.create_batch(30, team=officer.team, officer=officer, phase="obliged")


@pytest.mark.parametrize("url_name", ["cases:list", "cases:worklist"])
@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("1000000", 2),
        ("99999999999999999999999999999999", 2),
        ("3", 2),
        ("abc", 1),
        ("0", 1),
        ("-1", 1),
        ("²", 1),
        ("1_0", 1),
    ],
)
def test_a_page_that_does_not_exist_answers_with_a_page_and_a_notice(
    officer_client, thirty, url_name, number, shown
):
    started = time.monotonic()
    response = officer_client.get(reverse(url_name), {"page": number})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.number == shown
    assert len(page.object_list) == (5 if shown == 2 else 25)
    assert page.notice
    assert str(page.notice) in response.content.decode()
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("url_name", ["cases:list", "cases:worklist"])
def test_an_existing_page_has_no_notice(officer_client, thirty, url_name):
    response = officer_client.get(reverse(url_name), {"page": "2"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert not getattr(response.context["page_obj"], "notice", "")
    assert 'class="alert alert-info py-2"' not in response.content.decode()


def test_a_deep_page_costs_the_queries_of_the_first(officer_client, thirty):
    url = reverse("cases:list")
    officer_client.get(url)
    with CaptureQueriesContext(connection) as first:
        officer_client.get(url, {"page": "1"})
    with CaptureQueriesContext(connection) as deep:
        officer_client.get(url, {"page": "1000000"})
    assert len(deep) == len(first)


def test_the_count_stops_at_the_cap(officer_client, thirty, monkeypatch):
    monkeypatch.setattr(paging.CappedPaginator, "cap", 26)
    url = reverse("cases:list")
    with CaptureQueriesContext(connection) as queries:
        response = officer_client.get(url, {"status": "open"})
    page = response.context["page_obj"]
    assert page.paginator.capped
    assert page.paginator.count == 26
    assert page.paginator.num_pages == 2
    text = response.content.decode()
    assert re.search(r"(More than|Meer dan) 26 (cases|zaken)", text)
    # The count reads at most cap + 1 rows.
    counts = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT COUNT(*)") and '"cases_case"' in q["sql"]
    ]
    assert counts and all("LIMIT 27" in sql for sql in counts)

    # Past the paged rows: the last page of them, with a notice that says why.
    response = officer_client.get(url, {"status": "open", "page": "3"})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.number == 2 and len(page.object_list) == 1
    assert "26" in str(page.notice)


def test_under_the_cap_the_exact_count_is_shown(officer_client, thirty):
    response = officer_client.get(reverse("cases:list"), {"status": "open"})
    paginator = response.context["page_obj"].paginator
    assert not paginator.capped and paginator.count == 30
    assert re.search(r"30 (cases|zaken)", response.content.decode())


def test_the_worklist_reuses_its_own_count(officer_client, thirty, monkeypatch):
    # The worklist's open count comes from its one counting query; the cap applies to it too.
    monkeypatch.setattr(paging.CappedPaginator, "cap", 26)
    response = officer_client.get(reverse("cases:worklist"), {"page": "1000000"})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.capped and page.number == 2
