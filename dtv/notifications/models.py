from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def open(self, *, now=None):
        """Not acknowledged and not snoozed past now: what still asks for attention."""
        now = now or timezone.now()
        return self.filter(acknowledged_at__isnull=True).filter(
            Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now)
        )


class Notification(models.Model):
    """A message in a user's inbox. Deadline reminders carry (case, rule, due_on), which the
    database keeps unique: a second sweep, a retried task or a redelivered message cannot make a
    second one, whoever it would go to."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")
        INFO = "info", _("Information")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INFO)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rule = models.CharField(max_length=60, blank=True)
    due_on = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    snooze_reason = models.CharField(max_length=300, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Who heard of it when it escalated: the team lead, or the functional administrator in a
    # team without a lead.
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Exactly once per (case, rule, deadline date): a second sweep, a retried task, a
            # redelivered message or two sweeps at once cannot make a second reminder.
            models.UniqueConstraint(
                fields=["case", "rule", "due_on"],
                condition=Q(rule__gt="") & Q(case__isnull=False) & Q(due_on__isnull=False),
                name="notification_once_per_deadline",
            ),
        ]
        indexes = [
            # The unread count in the navigation bar on every page.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # The inbox, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The escalation sweep: unacknowledged, not yet escalated reminders of a rule.
            models.Index(
                fields=["rule", "created_at"],
                condition=Q(acknowledged_at__isnull=True) & Q(escalated_at__isnull=True),
                name="notification_escalation",
            ),
            # The team lead's caseload: open escalations per officer (dtv/reports/figures.py).
            models.Index(
                fields=["case"],
                condition=Q(kind="escalation") & Q(acknowledged_at__isnull=True),
                name="notification_open_escalation",
            ),
            # send_pending_emails: what has not been e-mailed yet, oldest first.
            models.Index(
                fields=["id"],
                condition=Q(emailed_at__isnull=True),
                name="notification_not_emailed",
            ),
        ]

    def __str__(self):
        return self.title
