"""The reminder pipeline for real: Celery beat and a worker against Redis and PostgreSQL find a
case whose departure term lapsed, notify its officer once, and escalate to the team lead once
the grace period has passed."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.faults.conftest import ROOT, app_env, manage

pytestmark = pytest.mark.integration

LAPSE_ONE = """
from datetime import timedelta
from django.utils import timezone
from cases.models import Case
case = Case.objects.open().filter(officer__username="officer").order_by("pk").first()
Case._base_manager.filter(pk=case.pk).update(
    term_ends_on=timezone.localdate() - timedelta(days=1), phase="obliged")
print(case.pk)
"""


def _count(server, case_id, rule):
    """Notification.objects.filter(case_id=..., rule=...).count(), read straight from the
    database: the waits below ask it every second, and a `manage.py shell` for each question
    would start Django each time, on the cores the worker and beat need."""
    ((count,),) = server.query(
        "SELECT count(*) FROM notifications_notification WHERE case_id = %s AND rule = %s",
        case_id,
        rule,
    )
    return count


def _wait(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(1)
    return False


def _start(env, *args, log):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "dtv", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_beat_and_worker_notify_once_and_escalate(private_postgres, private_redis, tmp_path):
    env = app_env(private_postgres.url, private_redis.url)
    env["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    env["REMINDER_INTERVAL_SECONDS"] = "2"
    private_postgres.demo(cases=12)
    # Only the lapse of this one case is of interest: clear the demo's other open deadlines.
    manage(
        env,
        "shell",
        "-c",
        "from cases.models import Case; Case._base_manager.update(term_ends_on=None, "
        "next_interview_due_on=None)",
    )
    case_id = int(manage(env, "shell", "-c", LAPSE_ONE).stdout.strip().splitlines()[-1])
    log = (tmp_path / "celery.log").open("ab")
    worker = _start(env, "worker", "--concurrency", "1", "--loglevel", "INFO", log=log)
    beat = _start(
        env, "beat", "--loglevel", "INFO", "--schedule", str(tmp_path / "beat-schedule"), log=log
    )
    try:
        assert _wait(lambda: _count(private_postgres, case_id, "term_lapsed") == 1), (
            tmp_path / "celery.log"
        ).read_text()[-3000:]
        # Let beat tick a few more times: still exactly one notification, no escalation yet.
        time.sleep(6)
        assert _count(private_postgres, case_id, "term_lapsed") == 1
        assert _count(private_postgres, case_id, "term_lapsed_escalation") == 0
        # Three working days pass without the officer acknowledging it.
        manage(
            env,
            "shell",
            "-c",
            "from datetime import timedelta; from django.utils import timezone; "
            "from dtv.notifications.models import Notification; "
            f"Notification.objects.filter(case_id={case_id}, rule='term_lapsed')"
            ".update(created_at=timezone.now() - timedelta(days=8))",
        )
        assert _wait(lambda: _count(private_postgres, case_id, "term_lapsed_escalation") == 1)
        time.sleep(6)
        assert _count(private_postgres, case_id, "term_lapsed_escalation") == 1
        assert _count(private_postgres, case_id, "term_lapsed") == 1
    finally:
        for process in (beat, worker):
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
        log.close()
