import multiprocessing
import os
import random
import resource
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from dtv.demo import bulk
from dtv.demo.context import DemoContext

# Each app seeds its own data, in the import order of the house plan (lowest first).
SEEDERS = [
    "dtv.accounts.demo",
    "partners.demo",
    "cases.demo",
    "documents.demo",
    "interviews.demo",
    "departure.demo",
    "partners.meetings_demo",
    "dtv.reports.demo",
    "cases.import_demo",
    "letters.demo",
]


class Command(BaseCommand):
    help = "Create demo data that looks like the real work. Idempotent: a second run adds nothing."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=120, help="number of cases (default 120)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="create the demo accounts even with DEBUG off",
        )

    def handle(self, *args, cases, seed, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to create demo accounts with a known password while DEBUG is off. "
                "Pass --allow-production if this really is a demo installation."
            )
        if cases < 0:
            raise CommandError("--cases must be zero or more.")
        ctx = DemoContext(
            rng=random.Random(seed),
            today=timezone.localdate(),
            cases=cases,
            stdout=self.stdout,
        )
        seeders = SEEDERS
        if cases > bulk.BULK_FROM:
            # National scale (the benchmark): the same kinds of rows, written in bulk.
            seeders = ["dtv.accounts.demo", "partners.demo", "dtv.demo.bulk"]
        for module_name in seeders:
            try:
                seed = import_string(f"{module_name}.seed")
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            started = _clock()
            if module_name == "dtv.demo.bulk":
                # The bulk seed keeps its own transactions (one per batch, in worker
                # processes at scale).
                seed(ctx)
            else:
                with transaction.atomic():
                    seed(ctx)
            if cases > bulk.BULK_FROM:
                self._phase(module_name, started)
        started = _clock()
        refresh_derived_fields(ctx.today)
        if cases > bulk.BULK_FROM:
            self._phase("derived fields", started)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _phase(self, name, started) -> None:
        """The wall time of a phase of a national-scale seed, and the CPU time of this process
        and of the worker processes it waited for (PostgreSQL's own work is in neither)."""
        wall, cpu = (now - then for now, then in zip(_clock(), started, strict=True))
        self.stdout.write(f"{name}: {wall:.1f} s")
        self.stdout.write(f"{name} cpu: {cpu:.1f} s")


def _clock() -> tuple[float, float]:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.monotonic(), time.process_time() + children.ru_utime + children.ru_stime


# Open cases from which the refresh is shared out over worker processes (PostgreSQL only):
# the providers' Python work, about 1.5-2 ms a case, is most of a national-scale seed.
PARALLEL_FROM = 50_000


def refresh_derived_fields(today, batch_size=2000, jobs=None) -> None:
    """The phase the facts give and the stored deadline fields of every open case, from the
    apps' providers, in batches with the relations prefetched (they read them with .all()).
    With many open cases on PostgreSQL, `jobs` processes (default: one per core, at most 4)
    each take every jobs-th batch."""
    from cases.models import Case

    open_ids = list(Case.objects.open().order_by("pk").values_list("pk", flat=True))
    batches = [
        open_ids[start : start + batch_size] for start in range(0, len(open_ids), batch_size)
    ]
    if jobs is None:
        jobs = min(4, os.cpu_count() or 1)
    if jobs < 2 or len(open_ids) < PARALLEL_FROM or connection.vendor != "postgresql":
        _refresh_batches(batches, today, batch_size)
        return
    # Each child opens its own connection; the parent's must not be shared across the fork.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    children = [
        context.Process(target=_refresh_child, args=(batches[job::jobs], today, batch_size))
        for job in range(jobs)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join()
    failed = [child.exitcode for child in children if child.exitcode != 0]
    if failed:
        raise CommandError(f"refreshing the derived fields failed in {len(failed)} process(es)")


def _refresh_child(batches, today, batch_size) -> None:
    try:
        _refresh_batches(batches, today, batch_size)
    finally:
        connections.close_all()


def _refresh_batches(batches, today, batch_size) -> None:
    from cases import registry
    from cases.models import Case
    from cases.services import FACT_PHASES

    fields = None
    for ids in batches:
        batch = _with_relations(list(Case.objects.filter(pk__in=ids)))
        changed = []
        for case in batch:
            verdict = registry.phase_verdict(case, today=today)
            moved = verdict is not None and case.phase in FACT_PHASES
            moved = moved and verdict.phase != case.phase
            if moved:
                # The seeders draw a phase first; the facts they then write have the last word
                # (and the derived fields below follow the phase).
                case.phase = verdict.phase
            values = {"phase": case.phase, **registry.derived_fields(case, today=today)}
            fields = fields or list(values)
            if moved or any(getattr(case, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(case, name, value)
                changed.append(case)
        if changed:
            # Demo data, not an officer's change: written in bulk (one UPDATE ... FROM a copied
            # temporary table on PostgreSQL, the base manager's bulk_update elsewhere), which
            # the audited manager's refusal of bulk writes does not cover.
            with transaction.atomic():
                bulk.update_rows(Case, changed, fields)


class _Rows(list):
    """A relation's rows as prefetch_related leaves them for `.all()`, without a queryset
    per case and relation (Django's prefetch builds one for each: about half of the CPU of
    the refresh). The providers read the relations with .all() only."""

    def all(self):
        return self


# The relations the providers read (cases.registry.register_derived's prefetch): the
# model, its foreign key to the case and the case's accessor, as prefetch_related would.
def _with_relations(cases):
    from cases.models import Procedure
    from departure.models import CourtReview, Measure, TravelDocumentRequest
    from interviews.models import Interview, InterviewParticipant

    ids = [case.pk for case in cases]
    rows = {
        "procedures": Procedure._default_manager.filter(case_id__in=ids),
        "interviews": Interview._default_manager.filter(case_id__in=ids),
        # Joint interviews of a household count in each member's plan.
        "interview_participations": InterviewParticipant._default_manager.filter(
            case_id__in=ids
        ).select_related("interview"),
        "measures": Measure._default_manager.filter(case_id__in=ids),
        "travel_documents": TravelDocumentRequest._default_manager.filter(case_id__in=ids),
    }
    grouped = {}
    for name, queryset in rows.items():
        by_case = grouped[name] = {}
        for row in queryset:
            by_case.setdefault(row.case_id, _Rows()).append(row)
    reviews = {}
    measures = [m for found in grouped["measures"].values() for m in found]
    for review in CourtReview._default_manager.filter(measure_id__in=[m.pk for m in measures]):
        reviews.setdefault(review.measure_id, _Rows()).append(review)
    for measure in measures:
        measure._prefetched_objects_cache = {"court_reviews": reviews.get(measure.pk, _Rows())}
    for case in cases:
        case._prefetched_objects_cache = {
            name: by_case.get(case.pk, _Rows()) for name, by_case in grouped.items()
        }
    return cases
