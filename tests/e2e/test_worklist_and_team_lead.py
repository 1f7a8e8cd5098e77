"""Issue 23.6-23.10 in the browser: the worklist's columns, appointment and "Today"; agenda
reasons against the page; a partner's nomination on the meeting page; the caseload against
its norm; reassignment from the officer, with the load preview and "Back"."""

import re
from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from dtv.accounts.models import Team, User
from interviews.models import Interview
from partners.models import AgendaItem, Meeting
from tests.e2e.conftest import login


def test_worklist_shows_interview_due_by_the_appointment_and_today(page, demo):
    officer = User.objects.get(username="officer")
    case = Case.objects.open().filter(officer=officer).exclude(phase="suspended").first()
    at = timezone.make_aware(datetime.combine(timezone.localdate(), time(23, 30)))
    Interview.objects.create(case=case, stage="progress", planned_at=at, location="Kamer 3")
    login(page, "officer", language="en")
    page.goto(page.base_url + reverse("cases:worklist"))
    headers = page.locator("#worklist-cases thead th").all_inner_texts()
    assert "Interview due by" in headers and "Appointment" in headers
    assert "Next interview" not in headers
    today = page.locator("#worklist-today")
    assert today.is_visible()
    assert case.reference in today.inner_text() and "23:30" in today.inner_text()
    row = page.locator("#worklist-cases tbody tr", has_text=case.reference)
    assert "23:30" in row.inner_text()
    # The top of the list: something is due (never a suspended case with nothing due).
    cells = page.locator("#worklist-cases tbody tr").first.locator("td")
    due = [cells.nth(4).inner_text().strip(), cells.nth(5).inner_text().strip()]
    assert any(text not in ("", "—") for text in due)


def test_agenda_reasons_match_what_the_agenda_case_page_shows(page, demo):
    meeting = Meeting.objects.get(reference="OV-DEMO-GR4")
    login(page, meeting.chair.username, language="en")
    items = AgendaItem.objects.filter(meeting=meeting, status="on_agenda")
    assert items.exists()
    for item in items.select_related("case"):
        url = reverse("partners:agenda_case", args=[meeting.reference, item.case.reference])
        page.goto(page.base_url + url)
        facts = dict(
            zip(
                page.locator("#facts-heading ~ dl dt").all_inner_texts(),
                page.locator("#facts-heading ~ dl dd").all_inner_texts(),
                strict=True,
            )
        )
        because = facts["On the agenda because"]
        if "Open action items from an earlier meeting" in because:
            assert page.locator("#earlier-actions li").count() >= 1
        if "Obstacle open longer" in because:
            assert facts["Open obstacles"].strip() != "—"
        if "Departure term" in because:
            assert facts["Departure deadline"].strip() != "—"
        if "VBL week" in because:
            assert facts["Phase"].strip() == "In VBL"


def test_partner_sees_the_nomination_on_the_meeting_page(page, demo):
    meeting = Meeting.objects.get(reference="OV-DEMO-GR5")
    login(page, "partner", language="en")
    page.goto(page.base_url + reverse("partners:nominate", args=[meeting.reference]))
    taken = set(
        meeting.agenda_items.exclude(status=AgendaItem.Status.REMOVED).values_list(
            "case__reference", flat=True
        )
    )
    options = [o.get_attribute("value") for o in page.locator("#id_case option").all()]
    reference = next(value for value in options if value and value not in taken)
    page.select_option("#id_case", reference)
    page.fill("#id_question", "Meldplicht nakomen?")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert meeting.reference in page.url
    nominations = page.locator("#nominations")
    assert nominations.is_visible()
    assert reference in nominations.inner_text()
    assert "Meldplicht nakomen?" in nominations.inner_text()
    # The demo's earlier nomination by the same organisation is there too.
    for earlier in taken & set(
        meeting.agenda_items.nominated().values_list("case__reference", flat=True)
    ):
        assert earlier in nominations.inner_text()


def test_caseload_marks_officers_above_the_norm_and_lists_no_lead(page, demo):
    lead = User.objects.get(username="teamlead")
    Team.objects.filter(pk=lead.team_id).update(caseload_norm=5)
    login(page, "teamlead", language="en")
    page.goto(page.base_url + reverse("reports:caseload"))
    body = page.locator("main table tbody")
    assert lead.get_full_name() not in body.inner_text()
    overloaded = page.locator("main table tbody tr.caseload-overloaded")
    assert overloaded.count() >= 1
    assert "Above the norm" in overloaded.first.inner_text()
    assert page.locator("#caseload-overloaded").is_visible()


def test_reassignment_from_the_officer_with_preview_and_back(page, demo):
    officer = User.objects.get(username="officer")
    other = User.objects.get(username="officer2")
    login(page, "teamlead", language="en")
    page.goto(page.base_url + reverse("reports:reassign"))
    assert page.locator("#reassign-start").is_visible()
    assert page.locator("#reassign-cases").count() == 0
    page.locator(f"#reassign-officers a[href='?officer={officer.pk}']").click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("#reassign-cases tbody tr")
    assert 0 < rows.count() <= Case.objects.open().filter(officer=officer).count()
    first = rows.first
    reference = first.locator("a").first.inner_text()
    assert first.locator("a").first.get_attribute("href").endswith(f"/{reference}/")
    case = Case.objects.get(reference=reference)
    assert case.officer == officer
    page.check(f"#case-{case.pk}")
    page.fill("#id_reason", "Verlof")
    # The current officer is refused with a clear message.
    page.select_option("#id_to_officer", str(officer.pk))
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert re.search("already assigned to", page.locator("main").inner_text())
    page.check(f"#case-{case.pk}")
    page.select_option("#id_to_officer", str(other.pk))
    page.fill("#id_reason", "Verlof")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    preview = page.locator("#reassign-preview")
    assert preview.is_visible()
    assert other.get_full_name() in preview.inner_text()
    page.get_by_role("button", name="Back").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_reason").input_value() == "Verlof"
    assert page.locator(f"#case-{case.pk}").is_checked()
    assert page.locator("#id_to_officer").input_value() == str(other.pk)
    case.refresh_from_db()
    assert case.officer == officer


def test_the_changed_pages_have_no_axe_violations(page, demo, browser):
    from tests.e2e.conftest import axe_violations

    officer = User.objects.get(username="officer")
    meeting = Meeting.objects.get(reference="OV-DEMO-GR4")
    item = AgendaItem.objects.filter(meeting=meeting, status="on_agenda").first()
    login(page, "teamlead")
    for path in (
        reverse("reports:caseload"),
        reverse("reports:reassign"),
        reverse("reports:reassign") + f"?officer={officer.pk}",
    ):
        page.goto(page.base_url + path)
        assert axe_violations(page) == [], path
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    chair = context.new_page()
    chair.base_url = page.base_url
    login(chair, meeting.chair.username)
    for path in (
        reverse("cases:worklist"),
        reverse("partners:agenda_case", args=[meeting.reference, item.case.reference]),
    ):
        chair.goto(chair.base_url + path)
        assert axe_violations(chair) == [], path
    context.close()
