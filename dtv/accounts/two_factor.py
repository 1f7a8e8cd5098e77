"""Two-factor authentication with django-otp: TOTP (an authenticator app) plus ten backup
codes for when the phone is lost."""

import base64
import io
import secrets

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator, made once and reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def secret_for_display(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice, user) -> str:
    url = device.config_url.replace("django-otp", settings.OTP_TOTP_ISSUER)
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@transaction.atomic
def confirm(user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns the new backup codes, or None when
    the code is wrong."""
    if not device.verify_token(code.strip().replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return new_backup_codes(user)


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    static, _created = StaticDevice.objects.get_or_create(user=user, name="backup")
    static.confirmed = True
    static.save()
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    for code in codes:
        StaticToken.objects.create(device=static, token=code)
    return codes


def verify(user, code: str):
    """The confirmed device that accepts this code (TOTP or a one-time backup code)."""
    code = code.strip().replace(" ", "")
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


@transaction.atomic
def reset(user) -> None:
    """Remove every second factor of a user (a functional administrator's recovery action);
    the user enrols again at the next login."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
