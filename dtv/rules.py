"""The rules table: every period, cadence and threshold with a legal or policy meaning, defined
once, with its source and the dates it is in force. The deadline engine, the reminder sweep,
the LTO proposals, the filters and the labels all read it; nothing else writes such a number.

A rule has versions. Each version is in force from `valid_from` up to and including
`valid_to` (None: still in force). Which version judges a case depends on the date that
matters for that rule (the decision date for the appeal window, the registration of the
asylum application for a Dublin/AMMR transfer, the end of the right to remain for the
return border procedure, ...): the engine passes that date to `rule(key, on=...)`. A version
added later (a term the legislator shortens from a given date) therefore changes only the
cases whose date falls on or after its `valid_from`.

Settings may override a rule's value (DTV_RULE_OVERRIDES, from the environment variable
RULE_OVERRIDES "key=value,key=value"; REMINDER_ESCALATION_WORKING_DAYS for the escalation
grace): `parse_overrides` checks them when the settings load and refuses a malformed value or
an unknown key with ImproperlyConfigured, so a typo stops the start instead of being ignored.

Sources marked UNCONFIRMED are our best reading and must be checked against the enacted text.
This module sits on the ground floor (dtv/): every app may read it, it imports none of them."""

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy
from django.utils.translation import ngettext

DAYS, WEEKS, MONTHS, YEARS = "days", "weeks", "months", "years"
WORKING_DAYS, COUNT = "working_days", "count"
UNITS = (DAYS, WEEKS, MONTHS, YEARS, WORKING_DAYS, COUNT)

# The dates on which the EU Pact on Migration and Asylum changed the rules (DOMAIN.md §11).
# The Pact's regulations apply from 12 June 2026 (Reg. 2024/1349 art. 10, Reg. 2024/1359
# art. 19); the AMMR replaces Dublin III for applications registered from 1 July 2026 on
# (Reg. 2024/1351 art. 84-85). DOMAIN.md writes "registered after 1 July 2026"; we read the
# transitional provision as Dublin III for applications registered before 1 July 2026 and the
# AMMR from that day on (UNCONFIRMED for an application registered on 1 July itself).
PACT_APPLIES_FROM = date(2026, 6, 12)
AMMR_APPLIES_FROM = date(2026, 7, 1)
DUBLIN_III_UNTIL = AMMR_APPLIES_FROM - timedelta(days=1)
# The Vreemdelingenwet 2000 entered into force on 1 April 2001.
VW_2000 = date(2001, 4, 1)


@dataclass(frozen=True)
class Rule:
    key: str
    value: int | tuple
    unit: str
    source: str
    valid_from: date = VW_2000
    valid_to: date | None = None
    note: str = ""

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"{self.key}: unknown unit {self.unit!r}")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"{self.key}: valid_to before valid_from")

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def regulation(self) -> str:
        """The source without its article: "AMMR" of "AMMR art. 46 lid 1"."""
        return self.source.split(" art.")[0]

    def add(self, start: date, value: int | None = None) -> date:
        """`start` plus this rule's period (or `value` in its unit). Working days need the
        Dutch holidays: departure.dates.add_working_days counts them."""
        amount = self.value if value is None else value
        if self.unit == DAYS:
            return start + timedelta(days=amount)
        if self.unit == WEEKS:
            return start + timedelta(weeks=amount)
        if self.unit == MONTHS:
            return add_months(start, amount)
        if self.unit == YEARS:
            return add_months(start, 12 * amount)
        raise ValueError(f"{self.key}: {self.unit} cannot be added here")

    def label(self, value: int | None = None) -> str:
        """The period in words, for labels and explanations: "14 days", "6 months"."""
        return period_label(self.value if value is None else value, self.unit)


def period_label(value: int, unit: str) -> str:
    if unit == DAYS:
        return ngettext("%(n)d day", "%(n)d days", value) % {"n": value}
    if unit == WEEKS:
        return ngettext("%(n)d week", "%(n)d weeks", value) % {"n": value}
    if unit == MONTHS:
        return ngettext("%(n)d month", "%(n)d months", value) % {"n": value}
    if unit == YEARS:
        return ngettext("%(n)d year", "%(n)d years", value) % {"n": value}
    if unit == WORKING_DAYS:
        return ngettext("%(n)d working day", "%(n)d working days", value) % {"n": value}
    return str(value)


