"""Two-factor authentication with django-otp: TOTP (an authenticator app) plus ten backup
codes for when the phone is lost.

The rules (docs/security.md, issue 24.1): a user without a confirmed device enrols after the
password; a user who has one adds or replaces an authenticator, or renews the backup codes,
only in a session verified with that device; a reset is done by another person with the right
to manage accounts. Every change is audited and the user is told by e-mail."""

import base64
import io
import secrets

import qrcode
import qrcode.image.svg
from auditlog import get_logentry_model
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dtv.accounts import access
from dtv.accounts.notices import notify_security_change

BACKUP_CODES = 10


def has_confirmed_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def verified_in_session(user) -> bool:
    """Whether this user (request.user, which django-otp's middleware marks) verified with a
    second factor in the current session."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def may_change_devices(user) -> bool:
    """Enrolment is open to a user without a second factor; one who has a confirmed device
    must first have verified with it in this session."""
    return not has_confirmed_device(user) or verified_in_session(user)


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator, made once and reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def secret_for_display(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    url = device.config_url.replace("django-otp", settings.OTP_TOTP_ISSUER)
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _record(user, *, actor, what: str) -> None:
    """One change entry on the user's account: who changed which second factor (never a
    secret)."""
    get_logentry_model().objects.log_create(
        user,
        force_log=True,
        action=get_logentry_model().Action.UPDATE,
        changes={"two_factor": ["", what]},
        actor=actor,
    )


@transaction.atomic
def confirm(user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns the new backup codes, or None when
    the code is wrong. A confirmed authenticator replaces the user's earlier ones."""
    if not may_change_devices(user):
        raise PermissionDenied
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token(code.strip().replace(" ", "")):
        return None
    replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
    change = "two_factor_replaced" if replaced.exists() else "two_factor_enrolled"
    for old in replaced:
        old.delete()  # one by one, so that each removal is audited
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    _record(user, actor=user, what=change)
    notify_security_change(user, change)
    return _new_codes(user)


@transaction.atomic
def renew_backup_codes(user) -> list[str]:
    """New backup codes for a user verified with their second factor in this session."""
    if not (has_confirmed_device(user) and verified_in_session(user)):
        raise PermissionDenied
    codes = _new_codes(user)
    _record(user, actor=user, what="backup_codes_renewed")
    notify_security_change(user, "backup_codes_renewed")
    return codes


def _new_codes(user) -> list[str]:
    static, _created = StaticDevice.objects.get_or_create(user=user, name="backup")
    if not static.confirmed:
        static.confirmed = True
        static.save(update_fields=["confirmed"])
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def verify(user, code: str):
    """The confirmed device that accepts this code (TOTP or a one-time backup code)."""
    code = code.strip().replace(" ", "")
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


@transaction.atomic
def reset(user, *, actor) -> None:
    """Remove every second factor of a user (the recovery when phone and backup codes are
    lost); the user enrols again at the next login. Done by another person who may manage
    accounts, never by the user themselves."""
    if actor is None or actor.pk == user.pk:
        raise ValidationError(_("Another person resets your second step, not you yourself."))
    if not actor.has_perm(access.CHANGE_USER):
        raise PermissionDenied
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    _record(user, actor=actor, what="two_factor_reset")
    notify_security_change(user, "two_factor_reset")
