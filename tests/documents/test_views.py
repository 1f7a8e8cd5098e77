"""The document pages through the test client: upload, download, preview, who may see what."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.models import Document, DocumentVersion
from dtv.audit.models import AuditEntry
from tests.accounts.factories import TeamLeadFactory
from tests.cases.factories import CaseFactory
from tests.documents.conftest import EICAR, stored_files
from tests.documents.test_uploads import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    # The messages are asserted in the source language, whatever the translations say.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def case(officer):
    return CaseFactory(team=officer.team, officer=officer)


def generated(
    case,
    officer,
    doc_type=Document.Type.DECISION,
    *,
    filename="beschikking <script>.pdf",
    content=PDF,
    description="Beschikking",
):
    return services.store_generated(
        case=case,
        user=officer,
        doc_type=doc_type,
        filename=filename,
        content=content,
        description=description,
    )


def fetch(client, user, version, view="documents:download"):
    """A version's download (or preview) as `user` sees it."""
    client.force_login(user)
    return client.get(reverse(view, args=[version.document.reference, version.number]))


def assert_inline_in_a_sandbox(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"


def post_upload(client, case, name, content, **extra):
    return client.post(
        reverse("documents:add", args=[case.reference]),
        {
            "doc_type": "ruling",
            "document_date": timezone.localdate().isoformat(),
            "description": "Uitspraak rechtbank",
            "file": SimpleUploadedFile(name, content),
            **extra,
        },
    )


def test_upload_through_the_form_stores_and_shows_the_document(client, officer, case, scanner_on):
    client.force_login(officer)
    response = post_upload(client, case, "uitspraak.pdf", PDF)
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    page = client.get(reverse("cases:detail", args=[case.reference]))
    assert document.get_absolute_url() in page.content.decode()


def test_eicar_through_the_form_says_so_and_stores_nothing(
    client, officer, case, scanner_on, document_dir
):
    client.force_login(officer)
    response = post_upload(client, case, "eicar.txt", EICAR)
    assert response.status_code == 200
    assert "virus" in response.content.decode()
    assert "Error:" in response.content.decode()
    assert not DocumentVersion.objects.exists()
    assert stored_files(document_dir) == set()


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    client, officer, case, scanner_on, settings
):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(officer)
    url = reverse("documents:add", args=[case.reference])
    # The declared length alone decides: the body sent is not even a form.
    response = client.generic(
        "POST",
        url,
        b"x" * 10,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(3 * 1024 * 1024),
    )
    assert response.status_code == 200
    assert "larger than 1 MB" in response.content.decode()
    assert not DocumentVersion.objects.exists()


def test_a_file_over_the_limit_is_stopped_while_it_arrives(
    client, officer, case, scanner_on, settings
):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 2000
    client.force_login(officer)
    response = post_upload(client, case, "groot.pdf", PDF + b"0" * 5000)
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert not DocumentVersion.objects.exists()


def test_download_is_an_attachment_not_sniffed_and_audited(client, officer, case):
    version = generated(case, officer)
    response = fetch(client, officer, version)
    assert response.status_code == 200
    # Reading the content closes the response, as a server would.
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    entry = AuditEntry.objects.filter(purpose="documents:download").get()
    assert entry.actor == officer
    assert entry.kind == AuditEntry.Kind.EXPORT
    assert entry.v_nummer == case.person.v_nummer
    assert entry.additional_data["document"] == version.document.reference
    # The case's "who has seen this" page lists it.
    client.force_login(TeamLeadFactory(team=officer.team))
    page = client.get(reverse("privacy:case_access", args=[case.reference])).content.decode()
    assert version.document.reference in page
    assert "documents:download" in page


