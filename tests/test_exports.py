"""Every CSV and XLSX the application delivers, opened the way a spreadsheet opens it: no cell
starts a formula, the CSV splits into the same cells by ";" (Dutch Excel) and by ",", and an
export is audited with what was delivered, only when it was delivered."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from departure.models import Departure, Measure
from dtv import exports
from dtv.audit.models import AuditEntry
from tests.cases.factories import CaseFactory, ObstacleFactory, PersonFactory

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    "Demir;=1+2",
    "Demir,=1+2",
    "=HYPERLINK(1)",
    "+31 6 1234",
    "-2+3",
    "@SUM(A1)",
    " =cmd|' /C calc'!A0",
    "\t=1",
    '"quoted";=2',
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
REPORTS = ["departures", "obstacles", "compliance", "outcomes", "transfers"]
REPORT_EXPORTS = ["csv", "xlsx", "csv-public", "xlsx-public"]


def _starts_formula(text: str) -> bool:
    return text[:1] in FORMULA_STARTS or text.lstrip(" \u00a0")[:1] in FORMULA_STARTS


def _csv_cells(response) -> list[list[list[str]]]:
    """The rows of the CSV as split by ";" and by ",", after the byte-order mark."""
    body = response.content
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    return [list(csv.reader(io.StringIO(text), delimiter=d)) for d in (";", ",")]


def _xlsx_cells(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows())
    for row in cells:
        for cell in row:
            assert cell.data_type != "f", cell.value
    return [[cell.value for cell in row] for row in cells]


def _assert_no_formula(rows) -> None:
    for row in rows:
        for value in row:
            if isinstance(value, str):
                assert not _starts_formula(value), (value, row)


def _seed(team, officer) -> None:
    today = timezone.localdate()
    for name in HOSTILE_NAMES:
        case = CaseFactory(
            team=team,
            officer=officer,
            person=PersonFactory(family_name=name, given_names=name),
            opened_on=today - timedelta(days=90),
        )
        ObstacleFactory(case=case, identified_on=today - timedelta(days=20))
        Departure.objects.create(case=case, type="forced", departed_on=today - timedelta(days=2))
        Measure.objects.create(
            case=case, type=Measure.Type.REPORTING_DUTY, started_on=today - timedelta(days=5)
        )


def test_case_list_csv_keeps_every_cell_whole_and_inert(officer_client, officer):
    _seed(officer.team, officer)
    response = officer_client.get(reverse("cases:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    by_semicolon, by_comma = _csv_cells(response)
    assert len(by_semicolon) == 1 + len(HOSTILE_NAMES)
    assert {len(row) for row in by_semicolon} == {len(by_semicolon[0])}
    family_names = {row[2] for row in by_semicolon[1:]}
    # One cell each; a split by another delimiter would start a cell after the ";" or ",".
    assert "Demir;'=1+2" in family_names
    assert "Demir,'=1+2" in family_names
    assert "'=HYPERLINK(1)" in family_names
    assert "' =cmd|' /C calc'!A0" in family_names
    _assert_no_formula(by_semicolon)
    _assert_no_formula(by_comma)
    # Every cell quoted: ";" and "," inside a name never split it.
    lines = response.content.decode("utf-8-sig").splitlines()
    assert all(line.startswith('"') and line.endswith('"') for line in lines)


def test_case_list_exports_xlsx_with_the_same_rows(officer_client, officer):
    _seed(officer.team, officer)
    response = officer_client.get(reverse("cases:export_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert 'filename="zaken-intern-' in response["Content-Disposition"]
    rows = _xlsx_cells(response)
    assert len(rows) == 1 + len(HOSTILE_NAMES)
    _assert_no_formula(rows)
    assert isinstance(rows[1][8], type(timezone.now().replace(tzinfo=None)))  # a real date
    entry = AuditEntry.objects.get(kind="export")
    assert entry.purpose == "cases:export:xlsx"
    assert entry.additional_data["delivered"]["format"] == "xlsx"
    assert entry.additional_data["delivered"]["rows"] == len(HOSTILE_NAMES)
    assert entry.additional_data["delivered"]["file"].startswith("zaken-intern-")


@pytest.mark.parametrize("export", REPORT_EXPORTS)
@pytest.mark.parametrize("name", REPORTS)
def test_every_report_export_opens_without_formulas(client, team, officer, team_lead, name, export):
    _seed(team, officer)
    client.force_login(team_lead)
    response = client.get(reverse("reports:report", args=[name]), {"export": export})
    # The obstacles and outcomes XLSX answered 500 (a lazy label reached openpyxl).
    assert response.status_code == 200
    public = export.endswith("-public")
    disposition = response["Content-Disposition"]
    assert ("-openbaar-" in disposition) is public
    assert ("-intern-" in disposition) is not public
    if export.startswith("csv"):
        for rows in _csv_cells(response):
            _assert_no_formula(rows)
    else:
        rows = _xlsx_cells(response)
        _assert_no_formula(rows)
        if public:
            # Published counts are numbers (or the text that stands for a suppressed one).
            figures = [v for row in rows[1:] for v in row if v not in (None, "")]
            counts = [v for v in figures if not (isinstance(v, str) and v.endswith("%"))]
            assert all(isinstance(v, int) or not v[:1].isdigit() for v in counts), counts
    entry = AuditEntry.objects.get(kind="export")
    assert entry.purpose == f"reports:{name}:{export}"
    assert entry.additional_data["delivered"]["public"] is public
    assert entry.additional_data["delivered"]["file"] in disposition


def test_public_and_internal_report_files_never_share_a_name(client, team_lead):
    client.force_login(team_lead)
    names = set()
    for name in REPORTS:
        for export in REPORT_EXPORTS:
            response = client.get(reverse("reports:report", args=[name]), {"export": export})
            names.add(response["Content-Disposition"])
    assert len(names) == len(REPORTS) * len(REPORT_EXPORTS)


def test_no_audit_entry_when_the_file_cannot_be_built(client, team_lead, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "write_xlsx", broken)
    client.force_login(team_lead)
    with pytest.raises(RuntimeError):
        client.get(reverse("reports:report", args=["outcomes"]), {"export": "xlsx"})
    assert not AuditEntry.objects.filter(kind="export").exists()


@pytest.mark.parametrize("text", HOSTILE_NAMES + ["\r=1", "\uff1d1+2", "\u00a0=1"])
def test_the_writer_neutralises_every_formula_start(text):
    assert exports.neutralise(text).startswith("'") or not _starts_formula(text)
    assert exports.cell_value(text) == exports.neutralise(text)


@translation.override("en")
def test_the_writer_forces_lazy_text_and_keeps_numbers():
    header = [gettext_lazy("Number")]
    rows = [[gettext_lazy("Deposit")], [7], [-3], [None]]
    sheet = load_workbook(io.BytesIO(exports.write_xlsx(header, rows))).active
    assert [c.value for c in sheet["A"]] == ["Number", "Deposit", 7, -3, None]
    text = exports.write_csv(header, rows).decode("utf-8-sig")
    assert text.splitlines() == ['"Number"', '"Deposit"', '"7"', '"-3"', '""']
