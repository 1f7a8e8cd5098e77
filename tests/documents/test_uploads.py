"""Uploads through the service, against a real clamd and real storage (a private directory,
or moto's S3 server over HTTP)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from documents import services
from documents.demo import minimal_pdf
from documents.models import Document, DocumentVersion
from dtv.audit.models import AuditEntry
from dtv.notifications.models import Notification
from tests.cases.factories import CaseFactory
from tests.documents.conftest import EICAR, s3_keys, stored_files

pytestmark = pytest.mark.django_db

PDF = minimal_pdf(["Beschikking IND", "Het besluit geldt als terugkeerbesluit."])
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def add(case, officer, file, **kwargs):
    return services.add_document(
        case,
        actor=officer,
        doc_type=kwargs.get("doc_type", Document.Type.DECISION),
        document_date=timezone.localdate(),
        description="Beschikking IND",
        upload=file,
    )


@pytest.fixture
def case(officer):
    return CaseFactory(team=officer.team, officer=officer)


def docx(*, macros=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def test_clean_pdf_is_scanned_stored_and_released(case, officer, scanner_on, document_dir):
    version = add(case, officer, upload("beschikking.pdf", PDF))
    assert version.scan_state == DocumentVersion.ScanState.CLEAN
    assert version.content_type == "application/pdf"
    assert version.size == len(PDF)
    assert stored_files(document_dir) == {version.storage_key}
    assert (document_dir / version.storage_key).read_bytes() == PDF


def test_eicar_is_refused_audited_and_the_administrator_told(
    case, officer, admin_user, scanner_on, document_dir
):
    with pytest.raises(ValidationError) as error:
        add(case, officer, upload("brief.txt", EICAR))
    assert "virus" in str(error.value)
    assert Document.objects.count() == 0
    assert DocumentVersion.objects.count() == 0
    assert stored_files(document_dir) == set()
    entry = AuditEntry.objects.get(additional_data__refused="virus")
    assert entry.actor == officer
    assert entry.v_nummer == case.person.v_nummer
    assert entry.additional_data["signature"].startswith("Eicar-Test-Signature")
    assert Notification.objects.filter(recipient=admin_user, title__icontains="virus").exists()


def test_scanner_down_keeps_the_upload_in_quarantine_until_a_rescan(
    case, officer, colleague, scanner_down, settings, clamd_url
):
    version = add(case, officer, upload("uitspraak.pdf", PDF))
    assert version.scan_state == DocumentVersion.ScanState.PENDING
    # Invisible to others, listed to the uploader, handed out to nobody.
    assert not DocumentVersion.objects.visible_to(colleague).exists()
    assert DocumentVersion.objects.visible_to(officer).get() == version
    # Still down: the rescan leaves it waiting, never releases it.
    assert services.rescan(version) == DocumentVersion.ScanState.PENDING
    settings.CLAMD_URL = clamd_url
    assert services.rescan_pending() == {DocumentVersion.ScanState.CLEAN: 1}
    assert DocumentVersion.objects.visible_to(colleague).get() == version


def test_infected_file_found_by_the_rescan_is_removed(
    case,
    officer,
    admin_user,
    scanner_down,
    settings,
    clamd_url,
    document_dir,
    django_capture_on_commit_callbacks,
):
    version = add(case, officer, upload("brief.txt", EICAR))
    assert stored_files(document_dir) == {version.storage_key}
    settings.CLAMD_URL = clamd_url
    from documents.tasks import rescan_pending_documents

    with django_capture_on_commit_callbacks(execute=True):
        rescan_pending_documents()
    version.refresh_from_db()
    assert version.scan_state == DocumentVersion.ScanState.INFECTED
    assert stored_files(document_dir) == set()
    assert not DocumentVersion.objects.visible_to(officer).exists()
    assert Notification.objects.filter(recipient=officer, title__icontains="virus").exists()
    assert Notification.objects.filter(recipient=admin_user, title__icontains="virus").exists()


def test_production_without_scanner_refuses_uploads(case, officer, settings, document_dir):
    settings.DEBUG = False
    settings.CLAMD_URL = ""
    with pytest.raises(ValidationError, match="virus scanner"):
        add(case, officer, upload("a.pdf", PDF))
    assert stored_files(document_dir) == set()


def test_development_without_scanner_stores_and_says_so(case, officer, settings):
    settings.DEBUG = True
    settings.CLAMD_URL = ""
    version = add(case, officer, upload("a.pdf", PDF))
    assert version.scan_state == DocumentVersion.ScanState.CLEAN
    assert "Not scanned" in version.scan_result


def test_deploy_check_says_why_uploads_are_refused(settings):
    from documents.checks import check_virus_scanner

    settings.DEBUG = False
    settings.CLAMD_URL = ""
    assert [e.id for e in check_virus_scanner(None)] == ["documents.E001"]
    settings.CLAMD_URL = "tcp://127.0.0.1:3310"
    assert check_virus_scanner(None) == []


def test_a_second_upload_is_a_new_version(case, officer, scanner_on):
    first = add(case, officer, upload("paspoort.png", PNG), doc_type=Document.Type.IDENTITY)
    second = services.add_version(first.document, actor=officer, upload=upload("p2.pdf", PDF))
    assert second.number == 2
    assert list(first.document.versions.values_list("number", flat=True)) == [2, 1]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("leeg.pdf", b"", "empty"),
        ("archief.zip", None, "type"),
        ("macro.docx", docx(macros=True), "macros"),
        ("macro.docm", docx(macros=True), "macros"),
        ("foto.pdf", PNG, "extension"),
        ("pagina.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "type"),
        ("prog.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "type"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(
    case, officer, scanner_on, document_dir, name, content, code
):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("a.txt", "tekst")
        content = buffer.getvalue()
    with pytest.raises(ValidationError) as error:
        add(case, officer, upload(name, content))
    assert error.value.code == code
    assert DocumentVersion.objects.count() == 0
    assert stored_files(document_dir) == set()


def test_docx_without_macros_and_text_are_accepted(case, officer, scanner_on):
    assert add(case, officer, upload("brief.docx", docx())).content_type.endswith("document")
    assert add(case, officer, upload("notitie.txt", b"Gewone tekst.\n")).content_type == (
        "text/plain"
    )


def test_too_large_is_refused(case, officer, scanner_on, settings, document_dir):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        add(case, officer, upload("groot.pdf", PDF + b"0" * 2000))
    assert error.value.code == "too_large"
    assert stored_files(document_dir) == set()


def test_file_name_with_path_and_control_characters_is_not_the_key(case, officer, scanner_on):
    version = add(case, officer, upload("../../etc/pass\x00wd\x1b.pdf", PDF))
    assert version.original_name == "passwd.pdf"
    assert version.storage_key.startswith("documents/")
    assert "passwd" not in version.storage_key


def _fail_version_inserts():
    """A real database failure: a trigger refuses every insert of a version."""
    table = DocumentVersion._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_version() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by test'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_version BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_version()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER refuse_version BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
            )


def test_failed_database_write_leaves_no_file(case, officer, scanner_on, document_dir):
    from django.db import DatabaseError

    _fail_version_inserts()
    with pytest.raises(DatabaseError):
        add(case, officer, upload("a.pdf", PDF))
    assert stored_files(document_dir) == set()
    assert Document.objects.count() == 0


def test_failed_storage_write_leaves_no_row(case, officer, scanner_on, settings, tmp_path):
    # The storage's directory is below a plain file: every write fails (as root, a
    # read-only directory would not).
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "documents")},
        },
    }
    with pytest.raises(ValidationError) as error:
        add(case, officer, upload("a.pdf", PDF))
    assert error.value.code == "storage"
    assert Document.objects.count() == 0
    assert DocumentVersion.objects.count() == 0


def test_s3_storage_round_trip(case, officer, scanner_on, s3_storage):
    client, bucket = s3_storage
    version = add(case, officer, upload("beschikking.pdf", PDF))
    assert s3_keys(client, bucket) == {version.storage_key}
    body = client.get_object(Bucket=bucket, Key=version.storage_key)["Body"].read()
    assert body == PDF


def test_s3_failed_database_write_leaves_no_object(case, officer, scanner_on, s3_storage):
    from django.db import DatabaseError

    client, bucket = s3_storage
    _fail_version_inserts()
    with pytest.raises(DatabaseError):
        add(case, officer, upload("a.pdf", PDF))
    assert s3_keys(client, bucket) == set()


def test_s3_failed_storage_write_leaves_no_row(case, officer, scanner_on, s3_storage, settings):
    client, bucket = s3_storage
    options = settings.STORAGES["documents"]["OPTIONS"]
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            **settings.STORAGES["documents"],
            "OPTIONS": {**options, "bucket_name": bucket + "-missing"},
        },
    }
    with pytest.raises(ValidationError) as error:
        add(case, officer, upload("a.pdf", PDF))
    assert error.value.code == "storage"
    assert DocumentVersion.objects.count() == 0


def test_orphan_sweep_removes_files_no_row_names(document_dir):
    from datetime import timedelta

    from documents import storage

    storage.save("documents/aa/bb/orphan", b"left over")
    assert services.sweep_orphans(older_than=timedelta(hours=1)) == 0
    assert services.sweep_orphans(older_than=timedelta(seconds=-1)) == 1
    assert stored_files(document_dir) == set()
