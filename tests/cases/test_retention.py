"""Retention anonymises everything held about a person, on SQLite and PostgreSQL alike."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cases import retention
from cases.models import Alias, Case, HouseholdLink, Person
from dtv.audit import graph
from dtv.audit.models import AuditEntry
from dtv.audit.services import record_bulk_access
from interviews.models import Interview, InterviewAttendee
from tests.audit import dossier
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

TEXT_TYPES = ("char", "text", "json", "clob", "varchar")


def _text_columns():
    """(table, column) for every text-like column of every table, from the database itself."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                type_name = (
                    connection.introspection.get_field_type(column.type_code, column) or ""
                ).lower()
                if any(kind in type_name for kind in TEXT_TYPES):
                    found.append((table, column.name))
    return found


def _occurrences(needles):
    """Every (table, column, needle) where a needle occurs, case-insensitively."""
    quote = connection.ops.quote_name
    hits = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            for needle in needles:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 - names from the schema
                    f"WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",
                    [f"%{needle.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append((table, column, needle))
    return hits


def _snapshot():
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def test_every_record_kind_of_the_graph_is_in_the_dossier(officer):
    """The fixture below must cover every relation the graph follows; a new relation to the
    person or their case makes this fail until the dossier has a record of it."""
    person, _relative, _case = dossier.build(officer)
    found = {obj._meta.label for _relation, obj in graph.walk(person)}
    reachable, todo = set(), [Person]
    while todo:
        model = todo.pop()
        if model._meta.label in reachable:
            continue
        reachable.add(model._meta.label)
        todo.extend(relation.related_model for relation in graph.reverse_relations(model))
    assert reachable - found == set()


def test_retention_leaves_no_name_or_v_number_anywhere(client, officer, settings):
    settings.RETENTION_DAYS_AFTER_CLOSING = 30
    person, relative, case = dossier.build(officer)
    old_v_nummer = person.v_nummer
    client.force_login(officer)
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 200
    record_bulk_access(
        type("R", (), {"user": officer, "META": {}})(),
        Case,
        count=2,
        kind="export",
        purpose="cases:export",
        v_nummers=[old_v_nummer, relative.v_nummer],
    )
    needles = [*dossier.NAMES, old_v_nummer]
    assert {table for table, _c, _n in _occurrences(needles)} >= {
        "cases_person",
        "interviews_interview",
        AuditEntry._meta.db_table,
    }

    assert retention.run() == 1

    assert _occurrences(needles) == []
    person.refresh_from_db()
    assert person.family_name == retention.ANONYMOUS and person.given_names == ""
    assert person.v_nummer != old_v_nummer and len(person.v_nummer) == 10
    assert not Alias.objects.filter(person=person).exists()
    assert not HouseholdLink.objects.filter(person=relative).exists()
    # The statistics stay: the closure, the nationality, the interview's language code.
    case.refresh_from_db()
    assert case.closure_reason == Case.ClosureReason.WITHOUT_SUPERVISION
    assert list(person.nationalities.values_list("country", flat=True)) == ["MA"]
    interview = Interview.objects.get(case=case)
    assert interview.interpreter_language == "ara" and interview.interpreter_presence == "present"
    # A constraint that needs a name (the interpreter, an outside attendee) keeps a dash.
    assert interview.interpreter_name == retention.REDACTED
    assert InterviewAttendee.objects.get(interview=interview, user=None).name == retention.REDACTED
    # The log keeps who saw the case and when, now under the pseudonym.
    views = AuditEntry.objects.filter(kind="view", v_nummer=person.v_nummer)
    assert list(views.values_list("actor__username", flat=True)) == ["officer"]
    export = AuditEntry.objects.get(purpose="cases:export")
    assert export.additional_data["v_nummers"] == [person.v_nummer, relative.v_nummer]
    relative.refresh_from_db()
    assert relative.family_name == "Anders"

    before = _snapshot()
    assert retention.run() == 0
    assert _snapshot() == before


def test_retention_command_on_demo_data_anonymises_everyone_eligible(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.RETENTION_DAYS_AFTER_CLOSING = 1
    eligible = retention.eligible().count()
    assert eligible > 0
    call_command("retention")
    assert f"{eligible} person(s) anonymised." in capsys.readouterr().out
    assert retention.eligible().count() == 0
    assert Person.objects.filter(anonymised_at__isnull=False).count() == eligible


def test_one_person_failing_leaves_them_whole_and_the_others_go_ahead(
    officer, settings, monkeypatch
):
    settings.RETENTION_DAYS_AFTER_CLOSING = 30
    first, _r1, _c1 = dossier.build(officer)
    original = retention._scrub

    def failing(obj):
        if getattr(obj, "case_id", None) == _c1.pk and isinstance(obj, Interview):
            raise RuntimeError("disk full")
        return original(obj)

    other = CaseFactory(
        team=officer.team,
        opened_on=_c1.opened_on,
        phase="closed",
        closed_on=_c1.closed_on,
        closure_reason="forced",
    )
    monkeypatch.setattr(retention, "_scrub", failing)
    assert retention.run_all() == (1, 1)
    other.person.refresh_from_db()
    assert other.person.anonymised_at is not None
    first.refresh_from_db()
    assert first.anonymised_at is None and first.family_name == dossier.FAMILY
    assert Alias.objects.filter(person=first).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_lets_retention_rewrite_contents_but_never_who_or_when(officer):
    from django.db import DatabaseError, models, transaction

    case = CaseFactory(team=officer.team, officer=officer)
    entry = AuditEntry.objects.filter(v_nummer=case.person.v_nummer).first()
    raw = models.QuerySet(model=AuditEntry).filter(pk=entry.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw.update(object_repr="x")  # outside retention: refused
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('dtv.audit_pseudonymise', 'on', true)")
        raw.update(object_repr="x")  # retention may rewrite what an entry says
        with pytest.raises(DatabaseError), transaction.atomic():
            raw.update(actor=officer if entry.actor_id is None else None)  # never who did it
        with pytest.raises(DatabaseError), transaction.atomic():
            raw.delete()
