"""Issue 24.10: users change and reset their own password, audited and with a notice."""

import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from dtv.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW = "a-brand-new-passphrase-42"


def login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_user_changes_their_password(client, officer, django_capture_on_commit_callbacks):
    login(client, "officer")
    other_device = Client()
    login(other_device, "officer")
    assert client.get(reverse("accounts:password_change")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        )
    assert response["Location"] == reverse("accounts:security")
    officer.refresh_from_db()
    assert officer.check_password(NEW)
    # This session goes on; every other session of the account ends.
    assert client.get(reverse("cases:worklist")).status_code == 200
    assert other_device.get(reverse("cases:worklist")).status_code == 302
    entry = AuditEntry.objects.get(object_pk=str(officer.pk), changes__has_key="password")
    assert entry.actor == officer and entry.changes == {"password": ["", "changed"]}
    assert NEW not in json.dumps(entry.changes) and officer.password not in json.dumps(
        entry.changes
    )
    assert [m.to for m in mail.outbox] == [[officer.email]]


def test_a_wrong_old_password_or_a_weak_new_one_changes_nothing(client, officer):
    login(client, "officer")
    for data in (
        {"old_password": "wrong-password-1", "new_password1": NEW, "new_password2": NEW},
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    ):
        response = client.post(reverse("accounts:password_change"), data)
        assert response.status_code == 200 and response.context["form"].errors
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(changes__has_key="password").exists()


def test_a_user_resets_a_forgotten_password(
    client, officer, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://terugkeer.example"
    assert (
        reverse("accounts:password_reset") in client.get(reverse("accounts:login")).content.decode()
    )
    response = client.post(reverse("accounts:password_reset"), {"email": officer.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert message.to == [officer.email]
    link = re.search(r"https://terugkeer\.example(/\S+)", message.body).group(1)
    assert "testserver" not in message.body  # the configured address, not the Host header
    page = client.get(link, follow=True)
    assert page.context["validlink"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
        )
    assert response["Location"] == reverse("accounts:login")
    assert login(client, "officer", NEW)["Location"] == reverse("home")
    entry = AuditEntry.objects.get(object_pk=str(officer.pk), changes__has_key="password")
    assert entry.changes == {"password": ["", "reset"]}
    assert [m.to for m in mail.outbox[1:]] == [[officer.email]]
    # The link works once.
    client.logout()
    assert not client.get(link, follow=True).context["validlink"]


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, officer):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_reset_link_expires_after_an_hour(client, officer):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(reverse("accounts:password_reset"), {"email": officer.email})
    link = re.search(r"http\S+(/accounts/wachtwoord/nieuw/\S+)", mail.outbox[0].body).group(1)
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert not client.get(link, follow=True).context["validlink"]


def test_login_issues_a_new_session_key(client, officer):
    client.get(reverse("accounts:login"))
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    login(client, "officer")
    assert client.session.session_key != before


def test_passwords_are_stored_with_argon2_in_production():
    from tests.test_foundation import _run_django

    result = _run_django(
        {
            "SECRET_KEY": "k8#Lq2!vZ9@pR4$wX7^mN1&bT6*cY3(hJ0)fG5-dS8+aE2=uI4~oP7?",
            "DATABASE_URL": "sqlite:///:memory:",
        },
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.PASSWORD_HASHERS[0])",
    )
    assert result.stdout.splitlines()[-1] == "django.contrib.auth.hashers.Argon2PasswordHasher"
