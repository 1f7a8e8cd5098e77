"""Issue 24.8: the client's address only from the trusted proxies, a limit per address across
usernames, and a growing cool-off rather than a lockout of the account. Real login requests,
with axes switched on."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import OfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.2"
LOGIN = reverse("accounts:login")


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        yield


def attempt(username, password, *, forwarded_for=None, remote=PROXY):
    client = Client(REMOTE_ADDR=remote)
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    response = client.post(LOGIN, {"username": username, "password": password}, **headers)
    return response.status_code == 302 and "_auth_user_id" in client.session


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_an_attacker_does_not_lock_out_the_user(officer):
    for _ in range(8):
        assert not attempt("officer", "wrong-password-123", forwarded_for="203.0.113.9")
    # The attacker's own address is held back, even with the right password ...
    assert not attempt("officer", PASSWORD, forwarded_for="203.0.113.9")
    # ... but the officer, behind the same proxy, logs in.
    assert attempt("officer", PASSWORD, forwarded_for="198.51.100.7")


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(officer):
    for n in range(5):
        assert not attempt("officer", "wrong-password-123", forwarded_for=f"192.0.2.{n}")
    assert not attempt("officer", PASSWORD, forwarded_for="198.51.100.7")
    # Another client (another REMOTE_ADDR) is not held back.
    assert attempt("officer", PASSWORD, remote="10.9.9.9")


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_password_spraying_across_usernames_holds_the_address_back(db):
    target = OfficerFactory(username="target")
    for n in range(20):
        assert not attempt(f"guess{n}", "Welkom2026!", forwarded_for="203.0.113.50")
    assert not attempt("target", PASSWORD, forwarded_for="203.0.113.50")
    # The attacker's own account does not clear the address's count.
    OfficerFactory(username="insider")
    assert not attempt("insider", PASSWORD, forwarded_for="203.0.113.50")
    assert attempt(target.username, PASSWORD, forwarded_for="198.51.100.8")


def test_the_cool_off_grows_with_every_further_failure(officer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt("officer", "wrong-password-123")
        assert not attempt("officer", PASSWORD)  # held back; this try counts as a failure too
    # Five failures hold back 15 minutes; the sixth (during the hold) doubles it to 30.
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert not attempt("officer", PASSWORD)
    with time_machine.travel(start + timedelta(minutes=16 + 35), tick=False):
        # A fixed 30-minute lockout would have ended here.
        assert not attempt("officer", PASSWORD)
    with time_machine.travel(start + timedelta(minutes=51 + 121), tick=False):
        # Eight failures now: 120 minutes from the last.
        assert attempt("officer", PASSWORD)


def test_a_short_hold_ends_and_a_success_clears_the_count(officer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt("officer", "wrong-password-123")
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert attempt("officer", PASSWORD)
        # Counting starts again from zero: four failures hold nothing back.
        for _ in range(4):
            attempt("officer", "wrong-password-123")
        assert attempt("officer", PASSWORD)


def test_the_hold_page_says_so_without_500(officer):
    client = Client(REMOTE_ADDR=PROXY)
    for _ in range(5):
        client.post(LOGIN, {"username": "officer", "password": "wrong-password-123"})
    response = client.post(LOGIN, {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
