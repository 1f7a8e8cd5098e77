"""Issue 24.1: a password alone never changes the second factor; a reset is another person's
audited action; every change is told to the user by e-mail."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dtv.accounts import two_factor
from dtv.audit.models import AuditEntry
from tests.accounts.factories import (
    AdminUserFactory,
    AuditorFactory,
    OfficerFactory,
    PartnerUserFactory,
    TeamLeadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enforced")]

PASSWORD = "correct-horse-battery"
EVERY_ROLE = {
    "officer": OfficerFactory,
    "team_lead": TeamLeadFactory,
    "partner": PartnerUserFactory,
    "admin": AdminUserFactory,
    "auditor": AuditorFactory,
}
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
CODES = reverse("accounts:two_factor_backup_codes")


@pytest.fixture
def enforced():
    with override_settings(TWO_FACTOR_ENFORCED=True, TWO_FACTOR_EXEMPT_ROLES=[]):
        yield


def enrolled(user):
    """A user with a confirmed authenticator and ten backup codes."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    for n in range(10):
        StaticToken.objects.create(device=static, token=f"1234567{n}")
    return device


def password_login(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return response


def code_for(device):
    device.refresh_from_db()
    return f"{totp(device.bin_key):06d}"


@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
def test_a_password_alone_cannot_enrol_a_new_authenticator(
    client, role, django_capture_on_commit_callbacks
):
    # The reproduction: log in with the password only, open the enrolment URL
    # directly, post a code; for every role that needs a second factor.
    user = EVERY_ROLE[role]()
    device = enrolled(user)
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    password_login(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(SETUP)
        assert page.status_code == 302
        assert page["Location"].startswith(VERIFY)
        # No new secret is handed out, so there is nothing to post a code for.
        assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()
        posted = client.post(SETUP, {"code": "123456"})
        assert posted.status_code == 302 and posted["Location"].startswith(VERIFY)
        assert client.post(CODES).status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    assert (
        set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == tokens
    )
    assert mail.outbox == []
    # The second step still stands before every page.
    assert client.get(reverse("notifications:inbox"))["Location"] == VERIFY


@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
def test_a_user_without_a_device_enrols_after_the_password(
    client, role, django_capture_on_commit_callbacks
):
    user = EVERY_ROLE[role]()
    password_login(client, user)
    assert client.get(reverse("notifications:inbox"))["Location"] == SETUP
    assert client.get(SETUP).status_code == 200
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SETUP, {"code": code_for(pending)})
    assert len(response.context["codes"]) == 10
    assert client.get(reverse("notifications:inbox")).status_code == 200
    assert [message.to for message in mail.outbox] == [[user.email]]
    entry = AuditEntry.objects.get(object_pk=str(user.pk), changes__has_key="two_factor")
    assert entry.actor == user and entry.changes["two_factor"][1] == "two_factor_enrolled"


def test_a_verified_user_replaces_the_authenticator_and_is_told(
    client, team_lead, django_capture_on_commit_callbacks
):
    old = enrolled(team_lead)
    password_login(client, team_lead)
    assert client.post(VERIFY, {"code": code_for(old)}).status_code == 302
    page = client.get(SETUP)
    assert page.status_code == 200 and page.context["replacing"]
    new = TOTPDevice.objects.get(user=team_lead, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SETUP, {"code": code_for(new)})
    codes = response.context["codes"]
    assert list(TOTPDevice.objects.filter(user=team_lead)) == [new]
    assert not StaticToken.objects.filter(token="12345670").exists()
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [team_lead.email]
    assert client.get(reverse("reports:caseload")).status_code == 200
    assert AuditEntry.objects.filter(
        object_pk=str(team_lead.pk), changes__two_factor__1="two_factor_replaced"
    ).exists()


def test_backup_codes_are_renewed_only_after_verifying(
    client, officer, django_capture_on_commit_callbacks
):
    device = enrolled(officer)
    password_login(client, officer)
    assert client.get(CODES)["Location"].startswith(VERIFY)
    # A backup code verifies too, and works once.
    assert client.post(VERIFY, {"code": "12345670"}).status_code == 302
    assert client.get(CODES).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CODES)
    codes = response.context["codes"]
    assert len(codes) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)
    assert list(TOTPDevice.objects.filter(user=officer)) == [device]
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert AuditEntry.objects.filter(
        object_pk=str(officer.pk), changes__two_factor__1="backup_codes_renewed"
    ).exists()


def test_a_reset_is_another_persons_audited_action(
    client, admin_user, officer, settings, django_capture_on_commit_callbacks
):
    settings.TWO_FACTOR_ENFORCED = False  # the administrator's own second step is not the point
    enrolled(officer)
    with pytest.raises(two_factor.ValidationError):
        two_factor.reset(officer, actor=officer)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "reset_two_factor", "_selected_action": [officer.pk]},
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    entry = AuditEntry.objects.get(
        object_pk=str(officer.pk), changes__two_factor__1="two_factor_reset"
    )
    assert entry.actor == admin_user
    assert [m.to for m in mail.outbox] == [[officer.email]]


def test_the_administrator_cannot_reset_their_own_second_factor(client, admin_user, settings):
    settings.TWO_FACTOR_ENFORCED = False
    enrolled(admin_user)
    client.force_login(admin_user)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [admin_user.pk]},
    )
    assert TOTPDevice.objects.filter(user=admin_user).exists()


def test_a_confirmed_device_cannot_be_confirmed_again(officer):
    device = enrolled(officer)
    with pytest.raises(two_factor.PermissionDenied):
        two_factor.confirm(officer, device, code_for(device))


def test_the_admin_site_needs_the_second_factor_too(client, admin_user):
    enrolled(admin_user)
    password_login(client, admin_user)
    assert client.get(reverse("admin:index"))["Location"] == VERIFY
    assert client.get(reverse("admin:accounts_user_changelist"))["Location"] == VERIFY
