"""Issue 23, points 1-5 and 13, in the browser: the error summary, no silent truncation,
plausible dates, the interpreter prefilled, one open obstacle per kind, Dutch names."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Language, Obstacle
from interviews.models import Interview
from tests.accounts.factories import OfficerFactory
from tests.cases.factories import CaseFactory, ObstacleFactory, PersonFactory
from tests.e2e.conftest import axe_violations

PASSWORD = "correct-horse-battery"


@pytest.fixture
def officer(transactional_db):
    return OfficerFactory(username="e2e-officer", first_name="Eva", last_name="Visser")


@pytest.fixture
def case(officer):
    person = PersonFactory(
        family_name="Demir", given_names="Ali", birth_date=date(2001, 4, 2), needs_interpreter=True
    )
    Language.objects.create(person=person, code="tur")
    return CaseFactory(person=person, team=officer.team, officer=officer)


def _login(page, officer, *, language="en"):
    page.goto(f"{page.base_url}/accounts/login/")
    page.select_option("#language-select", language)
    page.click("footer form button[type=submit]")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def _log_form(page, case):
    # A progress interview: no checklist needed, so the tests can keep to their point.
    page.goto(page.base_url + reverse("interviews:log", args=[case.reference]) + "?stage=progress")


def _submit(page):
    page.get_by_role("button", name="Save interview").click()
    page.wait_for_load_state("networkidle")


def test_error_summary_lists_links_takes_focus_and_marks_the_title(page, case, officer):
    _login(page, officer)
    _log_form(page, case)
    page.fill("#id_held_at", "")
    page.select_option("#id_interpreter_presence", "present")
    _submit(page)
    assert page.title().startswith("Error: ")
    summary = page.locator("[data-error-summary]")
    # The summary is at the top and has focus, so it is seen and read out first.
    assert summary.evaluate("element => element === document.activeElement")
    links = summary.locator("a[data-error-link]")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "#id_held_at" in hrefs and "#id_interpreter_name" in hrefs
    # A link moves focus to its field, even far below the fold.
    summary.locator('a[href="#id_interpreter_name"]').click()
    assert page.evaluate("document.activeElement.id") == "id_interpreter_name"
    assert not Interview.objects.exists()
    assert axe_violations(page) == []


def test_a_long_paste_is_counted_and_refused_never_cut(page, case, officer):
    _login(page, officer)
    _log_form(page, case)
    text = "x" * 10000
    page.select_option("#id_new_obstacle_category", "medical")
    page.fill("#id_new_obstacle_description", text)
    counter = page.locator("#id_new_obstacle_description_count")
    assert counter.get_attribute("aria-live") == "polite"
    assert "Too many characters: 8000" in counter.inner_text()
    page.fill("#id_location", "y" * 250)
    assert "Too many characters: 50" in page.locator("#id_location_count").inner_text()
    page.fill("#id_attendees-0-name", "z" * 201)
    assert "Too many characters: 1" in page.locator("#id_attendees-0-name_count").inner_text()
    page.fill("#id_report", "Gesprek gevoerd.")
    _submit(page)
    # Refused with the limit stated, and nothing of the text lost.
    assert len(page.input_value("#id_new_obstacle_description")) == 10000
    assert len(page.input_value("#id_location")) == 250
    feedback = page.locator("#div_id_new_obstacle_description .invalid-feedback").inner_text()
    assert "2000" in feedback and "10000" in feedback
    assert not Interview.objects.exists() and not Obstacle.objects.exists()


def test_impossible_dates_and_unreported_interviews_are_refused(page, case, officer):
    _login(page, officer)
    _log_form(page, case)
    page.fill("#id_held_at", "1901-01-01T10:00")
    page.fill("#id_report", "Gesprek gevoerd.")
    _submit(page)
    feedback = page.locator("#div_id_held_at .invalid-feedback").inner_text()
    assert "date of birth" in feedback
    # Held and planned, but no report: not an interview held.
    page.fill("#id_held_at", "")
    page.fill("#id_report", "")
    now = timezone.localtime()
    page.fill("#id_held_at", (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_planned_at", (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    _submit(page)
    assert (
        "counts as held only with its report" in page.locator("[data-error-summary]").inner_text()
    )
    assert not Interview.objects.exists()


def test_interpreter_is_prefilled_from_the_case_and_named(page, case, officer):
    _login(page, officer)
    _log_form(page, case)
    assert page.input_value("#id_interpreter_language") == "tur"
    selected = page.locator("#id_interpreter_language option:checked").inner_text()
    assert selected == "Turkish"  # the name, not "tur" nor "Turkish (tur)"
    page.select_option("#id_interpreter_presence", "present")
    page.fill("#id_interpreter_name", "A. Demir")
    page.fill("#id_report", "Gesprek gevoerd.")
    _submit(page)
    interview = Interview.objects.get()
    page.goto(page.base_url + interview.get_absolute_url())
    assert "A. Demir (Turkish)" in page.content()
    assert "(tur)" not in page.content()


def test_new_obstacle_is_confirmed_and_a_second_open_one_refused(page, case, officer):
    ObstacleFactory(case=case, category="travel_document", status="in_progress")
    _login(page, officer)
    _log_form(page, case)
    page.select_option("#id_new_obstacle_category", "travel_document")
    page.fill("#id_report", "Gesprek gevoerd.")
    _submit(page)
    assert "already has an open obstacle" in page.locator("[data-error-summary]").inner_text()
    assert Obstacle.objects.filter(case=case).count() == 1
    page.select_option("#id_new_obstacle_category", "medical")
    page.fill("#id_new_obstacle_description", "Verklaring BMA afwachten.")
    _submit(page)
    assert "The new obstacle “Medical” was added to the case." in page.content()
    assert Obstacle.objects.filter(case=case, category="medical").exists()


def test_names_and_dates_in_dutch(page, officer, transactional_db):
    person = PersonFactory(family_name="Beridze", nationality="GE")
    Language.objects.create(person=person, code="apc")
    Language.objects.create(person=person, code="ell")
    case = CaseFactory(person=person, team=officer.team, officer=officer)
    _login(page, officer, language="nl")
    page.goto(page.base_url + case.get_absolute_url())
    content = page.content()
    assert "Georgië" in content and "Georgia" not in content
    assert "Levantijns-Arabisch" in content and "Grieks" in content
    assert "Levantine" not in content and "1453" not in content
