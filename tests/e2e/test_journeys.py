"""Journeys 1, 2 and 4: the departure officer logs a post-ruling interview (by mouse and by
keyboard only), the team lead reassigns lapsed cases."""

import re

from django.db import connection
from django.db.models import Exists, OuterRef
from django.urls import reverse

from cases.models import Case, Obstacle
from dtv.notifications.models import Notification
from interviews.models import Interview
from tests.e2e.conftest import login


def _target_case():
    case = (
        Case.objects.filter(officer__username="officer")
        .open()
        .exclude(phase="registered")
        # The journey raises a travel-document obstacle, refused while one is open already.
        .exclude(
            Exists(
                Obstacle.objects.filter(
                    case=OuterRef("pk"),
                    category="travel_document",
                    status__in=Obstacle.OPEN_STATUSES,
                )
            )
        )
        .order_by("reference")
        .first()
    )
    family = case.person.family_name
    # Trigram search finds a misspelling on PostgreSQL; SQLite (local runs) matches words.
    query = family[:-1] + family[-1] * 2 if connection.vendor == "postgresql" else family
    return case, query


def _fill_post_ruling(page):
    page.select_option("#id_stage", "post_ruling")
    page.select_option("#id_interpreter_presence", "present")
    page.fill("#id_interpreter_name", "A. Tolk")
    page.select_option("#id_interpreter_language", "ary")
    page.select_option("#id_attitude", "undecided")
    for name in ("check_medical", "check_trafficking", "check_hardship"):
        page.select_option(f"#id_{name}", "nothing")
    page.select_option("#id_new_obstacle_category", "travel_document")
    page.fill("#id_new_obstacle_description", "Paspoort verlopen")
    page.fill("#id_report", "Uitspraak besproken; betrokkene overweegt terugkeer.")


def test_officer_logs_a_post_ruling_interview(page, demo):
    case, query = _target_case()
    # The demo data may already hold a post-ruling interview for this case.
    earlier = list(Interview.objects.filter(case=case).values_list("pk", flat=True))
    login(page, "officer")
    assert "/cases/werklijst/" in page.url
    page.goto(page.base_url + reverse("cases:list"))
    page.fill("#id_q", query)
    page.locator("form[aria-label] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=case.reference).click()
    page.get_by_role(
        "link", name=re.compile("Log interview|Gesprek vastleggen", re.I)
    ).first.click()
    _fill_post_ruling(page)
    page.locator("#add-attendee").click()
    page.locator("#id_attendees-1-role").wait_for()
    page.select_option("#id_attendees-1-role", "lawyer")
    page.fill("#id_attendees-1-name", "Mr. De Boer")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert case.reference in page.url
    interview = Interview.objects.exclude(pk__in=earlier).get(case=case, stage="post_ruling")
    assert interview.interpreter_name == "A. Tolk"
    assert interview.attendees.filter(name="Mr. De Boer").exists()
    assert interview.obstacles_discussed.filter(category="travel_document").exists()
    timeline = page.locator("#notes").inner_text()
    assert re.search("Post-ruling|na uitspraak", timeline, re.I)
    section = page.locator("#interviews").inner_text()
    assert re.search("Next|Volgende", section)


def _tab_to(page, selector, limit=150):
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with the keyboard")


def _enter_and_wait(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def test_officer_journey_with_the_keyboard_only(page, demo):
    """Journey 1 again, without a single mouse event: Tab, typing and Enter."""
    case, query = _target_case()
    page.goto(page.base_url + "/accounts/login/")
    _tab_to(page, "#id_username")
    page.keyboard.type("officer")
    page.keyboard.press("Tab")
    page.keyboard.type("dtv-demo-2026")
    _enter_and_wait(page)
    _tab_to(page, f'a[href="{reverse("cases:list")}"]')
    _enter_and_wait(page)
    _tab_to(page, "#id_q")
    page.keyboard.type(query)
    _enter_and_wait(page)
    _tab_to(page, f'a[href="{reverse("cases:detail", args=[case.reference])}"]')
    _enter_and_wait(page)
    _tab_to(page, f'a[href^="{reverse("interviews:log", args=[case.reference])}"]')
    _enter_and_wait(page)
    # Selects are operated by typing their option text, as a keyboard user does (Dutch UI).
    _tab_to(page, "#id_stage")
    page.keyboard.type("Vertrekgesprek na")
    _tab_to(page, "#id_interpreter_presence")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("A. Tolk")
    for name in ("check_medical", "check_trafficking", "check_hardship"):
        _tab_to(page, f"#id_{name}")
        page.keyboard.press("ArrowDown")
    _tab_to(page, "#id_report")
    page.keyboard.type("Met het toetsenbord vastgelegd.")
    _tab_to(page, "main form button[type=submit]:not([name])")
    _enter_and_wait(page)
    interview = Interview.objects.get(case=case, report="Met het toetsenbord vastgelegd.")
    assert interview.stage == "post_ruling"
    assert interview.interpreter_name == "A. Tolk"
    assert case.reference in page.url


def test_team_lead_reassigns_lapsed_cases(page, demo, browser, django_user_model):
    officer = django_user_model.objects.get(username="officer")
    lapsed = list(
        Case.objects.open()
        .filter(officer=officer, term_ends_on__isnull=False)
        .order_by("term_ends_on")[:2]
    )
    for case in lapsed:
        Case._base_manager.filter(pk=case.pk).update(term_ends_on="2026-01-01")
    login(page, "teamlead")
    assert "/reports/" in page.url
    link = page.locator(f'a[href="/cases/?officer={officer.pk}&deadline=term_lapsed"]')
    link.click()
    page.wait_for_load_state("networkidle")
    for case in lapsed:
        assert page.get_by_role("link", name=case.reference).is_visible()
    page.goto(page.base_url + reverse("reports:reassign") + f"?officer={officer.pk}")
    for case in lapsed:
        page.check(f"#case-{case.pk}")
    page.select_option("#id_to_officer", label="Daan Bakker")
    page.fill("#id_reason", "Ziekte van de regievoerder")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name=re.compile("^(Overdragen|Reassign)$")).click()
    page.wait_for_load_state("networkidle")
    for case in lapsed:
        case.refresh_from_db()
        assert case.officer.username == "officer2"

    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    receiver = context.new_page()
    receiver.base_url = page.base_url
    login(receiver, "officer2")
    for case in lapsed:
        # The case page, not the list: the demo's lapsed cases fill more than one page.
        response = receiver.goto(receiver.base_url + case.get_absolute_url())
        assert response.status == 200
        assert "Daan Bakker" in receiver.locator("main").inner_text()
    receiver.goto(receiver.base_url + reverse("notifications:inbox"))
    assert re.search("Ziekte van de regievoerder", receiver.locator("main").inner_text())
    assert Notification.objects.filter(recipient__username="officer2").exists()
    context.close()
