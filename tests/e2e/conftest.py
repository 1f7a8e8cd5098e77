"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

They are marked `e2e` and run in `make test`. Without /usr/bin/chromium they are skipped
locally with the reason; in CI (CI=true) a missing browser is an error, never a skip."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
DEMO_PASSWORD = "dtv-demo-2026"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # One browser journey at a time per worker group keeps the 2-core machine calm.
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Where the session keeps a copy of the seeded demo tables (in the test database).
DEMO_SCHEMA = "e2e_demo_snapshot"


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker):
    """`seed_demo --cases 40` once per session, on the database as a test finds it; every
    table of the result is copied into DEMO_SCHEMA. Returns (all tables, tables with rows)."""
    from django.db import connection
    from django.test import override_settings

    qn = connection.ops.quote_name
    with django_db_blocker.unblock():
        with override_settings(DEBUG=True):
            call_command("seed_demo", "--cases", "40", stdout=io.StringIO())
        tables = sorted(connection.introspection.django_table_names(only_existing=True))
        filled = []
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {DEMO_SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {DEMO_SCHEMA}")
            for table in tables:
                cursor.execute(f"CREATE TABLE {DEMO_SCHEMA}.{qn(table)} AS TABLE {qn(table)}")
                if cursor.rowcount:
                    filled.append(table)
        yield tables, filled
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {DEMO_SCHEMA} CASCADE")
        # This connection is not always the one the test databases' teardown closes (the
        # browser's greenlet runs in a context of its own): left open, it would keep the
        # test database from being dropped.
        connection.close()


@pytest.fixture
def demo(transactional_db, _demo_snapshot):
    """The demo data set, small: every role's account and cases at every stage. Each test
    gets exactly the rows `seed_demo --cases 40` wrote (the seed is deterministic: a fixed
    random seed and today's date), put back from the session's copy instead of seeded again;
    whatever an earlier test wrote is gone."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, transaction

    tables, filled = _demo_snapshot
    tables = set(tables)
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(qn(table) for table in tables))
        for table in filled:
            # Table names from Django's introspection, quoted: no outside input.
            copy = f"INSERT INTO {qn(table)} SELECT * FROM {DEMO_SCHEMA}.{qn(table)}"  # noqa: S608
            cursor.execute(copy)
        # The next row of each table gets an id above the restored ones, whatever reset the
        # sequences in between.
        models = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.db_table in tables
        ]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets the test inject axe-core; the CSP itself is checked by unit tests.
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="nl-NL", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


def login(page, username, *, language=None):
    page.goto(f"{page.base_url}/accounts/login/")
    if language:
        page.select_option("#language-select", language)
        page.click("footer form button[type=submit]")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def axe_violations(page):
    """Run axe-core for WCAG 2.1 A and AA on the current page; return the violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
