"""Two web instances on two ports against one PostgreSQL and one Redis, as two machines behind a
load balancer would run: a session begun on one is valid on the other, a cache entry that one
process invalidates is gone for all of them, and two reminder sweeps started at the same moment
(a second beat by mistake, or a retried task) send every reminder once."""

import re
import subprocess
import sys
from collections import Counter
from email import message_from_string

from tests.faults.conftest import ROOT, Browser, Gunicorn, app_env, manage

SHELL_RENAME = """
from partners.models import Municipality
m = Municipality.objects.order_by("name").first()
m.name = "Gemeente Hernoemd Tijdens De Test"
m.save()
print(m.pk)
"""
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
print(f"{dupes} {lapsed}")
"""


def _shell(env, code):
    return manage(env, "shell", "-c", code).stdout.strip().splitlines()[-1]


def _messages(folder):
    """(recipient, subject) of every e-mail the file backend wrote, one message per block."""
    sent = []
    for path in sorted(folder.glob("*.log")):
        for block in path.read_text().split("-" * 79):
            if block.strip():
                message = message_from_string(block.strip())
                sent.append((message["To"], message["Subject"]))
    return sent


def test_two_instances_share_sessions_caches_and_one_sweep(
    private_postgres, private_redis, collected_static, tmp_path
):
    env = app_env(private_postgres.url, private_redis.url)
    env["REDIS_URL"] = private_redis.url  # the shared cache (dtv/cache.py)
    env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    env["EMAIL_FILE_PATH"] = str(tmp_path / "mail")
    private_postgres.demo(cases=12)
    # One worker each, so that the two requests before the rename reach every process there is.
    one, two = Gunicorn(env, workers=1), Gunicorn(env, workers=1)
    one.start()
    two.start()
    try:
        # A session begun on one instance is valid on the other (sessions live in PostgreSQL).
        browser = Browser(one.base)
        browser.login("officer")
        browser.base = two.base
        status, body = browser.request("/cases/", timeout=30)
        assert status == 200 and 'name="municipality"' in body, (status, two.log_tail())
        assert "/accounts/login/" not in body.split("<main", 1)[0] or "Uitloggen" in body

        # Both instances have the municipality list in the cache; a third process renames one.
        for base in (one.base, two.base):
            browser.base = base
            status, body = browser.request("/cases/", timeout=30)
            assert status == 200
            assert "Gemeente Hernoemd Tijdens De Test" not in body
        pk = _shell(env, SHELL_RENAME)
        for base in (one.base, two.base):
            browser.base = base
            status, body = browser.request("/cases/", timeout=30)
            assert status == 200
            # Invalidated in Redis, so neither instance serves its old copy (a cache per
            # process would keep the old name for five minutes).
            assert re.search(rf'value="{pk}"[^>]*>Gemeente Hernoemd Tijdens De Test<', body), base

        # Two sweeps at once: each reminder is created and e-mailed once.
        total = int(_shell(env, SHELL_LAPSE))
        assert total > 0
        sweeps = [
            subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "run_reminders", "--once"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [sweep.communicate(timeout=300)[0] for sweep in sweeps]
        assert all(sweep.returncode == 0 for sweep in sweeps), outputs
        dupes, lapsed = _shell(env, SHELL_COUNTS).split()
        assert dupes == "0"
        assert int(lapsed) == total
        sent = _messages(tmp_path / "mail")
        assert sent, outputs
        twice = [item for item, count in Counter(sent).items() if count > 1]
        assert not twice, twice
    finally:
        one.stop()
        two.stop()
