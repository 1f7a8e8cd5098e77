import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from departure.models import Departure
from dtv.audit.models import AuditEntry
from dtv.reports import publication
from tests.cases.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    # Messages are matched in English (the site speaks Dutch by default).
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _intake(team, day, source, n, country="MA"):
    return [
        CaseFactory(
            team=team, source=source, opened_on=day, person=PersonFactory(nationality=country)
        )
        for _ in range(n)
    ]


def _depart(case, day, kind, escort=False):
    case.phase, case.closed_on = "closed", day
    case.closure_reason = Departure.CLOSURE[kind]
    case.save()
    return Departure.objects.create(case=case, type=kind, departed_on=day, escort=escort)


def test_intake_by_source_per_quarter_rounded_and_suppressed(team):
    _intake(team, date(2026, 2, 1), "ind", 23)
    _intake(team, date(2026, 5, 1), "ind", 3)
    _intake(team, date(2026, 5, 2), "police", 7)
    _intake(team, date(2026, 8, 1), "kmar", 2)
    _intake(team, date(2026, 11, 1), "other", 15)
    _intake(team, date(2025, 12, 31), "ind", 9)  # another year
    table = publication.intake(2026, team=team)
    rows = {str(label): ([str(c) for c in cells], str(year)) for label, cells, year in table.rows}
    assert rows["IND"] == (["20", "< 5", "0", "0"], "30")  # 26 rounds to 30
    assert rows["National Police"] == (["0", "10", "0", "0"], "10")  # 7 -> 10, never 0
    assert rows["KMar"] == (["0", "0", "< 5", "0"], "< 5")
    assert rows["Other sources"] == (["0", "0", "0", "20"], "20")  # 15 rounds half up
    quarters, year_total = table.total
    assert [str(c) for c in quarters] == ["20", "10", "< 5", "20"]
    assert str(year_total) == "50"  # 50 true: the rounded true total, not the sum 60
    assert table.exact == {"ind": 26, "np": 7, "kmar": 2, "other": 15}


def test_departures_map_the_outcomes_to_dtenv_categories(team):
    cases = _intake(team, date(2026, 1, 5), "ind", 14)
    for case in cases[:6]:
        _depart(case, date(2026, 3, 1), Departure.Type.INDEPENDENT_PROVEN)
    _depart(cases[6], date(2026, 3, 1), Departure.Type.DUBLIN_TRANSFER)  # unescorted
    _depart(cases[7], date(2026, 4, 1), Departure.Type.DUBLIN_TRANSFER, escort=True)
    _depart(cases[8], date(2026, 4, 1), Departure.Type.FORCED)
    for case in cases[9:14]:
        _depart(case, date(2026, 7, 1), Departure.Type.WITHOUT_SUPERVISION)
    table = publication.departures(2026, team=team)
    assert table.exact == {"independent": 7, "forced": 2, "unsupervised": 5}
    rows = {str(label): str(year) for label, _cells, year in table.rows}
    assert rows == {
        "Independent, proven": "10",
        "Forced": "< 5",
        "Independent without supervision": "10",
    }


def test_a_total_that_would_reveal_a_suppressed_row_is_withheld(team):
    _intake(team, date(2026, 1, 5), "ind", 1)
    _intake(team, date(2026, 1, 5), "police", 1)
    _intake(team, date(2026, 1, 5), "kmar", 1)
    _intake(team, date(2026, 1, 5), "other", 1)
    quarters, year_total = publication.intake(2026, team=team).total
    assert str(year_total) == "x"


def test_top_five_nationalities_of_intake(team):
    for country, n in (("SY", 12), ("TR", 8), ("DZ", 6), ("MA", 3), ("NG", 2), ("IR", 1)):
        _intake(team, date(2026, 6, 1), "ind", n, country=country)
    top = publication.top_nationalities(2026, team=team)
    assert [(code, str(figure)) for code, figure in top] == [
        ("SY", "10"),
        ("TR", "10"),
        ("DZ", "10"),
        ("MA", "< 5"),
        ("NG", "< 5"),
    ]


