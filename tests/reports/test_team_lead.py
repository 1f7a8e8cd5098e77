import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import services as case_services
from cases.models import Case, Note
from departure.models import Departure
from dtv.audit.models import AuditEntry
from dtv.notifications.models import Notification
from dtv.reports import figures
from tests.accounts.factories import OfficerFactory
from tests.cases.factories import CaseFactory, ObstacleFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def test_caseload_figures_per_officer(team, officer, colleague, team_lead):
    today = timezone.localdate()
    lapsed = CaseFactory(team=team, officer=officer, phase="obliged")
    soon = CaseFactory(team=team, officer=officer, phase="term_running")
    CaseFactory(team=team, officer=colleague, phase="registered")
    CaseFactory(team=team, officer=officer, phase="closed", closed_on=today, closure_reason="other")
    for case, days in ((lapsed, -2), (soon, 10)):
        case.term_ends_on = today + timedelta(days=days)
        case.next_interview_due_on = today - timedelta(days=1)
        case.save(update_fields=["term_ends_on", "next_interview_due_on"])
    ObstacleFactory(case=lapsed, identified_on=today - timedelta(days=70))
    ObstacleFactory(case=soon, identified_on=today - timedelta(days=10))
    rows = {row.officer: row for row in figures.caseload(team, today=today)}
    mine = rows[officer].counts
    assert mine["open"] == 2
    assert mine["term_lapsed"] == 1
    assert mine["term_14"] == 1
    assert mine["interview_overdue"] == 2
    assert mine["old_obstacles"] == 1
    assert rows[officer].phases == {"obliged": 1, "term_running": 1}
    assert rows[colleague].counts["open"] == 1
    # 2 open + 2 lapsed weight + 1 ending + 2 overdue interviews + 0.5 old obstacle
    assert rows[officer].load == 7.5


def test_load_weights_table_drives_the_load(team, officer, monkeypatch):
    CaseFactory(team=team, officer=officer)
    monkeypatch.setitem(figures.LOAD_WEIGHTS, "open", 3.0)
    rows = {r.officer: r for r in figures.caseload(team, today=timezone.localdate())}
    assert rows[officer].load == 3.0


def test_dashboard_query_count_does_not_grow(client, team, officer, team_lead):
    client.force_login(team_lead)
    CaseFactory.create_batch(5, team=team, officer=officer)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reports:caseload")).status_code == 200
    CaseFactory.create_batch(45, team=team, officer=officer)
    for _ in range(3):
        OfficerFactory(team=team)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("reports:caseload"))
    assert len(large) == len(small)


def test_dashboard_links_filter_the_case_list(client, team, officer, team_lead):
    client.force_login(team_lead)
    case = CaseFactory(team=team, officer=officer, phase="obliged")
    case.term_ends_on = timezone.localdate() - timedelta(days=1)
    case.save(update_fields=["term_ends_on"])
    CaseFactory(team=team, officer=officer)
    page = client.get(reverse("reports:caseload")).content.decode()
    link = f"/cases/?officer={officer.pk}&amp;deadline=term_lapsed"
    assert link in page
    listing = client.get(link.replace("&amp;", "&"))
    assert [c.pk for c in listing.context["page_obj"]] == [case.pk]


def test_reassignment_notifies_and_audits(team, officer, colleague, team_lead):
    cases = CaseFactory.create_batch(2, team=team, officer=officer)
    with case_services.acting_as(team_lead):
        moved = case_services.reassign_cases(
            cases, actor=team_lead, to_officer=colleague, reason="Verlof", note="Let op LP"
        )
    assert len(moved) == 2
    assert set(Case.objects.values_list("officer", flat=True)) == {colleague.pk}
    assert Notification.objects.filter(recipient=colleague).count() == 1
    assert Note.objects.filter(text__contains="Verlof").count() == 2
    change = AuditEntry.objects.filter(kind="change", changes__has_key="officer")
    assert change.count() == 2 and change.first().actor == team_lead


def test_reassignment_needs_a_reason_and_the_own_team(team, officer, team_lead, outsider):
    case = CaseFactory(team=team, officer=officer)
    with pytest.raises(ValidationError):
        case_services.reassign_cases([case], actor=team_lead, to_officer=officer, reason=" ")
    with pytest.raises(ValidationError):
        case_services.reassign_cases([case], actor=team_lead, to_officer=outsider, reason="x")
    foreign = CaseFactory(team=outsider.team, officer=outsider)
    with pytest.raises(ValidationError):
        case_services.reassign_cases([foreign], actor=team_lead, to_officer=officer, reason="x")
    with pytest.raises(ValidationError):
        case_services.reassign_cases([case], actor=officer, to_officer=officer, reason="x")


