"""The legal and policy deadlines of a case, each with the rule, inputs and date a person can
check. Plain Python over plain facts: no database, so every rule is pinned by a unit test.

The periods live in one versioned table (PERIODS); a change of policy is one edit there."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RULES_VERSION = "2026-11"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Periods:
    # Appeal window after a rejection (art. 69 Vw): four weeks, one in the accelerated procedure.
    appeal_days: int = 28
    appeal_days_accelerated: int = 7
    # Reminder before the departure term (art. 62 Vw) ends.
    term_warning_days: int = 7
    # VBL: on the LTO/LKO agenda at week 10, a decision on extension or end due at week 12.
    vbl_lto_weeks: int = 10
    vbl_decision_weeks: int = 12
    # Detention (art. 59 Vw): extension decision prepared in month 5, due before month 6;
    # 18 months is the hard limit; every 4 weeks a check that removal is still in prospect.
    detention_extension_reminder_months: int = 5
    detention_extension_due_months: int = 6
    detention_max_months: int = 18
    detention_review_weeks: int = 4
    # Court review of a detention "within 42 days" (DOMAIN.md §5, art. 94 Vw). That the 42
    # days are a 28-day notice to the court plus a hearing within 14 days is UNCONFIRMED: the
    # reminder goes out at the notice day, the deadline itself stays at 42 days.
    detention_court_review_days: int = 42
    detention_court_notice_days: int = 28  # UNCONFIRMED composition, policy default
    # Travel-document (laissez-passer) requests without an answer: follow up at 3 and 6 months,
    # decide on withdrawal at 12 (policy).
    travel_document_followup_months: tuple = (3, 6, 12)
    # Escalation: a lapsed term not acknowledged within this many working days goes to the lead.
    escalation_working_days: int = 3


PERIODS = Periods()

# Procedures whose pending state keeps the person in the Netherlands when suspensive.
SUSPENSIVE_TYPES = {"appeal", "further_appeal", "interim", "asylum_repeat", "medical"}
DECIDED_AGAINST = {"dismissed", "inadmissible", "withdrawn", "refused"}
DECIDED_FOR = {"upheld", "granted"}


@dataclass(frozen=True)
class ProcedureFacts:
    type: str
    filed_on: date | None = None
    hearing_on: date | None = None
    ruling_on: date | None = None
    outcome: str = "pending"
    suspensive: bool = False
    final_on: date | None = None


@dataclass(frozen=True)
class TravelDocFacts:
    ref: str
    submitted_on: date | None = None
    answered_on: date | None = None


@dataclass(frozen=True)
class CaseFacts:
    decision_on: date | None
    accelerated: bool = False
    term_days: int = 28
    procedures: tuple = ()
    vbl_start: date | None = None
    detention_start: date | None = None
    detention_extended_on: date | None = None
    # The court has reviewed the current detention (the review within 42 days is done).
    detention_court_reviewed: bool = False
    # A current stay in a VBL, GL or HTL (decided on by the LTO or not).
    in_shelter: bool = False
    travel_docs: tuple = ()
    closed: bool = False


@dataclass(frozen=True)
class Deadline:
    rule: str
    due_on: date
    label: str
    explanation: str
    legal_basis: str
    inputs: dict = field(default_factory=dict, compare=False)
    # A period of 0 days lapses at the start of its day, not at its end: a 0-day departure
    # term makes the person obliged to leave on the decision day itself (art. 62 Vw).
    immediate: bool = False

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days

    @property
    def lapses_on(self) -> date:
        """The first day on which the deadline has passed."""
        return self.due_on if self.immediate else self.due_on + timedelta(days=1)

    def is_lapsed(self, today: date) -> bool:
        return today >= self.lapses_on


LABELS = {
    "appeal_window": gettext_lazy("Appeal window closes"),
    "term_warning": gettext_lazy("Departure term ends in a week"),
    "term_end": gettext_lazy("Departure term ends"),
    "vbl_lto": gettext_lazy("VBL week 10: on the LTO agenda"),
    "vbl_decision": gettext_lazy("VBL week 12: decision due"),
    "detention_extension": gettext_lazy("Detention: prepare the extension decision"),
    "detention_extension_due": gettext_lazy("Detention: extension decision due"),
    "detention_max": gettext_lazy("Detention: 18-month limit"),
    "detention_review": gettext_lazy("Detention: is removal still in prospect?"),
    "detention_court_review": gettext_lazy("Detention: court review due"),
    "lp_followup_3": gettext_lazy("Travel document: follow up (3 months)"),
    "lp_followup_6": gettext_lazy("Travel document: follow up (6 months)"),
    "lp_followup_12": gettext_lazy("Travel document: decide on withdrawal (12 months)"),
}


def today_local(now: datetime | None = None) -> date:
    """Today in Amsterdam, whatever the server's zone: deadlines are Dutch calendar days."""
    now = now or timezone.now()
    return timezone.localtime(now, AMSTERDAM).date()


