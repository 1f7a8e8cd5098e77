"""Documents in the browser: an officer uploads a PDF (with the progress bar), sees it in the
case's document list with a preview, and the EICAR test file is refused; axe finds nothing on
the upload form, the document page and the case page."""

import pytest
from django.urls import reverse

from cases.models import Case
from documents.demo import minimal_pdf
from documents.models import Document, DocumentVersion
from tests.documents.conftest import EICAR, clamd_url, scanner_on  # noqa: F401 - fixtures
from tests.e2e.conftest import axe_violations, login

SCREENSHOTS = "tmp/screenshots"
# A real clamd on the EICAR signature (tests/documents/conftest.py) for every test here.
pytestmark = pytest.mark.usefixtures("scanner_on")


@pytest.fixture
def officer_case(django_user_model):
    officer = django_user_model.objects.get(username="officer")
    return Case.objects.visible_to(officer).open().first()


def _open_upload_form(page, case):
    page.goto(page.base_url + reverse("cases:detail", args=[case.reference]))
    page.click("#documents a[href$='/nieuw/']")
    page.wait_for_load_state("networkidle")


def test_officer_uploads_a_pdf_and_sees_it_with_a_preview(page, demo, officer_case):
    login(page, "officer")
    _open_upload_form(page, officer_case)
    assert axe_violations(page) == []
    page.select_option("#id_doc_type", "ruling")
    page.fill("#id_document_date", "2026-11-20")
    page.fill("#id_description", "Uitspraak rechtbank Den Haag")
    page.set_input_files(
        "#id_file",
        {
            "name": "uitspraak.pdf",
            "mimeType": "application/pdf",
            "buffer": minimal_pdf(["Rechtbank Den Haag", "Uitspraak"]),
        },
    )
    page.click("form[data-upload-form] button[type=submit]")
    page.wait_for_url("**/documenten/DOC-*/")
    page.wait_for_load_state("networkidle")
    document = Document.objects.get(case=officer_case, description="Uitspraak rechtbank Den Haag")
    assert document.versions.get().scan_state == DocumentVersion.ScanState.CLEAN
    assert page.locator("iframe.document-preview").count() == 1
    assert page.locator("text=uitspraak.pdf").count() >= 1
    page.screenshot(path=f"{SCREENSHOTS}/document-detail.png", full_page=True)
    assert axe_violations(page) == []
    page.goto(page.base_url + reverse("cases:detail", args=[officer_case.reference]))
    assert page.locator(f"#documents a[href='{document.get_absolute_url()}']").count() == 1
    page.locator("#documents").screenshot(path=f"{SCREENSHOTS}/case-documents.png")
    assert axe_violations(page) == []


def test_the_eicar_file_is_refused_with_a_message(page, demo, officer_case):
    login(page, "officer")
    _open_upload_form(page, officer_case)
    page.select_option("#id_doc_type", "correspondence")
    page.fill("#id_document_date", "2026-11-20")
    page.set_input_files(
        "#id_file", {"name": "brief.txt", "mimeType": "text/plain", "buffer": EICAR}
    )
    page.click("form[data-upload-form] button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert "virus" in page.locator(".error-summary").inner_text().lower()
    assert page.title().startswith("Fout:")
    page.screenshot(path=f"{SCREENSHOTS}/document-eicar.png", full_page=True)
    assert not DocumentVersion.objects.filter(original_name="brief.txt").exists()
    assert axe_violations(page) == []
