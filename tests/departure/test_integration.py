"""A real Celery worker and beat against the local Redis and the PostgreSQL test database: a
case whose departure term lapsed is found by the beat-driven sweep, its officer is notified
once (however many beats follow), and the team lead gets the escalation once.

The beat ticks every second (REMINDER_INTERVAL_SECONDS) and the escalation grace period is set
to 0 working days (REMINDER_ESCALATION_WORKING_DAYS) so that the test does not wait three
days; the working-day arithmetic itself is pinned in test_reminders.py with time-machine."""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from cases.models import Case
from dtv.notifications.models import Notification
from tests.accounts.factories import OfficerFactory, TeamLeadFactory
from tests.cases.factories import CaseFactory, store_derived

ROOT = Path(__file__).resolve().parent.parent.parent
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# A Redis database number the rest of the suite and the running app do not use.
REDIS_DB = 13
SWEEPS_TO_SEE = 3
TIMEOUT = 45


def _redis_up() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.integration,
    pytest.mark.xdist_group("celery-integration"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the worker needs the PostgreSQL test database"
    ),
    pytest.mark.skipif(not _redis_up(), reason="Redis is not reachable on 127.0.0.1:6379"),
]


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _env(tmp_path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "PYTEST_", "REMINDER_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "dtv.settings",
            "SECRET_KEY": "integration-test-only-secret-key-0123456789abcdefghijklmnop",
            "DEBUG": "0",
            "DATABASE_URL": _database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
            "REMINDER_INTERVAL_SECONDS": "1",
            "REMINDER_ESCALATION_WORKING_DAYS": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        }
    )
    return env


def _start(args, env, log_path):
    with log_path.open("wb") as log:
        # The child keeps its own copy of the file descriptor.
        return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "celery", "-A", "dtv", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(process) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def _sweeps_done(log_path) -> int:
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    return sum(
        1
        for line in text.splitlines()
        if "departure.tasks.send_due_reminders" in line and "succeeded" in line
    )


def _emails(mail_dir) -> list[str]:
    subjects = []
    for path in sorted(Path(mail_dir).glob("*")):
        subjects += [
            line
            for line in path.read_text(errors="replace").splitlines()
            if line.startswith("Subject:")
        ]
    return subjects


def _flush_queue() -> None:
    import redis

    redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB).flushdb()


@pytest.mark.django_db(transaction=True)
def test_worker_and_beat_notify_once_and_escalate_once(team, tmp_path):
    lead = TeamLeadFactory(team=team)
    team.lead = lead
    team.save(update_fields=["lead"])
    officer = OfficerFactory(team=team)
    today = timezone.localdate()
    case = CaseFactory(
        team=team,
        officer=officer,
        phase=Case.Phase.TERM_RUNNING,
        opened_on=today - timedelta(days=60),
        decision_on=today - timedelta(days=31),  # the 28-day term lapsed three days ago
    )
    store_derived(case, today=today)
    assert case.term_ends_on == today - timedelta(days=3)

    _flush_queue()
    env = _env(tmp_path)
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    worker = _start(
        [
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"integration-{os.getpid()}@%h",
        ],
        env,
        worker_log,
    )
    beat = _start(
        [
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(tmp_path / "beat-schedule"),
            "--pidfile",
            "",
        ],
        env,
        beat_log,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if worker.poll() is not None or beat.poll() is not None:
                break
            if _sweeps_done(worker_log) >= SWEEPS_TO_SEE:
                break
            time.sleep(0.5)
    finally:
        _stop(beat)
        _stop(worker)
        _flush_queue()
    log_tail = (
        worker_log.read_text(errors="replace")[-3000:]
        + beat_log.read_text(errors="replace")[-1500:]
    )
    assert _sweeps_done(worker_log) >= SWEEPS_TO_SEE, log_tail

    reminders = Notification.objects.filter(case=case, rule="term_lapsed")
    assert reminders.count() == 1, log_tail
    assert reminders.get().recipient == officer
    assert reminders.get().escalated_at is not None
    escalations = Notification.objects.filter(case=case, rule="term_lapsed_escalation")
    assert escalations.count() == 1
    assert escalations.get().recipient == lead
    case.refresh_from_db()
    assert case.phase == Case.Phase.OBLIGED
    # One e-mail per notification, none repeated by the later beats.
    subjects = _emails(env["EMAIL_FILE_PATH"])
    assert len(subjects) == Notification.objects.filter(emailed_at__isnull=False).count()
    assert len(subjects) == len(set(subjects))
    assert any(case.reference in subject for subject in subjects)
