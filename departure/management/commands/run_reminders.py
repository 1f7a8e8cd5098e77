import time

from django.core.management.base import BaseCommand

from departure import reminders


class Command(BaseCommand):
    help = (
        "Run the reminder sweep in-process (for installations without Redis and Celery beat). "
        "With --once it runs one sweep; otherwise every --interval seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run a single sweep and stop")
        parser.add_argument("--interval", type=int, default=900, help="seconds between sweeps")

    def handle(self, *args, once, interval, **options):
        while True:
            counts = reminders.send_due_reminders()
            self.stdout.write(
                "reminders: {created} new, {escalated} escalated, {lapsed} terms lapsed, "
                "{emailed} e-mails".format(**counts)
            )
            if once:
                return
            time.sleep(max(interval, 10))
