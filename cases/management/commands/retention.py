from django.core.management.base import BaseCommand, CommandError

from cases import retention


class Command(BaseCommand):
    help = "Anonymise closed cases past the retention period (RETENTION_DAYS_AFTER_CLOSING)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only list what would go")

    def handle(self, *args, dry_run, **options):
        if dry_run:
            persons = list(retention.eligible().prefetch_related("cases"))
            for person in persons:
                cases = ", ".join(f"{c.reference} ({c.closed_on})" for c in person.cases.all())
                self.stdout.write(f"{person.v_nummer}: {cases}")
            self.stdout.write(f"{len(persons)} person(s) would be anonymised.")
            return
        done, failed = retention.run_all()
        self.stdout.write(f"{done} person(s) anonymised.")
        if failed:
            raise CommandError(f"{failed} person(s) could not be anonymised; see the log.")
