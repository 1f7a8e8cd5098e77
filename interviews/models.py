from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import reference
from cases.models import Case, Obstacle
from dtv.audit.querysets import AuditedQuerySet
from interviews import access
from interviews.plan import CHECKLIST_REQUIRED_STAGES, STAGE_LABELS


class Stage(models.TextChoices):
    INTAKE = "intake", STAGE_LABELS["intake"]
    PROGRESS = "progress", STAGE_LABELS["progress"]
    HEARING = "hearing", STAGE_LABELS["hearing"]
    POST_RULING = "post_ruling", STAGE_LABELS["post_ruling"]
    EMBASSY = "embassy", STAGE_LABELS["embassy"]
    VBL_INTAKE = "vbl_intake", STAGE_LABELS["vbl_intake"]
    DETENTION = "detention", STAGE_LABELS["detention"]


class Check(models.TextChoices):
    # The special-circumstances checklist (medical, trafficking, hardship) as three explicit
    # fields with these values rather than one JSON blob: each can be filtered and constrained,
    # and "checked" is simply "not empty" (the compliance report counts on that).
    NOT_CHECKED = "", _("Not checked")
    NOTHING = "nothing", _("Checked: nothing found")
    SIGNAL = "signal", _("Checked: signal found")


class InterviewQuerySet(AuditedQuerySet):
    def visible_to(self, user):
        return access.visible_interviews(self, Case.objects.visible_to(user), user)

    def for_user_cases(self, user):
        # The officer's agenda and calendar feed: interviews of the cases they own.
        return self.filter(case__officer=user).exclude(case__phase=Case.Phase.CLOSED)

    def held(self):
        return self.filter(held_at__isnull=False, no_show=False)

    def planned(self):
        return self.filter(held_at__isnull=True, no_show=False, planned_at__isnull=False)


