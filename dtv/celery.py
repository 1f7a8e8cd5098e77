import os

from celery import Celery
from celery.schedules import crontab

from dtv.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dtv.settings")

app = Celery("dtv")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule lives here and nowhere else. Beat runs as exactly one process; every task
# it starts is idempotent, so a second beat or a redelivered message does no harm. Crontab
# hours are Amsterdam time (CELERY_TIMEZONE), summer and winter alike.
app.conf.beat_schedule = {
    # Finds due deadline reminders and escalations; unique keys make repeats harmless.
    "send-due-reminders": {
        "task": "departure.tasks.send_due_reminders",
        "schedule": float(env_int("REMINDER_INTERVAL_SECONDS", 15 * 60)),
    },
    # Anonymises closed cases past the retention period; idempotent, daily at 02:30.
    "anonymise-expired-cases": {
        "task": "cases.tasks.anonymise_expired_cases",
        "schedule": crontab(hour=2, minute=30),
    },
    # Tells the auditors about unusual access of the past week, Mondays at 07:30.
    "report-unusual-access": {
        "task": "privacy.tasks.report_unusual_access",
        "schedule": crontab(hour=7, minute=30, day_of_week=1),
    },
    # Scans again the uploads the virus scanner could not answer for (they stay in quarantine,
    # invisible to others, until clamd gives a verdict), every five minutes.
    "rescan-pending-documents": {
        "task": "documents.tasks.rescan_pending_documents",
        "schedule": float(env_int("DOCUMENT_RESCAN_INTERVAL_SECONDS", 5 * 60)),
    },
    # Removes files of the document storage that no version names (an upload whose database
    # transaction rolled back after its file was written), nightly at 03:15.
    "sweep-document-orphans": {
        "task": "documents.tasks.sweep_document_orphans",
        "schedule": crontab(hour=3, minute=15),
    },
    # Sends the daily e-mail digest to officers who chose one, at 07:00 Amsterdam time.
    "send-daily-digests": {
        "task": "dtv.notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
}
