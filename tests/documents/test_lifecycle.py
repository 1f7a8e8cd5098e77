"""Anonymisation removes the files from the storage itself, not only the rows' texts."""

import pytest

from cases import retention
from documents.models import DocumentVersion
from tests.cases.factories import CaseFactory
from tests.documents.conftest import s3_keys, stored_files
from tests.documents.test_views import generated

pytestmark = pytest.mark.django_db


def test_anonymisation_deletes_the_files_from_disk(
    officer, document_dir, django_capture_on_commit_callbacks
):
    case = CaseFactory(team=officer.team, officer=officer)
    version = generated(case, officer)
    assert stored_files(document_dir) == {version.storage_key}
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.anonymise(case.person)
    assert stored_files(document_dir) == set()
    version.refresh_from_db()
    assert version.file_deleted_at is not None
    assert "script" not in version.original_name


def test_anonymisation_deletes_the_files_from_s3(
    officer, s3_storage, django_capture_on_commit_callbacks
):
    client, bucket = s3_storage
    case = CaseFactory(team=officer.team, officer=officer)
    version = generated(case, officer)
    assert s3_keys(client, bucket) == {version.storage_key}
    with django_capture_on_commit_callbacks(execute=True):
        retention.anonymise(case.person)
    assert s3_keys(client, bucket) == set()
    assert DocumentVersion.objects.get().file_deleted_at is not None


def test_subject_access_zip_holds_the_list_and_the_files(client, officer, auditor):
    import io
    import json
    import zipfile

    from django.urls import reverse

    from tests.documents.test_uploads import PDF

    case = CaseFactory(team=officer.team, officer=officer)
    version = generated(case, officer)
    client.force_login(auditor)
    v_nummer = case.person.v_nummer
    response = client.get(reverse("privacy:subject_access_export", args=[v_nummer, "zip"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read(f"inzage-{v_nummer}.json"))
    [listed] = data["files"]
    assert listed["document"] == version.document.reference
    assert listed["sha256"] == version.sha256
    assert archive.read(listed["file"]) == PDF
    assert "/" not in listed["file"].removeprefix("documenten/")
