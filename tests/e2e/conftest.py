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


@pytest.fixture
def demo(transactional_db, settings):
    """The demo data set, small: every role's account and cases at every stage."""
    settings.DEBUG = True
    call_command("seed_demo", "--cases", "40", stdout=io.StringIO())
    settings.DEBUG = False


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
