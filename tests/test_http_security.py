"""Issue 24.9, the HTTP parts: no caching of pages and exports, a client's own X-Request-ID
and X-Forwarded-For not believed, a 10 MB POST refused, no Server header from gunicorn, the
language cookie Secure and SameSite."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from cases.models import Note
from dtv.audit.models import AuditEntry
from tests.cases.factories import CaseFactory
from tests.test_foundation import _run_django

ROOT = Path(__file__).resolve().parent.parent
TEN_MB = 10 * 1024 * 1024


@pytest.mark.django_db
def test_pages_and_exports_with_personal_data_are_not_stored(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    for url in (
        reverse("cases:detail", args=[case.reference]),
        reverse("cases:list"),
        reverse("cases:export"),
        reverse("cases:worklist"),
    ):
        response = officer_client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    login = Client().get(reverse("accounts:login"))
    assert "no-store" in login["Cache-Control"]


@pytest.mark.django_db
def test_a_clients_own_request_id_is_not_the_audit_correlation_id(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    url = reverse("cases:detail", args=[case.reference])
    response = officer_client.get(url, HTTP_X_REQUEST_ID="forged-by-client")
    assert response["X-Request-ID"] != "forged-by-client"
    entry = AuditEntry.objects.filter(kind="view").latest("timestamp")
    assert entry.cid == response["X-Request-ID"]


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXY_ADDRESSES=["10.0.0.0/8"])
def test_a_request_id_is_kept_only_from_the_trusted_proxy(client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    client.force_login(officer)
    url = reverse("cases:detail", args=[case.reference])
    proxied = client.get(url, HTTP_X_REQUEST_ID="proxy-id-1", REMOTE_ADDR="10.1.2.3")
    assert proxied["X-Request-ID"] == "proxy-id-1"
    direct = client.get(url, HTTP_X_REQUEST_ID="client-id-2", REMOTE_ADDR="192.0.2.7")
    assert direct["X-Request-ID"] != "client-id-2"
    assert list(
        AuditEntry.objects.filter(kind="view").order_by("timestamp").values_list("cid", flat=True)
    ) == ["proxy-id-1", direct["X-Request-ID"]]


@pytest.mark.django_db
def test_a_forged_forwarded_for_is_not_the_audited_address(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    forged = {"HTTP_X_FORWARDED_FOR": "203.0.113.66", "HTTP_X_FORWARDED_PORT": "4444"}
    officer_client.get(reverse("cases:detail", args=[case.reference]), **forged)
    officer_client.post(reverse("cases:note_add", args=[case.reference]), {"text": "x"}, **forged)
    assert Note.objects.filter(case=case).exists()
    entries = AuditEntry.objects.exclude(remote_addr=None)
    assert entries.count() >= 2
    assert set(entries.values_list("remote_addr", flat=True)) == {"127.0.0.1"}
    with override_settings(TRUSTED_PROXY_COUNT=1):
        officer_client.get(reverse("cases:detail", args=[case.reference]), **forged)
    assert AuditEntry.objects.filter(kind="view").latest("timestamp").remote_addr == (
        "203.0.113.66"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "text/plain",
    ],
)
def test_a_10_mb_post_to_the_login_page_is_refused(client, content_type):
    body = b"username=a&password=" + b"x" * TEN_MB
    response = client.generic("POST", reverse("accounts:login"), body, content_type=content_type)
    assert response.status_code == 413


@pytest.mark.django_db
def test_an_ordinary_post_is_not_refused(client, officer):
    response = client.post(
        reverse("accounts:login"), {"username": "officer", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_language_cookie_is_secure_samesite_and_httponly(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] and cookie["samesite"] == "Lax" and cookie["httponly"]


def test_production_settings_make_the_language_cookie_secure():
    result = _run_django(
        {
            "SECRET_KEY": "k8#Lq2!vZ9@pR4$wX7^mN1&bT6*cY3(hJ0)fG5-dS8+aE2=uI4~oP7?",
            "DATABASE_URL": "sqlite:///:memory:",
        },
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY)",
    )
    assert result.stdout.splitlines()[-1].split() == ["True", "Lax", "True"], result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_sends_no_server_header():
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "dtv.wsgi:application", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                connection.request("GET", "/toegankelijkheid/")
                response = connection.getresponse()
                status, headers = response.status, dict(response.getheaders())
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
            finally:
                connection.close()
        assert status in (200, 302)
        assert "Server" not in headers
        assert headers["Date"]
    finally:
        server.terminate()
        server.wait(timeout=15)


@pytest.mark.django_db
@pytest.mark.parametrize("upload_url", ["cases:import", "documents:add"])
def test_an_upload_view_takes_a_large_body_and_still_checks_csrf(
    upload_url, admin_user, officer, settings
):
    """Upload views (dtv.middleware.upload_view) declare their own size limit; the CSRF check
    moves into them, after the size handler, and still refuses a post without a token."""
    from django.urls import resolve

    case = CaseFactory(team=officer.team, officer=officer)
    user = admin_user if upload_url == "cases:import" else officer
    url = (
        reverse(upload_url)
        if upload_url == "cases:import"
        else reverse(upload_url, args=[case.reference])
    )
    assert callable(resolve(url).func.max_request_bytes)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(url, {"file": ""})
    assert response.status_code == 403
    # A body over MAX_REQUEST_BYTES but within the view's own limit is not refused at the
    # door (413): the view reads it (here: refused by CSRF, as any post without a token).
    settings.MAX_REQUEST_BYTES = 1024
    response = client.post(url, {"description": "x" * 4096})
    assert response.status_code == 403
    # The login page declares no limit of its own: the same body is a 413.
    login = Client().post(reverse("accounts:login"), {"username": "x" * 4096})
    assert login.status_code == 413
