"""A transfer in the browser: an officer of Noord proposes a case for team Zuid from the case
page; the lead of Zuid finds it on the transfer list, reads the handover and accepts it with an
officer of the team; the case page shows the case in Zuid. The pages pass axe-core."""

from django.urls import reverse

from cases.models import Case, CaseTransfer
from dtv.accounts.models import Team, User
from dtv.accounts.roles import Role
from dtv.accounts.services import set_role
from tests.e2e.conftest import DEMO_PASSWORD, axe_violations, login


def _zuid_lead() -> User:
    zuid = Team.objects.get(name="Zuid")
    lead = User(username="teamlead_zuid", first_name="Joost", last_name="Mulder")
    lead.set_password(DEMO_PASSWORD)
    lead.save()
    set_role(lead, Role.TEAM_LEAD, team=zuid)
    zuid.lead = lead
    zuid.save(update_fields=["lead"])
    return lead


def test_officer_proposes_and_the_receiving_lead_accepts(page, demo, browser):
    _zuid_lead()
    officer = User.objects.get(username="officer")
    case = (
        Case.objects.open()
        .filter(officer=officer)
        .exclude(transfers__status="pending")
        .order_by("reference")
        .first()
    )
    login(page, "officer", language="en")
    page.goto(page.base_url + case.get_absolute_url())
    page.get_by_role("link", name="Transfer to another team").click()
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    page.select_option("#id_to_team", label="Zuid")
    page.fill("#id_reason", "Betrokkene verhuist naar Maastricht")
    page.fill("#id_handover_note", "Tolk Arabisch; advocaat mr. De Boer.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(case.get_absolute_url())
    assert "Transfer to team Zuid awaiting" in page.locator("#pending-transfer").inner_text()
    transfer = CaseTransfer.objects.get(case=case, status="pending")
    assert transfer.proposed_by == officer

    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="nl-NL", bypass_csp=True
    )
    lead_page = context.new_page()
    lead_page.set_default_timeout(15000)
    lead_page.base_url = page.base_url
    login(lead_page, "teamlead_zuid", language="en")
    lead_page.get_by_role("link", name="Transfers").first.click()
    lead_page.wait_for_load_state("networkidle")
    assert "1 incoming" in lead_page.locator("#transfer-counts").inner_text()
    assert axe_violations(lead_page) == []
    lead_page.get_by_role("link", name=case.reference).click()
    lead_page.wait_for_load_state("networkidle")
    assert "Tolk Arabisch" in lead_page.locator("main").inner_text()
    assert axe_violations(lead_page) == []
    lead_page.check("input[name=decision][value=accept]")
    lead_page.select_option("#id_officer", label="Fatima El Amrani")
    lead_page.locator("#transfer-decision button[type=submit]").click()
    lead_page.wait_for_load_state("networkidle")
    assert lead_page.url.endswith(case.get_absolute_url())
    assert "is now in team Zuid" in lead_page.locator("main").inner_text()
    case.refresh_from_db()
    assert case.team.name == "Zuid" and case.officer.username == "officer3"
    context.close()

    # The officer of Noord reads the handover view for a while, without links into the case.
    page.goto(page.base_url + case.get_absolute_url())
    assert page.locator("#handed-over").is_visible()
    assert page.locator(f'a[href="{reverse("cases:edit", args=[case.reference])}"]').count() == 0
