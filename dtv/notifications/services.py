from datetime import timedelta

from django.conf import settings
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

        # robust: with the broker down the request still succeeds; the sweep's
        # send_pending_emails sends what was not sent.
        transaction.on_commit(lambda: send_notification_email.delay(notification.pk), robust=True)
    return notification


def notify_many(notifications, *, batch_size: int = 2000) -> int:
    """The bulk form of notify() for the reminder sweep: insert unsaved Notification rows,
    skipping every keyed one whose (case, rule, due_on) exists already; the unique constraint
    settles a race with a concurrent sweep. Returns how many rows this call created. E-mails
    are sent by send_pending_emails(), which the sweep calls after inserting."""
    created = 0
    batch: list[Notification] = []
    for notification in notifications:
        batch.append(notification)
        if len(batch) >= batch_size:
            created += _insert_new(batch)
            batch = []
    if batch:
        created += _insert_new(batch)
    return created


def _is_keyed(notification: Notification) -> bool:
    return bool(notification.case_id and notification.rule and notification.due_on is not None)


def _insert_new(batch: list[Notification]) -> int:
    keyed = [n for n in batch if _is_keyed(n)]
    existing = set()
    if keyed:
        # The same conditions as the unique index, so that the database can use it.
        existing = set(
            Notification.objects.filter(
                case_id__in={n.case_id for n in keyed},
                rule__in={n.rule for n in keyed},
                rule__gt="",
                due_on__isnull=False,
            ).values_list("case_id", "rule", "due_on")
        )
    stamp = timezone.now()
    fresh: dict = {}
    for index, notification in enumerate(batch):
        key = (notification.case_id, notification.rule, notification.due_on)
        if not _is_keyed(notification):
            key = ("unkeyed", index)
        elif key in existing or key in fresh:
            continue
        notification.created_at = stamp
        notification.title = notification.title[:200]
        notification.link = notification.link[:300]
        fresh[key] = notification
    if not fresh:
        return 0
    Notification.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    unkeyed = sum(1 for key in fresh if key[0] == "unkeyed")
    # The rows this call inserted carry its creation stamp; a concurrent sweep's rows do not.
    inserted = Notification.objects.filter(
        case_id__in={n.case_id for n in fresh.values() if n.case_id},
        rule__gt="",
        due_on__isnull=False,
        created_at=stamp,
    ).count()
    return inserted + unkeyed


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
        message=_email_body(notification),
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
def acknowledge_many(notifications, *, actor) -> int:
    """Acknowledge several of the actor's own notifications at once (the inbox's bulk action).
    Returns how many were newly acknowledged."""
    now = timezone.now()
    done = 0
    for notification in notifications:
        if notification.recipient_id != actor.pk or notification.acknowledged_at is not None:
            continue
        notification.acknowledged_at = now
        notification.read_at = notification.read_at or now
        notification.save(update_fields=["acknowledged_at", "read_at"])
        done += 1
    return done


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
            lines = [
                f"- {n.title}" + (f" ({settings.SITE_URL}{n.link})" if n.link else "")
                for n in pending
            ]
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


def send_pending_emails(*, batch_size: int = 500) -> int:
    """E-mail every notification of an 'immediately' user that has not gone out yet: the ones
    the sweep created, and any whose e-mail task was lost while the broker was down. Rows are
    locked (skipping ones another worker holds) and marked in the same transaction."""
    from django.contrib.auth import get_user_model
    from django.core.mail import EmailMessage, get_connection

    immediate = get_user_model().EmailFrequency.IMMEDIATE
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(
                    emailed_at__isnull=True,
                    recipient__email_frequency=immediate,
                    recipient__is_active=True,
                )
                .exclude(recipient__email="")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return sent
            messages = [
                EmailMessage(
                    subject=f"[Terugkeer] {n.title}",
                    body=_email_body(n),
                    to=[n.recipient.email],
                )
                for n in batch
            ]
            with get_connection() as connection:
                connection.send_messages(messages)
            Notification.objects.filter(pk__in=[n.pk for n in batch]).update(
                emailed_at=timezone.now()
            )
            sent += len(batch)


def _email_body(notification: Notification) -> str:
    link = f"{settings.SITE_URL}{notification.link}" if notification.link else ""
    return f"{notification.body}\n\n{link}".strip()


@transaction.atomic
def hand_over_case(case, *, officer, lead) -> dict:
    """A case moved to another team: its reminders that still ask for attention (not
    acknowledged) go to the new officer, or to the new team's lead while the case waits
    unassigned; its open escalations to the new lead. Returns {"reminders": n,
    "escalations": m} moved. A snooze stays as it was (the new recipient sees it when it
    ends); what was acknowledged stays with who acknowledged it."""
    moved = {"reminders": 0, "escalations": 0}
    targets = {
        Notification.Kind.REMINDER: (officer or lead, "reminders"),
        Notification.Kind.ESCALATION: (lead, "escalations"),
    }
    rows = Notification.objects.select_for_update().filter(
        case=case, kind__in=list(targets), acknowledged_at__isnull=True
    )
    for notification in rows.order_by("pk"):
        recipient, key = targets[notification.kind]
        if recipient is None or notification.recipient_id == recipient.pk:
            continue
        notification.recipient = recipient
        notification.read_at = None
        notification.emailed_at = None  # the new recipient hears of it like a new one
        notification.save(update_fields=["recipient", "read_at", "emailed_at"])
        moved[key] += 1
    return moved