def test_reassign_page_offers_only_the_own_team(client, team, officer, team_lead, outsider):
    CaseFactory(team=team, officer=officer)
    foreign = CaseFactory(team=outsider.team, officer=outsider)
    client.force_login(team_lead)
    response = client.post(
        reverse("reports:reassign"),
        {"cases": [foreign.pk], "to_officer": officer.pk, "reason": "x", "confirmed": "1"},
    )
    assert response.status_code == 200
    foreign.refresh_from_db()
    assert foreign.officer == outsider


def test_reassign_through_the_pages_with_confirmation(client, team, officer, colleague, team_lead):
    case = CaseFactory(team=team, officer=officer)
    client.force_login(team_lead)
    data = {"cases": [case.pk], "to_officer": colleague.pk, "reason": "Herverdeling"}
    confirm = client.post(reverse("reports:reassign"), data)
    assert confirm.status_code == 200
    case.refresh_from_db()
    assert case.officer == officer
    done = client.post(reverse("reports:reassign"), {**data, "confirmed": "1"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.officer == colleague


def test_cover_puts_cases_on_the_colleague_worklist(client, team, officer, colleague, team_lead):
    case = CaseFactory(team=team, officer=officer)
    today = timezone.localdate()
    case_services.cover_officer(
        officer, actor=team_lead, colleague=colleague, starts_on=today, ends_on=today
    )
    assert Notification.objects.filter(recipient=colleague).exists()
    client.force_login(colleague)
    response = client.get(reverse("cases:worklist"))
    assert case in list(response.context["page_obj"])
    case.refresh_from_db()
    assert case.officer == officer


def test_other_roles_cannot_use_team_lead_pages(client, officer, auditor):
    client.force_login(officer)
    for name in ("reports:caseload", "reports:reassign", "reports:cover", "reports:index"):
        assert client.get(reverse(name)).status_code == 403
    client.force_login(auditor)
    assert client.get(reverse("reports:index")).status_code == 200
    # The auditor reads the caseload (read-only) but reassigns nothing.
    assert client.get(reverse("reports:caseload")).status_code == 200
    for name in ("reports:reassign", "reports:cover"):
        assert client.get(reverse(name)).status_code == 403


def test_reports_index_escapes_the_less_than_sign(client, auditor):
    client.force_login(auditor)
    body = client.get(reverse("reports:index")).content.decode()
    assert "“&lt; 5”" in body
    assert "“< 5”" not in body


def _departure(team, officer, type_, day, final_on=None):
    case = CaseFactory(team=team, officer=officer, opened_on=day - timedelta(days=200))
    if final_on:
        ProcedureFactory(
            case=case,
            filed_on=final_on - timedelta(days=30),
            ruling_on=final_on,
            final_on=final_on,
            outcome="dismissed",
        )
    Departure.objects.create(case=case, type=type_, departed_on=day)
    return case


def test_departures_report_counts_shares_and_percentiles(team, officer):
    base = date(2026, 3, 1)
    _departure(team, officer, "independent_proven", base, final_on=base - timedelta(days=10))
    _departure(
        team,
        officer,
        "independent_proven",
        base + timedelta(days=3),
        final_on=base - timedelta(days=17),
    )
    _departure(
        team, officer, "forced", base + timedelta(days=5), final_on=base - timedelta(days=25)
    )
    _departure(team, officer, "without_supervision", date(2026, 4, 2))
    filters = figures.Filters(since=date(2026, 1, 1), until=date(2026, 12, 31), team=team)
    data = figures.departures(filters)
    march, april = data["rows"]
    assert march["counts"]["independent_proven"] == 2 and march["counts"]["forced"] == 1
    assert march["total"] == 3 and march["independent_share"] == pytest.approx(2 / 3)
    assert april["counts"]["without_supervision"] == 1
    # Days from final ruling to departure: 10, 20, 30 -> median 20, p80 26.
    assert data["median_days"] == pytest.approx(20)
    assert data["p80_days"] == pytest.approx(26)


def test_obstacle_report_resolution_rate(team, officer):
    case = CaseFactory(team=team, officer=officer)
    day = date(2026, 2, 1)
    ObstacleFactory(
        case=case,
        category="identity",
        identified_on=day,
        status="resolved",
        resolved_on=day + timedelta(days=10),
        resolution="ok",
    )
    ObstacleFactory(case=case, category="identity", identified_on=day)
    filters = figures.Filters(since=date(2026, 1, 1), until=date(2026, 12, 31), team=team)
    data = figures.obstacles(filters)
    identity = next(r for r in data["by_category"] if r["category"] == "identity")
    assert identity["total"] == 2 and identity["rate"] == 0.5
    assert identity["median_days"] == pytest.approx(10)


def test_compliance_report(team, officer):
    from interviews import services as interview_services

    case = CaseFactory(team=team, officer=officer, phase="term_running", opened_on=date(2026, 1, 1))
    checked = {
        "check_medical": "nothing",
        "check_trafficking": "nothing",
        "check_hardship": "nothing",
        "report": "Gesprek gevoerd.",
    }
    for stage, day in (("intake", 5), ("hearing", 20), ("post_ruling", 40)):
        interview_services.log_interview(
            case,
            actor=officer,
            stage=stage,
            held_at=timezone.make_aware(timezone.datetime(2026, 1, 1, 10)) + timedelta(days=day),
            **checked,
        )
    Case._base_manager.filter(pk=case.pk).update(term_ends_on=date(2026, 3, 1))
    other = CaseFactory(team=team, officer=officer, opened_on=date(2026, 1, 1))
    Case._base_manager.filter(pk=other.pk).update(term_ends_on=date(2026, 3, 2))
    filters = figures.Filters(since=date(2026, 1, 1), until=date(2026, 6, 30), team=team)
    data = figures.compliance(filters, today=date(2026, 11, 28))
    assert (data["total"], data["held"], data["complete"]) == (2, 1, 1)


def test_exports_plain_and_public(client, team, officer, team_lead):
    _departure(team, officer, "forced", timezone.localdate() - timedelta(days=3))
    client.force_login(team_lead)
    url = reverse("reports:report", args=["departures"])
    plain = client.get(url, {"export": "csv"})
    assert 'filename="vertrekken-intern-' in plain["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(plain.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][-2] == "1"
    public = client.get(url, {"export": "csv-public"})
    assert 'filename="vertrekken-openbaar-' in public["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(public.content.decode("utf-8-sig")), delimiter=";"))
    assert "< 5" in rows[1]
    xlsx = client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 2
    assert AuditEntry.objects.filter(kind="export", purpose__startswith="reports:").count() == 3


@pytest.mark.parametrize("name", ["departures", "obstacles", "compliance", "outcomes", "transfers"])
def test_every_report_renders_with_a_chart(client, team_lead, name):
    client.force_login(team_lead)
    response = client.get(reverse("reports:report", args=[name]), {"since": "2026-13-01"})
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


@pytest.mark.parametrize("name", ["departures", "obstacles", "compliance", "outcomes", "transfers"])
def test_report_query_count_does_not_grow(client, team, officer, team_lead, name):
    client.force_login(team_lead)
    url = reverse("reports:report", args=[name])
    params = {"since": "2026-01-01", "until": "2026-12-31"}

    def add(count):
        for i in range(count):
            day = date(2026, 1 + i % 11, 1 + i % 27)
            case = _departure(team, officer, "independent_proven", day, day - timedelta(days=9))
            ObstacleFactory(case=case, identified_on=day - timedelta(days=40))

    add(5)
    client.get(url, params)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, params).status_code == 200
    add(45)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, params).status_code == 200
    assert len(large) == len(small)


def test_auditor_reads_every_teams_caseload_read_only(client, team, other_team, officer, auditor):
    from dtv.audit.models import AuditEntry

    CaseFactory.create_batch(2, team=team, officer=officer)
    client.force_login(auditor)
    response = client.get(reverse("reports:caseload"), {"team": team.pk})
    assert response.status_code == 200
    assert response.context["team"] == team
    assert [row.officer for row in response.context["rows"]] == [officer]
    page = response.content.decode()
    # Read-only: no link to reassign or cover, which the auditor may not follow.
    assert reverse("reports:reassign") not in page
    assert reverse("reports:cover") not in page
    assert f"/cases/?officer={officer.pk}&amp;status=open" in page
    entry = AuditEntry.objects.filter(actor=auditor, purpose="reports:caseload").get()
    assert entry.object_pk == str(team.pk)
    # Another team by choice; an unknown choice shows the first team, never an error.
    assert (
        client.get(reverse("reports:caseload"), {"team": other_team.pk}).context["team"]
        == other_team
    )
    assert client.get(reverse("reports:caseload"), {"team": "x"}).status_code == 200
    assert client.post(reverse("reports:reassign")).status_code == 403


def test_a_0_day_term_counts_as_lapsed_on_its_decision_day(team, officer):
    today = timezone.localdate()
    case = CaseFactory(team=team, officer=officer, opened_on=today)
    case_services.update_case(
        case, actor=officer, version=case.version, decision_on=today, departure_term_days=0
    )
    mine = next(r for r in figures.caseload(team, today=today) if r.officer == officer).counts
    assert mine["term_lapsed"] == 1
    assert mine.get("term_14", 0) == 0
