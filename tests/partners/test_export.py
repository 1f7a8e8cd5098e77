"""The agenda on paper and as PDF carries only the need-to-know fields."""

import hashlib
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Note, Obstacle
from dtv.audit.models import AuditEntry
from partners import pdf
from tests.partners.factories import AgendaItemFactory, send

pytestmark = pytest.mark.django_db

# Text that must never leave the officers' side through an agenda.
FORBIDDEN = [
    "NOTE-SECRET-4711",  # a note
    "MEDICAL-DETAIL-0815",  # the description of a medical obstacle
    "RESOLVED-OBSTACLE-CATEGORY-TEXT",  # a resolved obstacle's resolution
    "DEPARTURE-PLAN-2233",  # the departure plan
    "NL26.99999",  # a court case number
]


@pytest.fixture
def agenda_case(meeting, make_case, officer):
    case = make_case(
        phase=Case.Phase.OBLIGED,
        term_ends_on=timezone.localdate() - timedelta(days=3),
        departure_plan="DEPARTURE-PLAN-2233",
    )
    case.person.medical_flag = True
    case.person.family_name = "Benali"
    case.person.given_names = "Amina"
    case.person.save()
    Note.objects.create(case=case, author=officer, text="NOTE-SECRET-4711 psychiatrisch rapport")
    Obstacle.objects.create(
        case=case,
        category=Obstacle.Category.MEDICAL,
        description="MEDICAL-DETAIL-0815 diagnose",
        identified_on=timezone.localdate() - timedelta(days=70),
    )
    Obstacle.objects.create(
        case=case,
        category=Obstacle.Category.CRIMINAL,
        status="resolved",
        identified_on=timezone.localdate() - timedelta(days=300),
        resolved_on=timezone.localdate() - timedelta(days=100),
        resolution="RESOLVED-OBSTACLE-CATEGORY-TEXT",
    )
    case.procedures.create(type="appeal", case_number="NL26.99999", outcome="dismissed")
    AgendaItemFactory(
        meeting=meeting,
        case=case,
        question="Overgaan op VBL-plaatsing?",
        approach="VBL voorstellen; AVIM start identiteitsonderzoek.",
    )
    send(meeting)
    return case


@pytest.fixture
def captured_html(monkeypatch):
    """The HTML that feeds WeasyPrint, kept for inspection."""
    seen = []
    original = pdf.render_pdf

    def capture(html, *, base_url):
        seen.append(html)
        return original(html, base_url=base_url)

    monkeypatch.setattr(pdf, "render_pdf", capture)
    return seen


def _assert_need_to_know_only(text, case):
    for forbidden in FORBIDDEN:
        assert forbidden not in text, forbidden
    for allowed in [
        case.reference,
        case.person.v_nummer,
        "Benali",
        "Overgaan op VBL-plaatsing?",
        "VBL voorstellen; AVIM start identiteitsonderzoek.",
    ]:
        assert allowed in text, allowed