def test_comparison_with_the_national_figures_shows_the_share(team):
    _intake(team, date(2024, 3, 1), "ind", 112)
    rows = publication.comparison(2024, team=team, against=2024)
    ind = next(r for r in rows if str(r["label"]) == "IND")
    assert str(ind["ours"]) == "110"
    assert ind["national"].value == 11180
    assert ind["share"] in ("1.0%", "1,0%")
    kmar = next(r for r in rows if str(r["label"]) == "KMar")
    assert str(kmar["ours"]) == "0" and kmar["share"] == ""
    # 2024's departures are not published in the three kinds: shown as such, no share.
    departures = [r for r in rows if r["section"] == "departures"]
    assert all(r["national"] == "" and r["share"] == "" for r in departures)


def test_comparison_year_falls_back_to_the_latest_published():
    assert publication.comparison_year(2026) == 2024
    assert publication.comparison_year(2022) == 2022
    assert publication.comparison_year(2026, 2019) == 2019
    assert publication.comparison_year(2026, 1990) == 2024


@time_machine.travel("2026-12-03 10:00 +0100")
def test_team_lead_sees_the_page_with_footnotes_chart_and_table(
    client, team, team_lead, other_team
):
    _intake(team, date(2026, 2, 1), "ind", 17)
    _intake(other_team, date(2026, 2, 1), "ind", 40)
    client.force_login(team_lead)
    response = client.get(reverse("reports:publication"), {"year": 2026, "team": other_team.pk})
    page = response.content.decode()
    assert response.status_code == 200
    # Their own team only, whatever the query asks.
    assert response.context["team"] == team
    assert response.context["intake"].exact["ind"] == 17
    assert "<svg" in page and 'aria-labelledby="intake-title"' in page
    assert "Figures rounded to tens" in page or "afgerond op tientallen" in page
    assert "11.180" in page or "11,180" in page
    assert response.context["against"] == 2024
    assert response.context["per_team"] == []


@time_machine.travel("2026-12-03 10:00 +0100")
def test_auditor_sees_every_team(client, team, other_team, auditor):
    _intake(team, date(2026, 2, 1), "ind", 17)
    _intake(other_team, date(2026, 2, 1), "kmar", 3)
    client.force_login(auditor)
    response = client.get(reverse("reports:publication"), {"year": 2026})
    assert response.context["team"] is None
    per_team = {row[0]: str(row[1]) for row in response.context["per_team"]}
    assert per_team == {team: "20", other_team: "< 5"}


@time_machine.travel("2026-12-03 10:00 +0100")
def test_exports_carry_the_published_figures_and_are_audited(client, team, team_lead):
    _intake(team, date(2026, 2, 1), "ind", 17)
    _intake(team, date(2026, 2, 1), "kmar", 2)
    client.force_login(team_lead)
    url = reverse("reports:publication")
    response = client.get(url, {"year": 2026, "export": "csv"})
    assert response.status_code == 200
    assert "dtenv-categorieen-2026-openbaar" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_label = {row[1]: row for row in rows[1:]}
    assert by_label["IND"][2:] == ["20", "0", "0", "0", "20"]
    assert by_label["KMar"][2:] == ["< 5", "0", "0", "0", "< 5"]
    assert any("tientallen" in row[1] or "tens" in row[1] for row in rows)
    xlsx = client.get(url, {"year": 2026, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(row[1] == "IND" and row[6] == 20 for row in values)
    entries = AuditEntry.objects.filter(kind=AuditEntry.Kind.EXPORT)
    assert entries.count() == 2
    assert entries.first().additional_data["delivered"]["public"] is True


def test_officers_and_administrators_may_not_read_it(client, officer, admin_user):
    for user in (officer, admin_user):
        client.force_login(user)
        assert client.get(reverse("reports:publication")).status_code == 403


def test_a_withheld_row_total_does_not_break_the_grand_total(team):
    # KMar: four quarters of 1 would pin each quarter; its year total is withheld.
    for month in (1, 4, 7, 10):
        _intake(team, date(2026, month, 5), "kmar", 1)
    _intake(team, date(2026, 1, 5), "ind", 30)
    table = publication.intake(2026, team=team)
    kmar = next(row for row in table.rows if str(row[0]) == "KMar")
    assert str(kmar[2]) == "x"
    assert str(table.total[1]) in ("30", "x")
