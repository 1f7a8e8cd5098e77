"""Finding one's way (issue 23, points 14 and 15): the agenda PDF says it is being made, the
meeting's steps are a status list rather than buttons, deep pages have breadcrumbs, and the
caseload's links are targets of at least 24×24 pixels."""

import re

from django.urls import reverse

from cases.models import Case
from tests.e2e.conftest import login

MEETING = "OV-DEMO-GR4"  # agenda sent, with cases on it


def test_agenda_pdf_link_is_busy_until_the_file_has_come(page, demo):
    login(page, "officer")
    page.goto(page.base_url + reverse("partners:meeting_detail", args=[MEETING]))
    link = page.locator("a[data-busy]").first
    with page.expect_download() as download:
        link.click()
        assert link.get_attribute("aria-disabled") == "true"
        assert page.locator("#busy-status").text_content().strip() != ""
    assert download.value.suggested_filename == f"agenda-{MEETING}.pdf"
    page.wait_for_function("!document.querySelector('a[data-busy][aria-disabled]')")
    assert "is-busy" not in (link.get_attribute("class") or "")
    # The status region says the file is ready (a live region screen readers announce).
    assert page.locator("#busy-status").text_content().strip() != ""


def test_meeting_steps_are_a_status_list_not_buttons(page, demo):
    login(page, "officer")
    page.goto(page.base_url + reverse("partners:meeting_detail", args=[MEETING]))
    steps = page.locator("ol.meeting-steps > li")
    assert steps.count() == 4
    for index in range(steps.count()):
        step = steps.nth(index)
        style = step.evaluate(
            "el => { const s = getComputedStyle(el);"
            " return [s.borderTopWidth, s.backgroundColor, s.cursor]; }"
        )
        assert style == ["0px", "rgba(0, 0, 0, 0)", "auto"], index
        assert step.locator("a, button").count() == 0
    assert page.locator("ol.meeting-steps > li[aria-current=step]").count() == 1


def test_deep_pages_have_breadcrumbs(page, demo, django_user_model):
    login(page, "officer", language="en")
    officer = django_user_model.objects.get(username="officer")
    case = Case.objects.visible_to(officer).open().first()
    page.goto(page.base_url + reverse("departure:overview", args=[case.reference]))
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    links = crumbs.get_by_role("link")
    assert links.nth(0).get_attribute("href") == reverse("cases:list")
    assert links.nth(1).get_attribute("href") == case.get_absolute_url()
    current = crumbs.locator("[aria-current=page]")
    assert re.search("Deadlines and departure", current.inner_text())
    links.nth(1).click()
    page.wait_for_load_state()
    assert page.url.endswith(case.get_absolute_url())

    page.goto(page.base_url + reverse("partners:meeting_proposals", args=["OV-DEMO-GR5"]))
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    assert crumbs.get_by_role("link").nth(0).get_attribute("href") == reverse(
        "partners:meeting_list"
    )


def test_caseload_links_are_targets_of_at_least_24_px(page, demo):
    login(page, "teamlead")
    page.goto(page.base_url + reverse("reports:caseload"))
    sizes = page.eval_on_selector_all(
        "main table a",
        "links => links.map(a => { const r = a.getBoundingClientRect();"
        " return [a.textContent.trim(), Math.round(r.width), Math.round(r.height)]; })",
    )
    assert len(sizes) > 10
    small = [size for size in sizes if size[1] < 24 or size[2] < 24]
    assert small == []