def _pdf_text(content: bytes, tmp_path) -> str | None:
    try:
        import pypdf
    except ImportError:
        pypdf = None
    if pypdf is not None:
        import io

        reader = pypdf.PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() for page in reader.pages)
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    path = tmp_path / "agenda.pdf"
    path.write_bytes(content)
    result = subprocess.run(  # noqa: S603
        [tool, "-layout", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def test_pdf_is_produced_with_need_to_know_fields_only(
    client, meeting, agenda_case, partner_user, partner_contact, captured_html, tmp_path
):
    client.force_login(partner_user)
    response = client.get(reverse("partners:agenda_pdf", args=[meeting.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"agenda-{meeting.reference}.pdf" in response["Content-Disposition"]
    (html,) = captured_html
    _assert_need_to_know_only(html, agenda_case)
    # The medical obstacle shows as a category, never with its description.
    assert "Medisch" in html or "Medical" in html
    text = _pdf_text(response.content, tmp_path)
    if text is not None:
        # Text extraction breaks lines in table cells: compare without whitespace.
        flat = "".join(text.split())
        for forbidden in FORBIDDEN:
            assert forbidden not in flat
        assert agenda_case.person.v_nummer in flat
        assert agenda_case.reference in flat
    entry = AuditEntry.objects.get(purpose="partners:agenda_pdf")
    assert entry.kind == AuditEntry.Kind.EXPORT
    assert agenda_case.person.v_nummer in entry.additional_data["v_nummers"]


def test_print_page_has_need_to_know_fields_only(client, meeting, agenda_case, officer):
    client.force_login(officer)
    response = client.get(reverse("partners:agenda_print", args=[meeting.reference]))
    assert response.status_code == 200
    _assert_need_to_know_only(response.content.decode(), agenda_case)
    assert AuditEntry.objects.get(purpose="partners:agenda_print").kind == AuditEntry.Kind.PRINT


def test_partner_pages_show_need_to_know_fields_only(
    client, meeting, agenda_case, partner_user, partner_contact
):
    client.force_login(partner_user)
    for url in [
        reverse("partners:meeting_detail", args=[meeting.reference]),
        reverse("partners:agenda_case", args=[meeting.reference, agenda_case.reference]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        _assert_need_to_know_only(response.content.decode(), agenda_case)


def test_names_in_the_agenda_are_escaped(client, meeting, agenda_case, officer, captured_html):
    agenda_case.person.family_name = '<img src="http://attacker.example/x">'
    agenda_case.person.save()
    client.force_login(officer)
    response = client.get(reverse("partners:agenda_pdf", args=[meeting.reference]))
    assert response.status_code == 200
    assert "<img" not in captured_html[0]
    assert "&lt;img" in captured_html[0]


def test_the_pdf_fetches_nothing(monkeypatch):
    # Whatever the document links to, WeasyPrint may not fetch it (no server-side requests).
    html = '<html><body><img src="http://127.0.0.1:9/x.png"><p>Agenda</p></body></html>'
    assert pdf.render_pdf(html, base_url="http://testserver/").startswith(b"%PDF")


def test_an_empty_agenda_still_gives_a_pdf(client, meeting, officer):
    client.force_login(officer)
    response = client.get(reverse("partners:agenda_pdf", args=[meeting.reference]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    # Nothing was exported, so there is no export entry.
    assert not AuditEntry.objects.filter(purpose="partners:agenda_pdf").exists()


def test_the_same_agenda_html_is_rendered_once_through_the_shared_cache(monkeypatch, settings):
    rendered = []
    original = pdf._render

    def counting(html, *, base_url):
        rendered.append(html)
        return original(html, base_url=base_url)

    monkeypatch.setattr(pdf, "_render", counting)
    cache.clear()
    first = pdf.render_pdf("<p>Agenda A</p>", base_url="http://testserver/")
    again = pdf.render_pdf("<p>Agenda A</p>", base_url="http://testserver/")
    other = pdf.render_pdf("<p>Agenda B</p>", base_url="http://testserver/")
    assert first == again and first.startswith(b"%PDF") and other != first
    assert rendered == ["<p>Agenda A</p>", "<p>Agenda B</p>"]
    # The entry lives in Django's cache (Redis in production), not in this process.
    key = pdf.CACHE_PREFIX + hashlib.sha256(b"http://testserver/\0<p>Agenda A</p>").hexdigest()
    assert cache.get(key) == first
    # An installation that keeps no personal data in its cache turns it off.
    settings.AGENDA_PDF_CACHE_SECONDS = 0
    cache.clear()
    pdf.render_pdf("<p>Agenda A</p>", base_url="http://testserver/")
    pdf.render_pdf("<p>Agenda A</p>", base_url="http://testserver/")
    assert rendered[2:] == ["<p>Agenda A</p>", "<p>Agenda A</p>"]
    assert cache.get(key) is None
