"""axe-core over every main page, in Dutch and in English: zero WCAG 2.1 A/AA violations."""

import pytest
from django.urls import reverse

from cases.models import Case
from tests.e2e.conftest import axe_violations, login


def _case_detail(user):
    case = Case.objects.visible_to(user).open().filter(obstacles__isnull=False).first()
    return reverse("cases:detail", args=[case.reference])


def _case_ref(user):
    return Case.objects.visible_to(user).open().first().reference


def _document_detail(user):
    from documents.models import Document

    document = Document.objects.visible_to(user).with_released_version().first()
    return reverse("documents:detail", args=[document.reference])


def _shared_documents(user):
    from partners.models import AgendaItem

    item = (
        AgendaItem.objects.filter(meeting__chair=user)
        .exclude(status=AgendaItem.Status.REMOVED)
        .select_related("meeting")
        .first()
    )
    return reverse("partners:agenda_item_documents", args=[item.meeting.reference, item.pk])


# (account, how to find the page) — a callable gets the logged-in user.
PAGES = {
    "document_add": ("officer", lambda user: reverse("documents:add", args=[_case_ref(user)])),
    "document_detail": ("officer", _document_detail),
    "shared_documents": ("officer", _shared_documents),
    "case_edit": ("officer", lambda user: reverse("cases:edit", args=[_case_ref(user)])),
    "person_edit": ("officer", lambda user: reverse("cases:person_edit", args=[_case_ref(user)])),
    "obstacle_form": (
        "officer",
        lambda user: reverse("cases:obstacle_add", args=[_case_ref(user)]),
    ),
    "departure_overview": (
        "officer",
        lambda user: reverse("departure:overview", args=[_case_ref(user)]),
    ),
    "departure_form": (
        "officer",
        lambda user: reverse("departure:record_departure", args=[_case_ref(user)]),
    ),
    "measure_form": (
        "officer",
        lambda user: reverse("departure:add_measure", args=[_case_ref(user)]),
    ),
    "presentation_form": (
        "officer",
        lambda user: reverse("departure:presentation_add", args=[_case_ref(user)]),
    ),
    "organisations": ("officer", lambda user: reverse("partners:organisation_list")),
    "action_items": ("officer", lambda user: reverse("partners:action_item_list")),
    # The demo officer chairs OV-DEMO-GR5 (agenda in preparation) and OV-DEMO-AM0 (held).
    "proposals": (
        "officer",
        lambda user: reverse("partners:meeting_proposals", args=["OV-DEMO-GR5"]),
    ),
    "minutes": ("officer", lambda user: reverse("partners:minutes", args=["OV-DEMO-AM0"])),
    "audit_anomalies": ("auditor", lambda user: reverse("privacy:anomalies")),
    "subject_access": ("auditor", lambda user: reverse("privacy:subject_access")),
    "worklist": ("officer", lambda user: reverse("cases:worklist")),
    "case_list": ("officer", lambda user: reverse("cases:list")),
    "case_detail": ("officer", _case_detail),
    "case_create": ("officer", lambda user: reverse("cases:create")),
    "notifications": ("officer", lambda user: reverse("notifications:inbox")),
    "account": ("officer", lambda user: reverse("accounts:security")),
    "password_change": ("officer", lambda user: reverse("accounts:password_change")),
    "audit_log": ("auditor", lambda user: reverse("audit:log")),
    "interview_form": ("officer", lambda user: reverse("interviews:log", args=[_case_ref(user)])),
    "agenda": ("officer", lambda user: reverse("interviews:agenda")),
    "caseload": ("teamlead", lambda user: reverse("reports:caseload")),
    "reports": ("teamlead", lambda user: reverse("reports:report", args=["departures"])),
    "meeting_agenda": (
        "officer",
        lambda user: reverse("partners:meeting_detail", args=["OV-DEMO-GR5"]),
    ),
    "meeting_list": ("officer", lambda user: reverse("partners:meeting_list")),
    "partner_view": ("partner", lambda user: reverse("partners:meeting_list")),
    "partner_meeting": (
        "partner",
        lambda user: reverse("partners:meeting_detail", args=["OV-DEMO-GR3"]),
    ),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_login_page_has_no_violations(page, demo, language):
    page.goto(f"{page.base_url}/accounts/login/")
    if language == "en":
        page.select_option("#language-select", "en")
        page.click("footer form button[type=submit]")
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_password_reset_page_has_no_violations(page, demo, language):
    page.goto(f"{page.base_url}/accounts/login/")
    if language == "en":
        page.select_option("#language-select", "en")
        page.click("footer form button[type=submit]")
    page.click("a[href='/accounts/wachtwoord/vergeten/']")
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_main_pages_have_no_violations(page, demo, django_user_model, name, language):
    username, find = PAGES[name]
    login(page, username, language=language)
    path = find(django_user_model.objects.get(username=username))
    response = page.goto(page.base_url + path)
    assert response.status == 200, path
    assert page.locator("html").get_attribute("lang") == language
    assert axe_violations(page) == [], path