def test_preview_is_inline_in_a_sandbox(client, officer, case):
    version = generated(case, officer)
    client.force_login(officer)
    detail = client.get(version.document.get_absolute_url()).content.decode()
    assert "<iframe" in detail and " sandbox " in detail
    # The name is shown escaped, never as markup.
    assert "beschikking &lt;script&gt;.pdf" in detail
    response = fetch(client, officer, version, "documents:preview")
    assert_inline_in_a_sandbox(response)
    # A PDF is previewed as its first page, an image.
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_pending_version_is_never_handed_out(client, officer, colleague, case, scanner_down):
    version = services.add_document(
        case,
        actor=officer,
        doc_type="decision",
        document_date=timezone.localdate(),
        description="",
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    assert version.scan_state == DocumentVersion.ScanState.PENDING
    url = reverse("documents:download", args=[version.document.reference, 1])
    client.force_login(officer)
    assert client.get(url).status_code == 404
    assert (
        "Waiting for virus scan" in client.get(version.document.get_absolute_url()).content.decode()
    )
    client.force_login(colleague)
    assert client.get(version.document.get_absolute_url()).status_code == 404


def test_medical_documents_are_for_the_case_team_only(client, officer, auditor, outsider, case):
    version = generated(case, officer, doc_type=Document.Type.MEDICAL)
    assert fetch(client, officer, version).status_code == 200
    for user in (auditor, outsider):
        assert fetch(client, user, version).status_code == 404


def test_upload_from_an_interview_links_the_document_to_it(client, officer, case, scanner_on):
    from interviews import services as interview_services

    interview = interview_services.log_interview(
        case,
        actor=officer,
        stage="progress",
        held_at=timezone.now(),
        report="Gesprek gevoerd.",
    )
    client.force_login(officer)
    form = client.get(
        reverse("documents:add", args=[case.reference]) + f"?source=interview:{interview.pk}"
    )
    assert f'value="interview:{interview.pk}"' in form.content.decode()
    response = post_upload(client, case, "afspraken.pdf", PDF, source=f"interview:{interview.pk}")
    assert response["Location"] == interview.get_absolute_url()
    document = Document.objects.get()
    assert list(interview.documents.all()) == [document]
    assert document.get_absolute_url() in client.get(interview.get_absolute_url()).content.decode()


def test_upload_from_a_travel_document_request_links_it(client, officer, case, scanner_on):
    from departure.models import TravelDocumentRequest

    request = TravelDocumentRequest.objects.create(case=case)
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert f"?source=travel_document:{request.pk}" in page
    post_upload(client, case, "lp.pdf", PDF, source=f"travel_document:{request.pk}")
    assert request.documents.get() == Document.objects.get()


def test_a_source_of_another_case_links_nothing(client, officer, case, scanner_on):
    from departure.models import TravelDocumentRequest

    other = TravelDocumentRequest.objects.create(case=CaseFactory(team=officer.team))
    client.force_login(officer)
    post_upload(client, case, "lp.pdf", PDF, source=f"travel_document:{other.pk}")
    assert not other.documents.exists()
    assert Document.objects.get().case == case


def test_the_case_page_costs_the_same_queries_at_2_and_20_documents(
    client, officer, case, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        generated(case, officer)
    client.force_login(officer)
    url = reverse("cases:detail", args=[case.reference])
    client.get(url)  # warm the per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    # Of every type, some in a second version: nothing per document or per version.
    types = list(Document.Type.values)
    for number in range(18):
        version = generated(case, officer, doc_type=types[number % len(types)])
        if number % 3 == 0:
            services.store_generated(
                case=case,
                user=officer,
                doc_type=version.document.doc_type,
                filename="tweede.pdf",
                content=PDF,
                description="",
                document=version.document,
            )
    with django_assert_num_queries(len(small)):
        page = client.get(url)
    html = page.content.decode()
    assert html.count("/documenten/DOC-") >= 20
    assert ">2</td>" in html  # the versions column counts the second versions


def test_the_case_page_lists_type_date_versions_and_scan_state(
    client, officer, colleague, case, scanner_down
):
    from django.utils import translation
    from django.utils.formats import date_format

    made = generated(case, officer, doc_type=Document.Type.RULING)
    pending = services.add_document(
        case,
        actor=officer,
        doc_type="identity",
        document_date=timezone.localdate(),
        description="Kopie paspoort " + "x" * 80,
        upload=SimpleUploadedFile("p.pdf", PDF),
    )
    url = reverse("cases:detail", args=[case.reference])
    client.force_login(officer)
    html = client.get(url).content.decode()
    section = html[html.index('id="documents"') :]
    section = section[: section.index("</section>")]
    assert made.document.get_absolute_url() in section
    assert "Court ruling" in section and "Identity document" in section
    with translation.override("en"):  # the page's language (a request ends the override)
        assert f"<td>{date_format(made.document.document_date)}</td>" in section
    assert '<span class="badge text-bg-secondary">Generated by the system</span>' in section
    # The uploader sees their own upload wait for the scanner; the description is cut.
    assert '<span class="badge text-bg-warning">Waiting for virus scan</span>' in section
    assert "Kopie paspoort xxx" in section and "x" * 80 not in section
    # A colleague does not see a version the scanner has not released.
    client.force_login(colleague)
    html = client.get(url).content.decode()
    assert pending.document.get_absolute_url() not in html
    assert made.document.get_absolute_url() in html


def _large_pdf(megabytes=3):
    # A PDF with megabytes of padding after its end: large, and still a PDF by its bytes.
    return PDF + b"%" + b"0" * (megabytes * 1024 * 1024)


def _streamed_download(client, officer, case):
    content = _large_pdf()
    version = generated(case, officer, filename="groot.pdf", content=content, description="Groot")
    response = fetch(client, officer, version)
    assert response.status_code == 200
    # Streamed: the body is not in the response, but read from the storage a chunk at a
    # time while it is sent.
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 10 and max(len(chunk) for chunk in chunks) <= 64 * 1024
    assert b"".join(chunks) == content
    assert response["Content-Length"] == str(len(content))
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="groot.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(purpose="documents:download").count() == 1
    return version


def test_a_large_download_is_streamed_from_disk(client, officer, case, document_dir):
    _streamed_download(client, officer, case)


def test_a_large_download_is_streamed_from_s3(client, officer, case, s3_storage, monkeypatch):
    from storages.backends.s3 import S3File

    def whole(self):
        raise AssertionError("S3File downloads the whole object: not for a download")

    # django-storages' own file would download the object whole before the first chunk.
    monkeypatch.setattr(S3File, "_get_file", whole)
    _streamed_download(client, officer, case)


def test_a_download_whose_file_is_gone_is_a_404_not_an_error(client, officer, case):
    from documents import storage

    version = generated(case, officer)
    storage.delete(version.storage_key)
    assert fetch(client, officer, version).status_code == 404
    assert not AuditEntry.objects.filter(purpose="documents:download").exists()


def test_an_image_preview_is_streamed_inline_in_a_sandbox(client, officer, case):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, format="PNG")
    png = buffer.getvalue()
    version = generated(
        case,
        officer,
        Document.Type.IDENTITY,
        filename="pasfoto.png",
        content=png,
        description="Pasfoto",
    )
    response = fetch(client, officer, version, "documents:preview")
    assert_inline_in_a_sandbox(response)
    assert response.streaming and b"".join(response.streaming_content) == png


def test_the_case_page_shows_the_documents_the_general_rule_lets_each_role_see(
    officer, team_lead, auditor, outsider, case
):
    """The case page applies the rule to the case it read (documents_of_read_case), not
    the rule's subquery: for every role that reads the case, the same documents."""
    from cases.models import Case
    from documents import case_hooks

    decision = generated(case, officer).document
    medical = generated(case, officer, doc_type=Document.Type.MEDICAL).document
    elsewhere = generated(CaseFactory(team=outsider.team, officer=outsider), outsider).document
    today = timezone.localdate()
    seen = {}
    for user in (officer, team_lead, auditor, outsider):
        read = Case.objects.visible_to(user).filter(pk=case.pk).first()
        if read is None:
            seen[user.username] = None
            continue
        section = case_hooks.section(read, user=user, today=today)
        shown = {row["url"].rstrip("/").rsplit("/", 1)[-1] for row in section.context["documents"]}
        rule = set(
            Document.objects.visible_to(user).filter(case=case).values_list("reference", flat=True)
        )
        assert shown == rule, user.username
        assert elsewhere.reference not in shown
        seen[user.username] = shown
    assert seen["officer"] == seen["teamlead"] == {decision.reference, medical.reference}
    assert seen["auditor"] == {decision.reference}
    assert seen["officer3"] is None
