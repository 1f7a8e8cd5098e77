"""The import of cases in Chromium (upload, preview, confirm), and the report in DTenV's
categories: its charts keep every label inside, and both pages pass axe-core."""

from cases.imports import HEADERS
from cases.models import Case
from tests.e2e.conftest import axe_violations, login
from tests.e2e.test_report_charts import OUTSIDE

ROWS = [
    "2800000001;Benali;Youssef;14-03-1990;MA;IND;02-11-2026;28;GM0363",
    "2800000002;Haddad;Lina;01-07-1988;SY, TR;Politie;15-10-2026;0;Utrecht",
]


def test_import_upload_preview_confirm(page, demo, tmp_path):
    upload = tmp_path / "overdracht.csv"
    upload.write_text(";".join(HEADERS) + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    login(page, "admin")
    page.goto(f"{page.base_url}/cases/import/")
    page.set_input_files("#id_file", str(upload))
    page.select_option("#id_team", label="Noord")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#import-rows")
    rows = page.locator("#import-rows tbody tr")
    assert rows.count() == 2
    assert "Benali" in rows.nth(0).inner_text()
    assert not Case.objects.filter(person__v_nummer__in=["2800000001", "2800000002"]).exists()
    assert axe_violations(page) == []
    page.click("#confirm-import")
    page.wait_for_selector("#import-rows")
    assert page.locator(".alert-success").count() == 1
    assert Case.objects.filter(person__v_nummer__in=["2800000001", "2800000002"]).count() == 2
    # The names are no longer kept with the import once it ran.
    assert "Benali" not in page.locator("#import-rows").inner_text()


def test_dtenv_report_charts_and_accessibility(page, demo):
    login(page, "teamlead")
    page.goto(f"{page.base_url}/reports/rapportages/dtenv-categorieen/")
    found = page.evaluate(OUTSIDE)
    assert found["count"] > 0 and found["outside"] == []
    assert "< 5" in page.locator("main").inner_text()
    assert axe_violations(page) == []
