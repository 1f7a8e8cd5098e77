import json
from datetime import date, timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import retention
from cases.models import Case, Note
from dtv.audit.models import AuditEntry
from tests.cases.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script>'


def test_one_audit_entry_per_view_and_none_when_refused(client, officer, outsider):
    case = CaseFactory(team=officer.team, officer=officer)
    client.force_login(officer)
    client.get(reverse("cases:detail", args=[case.reference]))
    client.force_login(outsider)
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404
    entries = AuditEntry.objects.filter(kind="view", v_nummer=case.person.v_nummer)
    assert list(entries.values_list("actor__username", flat=True)) == ["officer"]
    entry = entries.get()
    assert entry.remote_addr == "127.0.0.1" and entry.cid and entry.purpose == "cases:detail"


def test_audit_entries_cannot_be_changed_or_deleted(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    officer_client.get(reverse("cases:detail", args=[case.reference]))
    entry = AuditEntry.objects.get(kind="view")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(purpose="x")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET purpose = 'x'")


def test_admin_cannot_edit_audit_entries(client, admin_user, officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    officer_client.get(reverse("cases:detail", args=[case.reference]))
    entry = AuditEntry.objects.get(kind="view")
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_case_access_page_for_lead_and_auditor(client, officer, team_lead, auditor, outsider):
    case = CaseFactory(team=officer.team, officer=officer)
    client.force_login(officer)
    client.get(reverse("cases:detail", args=[case.reference]))
    url = reverse("privacy:case_access", args=[case.reference])
    assert client.get(url).status_code == 403
    for user in (team_lead, auditor):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert escape(str(officer)) in response.content.decode()
    client.force_login(outsider)
    assert client.get(url).status_code == 403  # the same for any reference: reveals nothing
    from tests.accounts.factories import TeamLeadFactory

    client.force_login(TeamLeadFactory(team=outsider.team))
    assert client.get(url).status_code == 404


@override_settings(AXES_ENABLED=True)
def test_lockout_after_five_failures_and_its_end(officer):
    client = Client(REMOTE_ADDR="10.0.0.5")
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "officer", "password": "wrong-password-123"})
    response = client.post(url, {"username": "officer", "password": "correct-horse-battery"})
    assert response.status_code == 429 or "30" in response.content.decode()
    assert "_auth_user_id" not in client.session
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.post(url, {"username": "officer", "password": "correct-horse-battery"})
        assert response.status_code == 302
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


@override_settings(TWO_FACTOR_ENFORCED=True, TWO_FACTOR_EXEMPT_ROLES=[])
def test_two_factor_required_for_every_role(client, officer, team_lead):
    for user in (officer, team_lead):
        client.force_login(user)
        assert client.get(reverse("cases:worklist"))["Location"] == reverse(
            "accounts:two_factor_setup"
        )


@override_settings(TWO_FACTOR_ENFORCED=True, TWO_FACTOR_EXEMPT_ROLES=["officer"])
def test_a_listed_exception_logs_in_without_second_factor(client, officer, team_lead):
    client.force_login(officer)
    assert client.get(reverse("cases:worklist")).status_code == 200
    client.force_login(team_lead)
    response = client.get(reverse("reports:caseload"))
    assert response["Location"] == reverse("accounts:two_factor_setup")


@override_settings(TWO_FACTOR_ENFORCED=True)
def test_enrol_verify_and_backup_code_once(client, team_lead):
    client.force_login(team_lead)
    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=team_lead, confirmed=False)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert "is-invalid" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code})
    codes = response.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("reports:caseload")).status_code == 200
    # A new login asks for the second step; a backup code works once.
    client.logout()
    client.force_login(team_lead)
    assert client.get(reverse("reports:caseload"))["Location"] == reverse(
        "accounts:two_factor_verify"
    )
    assert client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]}).status_code == 302
    client.logout()
    client.force_login(team_lead)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 200


