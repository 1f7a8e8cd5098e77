import importlib
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from dtv.demo.context import DemoContext

# Each app seeds its own data, in the import order of the house plan (lowest first).
SEEDERS = [
    "dtv.accounts.demo",
    "partners.demo",
    "cases.demo",
    "interviews.demo",
    "departure.demo",
    "partners.meetings_demo",
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
        for module_name in SEEDERS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            with transaction.atomic():
                module.seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
