"""Recompute the stored deadline fields of every open case from its facts (term end, next
interview, the most urgent deadline the worklist is ordered by). Run once after a deploy that
adds such a field or changes a rule; the services keep them current after that."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases import registry
from cases.models import Case


class Command(BaseCommand):
    help = "Recompute the stored deadline fields of every open case."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, batch_size, **options):
        today = timezone.localdate()
        ids = list(Case.objects.open().order_by("pk").values_list("pk", flat=True))
        changed = 0
        for start in range(0, len(ids), batch_size):
            batch = list(Case.objects.filter(pk__in=ids[start : start + batch_size]))
            registry.prefetch_for_derived(batch)
            moved, fields = [], set()
            for case in batch:
                values = registry.derived_fields(case, today=today)
                names = [name for name, value in values.items() if getattr(case, name) != value]
                for name in names:
                    setattr(case, name, values[name])
                if names:
                    moved.append(case)
                    fields.update(names)
            if moved:
                # Derived from facts already audited, not a change by anyone: the base
                # manager, as the reminder sweep's refresh (the audited one refuses bulk).
                Case._base_manager.bulk_update(moved, sorted(fields))
            changed += len(moved)
        self.stdout.write(f"{changed} of {len(ids)} open cases updated.")
