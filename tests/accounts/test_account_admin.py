"""Issue 24.2: in /beheer/ the functional administrator manages accounts but cannot grant
superuser or staff, groups or permissions, cannot change their own role, cannot make anyone an
auditor, and nobody sees second-factor secrets; role changes are audited and shown to the
auditor."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from dtv.audit.models import AuditEntry
from tests.accounts.factories import AdminUserFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def form_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "team": user.team_id or "",
        "email_frequency": user.email_frequency,
        "is_active": "on",
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_the_administrator_cannot_make_themselves_superuser(client, admin_user):
    client.force_login(admin_user)
    everything = Permission.objects.values_list("pk", flat=True)
    response = client.post(
        change_url(admin_user),
        form_data(
            admin_user,
            is_superuser="on",
            is_staff="on",
            groups=[Group.objects.get(name="auditor").pk],
            user_permissions=list(everything),
        ),
    )
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    assert list(admin_user.groups.values_list("name", flat=True)) == ["admin"]
    assert not admin_user.user_permissions.exists()
    assert not admin_user.has_perm("audit.view_auditentry")
    page = client.get(change_url(admin_user)).content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions", 'name="password"'):
        assert field not in page


def test_the_administrator_cannot_change_their_own_role(client, admin_user):
    client.force_login(admin_user)
    response = client.post(change_url(admin_user), form_data(admin_user, role="team_lead"))
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    admin_user.refresh_from_db()
    assert admin_user.role == "admin"


def test_the_administrator_cannot_make_anyone_an_auditor(client, admin_user, officer):
    client.force_login(admin_user)
    response = client.post(change_url(officer), form_data(officer, role="auditor"))
    assert response.status_code == 200
    officer.refresh_from_db()
    assert officer.role == "officer"
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newbie",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
            "role": "auditor",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert not type(officer).objects.filter(username="newbie").exists()


def test_a_superuser_can_appoint_an_auditor(client, officer):
    root = AdminUserFactory(username="root", is_superuser=True)
    client.force_login(root)
    response = client.post(change_url(officer), form_data(officer, role="auditor"))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.role == "auditor" and officer.has_perm("audit.view_auditentry")


def test_auditors_superusers_and_passwords_are_out_of_the_administrators_reach(
    client, admin_user, auditor, officer
):
    root = AdminUserFactory(username="root", is_superuser=True)
    client.force_login(admin_user)
    for user in (auditor, root):
        assert (
            client.post(change_url(user), form_data(user, email="x@evil.example")).status_code
            == 403
        )
        user.refresh_from_db()
        assert user.email != "x@evil.example"
    password_url = reverse("admin:auth_user_password_change", args=[officer.pk])
    assert client.get(password_url).status_code == 403


def test_role_change_is_audited_and_shown_to_the_auditor(client, admin_user, officer, auditor):
    client.force_login(admin_user)
    response = client.post(change_url(officer), form_data(officer, role="team_lead"))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.role == "team_lead" and officer.has_perm("cases.reassign_case")
    entry = AuditEntry.objects.get(
        object_pk=str(officer.pk), action=AuditEntry.Action.UPDATE, changes__has_key="role"
    )
    assert entry.actor == admin_user and entry.changes["role"] == ["officer", "team_lead"]
    client.force_login(auditor)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("audit:log")).content.decode()
    assert "Departure officer → Team lead" in page


@override_settings(TWO_FACTOR_ENFORCED=False)
def test_second_factor_secrets_are_shown_to_nobody(client, officer):
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    root = AdminUserFactory(username="root", is_superuser=True)
    client.force_login(root)
    for name in ("otp_totp_totpdevice_changelist", "otp_static_staticdevice_changelist"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:{name}")
    assert client.get("/beheer/otp_totp/totpdevice/").status_code == 404
    assert client.get("/beheer/otp_static/staticdevice/").status_code == 404


def test_the_administrator_can_still_manage_ordinary_accounts(client, admin_user, team):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nieuw",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
            "role": "officer",
            "team": team.pk,
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    user = OfficerFactory._meta.model.objects.get(username="nieuw")
    assert user.role == "officer" and user.has_perm("cases.view_case")
    assert not user.is_staff and not user.is_superuser