def add_months(start: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _d(value: date) -> str:
    return date_format(value)


def _deadline(rule, due_on, explanation, legal_basis, *, immediate=False, **inputs) -> Deadline:
    return Deadline(
        rule=rule,
        due_on=due_on,
        label=str(LABELS[rule]),
        explanation=explanation,
        legal_basis=legal_basis,
        inputs=inputs,
        immediate=immediate,
    )


def appeal_window(facts: CaseFacts) -> Deadline | None:
    if facts.decision_on is None:
        return None
    days = PERIODS.appeal_days_accelerated if facts.accelerated else PERIODS.appeal_days
    due = facts.decision_on + timedelta(days=days)
    return _deadline(
        "appeal_window",
        due,
        _("Appeal window closes %(due)s: decision %(decision)s + %(days)d days (art. 69 Vw)")
        % {"due": _d(due), "decision": _d(facts.decision_on), "days": days},
        "art. 69 Vw",
        decision_on=facts.decision_on,
        days=days,
    )


def term_start(facts: CaseFacts) -> tuple[date, str] | None:
    """When the departure term starts, and why; None while it has not (yet) started."""
    if facts.decision_on is None:
        return None
    suspensive = [p for p in facts.procedures if p.suspensive and p.type in SUSPENSIVE_TYPES]
    if any(p.outcome in DECIDED_FOR for p in suspensive):
        return None
    if not suspensive:
        return facts.decision_on, "decision"
    if any(p.outcome == "pending" for p in suspensive if p.type != "interim"):
        # A pending appeal suspends the term, unless an interim measure was refused first.
        refused_interim = [
            p
            for p in suspensive
            if p.type == "interim" and p.outcome in DECIDED_AGAINST and p.ruling_on
        ]
        if refused_interim:
            return min(p.ruling_on for p in refused_interim), "interim"
        return None
    rulings = [
        (p.ruling_on, "interim" if p.type == "interim" else "ruling")
        for p in suspensive
        if p.outcome in DECIDED_AGAINST and p.ruling_on
    ]
    if not rulings:
        return None
    # The term starts at the appeal ruling, or at the interim-measure ruling if that came first.
    return min(rulings)


def departure_term(facts: CaseFacts) -> Deadline | None:
    if facts.closed:
        return None
    start = term_start(facts)
    if start is None:
        return None
    start_on, reason = start
    due = start_on + timedelta(days=facts.term_days)
    source = {
        "decision": _("return decision"),
        "ruling": _("final ruling"),
        "interim": _("interim-measure ruling"),
    }[reason]
    if facts.term_days == 0:
        # No term at all: obliged to leave from the day the term would have started.
        explanation = _(
            "No departure term (0 days): obliged to leave from %(start)s, the day of the "
            "%(source)s (art. 62 Vw)"
        ) % {"source": source, "start": _d(start_on)}
    else:
        explanation = _(
            "Departure term ends %(due)s: %(source)s %(start)s + %(days)d days (art. 62 Vw)"
        ) % {"due": _d(due), "source": source, "start": _d(start_on), "days": facts.term_days}
    return _deadline(
        "term_end",
        due,
        explanation,
        "art. 62 Vw",
        immediate=facts.term_days == 0,
        start_on=start_on,
        start_reason=reason,
        days=facts.term_days,
    )


def term_lapsed(facts: CaseFacts, today: date) -> bool:
    """The departure term has started and is over: the person is obliged to leave."""
    term = departure_term(facts)
    return term is not None and term.is_lapsed(today)


def compute_deadlines(facts: CaseFacts) -> list[Deadline]:
    if facts.closed:
        return []
    found: list[Deadline] = []
    window = appeal_window(facts)
    has_appeal = any(p.type in SUSPENSIVE_TYPES for p in facts.procedures)
    if window is not None and not has_appeal:
        found.append(window)
    term = departure_term(facts)
    if term is not None:
        found.append(term)
        if facts.term_days > PERIODS.term_warning_days:
            warn = term.due_on - timedelta(days=PERIODS.term_warning_days)
            found.append(
                _deadline(
                    "term_warning",
                    warn,
                    _("A week before the departure term ends on %(due)s (policy)")
                    % {"due": _d(term.due_on)},
                    "policy",
                    term_end=term.due_on,
                )
            )
    if facts.vbl_start:
        for rule, weeks in (
            ("vbl_lto", PERIODS.vbl_lto_weeks),
            ("vbl_decision", PERIODS.vbl_decision_weeks),
        ):
            due = facts.vbl_start + timedelta(weeks=weeks)
            found.append(
                _deadline(
                    rule,
                    due,
                    _("%(due)s: VBL stay since %(start)s + %(weeks)d weeks")
                    % {"due": _d(due), "start": _d(facts.vbl_start), "weeks": weeks},
                    "art. 56 Vw",
                    vbl_start=facts.vbl_start,
                    weeks=weeks,
                )
            )
    if facts.detention_start:
        found.extend(_detention(facts))
    for doc in facts.travel_docs:
        if doc.submitted_on is None or doc.answered_on is not None:
            continue
        for months in PERIODS.travel_document_followup_months:
            due = add_months(doc.submitted_on, months)
            found.append(
                _deadline(
                    f"lp_followup_{months}",
                    due,
                    _(
                        "%(due)s: request %(ref)s submitted %(submitted)s, no answer after "
                        "%(months)d months"
                    )
                    % {
                        "due": _d(due),
                        "ref": doc.ref,
                        "submitted": _d(doc.submitted_on),
                        "months": months,
                    },
                    "policy",
                    submitted_on=doc.submitted_on,
                    months=months,
                    ref=doc.ref,
                )
            )
    found.sort(key=lambda d: (d.due_on, d.rule))
    return found


def _detention(facts: CaseFacts) -> list[Deadline]:
    start = facts.detention_start
    items = []
    if facts.detention_extended_on is None:
        for rule, months in (
            ("detention_extension", PERIODS.detention_extension_reminder_months),
            ("detention_extension_due", PERIODS.detention_extension_due_months),
        ):
            due = add_months(start, months)
            if rule == "detention_extension_due":
                due = due - timedelta(days=1)  # before the six months are up
            items.append(
                _deadline(
                    rule,
                    due,
                    _("%(due)s: detention since %(start)s + %(months)d months (art. 59 Vw)")
                    % {"due": _d(due), "start": _d(start), "months": months},
                    "art. 59 Vw",
                    detention_start=start,
                    months=months,
                )
            )
    if not facts.detention_court_reviewed:
        days = PERIODS.detention_court_review_days
        due = start + timedelta(days=days)
        items.append(
            _deadline(
                "detention_court_review",
                due,
                _(
                    "%(due)s: detention since %(start)s + %(days)d days, the court reviews the "
                    "detention (art. 94 Vw; how the %(days)d days are made up is unconfirmed)"
                )
                % {"due": _d(due), "start": _d(start), "days": days},
                "art. 94 Vw",
                detention_start=start,
                days=days,
            )
        )
    due = add_months(start, PERIODS.detention_max_months)
    items.append(
        _deadline(
            "detention_max",
            due,
            _("%(due)s: detention since %(start)s + %(months)d months, the legal maximum")
            % {"due": _d(due), "start": _d(start), "months": PERIODS.detention_max_months},
            _("art. 59 Vw; Return Directive art. 15"),
            detention_start=start,
            months=PERIODS.detention_max_months,
        )
    )
    # The next 4-weekly review after today is what the officer needs; the engine reports the
    # first one after the start and callers roll it forward with next_review().
    items.append(next_review(start, today_local()))
    return items


def next_review(start: date, today: date) -> Deadline:
    step = timedelta(weeks=PERIODS.detention_review_weeks)
    due = start + step
    while due < today:
        due += step
    return _deadline(
        "detention_review",
        due,
        _(
            "%(due)s: every %(weeks)d weeks of detention (since %(start)s), check that removal "
            "is still in prospect"
        )
        % {"due": _d(due), "weeks": PERIODS.detention_review_weeks, "start": _d(start)},
        _("art. 59 Vw (prospect of removal)"),
        detention_start=start,
    )


def add_working_days(start: date, days: int) -> date:
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
