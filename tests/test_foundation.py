import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def _run_django(env_overrides, *args):
    # A clean environment: none of the test settings' overrides leak into the child.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_COOKIES"}
        and not k.startswith("DJANGO_")
    }
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "dtv.settings"
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_start_without_secret_key_is_refused():
    result = _run_django({}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_deploy_check_is_clean_with_production_values():
    result = _run_django(
        {
            "SECRET_KEY": "k8#Lq2!vZ9@pR4$wX7^mN1&bT6*cY3(hJ0)fG5-dS8+aE2=uI4~oP7?",
            "ALLOWED_HOSTS": "terugkeer.example",
            "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
            # Production has a virus scanner; without one documents.E001 says why uploads fail.
            "CLAMD_URL": "tcp://127.0.0.1:3310",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_says_uploads_are_refused_without_a_virus_scanner():
    result = _run_django(
        {
            "SECRET_KEY": "k8#Lq2!vZ9@pR4$wX7^mN1&bT6*cY3(hJ0)fG5-dS8+aE2=uI4~oP7?",
            "ALLOWED_HOSTS": "terugkeer.example",
            "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
        },
        "check",
        "--deploy",
    )
    assert result.returncode != 0
    assert "documents.E001" in result.stdout + result.stderr


def test_debug_must_be_a_boolean():
    result = _run_django({"DEBUG": "maybe"}, "check")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.django_db
def test_health_answers_200_when_the_database_answers(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


@pytest.mark.django_db
def test_health_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    # The database is replaced by one that refuses connections: the real failure mode of an
    # outage, raised at the driver boundary (the outage tests stop a real server).
    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


@pytest.mark.django_db
def test_health_reports_a_configured_broker_that_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "down"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/cases/", "/notifications/", "/audit/", "/beheer/"])
def test_pages_require_login(client, path):
    response = client.get(path, follow=True)
    assert response.redirect_chain, "an anonymous request must be redirected"
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_login_page_is_dutch_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nl"
    assert 'lang="nl"' in response.content.decode()
    assert "Inloggen" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_changes_the_language(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("accounts:login")}
    )
    assert response.status_code == 302
    response = client.get(reverse("accounts:login"))
    assert 'lang="en"' in response.content.decode()
    assert "Log in" in response.content.decode()


@pytest.mark.django_db
def test_login_and_logout(client, officer):
    response = client.post(
        reverse("accounts:login"), {"username": "officer", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_by_get_is_refused(client, officer):
    client.force_login(officer)
    assert client.get(reverse("accounts:logout")).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fixture", "landing"),
    [
        ("officer", "cases:worklist"),
        ("team_lead", "reports:caseload"),
        ("partner_user", "partners:meeting_list"),
        ("auditor", "audit:log"),
        ("admin_user", "admin:index"),
    ],
)
def test_each_role_lands_on_its_page(client, request, fixture, landing):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_unknown_page_is_a_dutch_404_without_traceback(client, officer):
    client.force_login(officer)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Pagina niet gevonden" in body
    assert "Traceback" not in body


@pytest.mark.django_db(transaction=True)
def test_seed_demo_twice_gives_the_same_counts(settings):
    from django.apps import apps

    settings.DEBUG = True
    call_command("seed_demo", "--cases", "30", stdout=io.StringIO())
    first = {m._meta.label: m.objects.count() for m in apps.get_models()}
    call_command("seed_demo", "--cases", "30", stdout=io.StringIO())
    second = {m._meta.label: m.objects.count() for m in apps.get_models()}
    # Audit, sessions and axes logs record the run itself; the data must not grow.
    ignored = {"audit.AuditEntry", "auditlog.LogEntry", "sessions.Session"}
    assert {k: v for k, v in first.items() if k not in ignored} == {
        k: v for k, v in second.items() if k not in ignored
    }
    assert first["accounts.User"] >= 7


@pytest.mark.django_db
def test_seed_demo_refuses_production_without_flag(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", "--cases", "1")
