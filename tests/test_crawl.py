"""Over a crawl of the demo data as each role: every page is valid HTML (the Nu HTML Checker,
run once over all of them) and no page shows a link its user may not follow."""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.shortcuts import resolve_url

from tests.crawl import ROLES, crawl_as

# The module fixture seeds the data itself; the django_db marker makes pytest-django create the
# database; one worker runs the module, so the crawl is made once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("crawl")]

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.fixture(scope="module")
def crawls(django_db_setup, django_db_blocker):
    """The demo data set seeded once for the module, crawled as every role, then rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--cases", "40", "--allow-production", stdout=io.StringIO())
        result = {role: crawl_as(role) for role in ROLES}
        transaction.set_rollback(True)
    return result


def test_the_crawl_reaches_the_pages_of_every_role(crawls):
    for role, crawl in crawls.items():
        assert len(crawl.html_pages) >= 3, (role, list(crawl.pages))
    officer_urls = set(crawls["officer"].pages)
    assert any(url.startswith("/cases/") and url.count("/") >= 3 for url in officer_urls)


def test_no_page_shows_a_link_its_user_may_not_follow(crawls):
    # A redirect to the login page is a refusal too.
    login = resolve_url(settings.LOGIN_URL)
    broken = [
        (role, page.url, page.status, page.linked_from)
        for role, crawl in crawls.items()
        for page in crawl.pages.values()
        if page.status not in (200, 302) or page.location.startswith(login)
    ]
    assert broken == []


def _vnu():
    java = shutil.which("java")
    if java and VNU_JAR.exists():
        return java
    reason = "the Nu HTML Checker needs java and node_modules/vnu-jar (npm ci)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must install them (scripts/system-deps.sh)")
    pytest.skip(reason)


def test_every_crawled_page_is_valid_html(crawls, tmp_path):
    java = _vnu()
    names = {}
    for role, crawl in crawls.items():
        for index, page in enumerate(crawl.html_pages):
            path = tmp_path / f"{role}-{index:03d}.html"
            path.write_text(page.html, encoding="utf-8")
            names[path.name] = (role, page.url)
    # One JVM over every file; --exit-zero-always so the JSON report is read, not the status.
    files = [str(tmp_path / name) for name in sorted(names)]
    completed = subprocess.run(  # noqa: S603 - fixed arguments, files we just wrote
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    messages = json.loads(completed.stderr)["messages"]
    errors = [
        (
            names.get(Path(message.get("url", "")).name, message.get("url")),
            message.get("message"),
            message.get("extract", "")[:120],
        )
        for message in messages
        if message.get("type") == "error" or message.get("subType") == "fatal"
    ]
    assert len(names) > 20
    assert errors == []
