"""Redis and the Celery worker go away: the web keeps serving and saving, reminders and
e-mails are caught up afterwards, and nothing is sent twice."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.faults.conftest import ROOT, Browser, Gunicorn, app_env, manage

SHELL_LAPSE = """
from datetime import timedelta
from django.utils import timezone
from cases.models import Case
ids = list(Case.objects.open().values_list("pk", flat=True))
Case._base_manager.filter(pk__in=ids).update(
    term_ends_on=timezone.localdate() - timedelta(days=2), phase="obliged")
# A reminder goes to the officer, or to the team lead for a case without one, or, for an
# unassigned case of a team without a lead (the demo's Zuid), to the functional
# administrator; only without one of those has it nobody to go to.
from django.db.models import Q
from departure.reminders import administrator_id
reachable = Q(officer__isnull=False) | Q(team__lead__isnull=False)
if administrator_id() is not None:
    reachable = Q()
print(Case.objects.filter(pk__in=ids).filter(reachable).count())
"""
SHELL_COUNTS = """
from django.db.models import Count
from dtv.notifications.models import Notification
dupes = (Notification.objects.exclude(rule="").values("recipient", "case", "rule", "due_on")
         .annotate(n=Count("pk")).filter(n__gt=1).count())
lapsed = Notification.objects.filter(rule="term_lapsed").values("case").distinct().count()
pending = Notification.objects.filter(emailed_at__isnull=True,
                                      recipient__email_frequency="immediate").count()
print(f"{dupes} {lapsed} {pending}")
"""


# SHELL_COUNTS' second figure (cases with a term_lapsed notification) in SQL, for the waits:
# a `manage.py shell` per question would start Django twice a second on the worker's cores.
SQL_LAPSED = """
SELECT count(*) FROM (SELECT DISTINCT case_id FROM notifications_notification
                      WHERE rule = 'term_lapsed') AS lapsed
"""


def _lapsed(server):
    ((count,),) = server.query(SQL_LAPSED)
    return count


def _shell(env, code):
    return manage(env, "shell", "-c", code).stdout.strip().splitlines()[-1]


def _worker(env, log):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dtv",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_web_keeps_working_while_redis_is_down_and_mail_catches_up(
    private_postgres, private_redis, collected_static, tmp_path
):
    env = app_env(private_postgres.url, private_redis.url)
    env["REDIS_URL"] = private_redis.url  # the cache too: it goes away with the broker
    env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    env["EMAIL_FILE_PATH"] = str(tmp_path / "mail")
    private_postgres.demo(cases=12)
    web = Gunicorn(env)
    web.start()
    try:
        lead = Browser(web.base)
        lead.login("teamlead")
        # The page lists cases once a filter is chosen: every open case of the team.
        status, body = lead.request("/reports/overdragen/?status=open")
        # A case of officer (Sanne de Vries), to move to officer2 (Daan Bakker).
        case_id = re.search(
            r'name="cases" value="(\d+)"[^<]*</td>(?:(?!</tr>).)*Sanne de Vries', body, re.S
        ).group(1)
        officer2 = re.search(r'<option value="(\d+)"[^>]*>\s*Daan Bakker', body).group(1)
        private_redis.stop()
        started = time.monotonic()
        status, body = lead.request(
            "/reports/overdragen/",
            {"cases": case_id, "to_officer": officer2, "reason": "Storing", "confirmed": "1"},
        )
        assert status == 200, web.log_tail()
        assert "alert-danger" not in body, body[body.find("alert-danger") - 200 :][:800]
        assert time.monotonic() - started < 15, "a broker outage must not hang the request"
        status, _ = lead.request("/reports/")
        assert status == 200
        # The case list reads the municipality list from the cache: without Redis, a miss.
        status, listing = lead.request("/cases/")
        assert status == 200 and 'name="municipality"' in listing, web.log_tail()
        assert "< 5" not in body  # the page rendered normally (no error page)
        _dupes, _lapsed, pending = _shell(env, SHELL_COUNTS).split()
        assert int(pending) >= 1, "the notification is saved; its e-mail waits for the broker"
        private_redis.start()
        manage(env, "run_reminders", "--once")
        _dupes, _lapsed, pending = _shell(env, SHELL_COUNTS).split()
        assert pending == "0"
        sent = len(list(Path(env["EMAIL_FILE_PATH"]).glob("*.log")))
        manage(env, "run_reminders", "--once")
        assert len(list(Path(env["EMAIL_FILE_PATH"]).glob("*.log"))) == sent
    finally:
        web.stop()


def test_worker_killed_mid_sweep_leaves_no_duplicate_and_no_gap(
    private_postgres, private_redis, tmp_path
):
    env = app_env(private_postgres.url, private_redis.url)
    env["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    env["CELERY_VISIBILITY_TIMEOUT"] = "5"
    private_postgres.migrated()
    manage(env, "seed_demo", "--cases", "600", "--allow-production", timeout=600)
    total = int(_shell(env, SHELL_LAPSE))
    log = (tmp_path / "worker.log").open("ab")
    worker = _worker(env, log)
    try:
        time.sleep(3)
        manage(
            env,
            "shell",
            "-c",
            "from departure.tasks import send_due_reminders; send_due_reminders.delay()",
        )
        # Kill the worker while the sweep is writing notifications.
        assert _wait_for(lambda: _lapsed(private_postgres) > 0, 60)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        partial = _lapsed(private_postgres)
        worker = _worker(env, log)
        time.sleep(3)
        # The next beat tick runs the sweep again.
        manage(
            env,
            "shell",
            "-c",
            "from departure.tasks import send_due_reminders; send_due_reminders.delay()",
        )
        assert _wait_for(lambda: _lapsed(private_postgres) == total, 120), (
            f"{partial} of {total} after the kill"
        )
        dupes, lapsed, _pending = _shell(env, SHELL_COUNTS).split()
        assert dupes == "0"
        assert int(lapsed) == total
    finally:
        try:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)
        except ProcessLookupError:
            pass
        log.close()


def test_backup_and_restore_round_trip(private_postgres, tmp_path):
    env = app_env(private_postgres.url)
    private_postgres.demo(cases=12)
    counts = """
from django.apps import apps
print(sorted((m._meta.db_table, m.objects.count()) for m in apps.get_models()
             if m._meta.managed))
"""
    before = _shell(env, counts)
    dump = tmp_path / "dtv.dump"
    tools = {**env, "PATH": f"{Path(_pg_bin_dir())}:{env.get('PATH', '')}"}
    subprocess.run(
        ["bash", "scripts/backup.sh", str(dump)],
        cwd=ROOT,
        env=tools,
        check=True,
        capture_output=True,
    )
    manage(
        env,
        "shell",
        "-c",
        "from cases.models import Note; "
        "Note.objects.create(case_id=Note.objects.first().case_id, text='after backup')",
    )
    assert _shell(env, counts) != before
    subprocess.run(
        ["bash", "scripts/restore.sh", str(dump)],
        cwd=ROOT,
        env=tools,
        check=True,
        capture_output=True,
    )
    after = _shell(env, counts)
    assert after == before
    assert "audit_auditentry" in after


def _pg_bin_dir():
    import glob

    return sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
