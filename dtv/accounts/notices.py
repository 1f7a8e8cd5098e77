"""Security notices: the user hears by e-mail of every change to how they log in, so that a
change they did not make is noticed (ASVS 2.2.3, 2.5.5)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

log = logging.getLogger(__name__)

# What changed, in words the user reads in the notice.
CHANGES = {
    "two_factor_enrolled": gettext_noop("An authenticator app was set up for your account."),
    "two_factor_replaced": gettext_noop(
        "The authenticator app of your account was replaced by a new one."
    ),
    "backup_codes_renewed": gettext_noop(
        "New backup codes were made for your account; the old ones no longer work."
    ),
    "two_factor_reset": gettext_noop(
        "Your second step was reset by a functional administrator; "
        "you set it up again at your next login."
    ),
    "password_changed": gettext_noop("The password of your account was changed."),
    "password_reset": gettext_noop(
        "The password of your account was set anew through a reset link."
    ),
}


def notify_security_change(user, change: str) -> None:
    """Send the notice once the change is committed; a mail outage does not undo the change
    nor break the page, it is logged."""
    if not user.email:
        return
    text = CHANGES[change]
    address = user.email

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            body = "\n\n".join(
                [
                    _(text),
                    _(
                        "If you did not do this yourself, tell the functional administrator "
                        "at once: someone else may be using your account."
                    ),
                    settings.SITE_URL + "/",
                ]
            )
            subject = "[Terugkeer] " + _("Change to your account")
        try:
            send_mail(subject, body, None, [address])
        except OSError:
            log.exception("Security notice %s to user %s could not be sent", change, user.pk)

    transaction.on_commit(send)
