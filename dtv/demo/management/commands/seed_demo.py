import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
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
            with transaction.atomic():
                seed(ctx)
        refresh_derived_fields(ctx.today)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))


def refresh_derived_fields(today, batch_size=2000) -> None:
    """The phase the facts give and the stored deadline fields of every open case, from the
    apps' providers, in batches with the relations prefetched (they read them with .all())."""
    from cases import registry
    from cases.models import Case
    from cases.services import FACT_PHASES

    open_ids = list(Case.objects.open().order_by("pk").values_list("pk", flat=True))
    fields = None
    for start in range(0, len(open_ids), batch_size):
        batch = list(
            Case.objects.filter(pk__in=open_ids[start : start + batch_size]).prefetch_related(
                "procedures",
                "interviews",
                # Joint interviews of a household count in each member's plan.
                "interview_participations__interview",
                "measures__court_reviews",
                "travel_documents",
            )
        )
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
            # Demo data, not an officer's change: written in bulk through the base manager,
            # which the audited manager's refusal of bulk writes does not cover.
            Case._base_manager.bulk_update(changed, fields, batch_size=batch_size)