def add_months(start: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


R = Rule
TABLE: tuple[Rule, ...] = (
    # ---- the Dutch return procedure (Vreemdelingenwet 2000) --------------------------------
    R("appeal_days", 28, DAYS, "Vw 2000 art. 69 lid 1"),
    R("appeal_days_accelerated", 7, DAYS, "Vw 2000 art. 69 lid 2"),
    # The departure term: four weeks, or none when it is withheld (art. 62 lid 2).
    R("departure_term_days", 28, DAYS, "Vw 2000 art. 62 lid 1"),
    R("term_warning_days", 7, DAYS, "policy (DOMAIN.md, reminders 2)"),
    # A term that ends within this many days: the worklist's count, the case filter, the
    # LTO proposals and the colour of the term in the proposal rows.
    R("term_ending_soon_days", 14, DAYS, "policy (LTO proposals)"),
    R("vbl_lto_weeks", 10, WEEKS, "Vw 2000 art. 56; VBL policy (week 10 on the LTO agenda)"),
    R("vbl_decision_weeks", 12, WEEKS, "Vw 2000 art. 56; VBL policy (12-week stay)"),
    R("detention_extension_reminder_months", 5, MONTHS, "policy (Vw 2000 art. 59 lid 5)"),
    R("detention_extension_due_months", 6, MONTHS, "Vw 2000 art. 59 lid 5"),
    R("detention_max_months", 18, MONTHS, "Vw 2000 art. 59 lid 6; Return Directive art. 15"),
    R("detention_review_weeks", 4, WEEKS, "policy (prospect of removal, Vw 2000 art. 59)"),
    # "Within 42 days" (art. 94 Vw). That the 42 days are a 28-day notice to the court plus a
    # hearing within 14 days is UNCONFIRMED: the reminder goes out at the notice day.
    R("detention_court_review_days", 42, DAYS, "Vw 2000 art. 94 lid 1"),
    R("detention_court_notice_days", 28, DAYS, "policy (UNCONFIRMED: Vw 2000 art. 94)"),
    R("travel_document_followup_months", (3, 6, 12), MONTHS, "policy (DOMAIN.md, reminders 10)"),
    R("escalation_working_days", 3, WORKING_DAYS, "policy (escalation to the team lead)"),
    # REAN is not available again to someone who returned with IOM or government help within
    # this period (IOM/REAN conditions; DOMAIN.md, reminders 13).
    R("assisted_return_years", 5, YEARS, "policy (REAN conditions)"),
    # ---- the interview plan (policy: DT&V publishes no cadence, DOMAIN.md §3) ---------------
    R("interview_intake_days", 14, DAYS, "policy (DOMAIN.md, reminders 3)"),
    R("interview_hearing_before_days", 0, DAYS, "policy (interview before the hearing)"),
    R("interview_hearing_window_days", 42, DAYS, "policy (interview before the hearing)"),
    R("interview_post_ruling_days", 7, DAYS, "policy (interview after the ruling)"),
    R("interview_vbl_intake_days", 7, DAYS, "policy (VBL intake)"),
    R("interview_progress_registered_weeks", 8, WEEKS, "policy (DOMAIN.md, reminders 5)"),
    R("interview_progress_procedure_pending_weeks", 8, WEEKS, "policy (DOMAIN.md, reminders 5)"),
    R("interview_progress_term_running_weeks", 4, WEEKS, "policy (DOMAIN.md, reminders 5)"),
    R("interview_progress_obliged_weeks", 2, WEEKS, "policy (DOMAIN.md, reminders 5)"),
    R("interview_progress_vbl_weeks", 2, WEEKS, "policy (DOMAIN.md, reminders 5)"),
    R("interview_progress_detention_weeks", 2, WEEKS, "policy (DOMAIN.md, reminders 5)"),
    R("interview_progress_departure_planned_weeks", 2, WEEKS, "policy"),
    R("interview_progress_border_weeks", 2, WEEKS, "policy (the border procedure is short)"),
    # ---- LTO (policy, DOMAIN.md §7 and reminders 12) -----------------------------------------
    R("obstacle_long_open_weeks", 8, WEEKS, "policy (LTO proposals)"),
    R("reception_ending_days", 14, DAYS, "policy (LTO proposals)"),
    R("partner_access_days_after_minutes", 30, DAYS, "policy (need to know, AVG art. 5)"),
    R("stalled_after_meetings", 2, COUNT, "policy (DOMAIN.md, reminders 12)"),
    R("rao_escalation_days", 14, DAYS, "policy (escalation to the RAO)"),
    # ---- return border procedure, Reg. (EU) 2024/1349 ------------------------------------
    # Judged by the day the right to remain ended. Paragraph numbers UNCONFIRMED.
    R(
        "border_max_weeks",
        12,
        WEEKS,
        "Reg. 2024/1349 art. 4 lid 1",
        valid_from=PACT_APPLIES_FROM,
        note="at most 12 weeks at or near the border from the end of the right to remain",
    ),
    R(
        "border_voluntary_max_days",
        15,
        DAYS,
        "Reg. 2024/1349 art. 4 lid 3",
        valid_from=PACT_APPLIES_FROM,
        note="an optional period for voluntary departure of at most 15 days",
    ),
    R(
        "border_crisis_max_weeks",
        6,
        WEEKS,
        "Reg. 2024/1359 art. 5 lid 1",
        valid_from=PACT_APPLIES_FROM,
        note="a declared crisis extends the 12 weeks by at most 6 weeks",
    ),
    R(
        "border_warning_days",
        14,
        DAYS,
        "policy (before the border procedure's maximum runs out)",
        valid_from=PACT_APPLIES_FROM,
    ),
    # ---- transfers to the responsible Member State --------------------------------------
    # Judged by the registration of the asylum application: Dublin III before 1 July 2026,
    # the AMMR from then on.
    R("transfer_months", 6, MONTHS, "Dublin III art. 29 lid 1", valid_to=DUBLIN_III_UNTIL),
    R("transfer_months", 6, MONTHS, "AMMR art. 46 lid 1", valid_from=AMMR_APPLIES_FROM),
    R(
        "transfer_imprisoned_months",
        12,
        MONTHS,
        "Dublin III art. 29 lid 2",
        valid_to=DUBLIN_III_UNTIL,
    ),
    # AMMR art. 46(2): up to one year for imprisonment; up to three years when the person
    # absconds (or resists or makes themselves unfit for the transfer). The three years are
    # our reading of the adopted text (Dublin III had 18 months): UNCONFIRMED, check art. 46(2).
    R(
        "transfer_imprisoned_months",
        12,
        MONTHS,
        "AMMR art. 46 lid 2",
        valid_from=AMMR_APPLIES_FROM,
    ),
    R(
        "transfer_absconded_months",
        18,
        MONTHS,
        "Dublin III art. 29 lid 2",
        valid_to=DUBLIN_III_UNTIL,
    ),
    R(
        "transfer_absconded_months",
        36,
        MONTHS,
        "AMMR art. 46 lid 2",
        valid_from=AMMR_APPLIES_FROM,
        note="UNCONFIRMED: three years in our reading of the adopted text",
    ),
    # A person detained for the transfer: the request, the reply and the transfer itself are
    # quicker. Dublin III art. 28 lid 3: request within one month of the application, reply
    # within two weeks, transfer within six weeks of acceptance. AMMR art. 45: request within
    # two weeks of registration, reply within one week (DOMAIN.md §11); the transfer within
    # five weeks of acceptance is our reading of art. 45 (UNCONFIRMED).
    R(
        "transfer_detained_request",
        1,
        MONTHS,
        "Dublin III art. 28 lid 3",
        valid_to=DUBLIN_III_UNTIL,
    ),
    R("transfer_detained_request", 2, WEEKS, "AMMR art. 45 lid 1", valid_from=AMMR_APPLIES_FROM),
    R("transfer_detained_reply", 2, WEEKS, "Dublin III art. 28 lid 3", valid_to=DUBLIN_III_UNTIL),
    R("transfer_detained_reply", 1, WEEKS, "AMMR art. 45 lid 1", valid_from=AMMR_APPLIES_FROM),
    R("transfer_detained_months", 6, WEEKS, "Dublin III art. 28 lid 3", valid_to=DUBLIN_III_UNTIL),
    R(
        "transfer_detained_months",
        5,
        WEEKS,
        "AMMR art. 45 lid 2",
        valid_from=AMMR_APPLIES_FROM,
        note="UNCONFIRMED: five weeks in our reading of art. 45",
    ),
)

KEYS = frozenset(r.key for r in TABLE)


class RuleNotInForce(LookupError):
    pass


def _overrides() -> dict:
    from django.conf import settings

    return getattr(settings, "DTV_RULE_OVERRIDES", None) or {}


def versions(key: str, table=None) -> list[Rule]:
    found = [r for r in (table or TABLE) if r.key == key]
    if not found:
        raise KeyError(f"no rule {key!r} in the rules table")
    return sorted(found, key=lambda r: r.valid_from)


def rule(key: str, *, on: date | None = None) -> Rule:
    """The version of `key` in force on `on` (the date that matters for the case), with any
    override from the settings applied. Without a date: the version in force today."""
    if on is None:
        from django.utils import timezone

        on = timezone.localdate()
    for candidate in versions(key):
        if candidate.in_force_on(on):
            override = _overrides().get(key)
            return candidate if override is None else replace(candidate, value=override)
    raise RuleNotInForce(f"no version of {key!r} in force on {on.isoformat()}")


def value(key: str, *, on: date | None = None):
    return rule(key, on=on).value


def days(key: str, *, on: date | None = None) -> int:
    """A period of days or weeks as a number of days."""
    found = rule(key, on=on)
    if found.unit == WEEKS:
        return found.value * 7
    if found.unit != DAYS:
        raise ValueError(f"{key}: {found.unit} is not a fixed number of days")
    return found.value


def label(key: str, *, on: date | None = None) -> str:
    """The rule's period in words: "14 days"."""
    return rule(key, on=on).label()


# For labels built at import time (form and filter choices): evaluated when shown, in the
# language of the request.
label_lazy = lazy(label, str)
value_lazy = lazy(lambda key: str(value(key)), str)


def parse_overrides(raw: str, *, escalation: int | None = None) -> dict:
    """The settings' overrides from "key=value,key=value" (and the escalation grace of
    REMINDER_ESCALATION_WORKING_DAYS); ImproperlyConfigured on an unknown key or a value that
    is not a whole number of at least 0, so a malformed setting stops the start."""
    found: dict = {}
    for item in (raw or "").split(","):
        item = item.strip()
        if not item:
            continue
        key, sep, text = item.partition("=")
        key, text = key.strip(), text.strip()
        if not sep or not key:
            raise ImproperlyConfigured(f"RULE_OVERRIDES: {item!r} is not key=value.")
        found[key] = text
    if escalation is not None:
        found.setdefault("escalation_working_days", str(escalation))
    return {key: _checked(key, text) for key, text in found.items()}


def _checked(key: str, text) -> int:
    if key not in KEYS:
        raise ImproperlyConfigured(f"RULE_OVERRIDES: there is no rule {key!r}.")
    if isinstance(versions(key)[0].value, tuple):
        raise ImproperlyConfigured(f"RULE_OVERRIDES: {key!r} is a list and cannot be overridden.")
    try:
        number = int(str(text).strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"RULE_OVERRIDES: {key} must be a whole number, not {text!r}."
        ) from None
    if number < 0:
        raise ImproperlyConfigured(f"RULE_OVERRIDES: {key} cannot be negative ({number}).")
    return number
