"""The import writes in bulk and stays fully audited: registered persons and their open cases
updated with a change entry each (before and after), new rows with a create entry each as
django-auditlog writes it for a save(), and a number of queries that does not grow with the
rows of the file."""

import hashlib
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.db.models import DateTimeField
from django.test.utils import CaptureQueriesContext

from cases import imports
from cases.models import Case, CaseImport, Nationality, Person, PhaseChange
from dtv.audit.models import AuditEntry
from dtv.audit.services import insert_rows, record_created
from tests.accounts.factories import AdminUserFactory
from tests.cases.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-12-03 10:00 +0100", tick=False):
        yield


@pytest.fixture
def administrator():
    return AdminUserFactory(username="beheer")


def _row(n: int, *, family="Benali", decided="02-11-2026", nationality="MA") -> str:
    return f"{n:010d};{family};Youssef;14-03-1990;{nationality};IND;{decided};28;GM0363"


def _run(rows, *, team, administrator) -> CaseImport:
    content = ("\n".join([";".join(imports.HEADERS), *rows]) + "\n").encode()
    batch = CaseImport.objects.create(
        uploaded_by=administrator,
        team=team,
        category="asylum",
        file_name="zaken.csv",
        file_format="csv",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        rows_total=len(rows),
    )
    batch = imports.check_import(batch)
    assert not batch.summary["refused"], batch.rows
    batch.status, batch.confirmed_by = CaseImport.Status.IMPORTING, administrator
    batch.save()
    return imports.run_import(batch)


def _registered(n: int, team) -> Case:
    person = PersonFactory(
        v_nummer=f"{n:010d}",
        family_name="Benali",
        given_names="Youssef",
        birth_date=date(1990, 3, 14),
    )
    return CaseFactory(
        person=person,
        team=team,
        decision_on=date(2026, 10, 1),
        source="ind",
        phase=Case.Phase.REGISTERED,
    )


def test_changed_rows_update_persons_and_cases_each_with_before_and_after(team, administrator):
    cases = [_registered(n, team) for n in (101, 102, 103)]
    versions = {case.pk: case.version for case in cases}
    rows = [
        _row(101, family="Benali-Amrani"),  # a new name, the decision date and municipality
        _row(102, nationality="MA, DZ"),  # a nationality added
        _row(103),
    ]
    batch = _run(rows, team=team, administrator=administrator)
    assert batch.status == CaseImport.Status.IMPORTED, batch.error
    assert [r["action"] for r in batch.rows] == ["update"] * 3
    renamed = Person.objects.get(v_nummer="0000000101")
    assert renamed.family_name == "Benali-Amrani"
    assert "benali-amrani" in renamed.search_name or "benali amrani" in renamed.search_name
    entry = AuditEntry.objects.get(
        content_type__model="person", object_pk=str(renamed.pk), action=AuditEntry.Action.UPDATE
    )
    assert entry.changes["family_name"] == ["Benali", "Benali-Amrani"]
    assert entry.actor == administrator and entry.v_nummer == "0000000101"
    assert set(
        Nationality.objects.filter(person__v_nummer="0000000102").values_list("country", flat=True)
    ) == {"MA", "DZ"}
    added = AuditEntry.objects.get(
        content_type__model="nationality", action=AuditEntry.Action.CREATE, v_nummer="0000000102"
    )
    assert added.changes["country"] == ["None", "DZ"]
    for case in cases:
        case.refresh_from_db()
        assert case.decision_on == date(2026, 11, 2)
        assert case.municipality.code == "GM0363"
        assert case.version == versions[case.pk] + 1
        # The facts moved the case on, as for a case edited by hand: its term runs.
        assert case.term_ends_on == date(2026, 11, 30)
        assert case.phase != Case.Phase.REGISTERED
        assert PhaseChange.objects.filter(
            case=case, from_phase="registered", to_phase=case.phase, actor=administrator
        ).exists()
        change = AuditEntry.objects.get(
            content_type__model="case", object_pk=str(case.pk), action=AuditEntry.Action.UPDATE
        )
        assert change.changes["decision_on"] == ["2026-10-01", "2026-11-02"]
        assert change.changes["phase"][0] == "registered"
        assert change.actor == administrator


def test_the_same_file_twice_changes_nothing_the_second_time(team, administrator):
    _registered(101, team)
    _run([_row(101, family="Benali-Amrani")], team=team, administrator=administrator)
    entries = AuditEntry.objects.exclude(kind="view").count()
    again = _run([_row(101, family="Benali-Amrani")], team=team, administrator=administrator)
    assert [r["action"] for r in again.rows] == ["unchanged"]
    # Only the import's own entry is added.
    assert AuditEntry.objects.exclude(kind="view").count() == entries + 1


def test_the_queries_of_an_import_do_not_grow_with_its_rows(team, administrator):
    def measure(first: int, count: int) -> int:
        for n in range(first, first + count):
            _registered(n, team)
        rows = [_row(n, family="Benali-Amrani") for n in range(first, first + count)]
        rows += [_row(n + 5000) for n in range(first, first + count)]  # and as many new ones
        with CaptureQueriesContext(connection) as queries:
            batch = _run(rows, team=team, administrator=administrator)
        assert batch.status == CaseImport.Status.IMPORTED, batch.error
        assert Case.objects.filter(person__v_nummer=f"{first + 5000:010d}").exists()
        return len(queries)

    measure(100, 1)  # what a first import caches (content types)
    small = measure(200, 3)
    large = measure(300, 12)
    assert large == small


def test_bulk_create_entries_say_what_a_save_would(team, administrator):
    saved = PersonFactory(v_nummer="0000000901", family_name="Haddad", given_names="Lina")
    by_save = AuditEntry.objects.get(
        content_type__model="person", object_pk=str(saved.pk), action=AuditEntry.Action.CREATE
    )
    twin = Person(
        **{
            field.attname: getattr(saved, field.attname)
            for field in Person._meta.concrete_fields
            if not field.primary_key
        }
    )
    twin.v_nummer = "0000000902"
    insert_rows(Person, [twin])
    assert twin.pk is not None and Person.objects.get(pk=twin.pk).family_name == "Haddad"
    assert record_created([twin], actor=administrator) == 1
    by_bulk = AuditEntry.objects.get(
        content_type__model="person", object_pk=str(twin.pk), action=AuditEntry.Action.CREATE
    )
    # Every column with a value, written as the save() wrote it, timestamps included (the key
    # and V-number are the twin's own). A save's entry also names the reverse relations
    # ("cases.Case.None"), which say nothing; the bulk path leaves them out.
    columns = {
        field.name for field in Person._meta.concrete_fields if field.name not in ("id", "v_nummer")
    }
    assert any(isinstance(Person._meta.get_field(name), DateTimeField) for name in columns)
    assert {k: v for k, v in by_bulk.changes.items() if k in columns} == {
        k: v for k, v in by_save.changes.items() if k in columns and v[1] != "None"
    }
    assert by_bulk.changes["v_nummer"] == ["None", "0000000902"]
    assert by_bulk.v_nummer == "0000000902" and by_bulk.actor == administrator
    assert by_bulk.additional_data == {"v_nummer": "0000000902"}
    assert by_bulk.kind == AuditEntry.Kind.CREATE
