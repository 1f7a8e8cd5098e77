from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dtv.notifications.models import Notification


def notify(
    recipient,
    *,
    title: str,
    body: str = "",
    link: str = "",
    kind: str = Notification.Kind.INFO,
    case=None,
    rule: str = "",
    due_on=None,
) -> Notification | None:
    """Put a message in a user's inbox (and queue its e-mail). Idempotent for deadline
    reminders: with (case, rule, due_on) given, a second call returns None and sends nothing."""
    keyed = bool(case is not None and rule and due_on is not None)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                title=title[:200],
                body=body,
                link=link[:300],
                kind=kind,
                case=case,
                rule=rule,
                due_on=due_on,
            )
    except IntegrityError:
        if keyed:
            return None
        raise
    if recipient.email and recipient.email_frequency == recipient.EmailFrequency.IMMEDIATE:
        from dtv.notifications.tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


@transaction.atomic
def email_notification(notification_id: int) -> bool:
    """Send one notification by e-mail, once: the row lock and emailed_at make a retried or
    redelivered task harmless."""
    notification = (
        Notification.objects.select_for_update()
        .select_related("recipient")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.recipient.email:
        return False
    send_mail(
        subject=f"[Terugkeer] {notification.title}",
        message=f"{notification.body}\n\n{notification.link}".strip(),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True


@transaction.atomic
def mark_read(notification: Notification, *, actor) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


@transaction.atomic
def acknowledge(notification: Notification, *, actor) -> None:
    now = timezone.now()
    notification.acknowledged_at = notification.acknowledged_at or now
    notification.read_at = notification.read_at or now
    notification.save(update_fields=["acknowledged_at", "read_at"])


@transaction.atomic
def snooze(notification: Notification, *, actor, days: int, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for snoozing this notification."))
    if not 1 <= days <= 14:
        raise ValidationError(_("Snooze for 1 to 14 days."))
    notification.snoozed_until = timezone.now() + timedelta(days=days)
    notification.snooze_reason = reason[:300]
    notification.read_at = notification.read_at or timezone.now()
    notification.save(update_fields=["snoozed_until", "snooze_reason", "read_at"])


def send_daily_digests(*, now=None) -> int:
    """One e-mail per digest user with everything not yet e-mailed; each row is marked so a
    second run sends nothing new."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    now = now or timezone.now()
    sent = 0
    recipients = user_model.objects.filter(
        email_frequency=user_model.EmailFrequency.DAILY, is_active=True
    ).exclude(email="")
    for user in recipients:
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(recipient=user, emailed_at__isnull=True)
                .order_by("created_at")
            )
            if not pending:
                continue
            lines = [f"- {n.title}" + (f" ({n.link})" if n.link else "") for n in pending]
            send_mail(
                subject=_("[Terugkeer] Your daily summary: %(count)d notifications")
                % {"count": len(pending)},
                message="\n".join(lines),
                from_email=None,
                recipient_list=[user.email],
            )
            for notification in pending:
                notification.emailed_at = now
                notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent
