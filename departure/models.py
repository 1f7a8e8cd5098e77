from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import AuditedQuerySet, Case


class CaseBound(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    def get_additional_data(self):
        return {"v_nummer": self.case.person.v_nummer, "reference": self.case.reference}


class MeasureQuerySet(AuditedQuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)

    def of_type(self, *types):
        return self.filter(type__in=types)


class Measure(CaseBound):
    """A vertrekplicht measure or shelter: VBL, detention, reporting duty, end of reception."""

    class Type(models.TextChoices):
        VBL = "vbl", _("VBL stay (art. 56 Vw)")
        FAMILY_LOCATION = "gl", _("Family location (GL)")
        ENFORCEMENT_LOCATION = "htl", _("Enforcement location (HTL)")
        DETENTION_59 = "detention_59", _("Immigration detention (art. 59 Vw)")
        DETENTION_59A = "detention_59a", _("Immigration detention, Dublin (art. 59a Vw)")
        DETENTION_59B = "detention_59b", _("Immigration detention, asylum (art. 59b Vw)")
        REPORTING_DUTY = "reporting_54", _("Reporting duty (art. 54 Vw)")
        AREA_RESTRICTION = "area_56", _("Area restriction (art. 56 Vw)")
        DEPOSIT = "deposit", _("Deposit")
        RECEPTION_END = "reception_end", _("End of COA reception")

    DETENTION = (Type.DETENTION_59, Type.DETENTION_59A, Type.DETENTION_59B)
    SHELTER = (Type.VBL, Type.FAMILY_LOCATION, Type.ENFORCEMENT_LOCATION)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    started_on = models.DateField(_("start"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    extended_on = models.DateField(_("extension decided on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    decision = models.TextField(_("decision (e.g. LTO decision, alternative shelter)"), blank=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            # A measure cannot end before it started.
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="measure_ends_after_start",
            ),
            # An extension is decided during the measure.
            models.CheckConstraint(
                condition=Q(extended_on__isnull=True) | Q(extended_on__gte=F("started_on")),
                name="measure_extended_after_start",
            ),
        ]
        indexes = [
            # The deadline provider and the sweep: a case's current VBL or detention.
            models.Index(fields=["case", "type", "ended_on"], name="measure_case_type"),
        ]

    def __str__(self):
        return self.get_type_display()

    @property
    def is_detention(self) -> bool:
        return self.type in self.DETENTION


class CourtReview(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="court_reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    lawful = models.BooleanField(_("detention lawful"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-reviewed_on"]
        verbose_name = _("court review")
        verbose_name_plural = _("court reviews")

    def __str__(self):
        return f"{self.reviewed_on}"


class Departure(CaseBound):
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

    CLOSURE = {
        Type.INDEPENDENT_PROVEN: Case.ClosureReason.INDEPENDENT_PROVEN,
        Type.WITHOUT_SUPERVISION: Case.ClosureReason.WITHOUT_SUPERVISION,
        Type.FORCED: Case.ClosureReason.FORCED,
        Type.DUBLIN_TRANSFER: Case.ClosureReason.DUBLIN_TRANSFER,
    }

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="departure")
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    departed_on = models.DateField(_("date of departure"))
    destination = models.CharField(_("destination country"), max_length=10, blank=True)
    confirmed_by = models.CharField(
        _("confirmed by"), max_length=10, choices=ConfirmedBy.choices, blank=True
    )
    escort = models.BooleanField(_("KMar escort"), default=False)
    from_detention = models.BooleanField(_("from detention"), default=False)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-departed_on"]
        verbose_name = _("departure")
        verbose_name_plural = _("departures")
        indexes = [
            # The departures report by month and type.
            models.Index(fields=["departed_on", "type"], name="departure_month_type"),
        ]

    def __str__(self):
        return self.get_type_display()


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
    reintegration_plan = models.TextField(_("reintegration plan"), blank=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on"]
        verbose_name = _("return support")
        verbose_name_plural = _("return support")
        constraints = [
            # Amounts are never negative.
            models.CheckConstraint(
                condition=Q(in_kind_eur__gte=0) & Q(cash_eur__gte=0),
                name="return_support_amounts_positive",
            ),
            # A decided application has a decision date.
            models.CheckConstraint(
                condition=Q(decision="pending") | Q(decided_on__isnull=False),
                name="return_support_decided_on",
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
        WITHDRAWN = "withdrawn", _("Request withdrawn")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="travel_documents")
    document_type = models.CharField(
        _("document"), max_length=20, choices=DocumentType.choices, default=DocumentType.LP
    )
    embassy = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("embassy or consulate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ordered_on = models.DateField(_("ordered on"), default=timezone.localdate)
    submitted_on = models.DateField(_("submitted to the embassy on"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-ordered_on"]
        verbose_name = _("travel-document request")
        verbose_name_plural = _("travel-document requests")
        constraints = [
            # An answer has a date, and no date without an answer.
            models.CheckConstraint(
                condition=(Q(answer="") & Q(answered_on__isnull=True))
                | (~Q(answer="") & Q(answered_on__isnull=False)),
                name="travel_document_answer_dated",
            ),
            # A document is valid after it was issued.
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(valid_until__gte=F("issued_on")),
                name="travel_document_valid_after_issue",
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
    motivation = models.TextField(_("motivation"))
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on"]
        verbose_name = _("advice")
        verbose_name_plural = _("advice")
        constraints = [
            # Sent advice has a date of sending.
            models.CheckConstraint(
                condition=Q(status="draft") | Q(sent_on__isnull=False),
                name="advice_sent_dated",
            ),
        ]

    def __str__(self):
        return self.get_type_display()


auditlog.register(Measure)
auditlog.register(CourtReview)
auditlog.register(Departure)
auditlog.register(ReturnSupport)
auditlog.register(TravelDocumentRequest)
auditlog.register(Advice)
