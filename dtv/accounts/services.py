from auditlog import get_logentry_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from dtv.accounts.models import Team, User
from dtv.accounts.notices import notify_security_change
from dtv.accounts.roles import ROLE_PERMISSIONS, Role


def sync_role_groups(*, using: str = "default") -> None:
    """Create one group per role with exactly the permissions of ROLE_PERMISSIONS."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            found = Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename=codename
            )
            wanted.extend(found)
        group.permissions.set(wanted)


@transaction.atomic
def set_role(user: User, role: str, *, team: Team | None = None) -> User:
    """Give a user a role (and team); the role's group follows, the others are removed."""
    role = Role(role)
    user.role = role
    if team is not None:
        user.team = team
    # Staff (the admin site) follows the role; a superuser keeps it whatever their role.
    user.is_staff = role == Role.ADMIN or user.is_superuser
    user.save()
    role_groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*role_groups)
    group, _created = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    return user


@transaction.atomic
def rotate_calendar_token(user: User) -> str:
    """A new secret for the user's calendar feed. Only its hash is stored: the returned secret
    is shown to the user once and cannot be read back."""
    token = User.new_calendar_token()
    user.calendar_token = User.hash_calendar_token(token)
    user.save(update_fields=["calendar_token"])
    return token


@transaction.atomic
def revoke_calendar_token(user: User) -> None:
    user.calendar_token = ""
    user.save(update_fields=["calendar_token"])


def record_password_change(user: User, *, actor: User, how: str) -> None:
    """Audit a password change ("changed" by the user, or "reset" through a reset link) and
    tell the user; the password itself is never recorded."""
    entries = get_logentry_model()
    entries.objects.log_create(
        user,
        force_log=True,
        action=entries.Action.UPDATE,
        changes={"password": ["", how]},
        actor=actor,
    )
    notify_security_change(user, "password_changed" if how == "changed" else "password_reset")
