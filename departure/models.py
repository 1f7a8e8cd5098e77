"""What happens when the departure term lapses: measures and shelter, the departure itself, IOM
return support, travel-document (laissez-passer) requests and advice to the IND.

Every model holds personal data: each is registered with auditlog at the bottom and its
manager refuses bulk update()/delete() (AuditedQuerySet)."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from dtv import rules
from dtv.audit.querysets import AuditedQuerySet


class CaseBound(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def get_additional_data(self):
        return {"v_nummer": self.case.person.v_nummer, "reference": self.case.reference}


class MeasureQuerySet(AuditedQuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class Measure(CaseBound):
    """A vertrekplicht measure or shelter: a stay in the VBL (or GL/HTL), immigration detention,
    a lighter measure, or the end of COA reception. For the end of reception `started_on` is the
    day reception ends (it may be announced ahead)."""

    class Type(models.TextChoices):
        VBL = "vbl", _("VBL stay (art. 56 Vw)")
        FAMILY_LOCATION = "gl", _("Family location (GL)")
        ENFORCEMENT_LOCATION = "htl", _("Enforcement location (HTL)")
        DETENTION_59 = "detention_59", _("Immigration detention (art. 59 Vw)")
        DETENTION_59A = "detention_59a", _("Immigration detention, Dublin (art. 59a Vw)")
        DETENTION_59B = "detention_59b", _("Immigration detention, asylum (art. 59b Vw)")
        REPORTING_DUTY = "reporting_54", _("Reporting duty (art. 54 Vw)")
        AREA_RESTRICTION = "area_56", _("Area restriction (art. 56 Vw)")
        DOCUMENTS_HELD = "documents_held", _("Travel documents held (art. 55 Vw)")
        DEPOSIT = "deposit", _("Deposit")
        RECEPTION_END = "reception_end", _("End of COA reception")

    class LtoDecision(models.TextChoices):
        NONE = "", _("No decision yet")
        EXTEND = "extend", _("Extend the stay")
        END = "end", _("End the stay")

    class AlternativeShelter(models.TextChoices):
        NONE = "", _("Not known yet")
        MUNICIPAL = "municipal", _("Municipal shelter (bed, bath, bread)")
        LVV = "lvv", _("National aliens facility (LVV)")
        VBL = "vbl", _("VBL")
        OWN = "own", _("Own arrangement")
        NO_SHELTER = "no_shelter", _("No shelter")

    SHELTER = (Type.VBL, Type.FAMILY_LOCATION, Type.ENFORCEMENT_LOCATION)
    # The 12-week regime (week 10 on the LTO agenda, decision at week 12); the GL has no limit.
    TIME_LIMITED_SHELTER = (Type.VBL, Type.ENFORCEMENT_LOCATION)
    DETENTION = (Type.DETENTION_59, Type.DETENTION_59A, Type.DETENTION_59B)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    started_on = models.DateField(_("start"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    lto_decision = models.CharField(
        _("LTO decision"), max_length=10, choices=LtoDecision.choices, blank=True
    )
    lto_decided_on = models.DateField(_("LTO decision date"), null=True, blank=True)
    extended_on = models.DateField(_("extension decided on"), null=True, blank=True)
    alternative_shelter = models.CharField(
        _("alternative shelter"), max_length=12, choices=AlternativeShelter.choices, blank=True
    )
    decision = models.TextField(_("notes"), max_length=5000, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            # A measure cannot end before it started.
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="measure_ends_after_start",
                violation_error_message=_("A measure cannot end before it started."),
            ),
            # A planned end lies after the start.
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gte=F("started_on")),
                name="measure_planned_end_after_start",
                violation_error_message=_("The planned end cannot be before the start."),
            ),
            # An extension is decided during the measure.
            models.CheckConstraint(
                condition=Q(extended_on__isnull=True) | Q(extended_on__gte=F("started_on")),
                name="measure_extended_after_start",
                violation_error_message=_(
                    "An extension cannot be decided before the measure started."
                ),
            ),
            # Only detention is extended by a decision (art. 59 Vw, before six months).
            models.CheckConstraint(
                condition=Q(extended_on__isnull=True)
                | Q(type__in=["detention_59", "detention_59a", "detention_59b"]),
                name="measure_extension_only_detention",
                violation_error_message=_("Only a detention is extended by a decision."),
            ),
            # The LTO decides on a stay in a VBL, GL or HTL, and a decision has its date.
            models.CheckConstraint(
                condition=(Q(lto_decision="") & Q(lto_decided_on__isnull=True))
                | (
                    ~Q(lto_decision="")
                    & Q(lto_decided_on__isnull=False)
                    & Q(type__in=["vbl", "gl", "htl"])
                ),
                name="measure_lto_decision_dated_shelter",
                violation_error_message=_(
                    "An LTO decision needs its date, and belongs to a stay in a VBL, GL or HTL."
                ),
            ),
            # Alternative shelter is a fact of the end of COA reception only.
            models.CheckConstraint(
                condition=Q(alternative_shelter="") | Q(type="reception_end"),
                name="measure_alternative_shelter_reception_end",
                violation_error_message=_(
                    "Alternative shelter is recorded with the end of COA reception only."
                ),
            ),
            # One current measure of each type per case (no two VBL stays at once).
            models.UniqueConstraint(
                fields=["case", "type"],
                condition=Q(ended_on__isnull=True),
                name="measure_one_current_per_type",
                violation_error_message=_(
                    "This case already has a current measure of this type; end it first."
                ),
            ),
        ]
        indexes = [
            # The deadline provider and the sweep: a case's current VBL or detention.
            models.Index(fields=["case", "type", "ended_on"], name="measure_case_type"),
            # The sweep: current measures of a type by start date (VBL weeks, detention month 5).
            models.Index(
                fields=["type", "started_on"],
                condition=Q(ended_on__isnull=True),
                name="measure_current_by_start",
            ),
        ]

    def __str__(self):
        return self.get_type_display()

    @property
    def is_detention(self) -> bool:
        return self.type in self.DETENTION

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class CourtReview(models.Model):
    """A court's review of a detention: the review within 42 days, a follow-up appeal
    (vervolgberoep), or the review of an extension."""

    class Kind(models.TextChoices):
        INITIAL = (
            "initial",
            format_lazy(
                _("Review of the detention (within {period})"),
                period=rules.label_lazy("detention_court_review_days"),
            ),
        )
        FOLLOW_UP = "follow_up", _("Follow-up appeal (vervolgberoep)")
        EXTENSION = "extension", _("Review of the extension")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="court_reviews")
    kind = models.CharField(
        _("kind of review"), max_length=10, choices=Kind.choices, default=Kind.INITIAL
    )
    reviewed_on = models.DateField(_("ruling on"))
    court = models.CharField(_("court"), max_length=200, blank=True)
    lawful = models.BooleanField(_("detention lawful"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("court review")
        verbose_name_plural = _("court reviews")
        indexes = [
            # The detention's reviews on the case page and the overview.
            models.Index(fields=["measure", "reviewed_on"], name="court_review_measure"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reviewed_on}"

    def get_additional_data(self):
        case = self.measure.case
        return {"v_nummer": case.person.v_nummer, "reference": case.reference}


class Departure(CaseBound):
    """The person left: recording it closes the case (one per case)."""

    class Type(models.TextChoices):
        INDEPENDENT_PROVEN = "independent_proven", _("Independent departure, proven")
        WITHOUT_SUPERVISION = "without_supervision", _("Without supervision (destination unknown)")
        FORCED = "forced", _("Forced departure")
        DUBLIN_TRANSFER = "dublin_transfer", _("Dublin transfer")

    class ConfirmedBy(models.TextChoices):
        KMAR = "kmar", _("KMar departure notice")
        IOM = "iom", _("IOM")
        AVIM = "avim", _("Aliens police (AVIM)")
        OTHER = "other", _("Other")

    class ForcedFrom(models.TextChoices):
        NONE = "", _("Not applicable")
        DEPARTURE_CENTRE = "departure_centre", _("Departure centre or VBL")
        DETENTION = "detention", _("Detention centre")
        PRISON = "prison", _("Prison")

    # The case's closure reason for each kind of departure.
    CLOSURE = {
        Type.INDEPENDENT_PROVEN: Case.ClosureReason.INDEPENDENT_PROVEN,
        Type.WITHOUT_SUPERVISION: Case.ClosureReason.WITHOUT_SUPERVISION,
        Type.FORCED: Case.ClosureReason.FORCED,
        Type.DUBLIN_TRANSFER: Case.ClosureReason.DUBLIN_TRANSFER,
    }

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="departure")
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    departed_on = models.DateField(_("date of departure"))
    destination = models.CharField(_("destination country"), max_length=2, blank=True)
    confirmed_by = models.CharField(
        _("confirmed by"), max_length=10, choices=ConfirmedBy.choices, blank=True
    )
    forced_from = models.CharField(
        _("removed from"), max_length=20, choices=ForcedFrom.choices, blank=True
    )
    escort = models.BooleanField(_("KMar escort"), default=False)
    remarks = models.TextField(_("remarks"), max_length=2000, blank=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-departed_on"]
        verbose_name = _("departure")
        verbose_name_plural = _("departures")
        constraints = [
            # Only a forced departure leaves from a departure centre, detention or prison.
            models.CheckConstraint(
                condition=Q(forced_from="") | Q(type="forced"),
                name="departure_forced_from_only_forced",
                violation_error_message=_(
                    "Only a forced departure is removed from a centre or prison."
                ),
            ),
            # An escort accompanies a forced departure or a Dublin transfer only.
            models.CheckConstraint(
                condition=Q(escort=False) | Q(type__in=["forced", "dublin_transfer"]),
                name="departure_escort_only_forced_or_dublin",
                violation_error_message=_(
                    "An escort goes with a forced departure or a Dublin transfer only."
                ),
            ),
        ]
        indexes = [
            # The departures report by month and type.
            models.Index(fields=["departed_on", "type"], name="departure_month_type"),
        ]

    def __str__(self):
        return self.get_type_display()

    @property
    def destination_name(self) -> str:
        from cases.reference import country_name

        return country_name(self.destination) if self.destination else ""


class ReturnSupportQuerySet(AuditedQuerySet):
    def approved_for_person_since(self, person, since):
        """Approved assisted return of a person decided on or after `since` (the 5-year rule)."""
        return self.filter(
            case__person=person, decision=ReturnSupport.Decision.APPROVED, decided_on__gte=since
        )


class ReturnSupport(CaseBound):
    class Programme(models.TextChoices):
        REAN = "rean", _("REAN (basic return support)")
        AVRR = "avrr", _("AVRR-NL (reintegration)")
        EURP = "eurp", _("EURP")
        NGO = "ngo", _("NGO project")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="return_support")
    programme = models.CharField(_("programme"), max_length=10, choices=Programme.choices)
    applied_on = models.DateField(_("applied on"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    in_kind_eur = models.DecimalField(_("in kind (EUR)"), max_digits=8, decimal_places=2, default=0)
    cash_eur = models.DecimalField(_("cash (EUR)"), max_digits=8, decimal_places=2, default=0)
    reintegration_plan = models.TextField(_("reintegration plan"), max_length=5000, blank=True)

    objects = ReturnSupportQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "-pk"]
        verbose_name = _("return support")
        verbose_name_plural = _("return support")
        constraints = [
            # Amounts are never negative.
            models.CheckConstraint(
                condition=Q(in_kind_eur__gte=0) & Q(cash_eur__gte=0),
                name="return_support_amounts_positive",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            # A decided application has a decision date; a pending one has none.
            models.CheckConstraint(
                condition=(Q(decision="pending") & Q(decided_on__isnull=True))
                | (~Q(decision="pending") & Q(decided_on__isnull=False)),
                name="return_support_decision_dated",
                violation_error_message=_(
                    "A decision needs its date, and a pending application has none."
                ),
            ),
            # A decision follows the application.
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("applied_on")),
                name="return_support_decided_after_applied",
                violation_error_message=_("The decision cannot precede the application."),
            ),
        ]
        indexes = [
            # The 5-year rule: approved support of a person by decision date.
            models.Index(
                fields=["case", "decided_on"],
                condition=Q(decision="approved"),
                name="return_support_approved",
            ),
        ]

    def __str__(self):
        return self.get_programme_display()


class TravelDocumentRequest(CaseBound):
    class DocumentType(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        EXPIRED_PASSPORT = "expired_passport", _("Expired passport")
        LP = "lp", _("Laissez-passer")
        EU_DOCUMENT = "eu_document", _("EU travel document")
        DUBLIN_LP = "dublin_lp", _("Dublin laissez-passer")
        CARRIER_CLAIM = "carrier_claim", _("Carrier claim")
        READMISSION = "readmission", _("Readmission agreement")

    class Answer(models.TextChoices):
        NONE = "", _("No answer yet")
        RECOGNISED = "recognised", _("Recognised as national")
        NON_STATEMENT = "non_statement", _("Non-statement")
        INSUFFICIENT = "insufficient_info", _("Insufficient information")
        BORDER = "border_handover", _("Hand-over at the border")
        NO_REPLY = "no_reply", _("No reply (closed)")
        WITHDRAWN = "withdrawn", _("Request withdrawn")

    # Answers with which a document can be issued.
    ISSUING = (Answer.RECOGNISED, Answer.BORDER)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="travel_documents")
    document_type = models.CharField(
        _("document"), max_length=20, choices=DocumentType.choices, default=DocumentType.LP
    )
    embassy = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("embassy or consulate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "embassy"},
    )
    ordered_on = models.DateField(_("ordered on"), default=timezone.localdate)
    submitted_on = models.DateField(_("submitted to the embassy on"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    # Documents uploaded from here (documents.hooks source, registered in apps.ready()).
    documents = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("documents"),
        blank=True,
        related_name="travel_document_requests",
    )

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-ordered_on", "-pk"]
        verbose_name = _("travel-document request")
        verbose_name_plural = _("travel-document requests")
        constraints = [
            # An answer has a date, and no date without an answer.
            models.CheckConstraint(
                condition=(Q(answer="") & Q(answered_on__isnull=True))
                | (~Q(answer="") & Q(answered_on__isnull=False)),
                name="travel_document_answer_dated",
                violation_error_message=_("An answer needs its date, and a date needs an answer."),
            ),
            # A request is submitted to the embassy after it was ordered.
            models.CheckConstraint(
                condition=Q(submitted_on__isnull=True) | Q(submitted_on__gte=F("ordered_on")),
                name="travel_document_submitted_after_order",
                violation_error_message=_("A request cannot be submitted before it was ordered."),
            ),
            # A document is valid after it was issued.
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(valid_until__gte=F("issued_on")),
                name="travel_document_valid_after_issue",
                violation_error_message=_("A document cannot expire before it was issued."),
            ),
            # Only a recognition or a border hand-over yields a document.
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(answer__in=["recognised", "border_handover"]),
                name="travel_document_issued_when_recognised",
                violation_error_message=_(
                    "A document is issued only after a recognition or a border hand-over."
                ),
            ),
        ]
        indexes = [
            # The sweep: unanswered requests by submission date.
            models.Index(fields=["answer", "submitted_on"], name="travel_doc_unanswered"),
        ]

    def __str__(self):
        return f"{self.get_document_type_display()} {self.embassy or ''}".strip()

    @property
    def ref(self) -> str:
        return f"R{self.pk}"

    @property
    def is_open(self) -> bool:
        return not self.answer


class Advice(CaseBound):
    class Type(models.TextChoices):
        NO_FAULT = "no_fault", _("No-fault (buitenschuld) advice")
        HARDSHIP = "hardship", _("Hardship signal")
        MEDICAL = "medical", _("Medical signal")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent to the IND")
        DECIDED = "decided", _("Decided")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="advice")
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    motivation = models.TextField(_("motivation"), max_length=10000)
    decided_on = models.DateField(_("IND decision on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("advice")
        verbose_name_plural = _("advice")
        constraints = [
            # Sent advice has a date of sending.
            models.CheckConstraint(
                condition=Q(status="draft") | Q(sent_on__isnull=False),
                name="advice_sent_dated",
                violation_error_message=_("Advice that was sent needs the date it was sent."),
            ),
            # A decided advice has the date and the outcome of the decision.
            models.CheckConstraint(
                condition=~Q(status="decided") | (Q(decided_on__isnull=False) & ~Q(outcome="")),
                name="advice_decided_dated",
                violation_error_message=_(
                    "A decided advice needs the decision date and the outcome."
                ),
            ),
            # Advice is sent after it was requested, and decided after it was sent.
            models.CheckConstraint(
                condition=(Q(sent_on__isnull=True) | Q(sent_on__gte=F("requested_on")))
                & (
                    Q(decided_on__isnull=True)
                    | Q(sent_on__isnull=True)
                    | Q(decided_on__gte=F("sent_on"))
                ),
                name="advice_dates_in_order",
                violation_error_message=_(
                    "Advice is sent after it was requested and decided after it was sent."
                ),
            ),
        ]

    def __str__(self):
        return self.get_type_display()


class EmbassyPresentation(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        WRITTEN = "written", _("In writing")

    class Answer(models.TextChoices):
        NO_REPLY = "", _("No reply yet")
        RECOGNISED = "recognised", _("Recognised as national")
        NON_STATEMENT = "non_statement", _("Non-statement")
        INSUFFICIENT = "insufficient_info", _("Insufficient information")
        BORDER = "border_handover", _("Hand-over at the border")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="presentations")
    embassy = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("embassy or consulate"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "embassy"},
    )
    travel_document_request = models.ForeignKey(
        TravelDocumentRequest,
        verbose_name=_("travel-document request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presentations",
    )
    presented_on = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default="in_person")
    accompanied_by = models.CharField(_("accompanied by"), max_length=300, blank=True)
    answer = models.CharField(
        _("embassy's answer"), max_length=20, choices=Answer.choices, blank=True
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-presented_on"]
        verbose_name = _("embassy presentation")
        verbose_name_plural = _("embassy presentations")
        constraints = [
            # An answer has a date; no date without an answer.
            models.CheckConstraint(
                condition=(Q(answer="") & Q(answered_on__isnull=True))
                | (~Q(answer="") & Q(answered_on__isnull=False)),
                name="presentation_answer_dated",
                violation_error_message=_("An answer needs its date, and a date needs an answer."),
            ),
            # The embassy answers after the presentation, not before it.
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("presented_on")),
                name="presentation_answered_after",
                violation_error_message=_("The answer cannot be dated before the presentation."),
            ),
        ]

    def __str__(self):
        return f"{self.embassy} {self.presented_on}"

    def get_additional_data(self):
        return {"v_nummer": self.case.person.v_nummer, "reference": self.case.reference}


auditlog.register(Measure)
auditlog.register(CourtReview)
auditlog.register(Departure)
auditlog.register(ReturnSupport)
auditlog.register(TravelDocumentRequest)
auditlog.register(Advice)
auditlog.register(EmbassyPresentation)
