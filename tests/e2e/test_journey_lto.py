"""Journey 3: an LTO chair prepares an agenda from the proposals and downloads the PDF; the
partner participant logs in, sees that meeting's cases only, and updates an action item."""

import re

from django.urls import reverse

from cases.models import Case
from partners.models import ActionItem, AgendaItem, Meeting
from tests.e2e.conftest import login


def test_chair_prepares_agenda_and_partner_updates_action_item(page, demo, browser):
    meeting = Meeting.objects.get(reference="OV-DEMO-GR5")
    assert meeting.status == Meeting.Status.AGENDA_PREPARATION
    login(page, meeting.chair.username)

    page.goto(page.base_url + reverse("partners:meeting_detail", args=[meeting.reference]))
    page.get_by_role("link", name=re.compile("voorstellen|proposals", re.I)).first.click()
    page.locator("#select-all").check()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    on_agenda = list(
        AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True).values_list(
            "case__reference", flat=True
        )
    )
    assert on_agenda, "the proposals should have put cases on the agenda"
    for reference in on_agenda:
        assert page.get_by_text(reference).first.is_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    pdf_path = download_info.value.path()
    with open(pdf_path, "rb") as handle:
        assert handle.read(4) == b"%PDF"

    send = reverse("partners:meeting_send", args=[meeting.reference])
    page.locator(f'a[href="{send}"]').click()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_SENT

    # The partner participant, in a separate browser session.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    partner = context.new_page()
    partner.base_url = page.base_url
    login(partner, "partner")
    assert "/partners/overleggen/" in partner.url
    partner.goto(partner.base_url + reverse("partners:meeting_detail", args=[meeting.reference]))
    for reference in on_agenda:
        assert partner.get_by_text(reference).first.is_visible()
    other = Case.objects.exclude(reference__in=on_agenda).first()
    response = partner.goto(partner.base_url + reverse("cases:detail", args=[other.reference]))
    assert response.status == 404
    response = partner.goto(partner.base_url + reverse("cases:detail", args=[on_agenda[0]]))
    assert response.status == 404, "the officers' case page stays closed to partners"

    action = ActionItem.objects.filter(
        status=ActionItem.Status.OPEN, owner_organisation__contacts__user__username="partner"
    ).first()
    assert action is not None, "the demo gives the partner's organisation open action items"
    partner.goto(partner.base_url + reverse("partners:action_item_update", args=[action.pk]))
    partner.select_option("#id_status", ActionItem.Status.DONE)
    partner.fill("#id_progress_note", "Identiteitsonderzoek afgerond.")
    partner.locator("main form button[type=submit]").click()
    partner.wait_for_load_state("networkidle")
    action.refresh_from_db()
    assert action.status == ActionItem.Status.DONE
    context.close()
