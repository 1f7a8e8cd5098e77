import secrets
from datetime import timedelta

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Count, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from directory.models import Contact, Municipality, Organisation
from dtv import rules
from dtv.audit.querysets import AuditedQuerySet
from partners import access
from partners import rules as lto_rules

# --- LTO meetings -------------------------------------------------------------------------
# The meetings name the case as the string "cases.Case"; what reads case data (proposals,
# need-to-know rows) lives in partners/agenda.py.


def new_meeting_reference() -> str:
    # Not sequential: the reference appears in URLs, on the agenda and in e-mails.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "OV-" + "".join(secrets.choice(alphabet) for _ in range(8))


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The meetings a user may see: decided in partners/access.py."""
        return access.visible_meetings(self, user)

    def organised_by(self, user):
        """Meetings this officer may prepare and minute: chair, secretary, or the organising
        team."""
        return access.organised_meetings(self, user)

    def open_to_case(self, case):
        """The meetings a case can go to: those organised by the case's own team, for the
        case's municipality when the meeting is for one. Another team's meeting never: a
        nomination shows the case to that team, and its agenda to whoever nominated."""
        team = Q(team_id=case.team_id) | Q(team__isnull=True, chair__team_id=case.team_id)
        place = Q(municipality__isnull=True)
        if case.municipality_id:
            place |= Q(municipality_id=case.municipality_id)
        return self.filter(team, place)

    def upcoming(self, *, now=None):
        return self.filter(starts_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, *, now=None):
        return self.filter(starts_at__lt=now or timezone.now()).order_by("-starts_at")

    def open_for_nominations(self):
        return self.filter(status=Meeting.Status.AGENDA_PREPARATION)

    def for_list(self):
        return (
            self.select_related("municipality", "chair")
            .prefetch_related("participants__organisation")
            .annotate(
                item_count=Count(
                    "agenda_items",
                    filter=Q(agenda_items__status=AgendaItem.Status.ON_AGENDA),
                    distinct=True,
                )
            )
        )


class Meeting(models.Model):
    """A local return meeting (LTO, and its current names LKO/LSO; RAO one level up)."""

    class Type(models.TextChoices):
        LTO = "lto", _("LTO (local return meeting)")
        LKO = "lko", _("LKO (local chain meeting)")
        LSO = "lso", _("LSO (local cooperation meeting)")
        RAO = "rao", _("RAO (regional coordination meeting)")
        DRIEHOEK = "driehoek", _("Driehoek (mayor, police, public prosecutor)")

    class Status(models.TextChoices):
        AGENDA_PREPARATION = "agenda_preparation", _("Agenda in preparation")
        AGENDA_SENT = "agenda_sent", _("Agenda sent")
        HELD = "held", _("Held")
        MINUTES_FINAL = "minutes_final", _("Minutes final")

    # Statuses in which the agenda has gone out to the participants.
    SENT_STATUSES = (Status.AGENDA_SENT, Status.HELD, Status.MINUTES_FINAL)
    # Statuses of a meeting that took place (counts for "open over two meetings").
    HELD_STATUSES = (Status.HELD, Status.MINUTES_FINAL)

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_meeting_reference, editable=False
    )
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.LTO)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="chaired_meetings",
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("organising team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AGENDA_PREPARATION
    )
    agenda_sent_at = models.DateTimeField(_("agenda sent at"), null=True, blank=True)
    held_at = models.DateTimeField(_("marked as held at"), null=True, blank=True)
    minutes_finalised_at = models.DateTimeField(_("minutes final at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        permissions = [
            ("view_all_meetings", "Can read every meeting (auditor)"),
            ("take_part_in_meetings", "Can take part in meetings for an organisation"),
        ]
        constraints = [
            # A meeting is held for a municipality or, one level up, for a region.
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | ~Q(region=""),
                name="meeting_has_municipality_or_region",
            ),
            # Only the four statuses of the meeting's life exist.
            models.CheckConstraint(
                condition=Q(
                    status__in=["agenda_preparation", "agenda_sent", "held", "minutes_final"]
                ),
                name="meeting_status_valid",
            ),
            # The agenda has a sending time exactly when it has gone out.
            models.CheckConstraint(
                condition=Q(status="agenda_preparation", agenda_sent_at__isnull=True)
                | (~Q(status="agenda_preparation") & Q(agenda_sent_at__isnull=False)),
                name="meeting_sent_has_timestamp",
            ),
            # Final minutes carry the moment they became final (partner access ends from it).
            models.CheckConstraint(
                condition=Q(status="minutes_final", minutes_finalised_at__isnull=False)
                | (~Q(status="minutes_final") & Q(minutes_finalised_at__isnull=True)),
                name="meeting_final_has_timestamp",
            ),
        ]
        indexes = [
            # Proposals and "open over two meetings": the meetings of a municipality in time.
            models.Index(fields=["municipality", "starts_at"], name="meeting_municipality_time"),
            # The meeting list, upcoming and past.
            models.Index(fields=["starts_at"], name="meeting_starts_at"),
        ]

    def __str__(self):
        from dtv.text import date_text

        where = self.municipality.name if self.municipality_id else self.region
        day = timezone.localtime(self.starts_at).date()
        return f"{self.get_type_short()} {where}, {date_text(day)}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("partners:meeting_detail", args=[self.reference])

    def get_type_short(self) -> str:
        return "Driehoek" if self.type == self.Type.DRIEHOEK else self.type.upper()

    @property
    def where(self) -> str:
        return self.municipality.name if self.municipality_id else self.region

    @property
    def agenda_is_editable(self) -> bool:
        return self.status in (self.Status.AGENDA_PREPARATION, self.Status.AGENDA_SENT)

    @property
    def partner_access_ends_at(self):
        if self.minutes_finalised_at is None:
            return None
        return self.minutes_finalised_at + timedelta(
            days=lto_rules.PARTNER_ACCESS_DAYS_AFTER_MINUTES
        )


class MeetingParticipant(models.Model):
    """An organisation taking part in a meeting, optionally with the person who attends."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="meeting_participations",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            # An organisation takes part in a meeting once.
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="participant_once_per_meeting"
            ),
        ]
        indexes = [
            # Meeting.objects.visible_to(partner): the meetings of an organisation.
            models.Index(fields=["organisation", "meeting"], name="participant_organisation"),
        ]

    def __str__(self):
        return str(self.organisation)


