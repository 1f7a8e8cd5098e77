import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from departure import reminders
from dtv.env import env_int


class Command(BaseCommand):
    help = (
        "Run the reminder sweep in-process, for installations without Redis and Celery beat. "
        "With --once it runs one sweep and stops; otherwise it sweeps every --interval seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run a single sweep and stop")
        parser.add_argument(
            "--interval",
            type=int,
            default=env_int("REMINDER_INTERVAL_SECONDS", 15 * 60),
            help="seconds between sweeps (default: REMINDER_INTERVAL_SECONDS or 900)",
        )
        parser.add_argument(
            "--date",
            dest="sweep_date",
            default="",
            help="sweep as if today were this date (YYYY-MM-DD), for demonstrations",
        )

    def handle(self, *args, once, interval, sweep_date, **options):
        today = None
        if sweep_date:
            try:
                today = date.fromisoformat(sweep_date)
            except ValueError:
                raise CommandError("--date must be a date as YYYY-MM-DD.") from None
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        while True:
            counts = reminders.send_due_reminders(today=today)
            self.stdout.write(
                "reminders: {created} new, {escalated} escalated, {lapsed} terms lapsed, "
                "{emailed} e-mails".format(**counts)
            )
            if once:
                return
            time.sleep(interval)
