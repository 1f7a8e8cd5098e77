import secrets
import unicodedata
from datetime import timedelta

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases import access, reference
from dtv import rules
from dtv.audit.querysets import AuditedQuerySet

# Of age at 18 (art. 1:233 BW): younger persons are shown as minors on every list.
AGE_OF_MAJORITY = 18

v_nummer_validator = RegexValidator(
    r"^[0-9]{10}$", _("A V-number is exactly 10 digits, e.g. 0123456789.")
)


def normalise_name(text: str) -> str:
    """Lower case without accents or punctuation, for accent- and case-insensitive search."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in stripped.casefold())
    return " ".join(cleaned.split())


class PersonQuerySet(AuditedQuerySet):
    def search(self, text: str):
        return self.filter(search_name__contains=normalise_name(text))


class Person(models.Model):
    class BirthDatePrecision(models.TextChoices):
        FULL = "full", _("Full date")
        YEAR_MONTH = "year_month", _("Year and month")
        YEAR = "year", _("Year only")
        UNKNOWN = "unknown", _("Unknown")

    class Sex(models.TextChoices):
        FEMALE = "f", _("Female")
        MALE = "m", _("Male")
        OTHER = "x", _("Other")
        UNKNOWN = "u", _("Unknown")

    class IdentityStatus(models.TextChoices):
        UNKNOWN = "unknown", _("Not established")
        CLAIMED = "claimed", _("Claimed")
        PLAUSIBLE = "plausible", _("Plausible")
        ESTABLISHED = "established", _("Established")

    v_nummer = models.CharField(
        _("V-number"), max_length=10, unique=True, validators=[v_nummer_validator]
    )
    family_name = models.CharField(_("family name"), max_length=200)
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=10,
        choices=BirthDatePrecision.choices,
        default=BirthDatePrecision.FULL,
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    identity_status = models.CharField(
        _("identity"), max_length=12, choices=IdentityStatus.choices, default=IdentityStatus.UNKNOWN
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    unaccompanied_minor = models.BooleanField(_("unaccompanied minor"), default=False)
    medical_flag = models.BooleanField(_("medical circumstances"), default=False)
    trafficking_signal = models.BooleanField(_("trafficking signal"), default=False)
    hardship_signal = models.BooleanField(_("hardship signal"), default=False)
    # Names and aliases folded to lower case without accents: what name search matches.
    search_name = models.CharField(max_length=700, editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            # The V-number is exactly ten digits, leading zeros kept.
            models.CheckConstraint(
                condition=Q(v_nummer__regex=r"^[0-9]{10}$"), name="person_v_nummer_format"
            ),
            # An unknown date of birth has no date; a known one has a date.
            models.CheckConstraint(
                condition=Q(birth_date_precision="unknown", birth_date__isnull=True)
                | (~Q(birth_date_precision="unknown") & Q(birth_date__isnull=False)),
                name="person_birth_date_matches_precision",
            ),
        ]
        indexes = [
            # V-number prefix search in the case list (LIKE '012%' needs the pattern opclass).
            models.Index(
                fields=["v_nummer"],
                name="person_v_nummer_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    def get_additional_data(self):
        return {"v_nummer": self.v_nummer}

    def refresh_search_name(self, aliases=()):
        self.search_name = normalise_name(" ".join([self.given_names, self.family_name, *aliases]))[
            :700
        ]

    def latest_birth_date(self):
        """The last day the person can have been born on: a date of birth known only to the
        year (or month) counts from that year's (month's) last day, so that nobody who may
        still be a minor is shown as an adult."""
        import calendar

        if self.birth_date is None:
            return None
        if self.birth_date_precision == self.BirthDatePrecision.YEAR:
            return self.birth_date.replace(month=12, day=31)
        if self.birth_date_precision == self.BirthDatePrecision.YEAR_MONTH:
            last = calendar.monthrange(self.birth_date.year, self.birth_date.month)[1]
            return self.birth_date.replace(day=last)
        return self.birth_date

    def is_minor_on(self, day) -> bool:
        """Younger than 18 on `day`, from the date of birth (unknown: not shown as a minor;
        an unaccompanied minor has their own flag)."""
        born = self.latest_birth_date()
        if born is None:
            return False
        try:
            of_age_on = born.replace(year=born.year + AGE_OF_MAJORITY)
        except ValueError:  # born on 29 February: of age on 1 March
            of_age_on = born.replace(year=born.year + AGE_OF_MAJORITY, month=3, day=1)
        return day < of_age_on

    @property
    def is_minor(self) -> bool:
        return self.is_minor_on(timezone.localdate())

    @property
    def birth_date_display(self) -> str:

        if self.birth_date is None:
            return str(_("unknown"))
        if self.birth_date_precision == self.BirthDatePrecision.YEAR:
            return str(self.birth_date.year)
        if self.birth_date_precision == self.BirthDatePrecision.YEAR_MONTH:
            return date_format(self.birth_date, "YEAR_MONTH_FORMAT")
        return date_format(self.birth_date)


class Nationality(models.Model):
    class Status(models.TextChoices):
        PRESUMED = "presumed", _("Presumed")
        ESTABLISHED = "established", _("Established")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="nationalities")
    country = models.CharField(_("country"), max_length=10)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PRESUMED
    )

    class Meta:
        ordering = ["-status", "country"]
        verbose_name = _("nationality")
        verbose_name_plural = _("nationalities")
        constraints = [
            # A person has each nationality once.
            models.UniqueConstraint(fields=["person", "country"], name="nationality_once"),
        ]
        indexes = [
            # The nationality filter of the case list and the reports.
            models.Index(fields=["country"], name="nationality_country"),
        ]

    def __str__(self):
        return self.country_name

    @property
    def country_name(self) -> str:
        return reference.country_name(self.country)


class Language(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language (ISO 639-3)"), max_length=3)

    class Meta:
        ordering = ["code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            # A person speaks each language once.
            models.UniqueConstraint(fields=["person", "code"], name="language_once"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return reference.language_name(self.code)


class Alias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self):
        return self.name


class HouseholdLinkQuerySet(AuditedQuerySet):
    def touching(self, person_ids):
        return self.filter(Q(person_id__in=person_ids) | Q(relative_id__in=person_ids))


class HouseholdLink(models.Model):
    """One directed relation between two persons of a household: partners, or `person` is a
    parent of `relative`. The inverse (child of, partner of) is derived, never stored."""

    class Relation(models.TextChoices):
        PARTNER = "partner", _("Partner")
        PARENT = "parent", _("Parent of")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_links")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = HouseholdLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("household link")
        verbose_name_plural = _("household links")
        constraints = [
            # Nobody is their own relative.
            models.CheckConstraint(condition=~Q(person=F("relative")), name="household_not_self"),
            # Two persons are linked once, whichever way round: the inverse is derived.
            models.UniqueConstraint(
                Least("person", "relative"),
                Greatest("person", "relative"),
                name="household_pair_once",
            ),
        ]
        indexes = [
            # The household of a person: the links that name them as the relative.
            models.Index(fields=["relative"], name="household_relative"),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_relation_display()} – {self.relative}"

    def get_additional_data(self):
        return {"v_nummer": self.person.v_nummer}


class CaseQuerySet(AuditedQuerySet):
    def visible_to(self, user):
        # Which cases a user may see is decided in cases/access.py.
        return access.visible_cases(self, user)

    def handed_over_by(self, user, *, now=None):
        """The other half of the access rule: cases the user's team transferred to another
        team within the last CASE_TRANSFER_READ_DAYS days (0: none). The team that handed a
        case over may read what was recorded up to the handover (the case page's read-only
        handover view), and change nothing: every other page and every service goes by
        visible_to() alone."""
        days = settings.CASE_TRANSFER_READ_DAYS
        if days <= 0 or not access.reads_handovers(user):
            return self.none()
        since = (now or timezone.now()) - timedelta(days=days)
        handed = CaseTransfer.objects.filter(
            from_team_id=user.team_id,
            status=CaseTransfer.Status.ACCEPTED,
            decided_at__gte=since,
        )
        return self.filter(pk__in=handed.values("case_id")).exclude(team_id=user.team_id)

    def open(self):
        return self.exclude(phase=Case.Phase.CLOSED)

    def for_list(self, *, related=("person", "officer", "team", "municipality")):
        """Cases with what a list of them shows. The tables of the worklist and the case list
        show the person and the officer only (`related=("person", "officer")`); the export
        also writes the municipality."""
        # The open-obstacle count is a correlated subquery, not a join with GROUP BY: the
        # database sorts and cuts the page first and counts for those 25 rows only, and the
        # paginator's COUNT(*) leaves it out altogether (obstacle_case_status serves it).
        open_obstacles = (
            Obstacle.objects.filter(case=OuterRef("pk"), status__in=Obstacle.OPEN_STATUSES)
            .order_by()
            .values("case")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.select_related(*related).annotate(
            open_obstacle_count=Coalesce(
                Subquery(open_obstacles, output_field=models.IntegerField()), 0
            )
        )

    # The worklist's deadline conditions, shared by the filters below and the one-query counts.
    @staticmethod
    def term_lapsed_q(today) -> Q:
        # A term lapses at the end of its last day; a 0-day term (no term at all) at the start
        # of the decision day, so the person is obliged to leave that day itself.
        return Q(term_ends_on__lt=today) | Q(term_ends_on=today, departure_term_days=0)

    @staticmethod
    def term_ending_within_q(days: int, today) -> Q:

        return Q(term_ends_on__gte=today, term_ends_on__lte=today + timedelta(days)) & ~Q(
            term_ends_on=today, departure_term_days=0
        )

    @staticmethod
    def interview_overdue_q(today) -> Q:
        return Q(next_interview_due_on__lt=today)

    def term_lapsed(self, *, today):
        return self.open().filter(self.term_lapsed_q(today))

    def term_ending_within(self, days: int, *, today):
        return self.open().filter(self.term_ending_within_q(days, today))

    def interview_overdue(self, *, today):
        return self.open().filter(self.interview_overdue_q(today))

    def deadline_counts(self, *, today) -> dict:
        """Open cases, lapsed terms, terms ending soon (the rules table) and interviews overdue, in
        one query (the worklist's summary)."""
        return self.open().aggregate(
            open=Count("pk"),
            term_lapsed=Count("pk", filter=self.term_lapsed_q(today)),
            term_14=Count(
                "pk",
                filter=self.term_ending_within_q(rules.value("term_ending_soon_days"), today),
            ),
            interview_overdue=Count("pk", filter=self.interview_overdue_q(today)),
        )


def new_reference() -> str:
    # Not guessable and not sequential: the reference appears in URLs and on paper.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "TK-" + "".join(secrets.choice(alphabet) for _ in range(8))


def give_unique_references(cases) -> None:
    """New references for new cases whose random one is taken, by another of them or by a
    case in the database. With 32**8 references, two alike are rare but not impossible: at a
    million cases a new one meets an old one once in about a million registrations, an import
    of 10,000 rows about once in a hundred."""
    cases = list(cases)
    while True:
        wanted = [case.reference for case in cases]
        taken = set(
            Case._base_manager.filter(reference__in=wanted).values_list("reference", flat=True)
        )
        seen: set[str] = set()
        again = False
        for case in cases:
            if case.reference in taken or case.reference in seen:
                case.reference = new_reference()
                again = True
            seen.add(case.reference)
        if not again:
            return


# The code of the constraints on border and transfer facts, whose readable messages come from
# cases.services.rule_fact_errors.
RULE_FACTS_CODE = "rule_facts"


class Case(models.Model):
    class Source(models.TextChoices):
        IND = "ind", _("IND")
        POLICE = "police", _("Police (AVIM)")
        KMAR = "kmar", _("Royal Marechaussee")
        OTHER = "other", _("Other (e.g. self-reported)")

    class Category(models.TextChoices):
        ASYLUM = "asylum", _("Rejected asylum")
        DUBLIN = "dublin", _("Dublin")
        REGULAR = "regular", _("Regular permit ended")
        FOUND = "found", _("Found without status")
        BORDER = "border", _("Refused at the border")

    class Phase(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        PROCEDURE_PENDING = "procedure_pending", _("Procedure pending")
        TERM_RUNNING = "term_running", _("Departure term running")
        OBLIGED = "obliged", _("Obliged to leave")
        VBL = "vbl", _("In VBL")
        DETENTION = "detention", _("In detention")
        BORDER = "border", _("Return border procedure")
        DEPARTURE_PLANNED = "departure_planned", _("Departure planned")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    class TransferExtension(models.TextChoices):
        NONE = "", _("No extension")
        IMPRISONED = "imprisoned", _("Extended: imprisonment")
        ABSCONDED = "absconded", _("Extended: absconded")

    class ClosureReason(models.TextChoices):
        INDEPENDENT_PROVEN = "independent_proven", _("Independent departure, proven")
        WITHOUT_SUPERVISION = "without_supervision", _("Departed without supervision")
        FORCED = "forced", _("Forced departure")
        DUBLIN_TRANSFER = "dublin_transfer", _("Dublin transfer")
        PERMIT = "permit", _("Residence permit granted")
        DECEASED = "deceased", _("Deceased")
        OTHER = "other", _("Other")

    class Priority(models.IntegerChoices):
        NORMAL = 0, _("Normal")
        HIGH = 1, _("High")
        TOP_X = 2, _("Top-X")

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_reference, editable=False
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.REGISTERED
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("departure officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="cases"
    )
    municipality = models.ForeignKey(
        "directory.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    reception_location = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("reception location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    departure_plan = models.TextField(_("departure plan"), blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    # Facts of the return decision that the deadline engine reads.
    decision_on = models.DateField(_("return decision date"), null=True, blank=True)
    accelerated_procedure = models.BooleanField(
        format_lazy(
            _("accelerated procedure (appeal window of {period})"),
            period=rules.label_lazy("appeal_days_accelerated"),
        ),
        default=False,
    )
    departure_term_days = models.PositiveSmallIntegerField(
        _("departure term (days)"), choices=[(28, "28"), (0, "0")], default=28
    )
    entry_ban_years = models.PositiveSmallIntegerField(_("entry ban (years)"), default=0)
    # The return border procedure (Reg. (EU) 2024/1349), judged by the day the right to remain
    # ended; the periods and their maxima are in the rules table (dtv/rules.py).
    border_procedure = models.BooleanField(
        _("return border procedure (Reg. 2024/1349)"), default=False
    )
    right_to_remain_ended_on = models.DateField(
        _("right to remain ended on"), null=True, blank=True
    )
    border_voluntary_days = models.PositiveSmallIntegerField(
        _("period for voluntary departure (days)"), default=0
    )
    crisis_extension_weeks = models.PositiveSmallIntegerField(
        _("extension in a declared crisis (weeks)"), default=0
    )
    # A transfer to the Member State responsible: Dublin III or the AMMR (Reg. (EU)
    # 2024/1351) by the day the asylum application was registered.
    application_registered_on = models.DateField(
        _("asylum application registered on"), null=True, blank=True
    )
    transfer_accepted_on = models.DateField(
        _("request accepted by the Member State on"), null=True, blank=True
    )
    transfer_appeal_final_on = models.DateField(
        _("final decision on the appeal with suspensive effect"), null=True, blank=True
    )
    transfer_extension = models.CharField(
        _("transfer time limit extended"),
        max_length=10,
        choices=TransferExtension.choices,
        blank=True,
        default="",
    )
    transfer_detained = models.BooleanField(_("detained for the transfer"), default=False)
    # Derived by the services from the facts above and the procedures, stored so that lists
    # and the reminder sweep can filter on them in SQL.
    term_ends_on = models.DateField(_("departure term ends"), null=True, blank=True)
    next_interview_due_on = models.DateField(_("next interview due"), null=True, blank=True)
    next_interview_stage = models.CharField(max_length=30, blank=True)
    # The most urgent deadline of the departure engine that still asks for action (for a
    # suspended case: when it is expected to resume), by which the worklist is ordered.
    next_deadline_on = models.DateField(_("next deadline"), null=True, blank=True)
    next_deadline_rule = models.CharField(max_length=30, blank=True)
    # Optimistic locking: an edit form carries the version it was opened at.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "reference"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [
            ("view_all_cases", "Can read every case (auditor)"),
            ("reassign_case", "Can reassign cases within the team"),
            ("view_case_access", "Can see who accessed a case"),
        ]
        constraints = [
            # A closed case has a closing date and a reason; an open one has neither.
            models.CheckConstraint(
                condition=(Q(phase="closed", closed_on__isnull=False) & ~Q(closure_reason=""))
                | (~Q(phase="closed") & Q(closed_on__isnull=True) & Q(closure_reason="")),
                name="case_closed_has_date_and_reason",
            ),
            # A case cannot close before it opened.
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="case_closed_after_opened",
            ),
            # The departure term is 28 days, or 0 when withheld (art. 62 Vw).
            models.CheckConstraint(
                condition=Q(departure_term_days__in=[0, 28]), name="case_term_days_0_or_28"
            ),
            # The border procedure's facts belong to a border-procedure case only, and a
            # case in the border procedure has the day its right to remain ended. (The
            # maxima of 15 days and 6 weeks are checked against the rules table by the form
            # and the service, in the version in force for the case.)
            models.CheckConstraint(
                condition=Q(
                    border_procedure=False, border_voluntary_days=0, crisis_extension_weeks=0
                )
                | Q(border_procedure=True, right_to_remain_ended_on__isnull=False),
                name="case_border_facts",
                violation_error_code=RULE_FACTS_CODE,
            ),
            # The transfer period runs from an acceptance; a final appeal decision follows it.
            models.CheckConstraint(
                condition=Q(transfer_appeal_final_on__isnull=True)
                | Q(
                    transfer_accepted_on__isnull=False,
                    transfer_appeal_final_on__gte=F("transfer_accepted_on"),
                ),
                name="case_transfer_appeal_after_acceptance",
                violation_error_code=RULE_FACTS_CODE,
            ),
        ]
        indexes = [
            # The worklist and case list: a team's open cases by urgency.
            models.Index(fields=["team", "phase", "term_ends_on"], name="case_team_phase_term"),
            # An officer's worklist.
            models.Index(fields=["officer", "phase"], name="case_officer_phase"),
            # The reminder sweep: terms ending or lapsed, interviews overdue.
            models.Index(fields=["term_ends_on"], name="case_term_ends"),
            models.Index(fields=["next_interview_due_on"], name="case_interview_due"),
            # The sweep's refresh of deadlines that moved on (departure/reminders.py).
            models.Index(fields=["next_deadline_on"], name="case_next_deadline"),
            # The default ordering of the case list.
            models.Index(fields=["-opened_on", "reference"], name="case_opened"),
            # A team's case list (and a name search within it) in the default order: walks the
            # team's entries instead of every team's (49 ms -> under 5 ms at 100,000 cases).
            models.Index(fields=["team", "-opened_on", "reference"], name="case_team_opened"),
            # The agenda proposals of a municipality's meeting: the team's cases there
            # (partners/agenda.py candidate_cases).
            models.Index(fields=["team", "municipality"], name="case_team_municipality"),
            # The count of a team's open cases (case list, paginator): the phase is read from
            # the index, not from every case row of the team (6 -> 2.6 ms at 100,000 cases).
            models.Index(fields=["team", "phase"], name="case_team_phase"),
            # A name search's count within a team: the team's person ids from the index, not
            # from every case row of the team (count 30 -> 12 ms at 100,000 cases).
            models.Index(fields=["team", "person"], name="case_team_person"),
            # The reminder sweep, with nothing due reading no more than what is due: terms that
            # lapse (departure.services.LAPSING_PHASES), the time-dependent stored deadlines
            # that moved on (by rule), the border procedures whose period may run out.
            models.Index(
                fields=["term_ends_on"],
                name="case_lapsing_term",
                condition=Q(phase__in=["registered", "term_running"]),
            ),
            models.Index(
                fields=["next_deadline_rule", "next_deadline_on"], name="case_deadline_rule"
            ),
            models.Index(
                fields=["right_to_remain_ended_on"],
                name="case_border_remain_ended",
                condition=Q(border_procedure=True),
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):

        return reverse("cases:detail", args=[self.reference])

    def is_visible_to(self, user) -> bool:
        """CaseQuerySet.visible_to's rule for a case already read, without a query (a page
        that shows the case asks it; services ask the database, which may have moved on)."""
        return access.sees_case(user, self)

    def term_lapsed_by(self, day) -> bool:
        """CaseQuerySet.term_lapsed_q for a case in hand: a term lapses after its last day, a
        0-day term on the decision day itself."""
        if self.term_ends_on is None:
            return False
        return self.term_ends_on < day or (
            self.term_ends_on == day and self.departure_term_days == 0
        )

    def get_additional_data(self):
        # Audit entries carry the data subject (Logboek Dataverwerkingen).
        return {"v_nummer": self.person.v_nummer, "reference": self.reference}

    @property
    def is_closed(self) -> bool:
        return self.phase == self.Phase.CLOSED


class PhaseChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=20, choices=Case.Phase.choices, blank=True)
    to_phase = models.CharField(max_length=20, choices=Case.Phase.choices)
    reason = models.CharField(_("reason"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")

    def __str__(self):
        return f"{self.from_phase} → {self.to_phase}"


class Procedure(models.Model):
    class Type(models.TextChoices):
        ASYLUM_FIRST = "asylum_first", _("First asylum decision")
        ASYLUM_REPEAT = "asylum_repeat", _("Repeat asylum application")
        OBJECTION = "objection", _("Objection")
        APPEAL = "appeal", _("Appeal")
        FURTHER_APPEAL = "further_appeal", _("Further appeal (Council of State)")
        INTERIM = "interim", _("Interim measure (VoVo)")
        MEDICAL = "medical", _("Medical postponement (art. 64 Vw)")
        NO_FAULT = "no_fault", _("No-fault permit application")
        DETENTION_APPEAL = "detention_appeal", _("Detention appeal")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")
        INADMISSIBLE = "inadmissible", _("Inadmissible")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="procedures")
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    court = models.CharField(_("court or authority"), max_length=200, blank=True)
    case_number = models.CharField(_("court case number"), max_length=50, blank=True)
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    hearing_on = models.DateField(_("hearing date"), null=True, blank=True)
    ruling_on = models.DateField(_("ruling date"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    suspensive = models.BooleanField(_("suspends departure"), default=False)
    final_on = models.DateField(_("final (irrevocable) on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-filed_on", "-created_at"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        constraints = [
            # A ruling cannot precede the filing, nor a hearing the filing.
            models.CheckConstraint(
                condition=Q(ruling_on__isnull=True)
                | Q(filed_on__isnull=True)
                | Q(ruling_on__gte=F("filed_on")),
                name="procedure_ruling_after_filing",
            ),
            models.CheckConstraint(
                condition=Q(hearing_on__isnull=True)
                | Q(filed_on__isnull=True)
                | Q(hearing_on__gte=F("filed_on")),
                name="procedure_hearing_after_filing",
            ),
        ]

    def __str__(self):
        return self.get_type_display()

    def get_additional_data(self):
        return {"v_nummer": self.case.person.v_nummer, "reference": self.case.reference}

    @property
    def is_pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING


class Obstacle(models.Model):
    class Category(models.TextChoices):
        TRAVEL_DOCUMENT = "travel_document", _("No travel document")
        IDENTITY = "identity", _("Identity or nationality unproven")
        COUNTRY = "country", _("Country not cooperating")
        MEDICAL = "medical", _("Medical")
        FAMILY = "family", _("Family with children")
        PROCEDURE = "procedure", _("Pending procedure")
        STATELESS = "stateless", _("Stateless")
        TRAFFICKING = "trafficking", _("Trafficking signal")
        CRIMINAL = "criminal", _("Criminal case")
        NOT_COOPERATING = "not_cooperating", _("Not cooperating")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        UNRESOLVABLE = "unresolvable", _("Unresolvable")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="obstacles")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    description = models.TextField(_("description"), blank=True)
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obstacles",
    )
    identified_on = models.DateField(_("identified on"), default=timezone.localdate)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["identified_on"]
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        constraints = [
            # A resolved (or unresolvable) obstacle has an end date; an open one has none.
            models.CheckConstraint(
                condition=(
                    Q(status__in=["resolved", "unresolvable"], resolved_on__isnull=False)
                    | (Q(status__in=["open", "in_progress"]) & Q(resolved_on__isnull=True))
                ),
                name="obstacle_resolved_has_date",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("identified_on")),
                name="obstacle_resolved_after_identified",
            ),
            # One open (or in-progress) obstacle per kind and case: a second "no travel
            # document" is the same obstacle. "Other" obstacles are different by nature.
            models.UniqueConstraint(
                fields=["case", "category"],
                condition=Q(status__in=["open", "in_progress"]) & ~Q(category="other"),
                name="obstacle_one_open_per_category",
                violation_error_message=_(
                    "This case already has an open obstacle of this kind; update that one."
                ),
            ),
        ]
        indexes = [
            # Open obstacles per case (list annotation, LTO proposals "open over 8 weeks").
            models.Index(fields=["case", "status", "identified_on"], name="obstacle_case_status"),
        ]

    def __str__(self):
        return self.get_category_display()

    def get_additional_data(self):
        return {"v_nummer": self.case.person.v_nummer, "reference": self.case.reference}

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def age_days(self, today=None) -> int:
        today = today or timezone.localdate()
        end = self.resolved_on or today
        return (end - self.identified_on).days

    @staticmethod
    def long_open_before(today):
        """Obstacles identified before this day have been open longer than the rules table's
        period (8 weeks): the filter, the figures and the LTO proposals use it."""
        return today - timedelta(weeks=rules.value("obstacle_long_open_weeks"))

    @property
    def is_long_open(self) -> bool:
        return self.is_open and self.identified_on < self.long_open_before(timezone.localdate())


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"), max_length=10000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        return self.text[:50]

    def get_additional_data(self):
        return {"v_nummer": self.case.person.v_nummer, "reference": self.case.reference}


# Changes to these models are recorded with before and after values (django-auditlog).
auditlog.register(Person, exclude_fields=["search_name"])
auditlog.register(Nationality)
auditlog.register(Language)
auditlog.register(Alias)
auditlog.register(HouseholdLink)
auditlog.register(Case, exclude_fields=["version", "updated_at"])
auditlog.register(Procedure)
auditlog.register(Obstacle)
auditlog.register(Note)


class CoverQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Cover(models.Model):
    """Absence cover: a colleague works an officer's cases for a period; the responsible
    officer does not change."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("absent officer"),
        on_delete=models.CASCADE,
        related_name="covers_given",
    )
    colleague = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("covering colleague"),
        on_delete=models.CASCADE,
        related_name="covers_taken",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CoverQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("absence cover")
        verbose_name_plural = _("absence covers")
        constraints = [
            # A cover ends on or after its first day.
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="cover_period_valid"
            ),
            # Nobody covers for themselves.
            models.CheckConstraint(condition=~Q(officer=F("colleague")), name="cover_not_self"),
        ]

    def __str__(self):
        return f"{self.colleague} → {self.officer} ({self.starts_on} – {self.ends_on})"


auditlog.register(Cover)


def new_import_reference() -> str:
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "IMP-" + "".join(secrets.choice(alphabet) for _ in range(8))


class CaseImport(models.Model):
    """A file of cases from a chain partner: checked row by row (nothing written), then, once
    the functional administrator confirms, imported in one transaction (cases/imports.py)."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked, awaiting confirmation")
        IMPORTING = "importing", _("Being imported")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Not imported")

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_import_reference, editable=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=10, choices=Case.Category.choices)
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(max_length=4)
    # The file as uploaded, kept between the check and the import only (emptied after).
    content = models.BinaryField(default=bytes, editable=False)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # Per row: number, action, V-number, name, reasons, possible duplicates (names are left
    # out once imported); the counts per action.
    rows = models.JSONField(default=list, editable=False)
    summary = models.JSONField(default=dict, editable=False)
    error = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("case import")
        verbose_name_plural = _("case imports")
        constraints = [
            # An import that ran was confirmed by someone and has its time.
            models.CheckConstraint(
                condition=~Q(status="imported")
                | Q(imported_at__isnull=False, confirmed_by__isnull=False),
                name="case_import_imported_confirmed",
            ),
            # No more rows done than the file has.
            models.CheckConstraint(
                condition=Q(rows_done__lte=F("rows_total")), name="case_import_progress_bounded"
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def percent(self) -> int:
        return round(self.rows_done * 100 / self.rows_total) if self.rows_total else 0


class CaseTransferQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Transfers out of and into the user's team; the auditor reads them all.
        return access.visible_transfers(self, user)

    def pending(self):
        return self.filter(status=CaseTransfer.Status.PENDING)

    def decided(self):
        return self.exclude(status=CaseTransfer.Status.PENDING)

    def for_list(self):
        return self.select_related(
            "case__person", "from_team", "to_team", "proposed_by", "decided_by", "new_officer"
        )


class CaseTransfer(models.Model):
    """A case proposed for another team (and perhaps another municipality or reception
    location): the receiving team's lead accepts or declines. On acceptance the case and what
    hangs on it move in one transaction (cases/transfers.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("from team"),
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("to team"),
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    to_municipality = models.ForeignKey(
        "directory.Municipality",
        verbose_name=_("new municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_reception_location = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("new reception location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=500)
    handover_note = models.TextField(_("handover note"), max_length=10000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)
    # The officer the receiving lead gave the case to; none: it waits unassigned in the team.
    new_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What moved with the case on acceptance (counts by kind), as the handover recorded it.
    moved = models.JSONField(default=dict, blank=True, editable=False)

    objects = CaseTransferQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")
        permissions = [("decide_transfer", "Can accept or decline a transfer to the team")]
        constraints = [
            # A transfer goes to another team.
            models.CheckConstraint(
                condition=~Q(from_team=F("to_team")), name="transfer_to_another_team"
            ),
            # A case has at most one transfer awaiting a decision.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="transfer_one_pending_per_case",
            ),
            # A decided (or withdrawn) transfer has its moment; a pending one has none.
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="transfer_decided_has_moment",
            ),
            # A declined transfer says why.
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="transfer_declined_has_reason",
            ),
        ]
        indexes = [
            # The team lead's transfer list: incoming and outgoing by status, newest first.
            models.Index(fields=["to_team", "status", "-proposed_at"], name="transfer_incoming"),
            models.Index(fields=["from_team", "status", "-proposed_at"], name="transfer_outgoing"),
            # The former team's read access (CaseQuerySet.handed_over_by) and the reports.
            models.Index(fields=["status", "decided_at"], name="transfer_decided"),
        ]

    def __str__(self):
        return f"{self.case} · {self.from_team} → {self.to_team}"

    def get_additional_data(self):
        return {"v_nummer": self.case.person.v_nummer, "reference": self.case.reference}

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


auditlog.register(CaseTransfer)
