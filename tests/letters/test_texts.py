"""The functional administrator's letter texts: edit (a new version each save), preview as
PDF with sample data, placeholders from the fixed list only, and no template language."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from letters import placeholders, services
from letters.models import GeneratedLetter, Kind, LetterText
from tests.letters.conftest import letter_pdf, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _edit_url(kind="invitation", language="eng"):
    return reverse("letters:text_edit", args=[kind, language])


def test_the_list_shows_every_seeded_language_and_kind(admin_client):
    response = admin_client.get(reverse("letters:text_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    for language in ("nld", "eng", "fra", "ara"):
        for kind in Kind.values:
            assert _edit_url(kind, language) in body


def test_the_list_opens_a_text_in_another_language(admin_client):
    response = admin_client.get(
        reverse("letters:text_list"), {"kind": "obligation", "language": "tir"}
    )
    assert response.status_code == 302
    assert response["Location"] == _edit_url("obligation", "tir")
    page = admin_client.get(response["Location"])
    assert page.status_code == 200
    assert "Dutch with the English translation" in page.content.decode()


def test_saving_makes_a_new_version_and_keeps_the_old(admin_client, admin_user):
    page = admin_client.get(_edit_url())
    assert "Invitation to a departure interview" in page.content.decode()
    body = services.current_text("invitation", "eng").body + "\n\nBring this letter."
    response = admin_client.post(
        _edit_url(), {"subject": "Invitation to an interview", "body": body}
    )
    assert response.status_code == 302
    versions = LetterText.objects.filter(kind="invitation", language="eng").order_by("version")
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].subject == "Invitation to a departure interview"
    assert versions[1].subject == "Invitation to an interview"
    assert versions[1].created_by == admin_user
    # The edit page lists both versions, each with its own preview.
    page = admin_client.get(_edit_url()).content.decode()
    preview = reverse("letters:text_preview", args=["invitation", "eng"])
    assert f"{preview}?version=1" in page and f"{preview}?version=2" in page


def test_a_save_without_changes_makes_no_version(admin_client):
    current = services.current_text("invitation", "eng")
    response = admin_client.post(_edit_url(), {"subject": current.subject, "body": current.body})
    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    assert LetterText.objects.filter(kind="invitation", language="eng").count() == 1


@pytest.mark.parametrize(
    "token", ["{naaam}", "{0.__class__}", "{settings.SECRET_KEY}", "{v_nummer.__len__}"]
)
def test_an_unknown_placeholder_is_refused_with_a_clear_message(admin_client, token):
    response = admin_client.post(
        _edit_url(), {"subject": "Invitation", "body": f"Dear {token},\n\nPlease come."}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "is not a placeholder this letter can fill" in body
    assert "<title>Fout:" in body or "<title>Error:" in body
    assert LetterText.objects.filter(kind="invitation", language="eng").count() == 1


def test_the_preview_is_a_pdf_of_the_unsaved_text_with_sample_values(admin_client):
    response = admin_client.post(
        reverse("letters:text_preview", args=["invitation", "eng"]),
        {"subject": "Draft invitation", "body": "Dear {naam},\n\nCome on {datum} at {tijd}."},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    text = pdf_text(response.content)
    assert "Draft invitation" in text and "Dear A. Voorbeeld" in text
    assert "Preview with sample data" in text
    assert LetterText.objects.filter(kind="invitation", language="eng").count() == 1


def test_the_preview_of_a_saved_version(admin_client):
    response = admin_client.get(
        reverse("letters:text_preview", args=["obligation", "ara"]), {"version": "1"}
    )
    assert response.status_code == 200
    assert "ومهلة المغادرة" in pdf_text(response.content)


def test_a_preview_with_an_unknown_placeholder_shows_the_error(admin_client):
    response = admin_client.post(
        reverse("letters:text_preview", args=["invitation", "eng"]),
        {"subject": "Draft", "body": "Dear {nam}"},
    )
    assert response.status_code == 422
    assert "is not a placeholder this letter can fill" in response.content.decode()


HOSTILE = [
    "{{ settings.SECRET_KEY }}",
    "{% load static %}{% debug %}",
    "{{ request.user.password }}",
    "<%= 7*7 %> ${ 7*7 }",
    "{ 0.__class__.__mro__ }",
]


def test_template_syntax_in_a_text_stays_literal_text(admin_user):
    body = "Dear {naam},\n\n" + "\n\n".join(HOSTILE)
    services.save_letter_text(
        actor=admin_user, kind="invitation", language="eng", subject="{{ 7*7 }} x", body=body
    )
    text = pdf_text(
        services.preview_text(kind="invitation", language="eng", subject="{{ 7*7 }} x", body=body)
    )
    for hostile in HOSTILE:
        assert hostile in text, hostile
    assert "{{ 7*7 }} x" in text
    assert settings.SECRET_KEY not in text and "49" not in text


def test_values_are_filled_once_escaped_and_never_interpreted(letter_case):
    person = letter_case["case"].person
    person.given_names = "{kenmerk} {{ settings.SECRET_KEY }}"
    person.family_name = "<b>Haddad</b> {0.__class__}"
    person.save()
    held = letter_case["held"]
    held.agreements = "{% debug %}\n<script>alert(1)</script>"
    held.save()
    source = services.case_source(
        letter_case["case"], kind=Kind.AGREEMENTS, interview=held, today=letter_case["today"]
    )
    values = services._formatted(source, "eng")
    html = placeholders.fill_html("Dear {naam},\n\n{afspraken}", values)
    assert "{kenmerk} {{ settings.SECRET_KEY }} &lt;b&gt;Haddad&lt;/b&gt; {0.__class__}" in html
    assert "{% debug %}<br>&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert letter_case["case"].reference not in html
    letter = services.generate_letter(
        letter_case["case"],
        actor=letter_case["case"].officer,
        kind=Kind.AGREEMENTS,
        language="eng",
        interview=held,
    )
    text = pdf_text(letter_pdf(letter))
    assert "{kenmerk} {{ settings.SECRET_KEY }} <b>Haddad</b> {0.__class__}" in text
    assert "<script>alert(1)</script>" in text and settings.SECRET_KEY not in text


def test_unknown_placeholders_are_listed_once():
    assert placeholders.unknown_placeholders("{a} {naam} {a} {0.x} {{ b }}") == [
        "{a}",
        "{0.x}",
    ]


def test_only_the_functional_administrator_saves_texts(client, officer, auditor, team_lead):
    for user in (officer, auditor, team_lead):
        client.force_login(user)
        response = client.post(_edit_url(), {"subject": "X", "body": "Y"})
        assert response.status_code in (403, 404), user.role
        with pytest.raises(services.ValidationError):
            services.save_letter_text(
                actor=user, kind="invitation", language="eng", subject="X", body="Y"
            )
    assert LetterText.objects.filter(kind="invitation", language="eng").count() == 1
    assert not GeneratedLetter.objects.exists()


def test_unknown_kind_or_language_is_a_404(admin_client):
    assert admin_client.get(reverse("letters:text_edit", args=["memo", "eng"])).status_code == 404
    assert (
        admin_client.get(reverse("letters:text_edit", args=["invitation", "xx"])).status_code == 404
    )


def test_the_demo_seed_gives_an_emptied_database_its_standard_texts_again():
    # A flushed test database (or `manage.py flush`) has lost what the data migration loaded;
    # seed_demo's letters then had no text and every letter form answered with a refusal.
    import io
    import random

    from django.utils import timezone

    from dtv.demo.context import DemoContext
    from letters import demo, texts

    LetterText.objects.all().delete()
    out = io.StringIO()
    ctx = DemoContext(rng=random.Random(1), today=timezone.localdate(), cases=0, stdout=out)
    demo.seed(ctx)
    assert f"{len(texts.INITIAL_TEXTS)} standard letter texts restored" in out.getvalue()
    assert set(services.text_languages()) == {"ara", "eng", "fra", "nld"}
    for (kind, language), (subject, _body) in texts.INITIAL_TEXTS.items():
        assert services.current_text(kind, language).subject == subject
    # A second run, or one on a database that has its texts, makes none.
    demo.seed(ctx)
    assert LetterText.objects.count() == len(texts.INITIAL_TEXTS)