def test_idle_session_expires_after_30_minutes(client, officer):
    client.post(
        reverse("accounts:login"), {"username": "officer", "password": "correct-horse-battery"}
    )
    assert client.get(reverse("cases:worklist")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert client.get(reverse("cases:worklist")).status_code == 302


def test_activity_keeps_an_idle_session_alive_and_the_cookie_is_renewed(client, officer):
    from django.contrib.sessions.models import Session

    start = timezone.now()
    client.post(
        reverse("accounts:login"), {"username": "officer", "password": "correct-horse-battery"}
    )
    key = client.session.session_key
    # Within a minute of the last renewal nothing is written.
    with time_machine.travel(start + timedelta(seconds=30)):
        before = Session.objects.get(session_key=key).expire_date
        response = client.get(reverse("cases:worklist"))
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
        assert Session.objects.get(session_key=key).expire_date == before
    # Later requests renew the idle clock, in the database and in the cookie.
    for minutes in (20, 40, 60):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            response = client.get(reverse("cases:worklist"))
            assert response.status_code == 200
            assert response.cookies["sessionid"]["max-age"] == 30 * 60
            expires = Session.objects.get(session_key=key).expire_date
            assert expires >= start + timedelta(minutes=minutes + 29)
    # 31 minutes after the last request the session is gone.
    with time_machine.travel(start + timedelta(minutes=91)):
        assert client.get(reverse("cases:worklist")).status_code == 302


def test_session_ends_after_ten_hours_however_active(client, officer):
    start = timezone.now()
    client.post(
        reverse("accounts:login"), {"username": "officer", "password": "correct-horse-battery"}
    )
    for minutes in range(20, 10 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get(reverse("cases:worklist")).status_code == 200
    with time_machine.travel(start + timedelta(hours=10, minutes=5)):
        assert client.get(reverse("cases:worklist")).status_code == 302


def test_logout_ends_the_server_session(client, officer):
    from django.contrib.sessions.models import Session

    client.post(
        reverse("accounts:login"), {"username": "officer", "password": "correct-horse-battery"}
    )
    key = client.session.session_key
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()


@override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=31536000)
def test_security_headers(officer_client):
    response = officer_client.get(reverse("cases:worklist"), secure=True)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_session_cookie_flags(client, officer, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = client.post(
        reverse("accounts:login"), {"username": "officer", "password": "correct-horse-battery"}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"


def test_xss_in_names_and_notes_is_inert(officer_client, officer):
    person = PersonFactory(family_name=XSS, given_names=XSS)
    case = CaseFactory(team=officer.team, officer=officer, person=person)
    Note.objects.create(case=case, author=officer, text=XSS)
    for url in (
        reverse("cases:list"),
        reverse("cases:worklist"),
        reverse("cases:detail", args=[case.reference]),
    ):
        body = officer_client.get(url).content.decode()
        assert XSS not in body, url
        assert "&lt;script&gt;" in body, url
    export = officer_client.get(reverse("cases:export")).content.decode()
    # In a CSV the name is data, not markup (a spreadsheet does not run it).
    assert "<script>" in export


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("accounts:logout", []),
        ("cases:create", []),
        ("cases:note_add", ["REF"]),
        ("cases:edit", ["REF"]),
        ("notifications:acknowledge", [1]),
    ],
)
def test_csrf_is_enforced_on_posts(officer, name, args):
    case = CaseFactory(team=officer.team, officer=officer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    args = [case.reference if a == "REF" else a for a in args]
    response = client.post(reverse(name, args=args), {"text": "x"})
    assert response.status_code == 403
    assert not Note.objects.exists()


def test_login_csrf_enforced():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403


def test_retention_is_limited_to_eligible_cases_and_idempotent(officer, settings):
    settings.RETENTION_DAYS_AFTER_CLOSING = 365
    today = timezone.localdate()
    old = CaseFactory(
        team=officer.team,
        officer=officer,
        opened_on=today - timedelta(days=900),
        phase="closed",
        closed_on=today - timedelta(days=400),
        closure_reason="forced",
    )
    Note.objects.create(case=old, author=officer, text="Persoonlijk detail")
    recent = CaseFactory(
        team=officer.team,
        officer=officer,
        opened_on=today - timedelta(days=900),
        phase="closed",
        closed_on=today - timedelta(days=100),
        closure_reason="forced",
    )
    open_case = CaseFactory(team=officer.team, officer=officer, opened_on=date(2020, 1, 1))
    assert retention.run() == 1
    assert retention.run() == 0
    old.person.refresh_from_db()
    assert old.person.family_name == retention.ANONYMOUS
    assert old.person.birth_date_precision == "year"
    assert Note.objects.get(case=old).text == "—"
    assert Case.objects.get(pk=old.pk).closure_reason == "forced"
    recent.person.refresh_from_db()
    open_case.person.refresh_from_db()
    assert recent.person.anonymised_at is None and open_case.person.anonymised_at is None
    entry = AuditEntry.objects.get(purpose="retention")
    assert entry.v_nummer == old.person.v_nummer
    assert "Persoonlijk" not in json.dumps(entry.changes)


def test_subject_access_export_for_the_auditor_only(client, officer, auditor):
    case = CaseFactory(team=officer.team, officer=officer)
    client.force_login(officer)
    client.get(reverse("cases:detail", args=[case.reference]))
    url = reverse("privacy:subject_access_export", args=[case.person.v_nummer, "json"])
    assert client.get(url).status_code == 403
    client.force_login(auditor)
    data = json.loads(client.get(url).content)
    assert data["v_nummer"] == case.person.v_nummer
    assert any(row["who"] for row in data["access_log"])
    assert any(r["model"] == "cases.case" for r in data["records"])
    pdf = client.get(reverse("privacy:subject_access_export", args=[case.person.v_nummer, "pdf"]))
    assert pdf.content[:4] == b"%PDF"
    assert (
        AuditEntry.objects.filter(kind="export", purpose__startswith="audit:subject").count() == 2
    )


def test_anomaly_report_flags_views_outside_the_team(client, officer, team_lead, auditor, outsider):
    case = CaseFactory(team=officer.team, officer=officer)
    # A team lead of another team views a case through the auditor-like path is impossible,
    # so the auditor log shows officers' views only; an officer moved to another team is.
    client.force_login(officer)
    client.get(reverse("cases:detail", args=[case.reference]))
    officer.team = outsider.team
    officer.save()
    client.force_login(auditor)
    response = client.get(reverse("privacy:anomalies"))
    assert response.status_code == 200
    assert case.person.v_nummer in response.content.decode()


def test_weekly_anomaly_task_notifies_auditors(auditor):
    from dtv.notifications.models import Notification
    from privacy.tasks import report_unusual_access

    assert report_unusual_access() == 1
    assert Notification.objects.filter(recipient=auditor).exists()
