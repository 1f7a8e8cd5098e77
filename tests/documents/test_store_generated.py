import pytest

from documents import services, storage
from documents.models import Document, DocumentVersion
from tests.cases.factories import CaseFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.mark.django_db
def test_store_generated_keeps_the_file_and_releases_it_by_origin(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    version = services.store_generated(
        case=case,
        user=officer,
        doc_type=Document.Type.CORRESPONDENCE,
        filename="../uitnodiging\x07.pdf",
        content=PDF,
        description="Uitnodiging vertrekgesprek",
        source_note="letter: invitation v3",
    )
    assert version.number == 1
    assert version.origin == DocumentVersion.Origin.GENERATED
    assert version.scan_state == DocumentVersion.ScanState.CLEAN
    assert version.content_type == "application/pdf"
    assert version.size == len(PDF)
    assert version.original_name == "uitnodiging.pdf"
    assert version.document.source_note == "letter: invitation v3"
    with storage.open_file(version.storage_key) as opened:
        assert opened.read() == PDF
    again = services.store_generated(
        case=case,
        user=officer,
        doc_type=Document.Type.CORRESPONDENCE,
        filename="uitnodiging.pdf",
        content=PDF + b"%",
        description="",
        document=version.document,
    )
    assert again.document == version.document
    assert again.number == 2
