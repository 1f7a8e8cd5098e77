"""The officer makes a letter from the case page: the button, the form (the person's
language by default), the letter kept with the case, refusals shown on the form, and nobody
outside the case's team gets near it."""

import pytest
from django.urls import reverse
from django.utils import translation

from dtv.audit.models import AuditEntry
from letters.models import GeneratedLetter
from tests.letters.conftest import letter_pdf, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _url(case):
    return reverse("letters:generate", args=[case.reference])


def test_the_case_page_offers_the_letter_form(officer_client, letter_case):
    case = letter_case["case"]
    page = officer_client.get(case.get_absolute_url()).content.decode()
    assert _url(case) in page
    assert "No letters have been made for this case yet." in page or "Nog geen brieven" in page


def test_the_form_defaults_to_the_persons_language_and_the_planned_interview(
    officer_client, letter_case
):
    case = letter_case["case"]
    before = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).count()
    response = officer_client.get(_url(case))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["language"] == "ara"
    assert form.initial["kind"] == "invitation"
    assert form.initial["interview"] == letter_case["planned"].pk
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).count() == before + 1


def test_without_a_planned_interview_the_form_offers_the_agreements(officer_client, letter_case):
    letter_case["planned"].delete()
    form = officer_client.get(_url(letter_case["case"])).context["form"]
    assert form.initial["kind"] == "agreements"
    assert form.initial["interview"] == letter_case["held"].pk


def test_the_officer_makes_an_arabic_invitation(officer_client, letter_case):
    case = letter_case["case"]
    response = officer_client.post(
        _url(case),
        {"kind": "invitation", "language": "ara", "interview": letter_case["planned"].pk},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"{case.get_absolute_url()}#letters")
    letter = GeneratedLetter.objects.get()
    assert letter.text.language == "ara" and letter.created_by == case.officer
    assert "مقابلة بشأن المغادرة" in pdf_text(letter_pdf(letter))
    page = officer_client.get(case.get_absolute_url()).content.decode()
    version = letter.document_version
    download = reverse("documents:download", args=[version.document.reference, version.number])
    assert download in page
    response = officer_client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content == letter_pdf(letter)


def test_a_refusal_is_shown_on_the_form_and_nothing_is_made(officer_client, letter_case):
    case = letter_case["case"]
    response = officer_client.post(
        _url(case), {"kind": "agreements", "language": "nld", "interview": ""}
    )
    assert response.status_code == 200
    assert "Choose the interview the letter is about." in response.content.decode()
    assert not GeneratedLetter.objects.exists()


def test_a_hostile_post_is_refused_cleanly(officer_client, letter_case):
    case = letter_case["case"]
    for data in (
        {"kind": "memo", "language": "nld"},
        {"kind": "obligation", "language": "../../etc"},
        {"kind": "invitation", "language": "nld", "interview": "999999"},
        {"kind": "invitation", "language": "nld", "interview": "x"},
    ):
        response = officer_client.post(_url(case), data)
        assert response.status_code == 200, data
    assert not GeneratedLetter.objects.exists()


@pytest.mark.parametrize(
    "role,expected",
    [("auditor", 403), ("outsider", 404), ("partner_user", 404), ("admin_user", 404)],
)
def test_only_the_case_team_makes_letters(client, letter_case, request, role, expected):
    user = request.getfixturevalue(role)
    client.force_login(user)
    case = letter_case["case"]
    assert client.get(_url(case)).status_code == expected
    response = client.post(_url(case), {"kind": "obligation", "language": "nld"})
    assert response.status_code == expected
    assert not GeneratedLetter.objects.exists()