class AgendaItemQuerySet(AuditedQuerySet):
    def on_agenda(self):
        return self.filter(status=AgendaItem.Status.ON_AGENDA)

    def nominated(self):
        return self.filter(status=AgendaItem.Status.NOMINATED)

    def visible_to(self, user, *, now=None):
        """Agenda items (and so their cases' need-to-know fields) a user may see: decided in
        partners/access.py."""
        return access.visible_agenda_items(self, user, now=now)


class AgendaItem(models.Model):
    """A case on a meeting's agenda, or nominated for it."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        ON_AGENDA = "on_agenda", _("On the agenda")
        REMOVED = "removed", _("Taken off the agenda")

    class Reason(models.TextChoices):
        TERM_LAPSED = "term_lapsed", _("Departure term lapsed")
        TERM_ENDING = (
            "term_ending",
            format_lazy(
                _("Departure term ends within {period}"),
                period=rules.label_lazy("term_ending_soon_days"),
            ),
        )
        OBSTACLE_OPEN = (
            "obstacle_open",
            format_lazy(
                _("Obstacle open longer than {period}"),
                period=rules.label_lazy("obstacle_long_open_weeks"),
            ),
        )
        VBL_WEEK_10 = (
            "vbl_week_10",
            format_lazy(_("VBL week {week} or later"), week=rules.value_lazy("vbl_lto_weeks")),
        )
        RECEPTION_ENDING = "reception_ending", _("COA reception ends soon")
        OPEN_ACTIONS = "open_actions", _("Open action items from an earlier meeting")
        NOMINATED = "nominated", _("Nominated")
        ESCALATED = "escalated", _("Escalated to the RAO")
        CHAIR = "chair", _("Added by the chair")
        # A member of a proposed household: the household is one item of the meeting.
        HOUSEHOLD = "household", _("With the household")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ON_AGENDA
    )
    position = models.PositiveSmallIntegerField(_("position"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    question = models.TextField(_("question to decide"), max_length=2000, blank=True)
    approach = models.TextField(_("proposed approach"), max_length=4000, blank=True)
    decision = models.TextField(_("decision"), max_length=4000, blank=True)
    escalate_to_rao = models.BooleanField(_("escalate to the RAO"), default=False)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nominated_by_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("nominated by organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    removed_at = models.DateTimeField(_("taken off the agenda at"), null=True, blank=True)
    removal_reason = models.CharField(_("reason for taking it off"), max_length=300, blank=True)
    # Documents of the case the officer shared with the meeting's participants: a partner
    # sees them while they see this item (documents.hooks, registered in partners.apps).
    documents = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("shared documents"),
        blank=True,
        related_name="agenda_items",
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "added_at"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            # A case is on (or nominated for) a meeting's agenda at most once at a time.
            models.UniqueConstraint(
                fields=["meeting", "case"],
                condition=~Q(status="removed"),
                name="agenda_item_case_once",
            ),
            # Two items on one agenda never share a position.
            models.UniqueConstraint(
                fields=["meeting", "position"],
                condition=Q(status="on_agenda"),
                name="agenda_item_position_once",
            ),
            # An item on the agenda has a position.
            models.CheckConstraint(
                condition=~Q(status="on_agenda") | Q(position__isnull=False),
                name="agenda_item_on_agenda_has_position",
            ),
            # "Taken off the agenda" carries the moment (a partner's access ends with it).
            models.CheckConstraint(
                condition=Q(status="removed", removed_at__isnull=False)
                | (~Q(status="removed") & Q(removed_at__isnull=True)),
                name="agenda_item_removed_has_timestamp",
            ),
        ]
        indexes = [
            # The case timeline and the proposals: a case's items by status.
            models.Index(fields=["case", "status"], name="agenda_item_case_status"),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.case}"

    def get_additional_data(self):
        # Audit entries carry the data subject (Logboek Dataverwerkingen).
        return {"v_nummer": self.case.person.v_nummer, "reference": self.case.reference}

    def reason_labels(self) -> list[str]:
        labels = dict(self.Reason.choices)
        return [str(labels.get(code, code)) for code in self.reasons or []]

    @property
    def is_on_agenda(self) -> bool:
        return self.status == self.Status.ON_AGENDA


class ActionItemQuerySet(AuditedQuerySet):
    def open(self):
        return self.filter(status=ActionItem.Status.OPEN)

    def overdue(self, today):
        """Open action items past their due date (the reminder sweep and the worklists)."""
        return self.open().filter(due_on__lt=today)

    def owned_by(self, user):
        """Owned by the user, or (for a partner participant) by their organisation."""
        return access.owned_action_items(self, user)

    def open_for(self, user):
        """The open action items on this user's plate, most urgent first (the worklist)."""
        return self.owned_by(user).open().order_by("due_on", "pk")

    def visible_to(self, user, *, now=None):
        """Action items a user may see: decided in partners/access.py."""
        return access.visible_action_items(self, user, now=now)

    def with_meetings_open(self):
        """Annotate `meetings_open`: how many later meetings of the same municipality (or
        region) took place while the item stayed open."""
        later = (
            Meeting.objects.filter(
                status__in=Meeting.HELD_STATUSES,
                starts_at__gt=OuterRef("agenda_item__meeting__starts_at"),
            )
            .filter(
                Q(municipality_id=OuterRef("agenda_item__meeting__municipality_id"))
                | Q(
                    municipality__isnull=True,
                    region=OuterRef("agenda_item__meeting__region"),
                )
            )
            .order_by()
        )
        return self.annotate(
            meetings_open=Coalesce(
                # COUNT as a plain function: one row, no GROUP BY, whatever the number of items.
                Subquery(
                    later.annotate(count=Func(F("pk"), function="COUNT")).values("count"),
                    output_field=models.IntegerField(),
                ),
                0,
            )
        )

    def stalled(self):
        """Open items that stayed open over two later meetings: flag them for escalation."""
        return (
            self.open()
            .with_meetings_open()
            .filter(meetings_open__gte=lto_rules.STALLED_AFTER_MEETINGS)
        )

    def for_list(self):
        return self.select_related(
            "agenda_item__meeting__municipality",
            "agenda_item__case__person",
            "owner_organisation",
            "owner_user",
        ).with_meetings_open()


