"""National-scale demo data for the benchmark: `seed_demo --cases N` with N above BULK_FROM
writes everything with bulk inserts (about 4 interviews, 1.5 obstacles and 1 procedure per case,
40 teams of 10 officers, 2,000 meetings); the cases whose pages the benchmark opens hold 20
documents each (documents.demo.bulk_documents). Demo rows are not officers' actions, so they
leave no audit entries. Idempotent: cases whose V-number exists are skipped.

On PostgreSQL the rows go in by COPY (psycopg 3's `cursor.copy()`), with their primary keys
taken from the tables' own sequences first, so the indexes and constraints stay in place and
are checked as for any insert; other databases get `bulk_create`. ANALYZE at the end."""

import multiprocessing
import os
import random
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from operator import attrgetter

from django.db import connection, connections, transaction
from django.utils import timezone

from cases import access as case_access
from cases.demo import (
    CATEGORIES,
    NATIONALITIES,
    OBSTACLES,
    PHASES,
    SOURCES,
    pick,
    reference_for,
    v_nummer_for,
)
from cases.models import Case, Language, Nationality, Obstacle, Person, Procedure, normalise_name
from directory.models import Municipality, Organisation
from dtv.accounts.demo import DEMO_PASSWORD
from dtv.accounts.models import Team, User
from dtv.accounts.roles import Role
from dtv.accounts.services import set_role
from interviews.models import Interview
from partners.models import AgendaItem, Meeting, MeetingParticipant

BULK_FROM = 5000
BATCH = 5000
TEAMS = 40
OFFICERS_PER_TEAM = 10
MEETINGS = 2000
# The case page the benchmark opens holds this many documents (issue 20).
DOCUMENTS_PER_CASE = 20
BENCH_OFFICER = "officer"


