"""Issue 20.7 in the browser: the officer writes an invitation in Arabic from the case page,
finds it with the case's letters and downloads the PDF, which reads right to left."""

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Language
from interviews.models import Interview
from letters.models import GeneratedLetter
from tests.e2e.conftest import axe_violations, login
from tests.letters.conftest import pdf_text


@pytest.fixture
def document_dir(settings, tmp_path):
    root = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": "/no-public-url-for-documents/"},
        },
    }
    return root


def _arabic_case_with_a_planned_interview():
    case = (
        Case.objects.filter(officer__username="officer")
        .open()
        .exclude(decision_on=None)
        .order_by("reference")
        .first()
    )
    Language.objects.get_or_create(person=case.person, code="ary")
    day = timezone.localdate() + timedelta(days=6)
    interview = Interview.objects.create(
        case=case,
        stage="progress",
        planned_at=timezone.make_aware(datetime.combine(day, time(13, 15))),
        location="Kantoor DT&V, Kanaalweg 4, Utrecht",
        interpreter_language="ary",
        created_by=case.officer,
    )
    return case, interview


def test_officer_writes_an_invitation_in_arabic(page, demo, document_dir):
    case, interview = _arabic_case_with_a_planned_interview()
    before = set(GeneratedLetter.objects.values_list("pk", flat=True))
    login(page, "officer")
    page.goto(page.base_url + case.get_absolute_url())
    form_url = reverse("letters:generate", args=[case.reference])
    page.click(f"#letters a[href='{form_url}']")
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    # The person speaks Moroccan Arabic: the letter is offered in Arabic, for the interview
    # just planned.
    assert page.input_value("#id_language") == "ara"
    page.check("input[name=kind][value=invitation]")
    page.select_option("#id_interview", str(interview.pk))
    page.click("main form button[type=submit]")
    # Rendering the PDF takes a moment on a busy machine: wait for the case page itself.
    try:
        page.wait_for_url(f"**{case.get_absolute_url()}#letters", timeout=60_000)
    except Exception as error:
        raise AssertionError(page.locator("main").inner_text()[:1500]) from error
    (letter,) = GeneratedLetter.objects.exclude(pk__in=before)
    assert letter.text.language == "ara" and letter.interview == interview
    link = page.locator("#letters ul a").first
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    content = Path(download.path()).read_bytes()
    text = pdf_text(content)
    assert "مقابلة بشأن المغادرة" in text
    assert "13:15" in text and "Kanaalweg 4" in text
    assert case.person.v_nummer in text