class ActionItem(models.Model):
    """Something a participant agreed to do about a case, recorded in the minutes."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="action_items"
    )
    description = models.TextField(_("action"), max_length=2000)
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owning organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # When the item was closed (done or cancelled).
    done_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    progress_note = models.CharField(_("progress"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            # Every action item has an owner: an organisation, a person, or both.
            models.CheckConstraint(
                condition=Q(owner_organisation__isnull=False) | Q(owner_user__isnull=False),
                name="action_item_has_owner",
            ),
            # An open item has no closing time; a done or cancelled one has.
            models.CheckConstraint(
                condition=Q(status="open", done_at__isnull=True)
                | Q(status__in=["done", "cancelled"], done_at__isnull=False),
                name="action_item_closed_has_timestamp",
            ),
            # An action item says what is to be done.
            models.CheckConstraint(condition=~Q(description=""), name="action_item_described"),
        ]
        indexes = [
            # The reminder sweep and the worklists: open items by due date.
            models.Index(fields=["status", "due_on"], name="action_item_status_due"),
        ]

    def __str__(self):
        return self.description[:60]

    def get_additional_data(self):
        case = self.agenda_item.case
        return {"v_nummer": case.person.v_nummer, "reference": case.reference}

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def owner_display(self) -> str:
        names = [str(owner) for owner in (self.owner_organisation, self.owner_user) if owner]
        return " · ".join(names)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_on < today

    @property
    def needs_escalation(self) -> bool:
        # Set by ActionItemQuerySet.with_meetings_open(); False when not annotated.
        return (
            self.is_open and getattr(self, "meetings_open", 0) >= lto_rules.STALLED_AFTER_MEETINGS
        )


# Changes to these models are recorded with before and after values (django-auditlog).
auditlog.register(Meeting)
auditlog.register(MeetingParticipant)
auditlog.register(AgendaItem, m2m_fields={"documents"})
auditlog.register(ActionItem, exclude_fields=["updated_at"])