def _copyable() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model, count: int) -> list[int]:
    """`count` primary keys from the table's own sequence (as INSERT would take them)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


# Fields whose Python values psycopg writes as they are (get_db_prep_save adds nothing for
# these but a call per value); the others go through get_db_prep_save.
PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _row_maker(fields, pre_save: bool):
    """A function instance -> list of database values for `fields`, as an INSERT of
    bulk_create would write them."""
    db = connections[connection.alias]
    getters = []
    for field in fields:
        auto = pre_save and (
            getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        )
        if field.get_internal_type() in PLAIN_TYPES and not auto:
            getters.append(attrgetter(field.attname))
        elif auto:
            getters.append(lambda obj, f=field: f.get_db_prep_save(f.pre_save(obj, True), db))
        else:
            getters.append(lambda obj, f=field: f.get_db_prep_save(getattr(obj, f.attname), db))
    return lambda obj: [get(obj) for get in getters]


def copy_rows(model, objects: Sequence) -> None:
    """Write new model instances as bulk_create would (field defaults and pre_save, the
    database values of every concrete field), by COPY on PostgreSQL; the instances get
    their primary keys first, so later rows can point at them."""
    if not objects:
        return
    if not _copyable():
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    missing = [obj for obj in objects if obj.pk is None]
    for obj, value in zip(missing, reserve_ids(model, len(missing)), strict=True):
        obj.pk = value
    fields = list(model._meta.concrete_fields)
    row = _row_maker(fields, pre_save=True)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row(row(obj))
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def update_rows(model, objects: Sequence, field_names: list[str]) -> None:
    """Set `field_names` of existing rows from the instances: COPY into a temporary table,
    then one UPDATE ... FROM (Django's bulk_update builds a CASE per field and row, which
    costs more than the rest of the seed at this scale). Other databases: bulk_update."""
    if not objects:
        return
    if not _copyable():
        model._base_manager.bulk_update(objects, field_names, batch_size=BATCH)
        return
    meta = model._meta
    fields = [meta.pk] + [meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    # Only names from the model's meta, quoted, go into the statements.
    table, key = quote(meta.db_table), quote(meta.pk.column)
    columns = ", ".join(quote(field.column) for field in fields)
    assignments = ", ".join(
        f"{quote(field.column)} = demo_update.{quote(field.column)}" for field in fields[1:]
    )
    create = f"CREATE TEMPORARY TABLE demo_update AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608, E501
    update = (
        f"UPDATE {table} SET {assignments} FROM demo_update WHERE {table}.{key} = demo_update.{key}"  # noqa: S608, E501
    )
    row = _row_maker(fields, pre_save=False)
    with connection.cursor() as cursor:
        cursor.execute(create)
        with cursor.cursor.copy(f"COPY demo_update ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row(row(obj))
        cursor.execute(update)
        cursor.execute("DROP TABLE demo_update")


def ensure_staff(ctx) -> dict[int, list[int]]:
    """40 teams of 10 officers (the demo teams Noord and Zuid among them)."""
    teams = list(ctx.teams.values())
    for index in range(len(teams), TEAMS):
        team, _created = Team.objects.get_or_create(
            name=f"Team {index + 1:02d}", defaults={"region": f"Regio {index % 8 + 1}"}
        )
        teams.append(team)
    hashed = None
    officers: dict[int, list[int]] = {}
    for team in teams:
        members = list(User.objects.officers().filter(team=team).values_list("pk", flat=True))
        missing = OFFICERS_PER_TEAM - len(members)
        for number in range(missing):
            username = f"bench-{team.pk}-{number}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, first_name="Regievoerder", last_name=username)
                if hashed is None:
                    user.set_password(DEMO_PASSWORD)
                    hashed = user.password
                user.password = hashed
                user.save()
            set_role(user, Role.OFFICER, team=team)
            members.append(user.pk)
        officers[team.pk] = members
    return officers


# From this many new cases on PostgreSQL the batches are built and written by worker
# processes, one per core (at most four), each batch in its own transaction.
PARALLEL_FROM = 50_000
_SHARED: tuple = ()


def seed(ctx) -> None:
    """The bulk seed. seed_demo calls it outside a transaction: the staff is committed before
    any worker process starts, and each batch of cases commits on its own (a seed broken off
    half way is completed by running it again: existing V-numbers are skipped)."""
    global _SHARED
    rng = random.Random(ctx.rng.random())  # noqa: S311 - demo data, not security
    today = ctx.today
    with transaction.atomic():
        officers = ensure_staff(ctx)
    team_ids = list(officers)
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    big_cities = list(
        Municipality.objects.filter(
            code__in=["GM0363", "GM0599", "GM0518", "GM0344", "GM0014"]
        ).values_list("pk", flat=True)
    )
    coa = list(Organisation.objects.reception_locations().values_list("pk", flat=True))
    existing = set(
        Person.objects.filter(
            v_nummer__gte=v_nummer_for(0), v_nummer__lte=v_nummer_for(ctx.cases)
        ).values_list("v_nummer", flat=True)
    )
    batches = []
    for start in range(0, ctx.cases, BATCH):
        indices = [
            i
            for i in range(start, min(start + BATCH, ctx.cases))
            if v_nummer_for(i) not in existing
        ]
        if indices:
            batches.append((start, indices))
    # Each batch draws from its own generator, so the data do not depend on which process
    # wrote which batch.
    _SHARED = (rng.randrange(2**32), today, officers, team_ids, municipalities, big_cities, coa)
    created = sum(len(indices) for _start, indices in batches)
    jobs = min(4, os.cpu_count() or 1)
    parallel = (
        created >= PARALLEL_FROM
        and jobs > 1
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )
    if parallel:
        # Each worker opens its own connection; the parent's must not cross the fork.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        workers = [
            context.Process(target=_batches_in_child, args=(batches[job::jobs],))
            for job in range(jobs)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        if any(worker.exitcode != 0 for worker in workers):
            raise RuntimeError("a worker process of the bulk seed failed")
    else:
        for batch in batches:
            _one_batch(batch)
    with transaction.atomic():
        _meetings(rng, today, team_ids, big_cities or municipalities)
    documents = _documents(rng, today)
    if (created or documents) and connection.vendor == "postgresql":
        # Planner statistics for the freshly loaded tables, as after any bulk load: without
        # them PostgreSQL guesses row counts and picks sequential scans until autovacuum
        # gets round to it.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    ctx.say(f"bulk: {created} cases, {documents} documents")


def _documents(rng, today) -> int:
    """DOCUMENTS_PER_CASE documents on every case of the first page of the benchmark officer's
    open cases: bench/cost.py and the load generator (bench/locustfile.py) open the case pages
    linked from that page. Taken as the case list takes it (the same filter, sort and page
    size), so the pages opened are the pages with the documents."""
    from cases.filters import CaseFilter, apply_sort
    from cases.views import PAGE_SIZE
    from documents.demo import bulk_documents

    officer = User.objects.filter(username=BENCH_OFFICER).first()
    if officer is None:
        return 0
    listed = CaseFilter(
        {"status": "open"}, queryset=Case.objects.visible_to(officer), user=officer
    ).qs
    first_page = list(apply_sort(listed, "").select_related("person")[:PAGE_SIZE])
    with transaction.atomic():
        return bulk_documents(first_page, per_case=DOCUMENTS_PER_CASE, today=today, rng=rng)


def _batches_in_child(batches) -> None:
    try:
        for batch in batches:
            _one_batch(batch)
    finally:
        connections.close_all()


def _one_batch(batch) -> None:
    start, indices = batch
    base, today, officers, team_ids, municipalities, big_cities, coa = _SHARED
    rng = random.Random(base + start)  # noqa: S311 - demo data, not security
    with transaction.atomic():
        _batch(rng, today, indices, officers, team_ids, municipalities, big_cities, coa)


def _one_open_per_kind(obstacle, open_kinds: set, today) -> None:
    # A case has one open obstacle per kind (constraint obstacle_one_open_per_category): a
    # second draw of an open kind is seeded as resolved, without drawing again.
    if obstacle.status != Obstacle.Status.OPEN or obstacle.category == Obstacle.Category.OTHER:
        return
    key = (id(obstacle.case), obstacle.category)
    if key in open_kinds:
        obstacle.status = Obstacle.Status.RESOLVED
        obstacle.resolved_on = min(today, obstacle.identified_on + timedelta(days=14))
        obstacle.resolution = "Opgelost."
    else:
        open_kinds.add(key)


def _batch(rng, today, indices, officers, team_ids, municipalities, big_cities, coa) -> int:
    persons, facts = [], []
    for index in indices:
        country, _w, languages, families, givens = pick(rng, [(r, r[1]) for r in NATIONALITIES])
        family, given = rng.choice(families), rng.choice(givens)
        persons.append(
            Person(
                v_nummer=v_nummer_for(index),
                family_name=family,
                given_names=given,
                birth_date=today - timedelta(days=rng.randint(17 * 365, 55 * 365)),
                sex=rng.choice([Person.Sex.MALE, Person.Sex.MALE, Person.Sex.FEMALE]),
                needs_interpreter=rng.random() < 0.75,
                search_name=normalise_name(f"{given} {family}"),
            )
        )
        facts.append((country, languages))
    copy_rows(Person, persons)
    nationalities, spoken, cases = [], [], []
    for index, person, (country, languages) in zip(indices, persons, facts, strict=True):
        nationalities.append(Nationality(person=person, country=country))
        spoken.append(Language(person=person, code=languages[0]))
        team = rng.choice(team_ids)
        phase = pick(rng, PHASES)
        opened_on = today - timedelta(days=rng.randint(5, 900))
        case = Case(
            person=person,
            reference=reference_for(index),
            source=pick(rng, SOURCES),
            category=pick(rng, CATEGORIES),
            phase=phase,
            team_id=team,
            officer_id=rng.choice(officers[team]),
            municipality_id=rng.choice(big_cities if rng.random() < 0.3 else municipalities),
            reception_location_id=rng.choice(coa) if coa else None,
            opened_on=opened_on,
            decision_on=opened_on - timedelta(days=rng.randint(0, 30)),
        )
        if phase == Case.Phase.CLOSED:
            case.closed_on = min(today, opened_on + timedelta(days=rng.randint(30, 400)))
            case.closure_reason = rng.choice(
                ["without_supervision", "independent_proven", "forced", "dublin_transfer"]
            )
        cases.append(case)
    copy_rows(Nationality, nationalities)
    copy_rows(Language, spoken)
    copy_rows(Case, cases)
    procedures, obstacles, interviews = [], [], []
    open_kinds: set[tuple[int, str]] = set()
    for case in cases:
        filed = case.decision_on + timedelta(days=rng.randint(3, 25))
        decided = case.phase not in (Case.Phase.REGISTERED, Case.Phase.PROCEDURE_PENDING)
        ruling = min(today, filed + timedelta(days=rng.randint(30, 200))) if decided else None
        procedures.append(
            Procedure(
                case=case,
                type=Procedure.Type.APPEAL,
                court="Rechtbank Den Haag",
                case_number=f"NL{filed:%y}.{rng.randint(1000, 99999)}",
                filed_on=min(filed, today),
                hearing_on=ruling - timedelta(days=7)
                if ruling and ruling - timedelta(days=7) >= filed
                else None,
                ruling_on=ruling if ruling and ruling >= filed else None,
                final_on=ruling if ruling and ruling >= filed else None,
                outcome=Procedure.Outcome.DISMISSED if ruling and ruling >= filed else "pending",
                suspensive=True,
            )
        )
        for _ in range(rng.choices([0, 1, 2, 3], weights=[15, 40, 30, 15], k=1)[0]):
            identified = max(case.opened_on, today - timedelta(days=rng.randint(1, 300)))
            resolved = rng.random() < 0.4
            obstacles.append(
                Obstacle(
                    case=case,
                    category=pick(rng, OBSTACLES),
                    status=Obstacle.Status.RESOLVED if resolved else Obstacle.Status.OPEN,
                    identified_on=identified,
                    resolved_on=min(today, identified + timedelta(days=rng.randint(3, 90)))
                    if resolved
                    else None,
                    resolution="Opgelost." if resolved else "",
                )
            )
            _one_open_per_kind(obstacles[-1], open_kinds, today)
        day = case.opened_on + timedelta(days=rng.randint(2, 12))
        end = case.closed_on or today
        for stage in ("intake", "progress", "progress", "post_ruling"):
            if day > end:
                break
            interviews.append(
                Interview(
                    case=case,
                    stage=stage,
                    held_at=timezone.make_aware(datetime.combine(day, time(10))),
                    attitude=rng.choice(["cooperative", "undecided", "refusing", "unknown"]),
                    check_medical="nothing",
                    check_trafficking="nothing",
                    check_hardship="nothing",
                    report="Gesprek gevoerd.",
                    created_by_id=case.officer_id,
                )
            )
            day += timedelta(days=rng.randint(20, 70))
    copy_rows(Procedure, procedures)
    copy_rows(Obstacle, obstacles)
    copy_rows(Interview, interviews)
    return len(cases)


def _meetings(rng, today, team_ids, municipalities) -> None:
    # "OV-0…": random references never contain a 0, so these cannot collide.
    have = Meeting.objects.filter(reference__startswith="OV-0").count()
    if have >= MEETINGS:
        return
    chairs = dict(
        User.objects.filter(team_id__in=team_ids, pk__in=case_access.case_officers().values("pk"))
        .order_by("team_id", "pk")
        .values_list("team_id", "pk")
    )
    avim = Organisation.objects.filter(kind="avim").first()
    meetings = []
    for number in range(have, MEETINGS):
        team = rng.choice(team_ids)
        starts = timezone.make_aware(
            datetime.combine(today + timedelta(days=rng.randint(-300, 60)), time(10))
        )
        upcoming = starts.date() >= today
        meetings.append(
            Meeting(
                reference=f"OV-0{number:05d}",
                municipality_id=rng.choice(municipalities),
                starts_at=starts,
                chair_id=chairs[team],
                team_id=team,
                status=Meeting.Status.AGENDA_PREPARATION if upcoming else Meeting.Status.HELD,
                agenda_sent_at=None if upcoming else starts - timedelta(days=7),
                held_at=None if upcoming else starts,
            )
        )
    copy_rows(Meeting, meetings)
    if avim is not None:
        MeetingParticipant.objects.bulk_create(
            [MeetingParticipant(meeting=m, organisation=avim) for m in meetings],
            batch_size=BATCH,
        )
    items = []
    for meeting in meetings:
        picks = (
            list(
                Case.objects.filter(
                    team_id=meeting.team_id, municipality_id=meeting.municipality_id
                ).values_list("pk", flat=True)[:3]
            )
            if len(items) < 6000
            else []
        )
        for position, case_id in enumerate(picks, start=1):
            items.append(AgendaItem(meeting=meeting, case_id=case_id, position=position))
    AgendaItem.objects.bulk_create(items, batch_size=BATCH, ignore_conflicts=True)
