"""The accessibility statement follows the Dutch model: date, compliance status, audit report,
known issues, contact."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_statement_has_every_part_of_the_model_statement(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "toegankelijkheid@example.org"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("accessibility"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<time datetime="2026-12-03">' in body
    for part in (
        "Statement drawn up on",
        "Compliance status",
        "partially compliant",
        "Audit report",
        "Known issues",
        "Contact and feedback",
        "National Ombudsman",
    ):
        assert part in body, part
    assert 'href="mailto:toegankelijkheid@example.org"' in body


def test_statement_without_a_contact_address_shows_no_empty_mail_link(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    body = client.get(reverse("accessibility")).content.decode()
    assert "mailto:" not in body
