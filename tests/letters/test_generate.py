"""Letters made for a case: each kind in each of the four seeded languages, Arabic laid out
right to left, a language without a text in Dutch with the English translation, the versions
recorded, and the refusals an officer can act on."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format

from cases.models import Language
from dtv.audit.models import AuditEntry
from letters import services
from letters.models import GeneratedLetter, Kind, LetterText
from letters.pdf import letter_html
from tests.letters.conftest import letter_pdf, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The refusals are read in English (the UI language does not touch the letters).
    with translation.override("en"):
        yield


EXPECTED = {
    # (kind, language): words of the text that must be in the PDF
    ("invitation", "nld"): ["Uitnodiging voor een vertrekgesprek", "Tolk: Arabisch", "14:30"],
    ("invitation", "eng"): ["Invitation to a departure interview", "Interpreter: Arabic", "14:30"],
    ("invitation", "fra"): ["Convocation à un entretien de départ", "Arabe", "14:30"],
    # Arabic: words without the lam-alef ligature, which pdftotext gives back as two letters
    # in visual order.
    ("invitation", "ara"): ["مقابلة بشأن المغادرة", "العربية", "14:30"],
    ("agreements", "nld"): ["Bevestiging van de afspraken", "kopie van het paspoort"],
    ("agreements", "eng"): ["Confirmation of the agreements", "kopie van het paspoort"],
    ("agreements", "fra"): ["Confirmation des accords", "kopie van het paspoort"],
    ("agreements", "ara"): ["تأكيد", "مقابلتنا", "kopie van het paspoort"],
    ("obligation", "nld"): ["Uw vertrekplicht en de vertrektermijn", "28 dagen"],
    ("obligation", "eng"): ["Your obligation to leave", "28 days"],
    ("obligation", "fra"): ["Votre obligation de départ", "28 jours"],
    ("obligation", "ara"): ["ومهلة المغادرة", "28"],
}


def _generate(world, kind, language, **kwargs):
    interview = {
        Kind.INVITATION: world["planned"],
        Kind.AGREEMENTS: world["held"],
        Kind.OBLIGATION: None,
    }[kind]
    return services.generate_letter(
        world["case"],
        actor=world["case"].officer,
        kind=kind,
        language=language,
        interview=interview,
        **kwargs,
    )


@pytest.mark.parametrize("kind,language", sorted(EXPECTED))
def test_each_kind_renders_in_each_language(letter_case, kind, language):
    letter = _generate(letter_case, kind, language)
    text = pdf_text(letter_pdf(letter))
    for words in EXPECTED[(kind, language)]:
        assert words in text, (words, text[:800])
    case = letter_case["case"]
    assert case.person.v_nummer in text and case.reference in text
    assert "Yusuf Haddad" in text
    assert letter.text == LetterText.objects.get(kind=kind, language=language, version=1)
    assert letter.translation is None
    assert letter.size == len(letter_pdf(letter)) and len(letter.sha256) == 64


def test_the_letter_is_a_document_of_the_case(letter_case, document_dir):
    from documents.models import Document

    letter = _generate(letter_case, Kind.INVITATION, "ara")
    version = letter.document_version
    document = version.document
    assert document.case == letter_case["case"]
    assert document.doc_type == Document.Type.CORRESPONDENCE
    assert document.source_note == "letters: invitation ara v1"
    assert version.content_type == "application/pdf"
    assert version.sha256 == letter.sha256 and version.size == letter.size
    assert version.original_name == letter.filename
    # In the storage itself, not only in the rows.
    stored = [p for p in document_dir.rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in stored] == [letter_pdf(letter)]


def test_the_term_end_is_written_in_the_letters_language(letter_case):
    case = letter_case["case"]
    case.refresh_from_db()
    letter = _generate(letter_case, Kind.OBLIGATION, "fra")
    with translation.override("fr"):
        end = date_format(case.term_ends_on or letter_case["today"], "j F Y")
    assert end in pdf_text(letter_pdf(letter))


def test_arabic_is_laid_out_right_to_left(letter_case):
    text, _english = services.letter_texts(Kind.INVITATION, "ara")
    source = services.case_source(
        letter_case["case"],
        kind=Kind.INVITATION,
        interview=letter_case["planned"],
        today=letter_case["today"],
    )
    html = letter_html([services._part(text, source)])
    assert '<html lang="ar" dir="rtl">' in html
    assert '<article class="part" lang="ar" dir="rtl">' in html
    letter = _generate(letter_case, Kind.INVITATION, "ara")
    extracted = pdf_text(letter_pdf(letter))
    # pdftotext gives the Arabic in logical order, so the words are found as written: the
    # glyphs were shaped and set right to left, not left as isolated letters.
    assert "ندعوكم إلى مقابلة" in extracted
    assert "\ufe8e" not in extracted  # no presentation-form glyph left unjoined in the text


def _words(content: bytes) -> list[tuple[float, float, float, str]]:
    """(xMin, xMax, yMin, text) of every word on the first page, as poppler lays them out."""
    import re
    import subprocess

    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>'
    return [
        (float(x0), float(x1), float(y0), text) for x0, y0, x1, text in re.findall(pattern, html)
    ]


def test_the_arabic_subject_runs_from_the_right_margin(letter_case):
    letter = _generate(letter_case, Kind.INVITATION, "ara")
    words = _words(letter_pdf(letter))
    # poppler gives each Arabic word's glyphs in visual order: reversed, they read as written.
    by_text = {text[::-1]: (x0, x1, y0) for x0, x1, y0, text in words}
    first, last = by_text["دعوة"], by_text["المغادرة"]
    assert first[2] == last[2]  # one line: the subject
    # Right to left: the first word stands at the right margin, the last one left of it.
    assert first[1] > 500 and last[0] < first[0]
    english = _generate(letter_case, Kind.INVITATION, "eng")
    invitation = next(w for w in _words(letter_pdf(english)) if w[3] == "Invitation")
    assert invitation[0] < 100  # a left-to-right letter starts at the left margin


def test_arabic_letter_uses_a_font_with_arabic_glyphs(letter_case):
    import subprocess

    letter = _generate(letter_case, Kind.OBLIGATION, "ara")
    fonts = subprocess.run(
        ["pdffonts", "-"], input=letter_pdf(letter), capture_output=True, check=True
    ).stdout.decode()
    assert "DejaVu-Sans" in fonts and "Identity-H" in fonts  # embedded, Unicode glyphs


def test_a_language_without_a_text_gives_dutch_with_the_english_translation(letter_case):
    case = letter_case["case"]
    Language.objects.create(person=case.person, code="tir")
    letter = _generate(letter_case, Kind.OBLIGATION, "tir")
    assert letter.language == "tir"
    assert letter.text.language == "nld" and letter.translation.language == "eng"
    text = pdf_text(letter_pdf(letter))
    assert text.index("Uw vertrekplicht") < text.index("Your obligation to leave")
    assert "English translation of the Dutch letter before it" in text


def test_a_speaker_of_moroccan_arabic_gets_the_arabic_letter(letter_case):
    letter = _generate(letter_case, Kind.OBLIGATION, "ary")
    assert letter.language == "ary"
    assert letter.text.language == "ara" and letter.translation is None
    assert "ومهلة المغادرة" in pdf_text(letter_pdf(letter))


def test_a_letter_records_the_version_it_was_made_from(letter_case, admin_user):
    first = _generate(letter_case, Kind.OBLIGATION, "eng")
    current = services.current_text(Kind.OBLIGATION, "eng")
    services.save_letter_text(
        actor=admin_user,
        kind=Kind.OBLIGATION,
        language="eng",
        subject=current.subject,
        body=current.body + "\n\nPlease keep this letter.",
    )
    second = _generate(letter_case, Kind.OBLIGATION, "eng")
    assert (first.text.version, second.text.version) == (1, 2)
    assert "Please keep this letter." in pdf_text(letter_pdf(second))
    assert "Please keep this letter." not in pdf_text(letter_pdf(first))
    assert services.source_note(second) == "letters: obligation eng v2"


def test_making_a_letter_is_audited(letter_case):
    letter = _generate(letter_case, Kind.OBLIGATION, "nld")
    entry = AuditEntry.objects.get_for_object(letter).get()
    assert entry.actor == letter_case["case"].officer
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.additional_data["v_nummer"] == letter_case["case"].person.v_nummer


def test_refusals_say_what_to_do(letter_case, outsider, auditor):
    case, held, planned = letter_case["case"], letter_case["held"], letter_case["planned"]
    cases = [
        (dict(kind=Kind.INVITATION, interview=held), "planned interview"),
        (dict(kind=Kind.INVITATION, interview=None), "Choose the interview"),
        (dict(kind=Kind.AGREEMENTS, interview=planned), "interview that was held"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError, match=message):
            services.generate_letter(case, actor=case.officer, language="nld", **kwargs)
    held.agreements = ""
    held.save()
    with pytest.raises(ValidationError, match="no agreements"):
        services.generate_letter(
            case, actor=case.officer, kind=Kind.AGREEMENTS, language="nld", interview=held
        )
    for actor, message in ((outsider, "another team"), (auditor, "Only departure officers")):
        with pytest.raises(ValidationError, match=message):
            services.generate_letter(case, actor=actor, kind=Kind.OBLIGATION, language="nld")
    assert not GeneratedLetter.objects.exists()


def test_no_obligation_letter_before_the_term_runs(letter_case):
    case = letter_case["case"]
    case.decision_on = None
    case.save()
    with pytest.raises(ValidationError, match="departure term has not started"):
        services.generate_letter(case, actor=case.officer, kind=Kind.OBLIGATION, language="nld")
    assert not GeneratedLetter.objects.exists()


def test_no_letter_on_a_closed_case(letter_case):
    case = letter_case["case"]
    case.phase, case.closed_on, case.closure_reason = "closed", timezone.localdate(), "other"
    case.save()
    with pytest.raises(ValidationError, match="closed"):
        services.generate_letter(case, actor=case.officer, kind=Kind.OBLIGATION, language="nld")
