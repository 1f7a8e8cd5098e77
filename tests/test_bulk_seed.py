"""The national-scale seed (dtv/demo/bulk.py): COPY on PostgreSQL, bulk_create elsewhere; the
derived fields written back in bulk, by worker processes at scale. Run with DATABASE_URL set to
PostgreSQL to test the COPY path (the suite's default SQLite tests the fallback)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cases import registry
from cases.models import Case, Nationality, Person
from dtv.demo import bulk
from dtv.demo.management.commands import seed_demo
from interviews.models import Interview

CASES = 60


def _seed(monkeypatch, **patches):
    monkeypatch.setattr(bulk, "BULK_FROM", 10)
    # Fewer teams, officers and meetings than the benchmark's, for the test's time.
    monkeypatch.setattr(bulk, "TEAMS", 3)
    monkeypatch.setattr(bulk, "OFFICERS_PER_TEAM", 2)
    monkeypatch.setattr(bulk, "MEETINGS", 10)
    for name, value in patches.items():
        monkeypatch.setattr(seed_demo, name, value)
    out = io.StringIO()
    call_command("seed_demo", "--cases", str(CASES), "--allow-production", stdout=out)
    return out.getvalue()


def _check_seeded():
    assert Case.objects.count() == CASES
    assert Person.objects.count() == CASES
    assert Nationality.objects.count() == CASES
    assert Case.objects.values("reference").distinct().count() == CASES
    assert Interview.objects.filter(case__isnull=False).count() >= CASES
    # Every case points at its own person, and each open case holds the derived fields its
    # facts give (what the refresh wrote back in bulk).
    assert Case.objects.values("person").distinct().count() == CASES
    today = timezone.localdate()
    for case in Case.objects.open().prefetch_related(
        "procedures",
        "interviews",
        "interview_participations__interview",
        "measures__court_reviews",
        "travel_documents",
    ):
        for name, value in registry.derived_fields(case, today=today).items():
            assert getattr(case, name) == value, (case.reference, name)


@pytest.mark.django_db
def test_bulk_seed_writes_whole_rows_and_the_derived_fields(monkeypatch):
    out = _seed(monkeypatch)
    assert f"bulk: {CASES} cases" in out
    _check_seeded()
    # The keys came from the tables' own sequences: an ordinary insert afterwards gets a new one.
    person = Person.objects.create(
        v_nummer="9999999999",
        family_name="Na",
        given_names="Seed",
        birth_date=timezone.localdate().replace(year=1990),
    )
    assert person.pk > max(Person.objects.exclude(pk=person.pk).values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_batches_and_refresh_in_worker_processes_give_whole_data(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the seed is shared out over processes on PostgreSQL only")
    monkeypatch.setattr(bulk, "BATCH", 7)
    monkeypatch.setattr(bulk, "PARALLEL_FROM", 1)
    out = _seed(monkeypatch, PARALLEL_FROM=1)
    assert f"bulk: {CASES} cases" in out
    _check_seeded()
    # Run again: nothing new (every V-number exists), in the same worker set-up.
    _seed(monkeypatch, PARALLEL_FROM=1)
    assert Case.objects.count() == CASES


@pytest.mark.django_db
def test_update_rows_sets_only_the_named_fields(monkeypatch):
    _seed(monkeypatch)
    cases = list(Case.objects.order_by("pk")[:5])
    before = {case.pk: case.departure_plan for case in cases}
    for number, case in enumerate(cases):
        case.priority = number % 2 + 1
        case.departure_plan = "changed in memory only"
    bulk.update_rows(Case, cases, ["priority"])
    for number, case in enumerate(Case.objects.order_by("pk")[:5]):
        assert case.priority == number % 2 + 1
        assert case.departure_plan == before[case.pk]
