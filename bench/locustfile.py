"""Logged-in scenarios of the three users, plus the floor.

BENCH_ONLY=<page name> restricts a run to one page (the throughput phases); without it every
user runs its whole scenario (the mixed phase). Page names are the keys of PAGES."""

import json
import os
import random
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from locust import HttpUser, between, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "dtv-demo-2026")
ONLY = os.environ.get("BENCH_ONLY", "")
MUNICIPALITY = os.environ.get("BENCH_MUNICIPALITY", "")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Hidden inputs of a form (the CSRF token, the attendee formset's management form, ...).
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CASE_LINK = re.compile(r'href="/cases/(TK-[0-9A-Z]{8})/"')
NAMES = ["benali", "haddad", "yilmaz", "okafor", "el idrissi", "tesfay", "ahmadi", "rusu"]


class LoggedIn(HttpUser):
    abstract = True
    username = "officer"
    wait_time = between(0, 0.2)

    def on_start(self):
        # Sessions made once by bench/run.py: a login per simulated user would measure the
        # (deliberately slow) Argon2 password hash instead of the pages.
        sessions = json.loads(os.environ.get("BENCH_SESSIONS", "{}"))
        if self.username in sessions:
            for name, value in sessions[self.username].items():
                self.client.cookies.set(name, value)
        else:
            self._login()
        self.references = CASE_LINK.findall(
            self.client.get("/cases/?status=open", name="setup").text
        )

    def _login(self):
        page = self.client.get("/accounts/login/", name="login")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
        )

    def csrf(self, path):
        response = self.client.get(path, name="setup")
        return CSRF.search(response.text).group(1)


def page(name):
    """Mark a task as one page of the report; with BENCH_ONLY set, other pages are skipped."""

    def decorator(function):
        function.page_name = name
        return function

    return decorator


class Officer(LoggedIn):
    username = "officer"
    weight = 3

    @task(4)
    @page("worklist")
    def worklist(self):
        self.client.get("/cases/werklijst/", name="worklist")

    @task(3)
    @page("search_name")
    def search_name(self):
        self.client.get("/cases/", params={"q": random.choice(NAMES)}, name="search_name")

    @task(2)
    @page("search_vnummer")
    def search_vnummer(self):
        self.client.get(
            "/cases/", params={"q": f"21000{random.randint(0, 9999):04d}"}, name="search_vnummer"
        )

    @task(3)
    @page("case_list")
    def case_list(self):
        self.client.get("/cases/", params={"status": "open"}, name="case_list")

    @task(4)
    @page("case_detail")
    def case_detail(self):
        if self.references:
            self.client.get(f"/cases/{random.choice(self.references)}/", name="case_detail")

    @task(1)
    @page("log_interview")
    def log_interview(self):
        if not self.references:
            return
        reference = random.choice(self.references)
        path = f"/interviews/{reference}/nieuw/"
        form = self.client.get(path, name="log_interview_form")
        hidden = dict(HIDDEN.findall(form.text))
        if form.status_code != 200 or "csrfmiddlewaretoken" not in hidden:
            return
        held_at = (datetime.now(AMSTERDAM) - timedelta(days=1)).strftime("%Y-%m-%dT10:00")
        with self.client.post(
            path,
            {
                **hidden,
                "stage": "progress",
                "mode": "in_person",
                "held_at": held_at,
                "attitude": "undecided",
                "report": "Voortgangsgesprek (benchmark).",
            },
            headers={"Referer": self.host + path},
            name="log_interview",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Saved means redirected to the case; a form shown again is an error here.
            if response.status_code != 302:
                response.failure(f"interview not saved (status {response.status_code})")


class TeamLead(LoggedIn):
    username = "teamlead"
    weight = 1

    @task(3)
    @page("caseload")
    def caseload(self):
        self.client.get("/reports/", name="caseload")

    @task(1)
    @page("report")
    def report(self):
        self.client.get("/reports/rapportages/departures/", name="report")


class Chair(LoggedIn):
    username = "officer2"
    weight = 1

    def on_start(self):
        super().on_start()
        listing = self.client.get("/partners/overleggen/", name="setup").text
        self.meetings = re.findall(r'href="/partners/overleggen/([A-Z0-9-]+)/"', listing)

    @task(2)
    @page("agenda_proposals")
    def proposals(self):
        if self.meetings:
            self.client.get(
                f"/partners/overleggen/{self.meetings[0]}/voorstellen/", name="agenda_proposals"
            )

    @task(1)
    @page("agenda_pdf")
    def agenda_pdf(self):
        if self.meetings:
            self.client.get(
                f"/partners/overleggen/{self.meetings[0]}/agenda.pdf", name="agenda_pdf"
            )


class Floor(LoggedIn):
    username = "officer"
    weight = 1

    @task
    @page("floor")
    def floor(self):
        self.client.get("/bench/floor/", name="floor")


def _restrict(user_class):
    """Keep only the task of the page under test (run.py also names the one user class)."""
    kept = [t for t in user_class.tasks if getattr(t, "page_name", None) == ONLY]
    if kept:
        user_class.tasks = kept


if ONLY:
    for _cls in (Officer, TeamLead, Chair, Floor):
        _restrict(_cls)
