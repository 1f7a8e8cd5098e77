"""Screenshots of the main pages for the README: desktop (1280×800) and phone (390×844).

Seeds the demo data into the configured database, serves the app with Django's test server on
a free local port, logs in as each role in headless Chromium and writes PNGs to
docs/screenshots/."""

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pages():
    """(file name, account, path) for each main page; paths found in the demo data."""
    from cases.models import Case

    case = (
        Case.objects.open()
        .filter(team__name="Noord", obstacles__isnull=False, procedures__isnull=False)
        .order_by("reference")
        .first()
    )
    pages = [
        ("login", None, reverse("accounts:login")),
        ("worklist", "officer", reverse("cases:worklist")),
        ("case-list", "officer", reverse("cases:list")),
        ("notifications", "officer", reverse("notifications:inbox")),
    ]
    if case is not None:
        pages.append(("case-detail", "officer", reverse("cases:detail", args=[case.reference])))
    optional = [
        ("interview-form", "officer", "interviews:log", [case.reference] if case else None),
        ("agenda", "officer", "interviews:agenda", []),
        ("caseload", "teamlead", "reports:caseload", []),
        ("reports", "teamlead", "reports:index", []),
        ("meetings", "officer", "partners:meeting_list", []),
        ("partner-meetings", "partner", "partners:meeting_list", []),
        ("audit-log", "auditor", "audit:log", []),
    ]
    from django.urls import NoReverseMatch

    for name, user, url_name, args in optional:
        if args is None:
            continue
        try:
            pages.append((name, user, reverse(url_name, args=args)))
        except NoReverseMatch:
            continue
    return pages


class Command(BaseCommand):
    help = "Write screenshots of the main pages to docs/screenshots/ (needs Debian's chromium)."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "screenshots"))
        parser.add_argument("--password", default="dtv-demo-2026")

    def handle(self, *args, out, password, **options):
        if not Path(CHROMIUM).exists():
            raise CommandError(f"{CHROMIUM} is missing: apt-get install chromium")
        if not settings.DEBUG:
            raise CommandError("Run with DEBUG=1: it seeds the demo accounts.")
        call_command("seed_demo", stdout=io.StringIO())
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DEBUG": "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self._wait(port)
            self._shoot(f"http://127.0.0.1:{port}", out_dir, password)
        finally:
            server.terminate()
            server.wait(timeout=10)

    def _wait(self, port):
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise CommandError("The test server did not start.")

    def _shoot(self, base, out_dir, password):
        from playwright.sync_api import sync_playwright

        # The pages are looked up before the browser's event loop starts (the ORM is sync).
        pages = _pages()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for size_name, (width, height) in SIZES.items():
                contexts = {}
                for name, user, path in pages:
                    if user not in contexts:
                        context = browser.new_context(viewport={"width": width, "height": height})
                        page = context.new_page()
                        if user is not None:
                            page.goto(f"{base}/accounts/login/")
                            page.fill("#id_username", user)
                            page.fill("#id_password", password)
                            page.click("main form button[type=submit]")
                            page.wait_for_load_state("networkidle")
                        contexts[user] = page
                    page = contexts[user]
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    target = out_dir / f"{name}-{size_name}.png"
                    page.screenshot(path=str(target))
                    self.stdout.write(str(target))
                for page in contexts.values():
                    page.context.close()
            browser.close()
