import shutil
import subprocess
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from cases.models import Language
from tests.cases.factories import CaseFactory
from tests.interviews.factories import InterviewFactory, PlannedInterviewFactory


def pdf_text(content: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it (scripts/system-deps.sh)."""
    assert content.startswith(b"%PDF-"), content[:20]
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed: scripts/system-deps.sh installs it"
    result = subprocess.run(
        [tool, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    # pdftotext marks the direction of runs with Unicode embedding controls (U+202A-U+202E);
    # the words are compared without them.
    text = result.stdout.decode()
    return text.translate({c: None for c in range(0x202A, 0x202F)})


def letter_pdf(letter) -> bytes:
    """The letter's PDF as kept in the document storage."""
    from documents import storage

    with storage.open_file(letter.document_version.storage_key) as opened:
        return opened.read()


@pytest.fixture(autouse=True)
def document_dir(settings, tmp_path):
    """The letters' documents go to a private directory of the test's own."""
    root = tmp_path / "documents"
    settings.DOCUMENTS_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": "/no-public-url-for-documents/"},
        },
    }
    return root


@pytest.fixture(autouse=True)
def standard_texts(db):
    """The letter texts the data migration loads. A transactional test that ran before on the
    same worker (a browser test) flushed them with every other row: load them again."""
    from letters import texts
    from letters.models import LetterText

    texts.load(LetterText)


@pytest.fixture
def letter_case(officer):
    """A case with a return decision (term running), a planned interview with an Arabic
    interpreter and a held interview with agreements."""
    today = timezone.localdate()
    case = CaseFactory(
        team=officer.team,
        officer=officer,
        phase="term_running",
        decision_on=today - timedelta(days=3),
        person__family_name="Haddad",
        person__given_names="Yusuf",
    )
    Language.objects.create(person=case.person, code="ara")
    planned = PlannedInterviewFactory(
        case=case,
        planned_at=timezone.make_aware(datetime.combine(today + timedelta(days=9), time(14, 30))),
        location="Kantoor DT&V, Kanaalweg 4, Utrecht",
        interpreter_language="ara",
    )
    held = InterviewFactory(
        case=case,
        held_at=timezone.now() - timedelta(days=2),
        agreements="Betrokkene levert binnen twee weken een kopie van het paspoort aan.",
    )
    return {"case": case, "planned": planned, "held": held, "today": today}


@pytest.fixture
def fixed_day():
    return date(2026, 12, 3)


@pytest.fixture(autouse=True)
def english():
    # Messages are matched in English (the site speaks Dutch by default).
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    # Pages answer in the language of the cookie the language switch sets.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