class Interview(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("By video")

    class Attitude(models.TextChoices):
        COOPERATIVE = "cooperative", _("Cooperative")
        UNDECIDED = "undecided", _("Undecided")
        REFUSING = "refusing", _("Refusing")
        UNKNOWN = "unknown", _("Unknown")

    class InterpreterPresence(models.TextChoices):
        NONE = "", _("No interpreter")
        PRESENT = "present", _("Present")
        PHONE = "phone", _("By phone")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interviews")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default="in_person")
    location = models.CharField(_("location"), max_length=200, blank=True)
    no_show = models.BooleanField(_("the person did not appear"), default=False)
    interpreter_name = models.CharField(_("interpreter's name"), max_length=200, blank=True)
    interpreter_language = models.CharField(
        _("interpreter language (ISO 639-3)"), max_length=3, blank=True
    )
    interpreter_presence = models.CharField(
        _("interpreter present"), max_length=10, choices=InterpreterPresence.choices, blank=True
    )
    attitude = models.CharField(
        _("attitude to return"), max_length=12, choices=Attitude.choices, default="unknown"
    )
    # The special-circumstances checklist (Inspectie JenV 2022): each circumstance is either
    # not checked, checked without finding, or checked with a signal.
    check_medical = models.CharField(
        _("medical circumstances"), max_length=10, choices=Check.choices, blank=True
    )
    check_trafficking = models.CharField(
        _("trafficking"), max_length=10, choices=Check.choices, blank=True
    )
    check_hardship = models.CharField(
        _("hardship"), max_length=10, choices=Check.choices, blank=True
    )
    obstacles_discussed = models.ManyToManyField(
        Obstacle, verbose_name=_("obstacles discussed"), blank=True, related_name="interviews"
    )
    agreements = models.TextField(_("agreements with the person"), blank=True)
    officer_actions = models.TextField(_("actions for the officer"), blank=True)
    report = models.TextField(_("report"), blank=True)
    copy_given = models.BooleanField(_("copy of the report given"), default=False)
    recording_consent = models.BooleanField(_("recording consented to"), default=False)
    next_interview_on = models.DateField(_("next interview"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # Documents uploaded from here (documents.hooks source, registered in apps.ready()).
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("documents"), blank=True, related_name="interviews"
    )

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "-planned_at"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        constraints = [
            # An interview has a time: when it is planned, or when it was held (for a no-show:
            # the appointment that was missed).
            models.CheckConstraint(
                condition=Q(planned_at__isnull=False) | Q(held_at__isnull=False),
                name="interview_has_a_time",
                violation_error_message=_(
                    "Enter when the interview was held, or when it is planned."
                ),
            ),
            # A no-show has no report: nothing was said.
            models.CheckConstraint(
                condition=Q(no_show=False) | Q(report=""),
                name="interview_no_show_no_report",
                violation_error_message=_("The person did not appear, so there is no report."),
            ),
            # An interpreter who took part has a name (the report says who interpreted).
            models.CheckConstraint(
                condition=Q(interpreter_presence="") | ~Q(interpreter_name=""),
                name="interview_interpreter_named",
                violation_error_message=_("Name the interpreter."),
            ),
            # Optimistic locking counts from 1.
            models.CheckConstraint(condition=Q(version__gte=1), name="interview_version_positive"),
        ]
        indexes = [
            # The officer's agenda: planned interviews by date.
            models.Index(fields=["planned_at"], name="interview_planned"),
            # The interview plan: a case's held interviews, newest first.
            models.Index(fields=["case", "-held_at"], name="interview_case_held"),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} {self.case.reference}"

    def get_absolute_url(self):
        return reverse("interviews:detail", args=[self.case.reference, self.pk])

    @property
    def interpreter_language_name(self) -> str:
        return (
            reference.language_name(self.interpreter_language) if self.interpreter_language else ""
        )

    def get_additional_data(self):
        return {"v_nummer": self.case.person.v_nummer, "reference": self.case.reference}

    @property
    def is_held(self) -> bool:
        return self.held_at is not None and not self.no_show

    @property
    def checklist_complete(self) -> bool:
        return all((self.check_medical, self.check_trafficking, self.check_hardship))

    @property
    def checklist_required(self) -> bool:
        return self.stage in CHECKLIST_REQUIRED_STAGES and self.is_held

    @property
    def is_planned(self) -> bool:
        return self.held_at is None and not self.no_show

    @property
    def when(self):
        return self.held_at or self.planned_at


class InterviewAttendee(models.Model):
    """Who took part: an internal user (the officer) or a named outsider (a lawyer, ...)."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Departure officer")
        COA = "coa_case_manager", _("COA case manager")
        LAWYER = "lawyer", _("Lawyer")
        GUARDIAN = "guardian", _("Guardian (Nidos)")
        FAMILY = "family", _("Family member")
        OTHER = "other", _("Other")

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="attendees")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            # An attendee is a user of the system or a named outsider.
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="attendee_named"
            ),
        ]

    def __str__(self):
        return self.name or str(self.user)

    def get_additional_data(self):
        return self.interview.get_additional_data()


class InterviewParticipant(models.Model):
    """Another household member's case an interview was held for as well: the interview is
    logged once, on its own case, and appears on each participant's case (its timeline, its
    interview plan)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="participants")
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="interview_participations",
    )

    objects = AuditedQuerySet.as_manager()

    class Meta:
        verbose_name = _("household participant")
        verbose_name_plural = _("household participants")
        constraints = [
            # A member's case takes part in an interview once.
            models.UniqueConstraint(fields=["interview", "case"], name="participant_once"),
        ]
        # A case's joint interviews (its timeline and plan) are found by the index Django
        # gives the `case` key.

    def __str__(self):
        return f"{self.interview} + {self.case.reference}"

    def get_additional_data(self):
        return {"v_nummer": self.case.person.v_nummer, "reference": self.case.reference}


auditlog.register(Interview, m2m_fields={"obstacles_discussed"}, exclude_fields=["version"])
auditlog.register(InterviewAttendee)
auditlog.register(InterviewParticipant)
