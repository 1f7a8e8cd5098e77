"""The legal and policy deadlines of a case, each with the rule, inputs and date a person can
check. Plain Python over plain facts: no database, so every rule is pinned by a unit test.

Every period comes from the rules table (dtv/rules.py), in the version in force on the date that
matters for the case (the decision date, the end of the right to remain, the registration of
the asylum application, the start of a detention); each explanation names the regulation and
article and the dates it counts from."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departure.dates import add_working_days  # noqa: F401 (part of the engine's API)
from dtv import rules
from dtv.rules import RuleNotInForce
from dtv.text import date_text, formatted_when_shown

# The rules table (dtv/rules.py) versions each rule by date; this names the table's state for
# the case page's "rules as of" note.
RULES_VERSION = "2026-12"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

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
    # The return border procedure (Reg. 2024/1349): the day the right to remain ended, the
    # period for voluntary departure given (0: none) and the weeks a declared crisis adds.
    border_procedure: bool = False
    right_to_remain_ended_on: date | None = None
    border_voluntary_days: int = 0
    crisis_extension_weeks: int = 0
    # A transfer to the Member State responsible (Dublin III or AMMR, by the registration of
    # the asylum application): acceptance, the final appeal decision with suspensive effect,
    # an extension ("imprisoned" or "absconded") and detention for the transfer.
    application_registered_on: date | None = None
    transfer_accepted_on: date | None = None
    transfer_appeal_final_on: date | None = None
    transfer_extension: str = ""
    transfer_detained: bool = False


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
    "border_voluntary": gettext_lazy("Border procedure: voluntary departure ends"),
    "border_warning": gettext_lazy("Border procedure: maximum period ends soon"),
    "border_end": gettext_lazy("Border procedure: maximum period ends"),
    "border_detention_max": gettext_lazy("Border procedure: detention ends at the latest"),
    "transfer": gettext_lazy("Transfer to the responsible Member State"),
    "transfer_detained_request": gettext_lazy("Detained: take-charge request due"),
    "transfer_detained_reply": gettext_lazy("Detained: reply to the request due"),
    "transfer_detained": gettext_lazy("Detained: transfer due"),
}


def label_for(rule: str, months: int | None = None) -> str:
    """The label of a deadline; those with a number in them format the rules table's value
    (in the version of the case), so that a change of the table changes the label too."""
    if rule == "term_warning" or rule == "term_warning_days":
        return _("Departure term ends in %(period)s") % {"period": rules.label("term_warning_days")}
    if rule in ("vbl_lto", "vbl_decision"):
        key = "vbl_lto_weeks" if rule == "vbl_lto" else "vbl_decision_weeks"
        text = (
            _("VBL week %(n)d: on the LTO agenda")
            if rule == "vbl_lto"
            else _("VBL week %(n)d: decision due")
        )
        return text % {"n": rules.value(key)}
    if rule == "detention_max":
        return _("Detention: limit of %(period)s") % {"period": rules.label("detention_max_months")}
    if rule.startswith("lp_followup_"):
        n = months or int(rule.rsplit("_", 1)[1])
        last = max(rules.value("travel_document_followup_months"))
        text = (
            _("Travel document: decide on withdrawal (%(period)s)")
            if n >= last
            else _("Travel document: follow up (%(period)s)")
        )
        return text % {"period": rules.period_label(n, rules.MONTHS)}
    return str(LABELS.get(rule, rule))


# The labels with a number in them, formatted from the rules table when shown (the worklist
# reads LABELS through the case registry).
LABELS.update(
    {
        rule: lazy(label_for, str)(rule)
        for rule in (
            "term_warning",
            "vbl_lto",
            "vbl_decision",
            "detention_max",
            "lp_followup_3",
            "lp_followup_6",
            "lp_followup_12",
        )
    }
)


def today_local(now: datetime | None = None) -> date:
    """Today in Amsterdam, whatever the server's zone: deadlines are Dutch calendar days."""
    now = now or timezone.now()
    return timezone.localtime(now, AMSTERDAM).date()


add_months = rules.add_months


def _d(value: date) -> str:
    return date_text(value)


# The explanations are formatted when shown (dtv.text.formatted_when_shown), in the language
# of the moment they were computed: most deadlines computed (the stored fields of every case,
# the reminder sweep) are never read as text.
_later = formatted_when_shown


def _deadline(rule, due_on, explanation, legal_basis, *, immediate=False, **inputs) -> Deadline:
    return Deadline(
        rule=rule,
        due_on=due_on,
        label=label_for(rule, inputs.get("months")),
        explanation=explanation,
        legal_basis=legal_basis,
        inputs=inputs,
        immediate=immediate,
    )


def _in_force(key: str, on: date):
    """The rule's version for a case whose date that matters is `on`; None when no version
    was in force then (a Pact rule for a date before the Pact applied)."""
    try:
        return rules.rule(key, on=on)
    except RuleNotInForce:
        return None


def appeal_window(facts: CaseFacts) -> Deadline | None:
    if facts.decision_on is None:
        return None
    rule = rules.rule(
        "appeal_days_accelerated" if facts.accelerated else "appeal_days", on=facts.decision_on
    )
    due = rule.add(facts.decision_on)
    return _deadline(
        "appeal_window",
        due,
        _later(
            gettext_lazy(
                "%(source)s: appeal window closes %(due)s: decision %(decision)s + %(period)s"
            ),
            source=rule.source,
            due=due,
            decision=facts.decision_on,
            period=rule.label,
        ),
        rule.source,
        decision_on=facts.decision_on,
        days=rule.value,
    )


def term_start(facts: CaseFacts) -> tuple[date, str] | None:
    """When the departure term starts, and why; None while it has not (yet) started."""
    if border_applies(facts):
        return facts.right_to_remain_ended_on, "border"
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


def term_days(facts: CaseFacts) -> int:
    """The length of the term: the voluntary-departure period in the border procedure, else
    the decision's term (28 days or none)."""
    return facts.border_voluntary_days if border_applies(facts) else facts.term_days


TERM_SOURCES = {
    "decision": gettext_lazy("return decision"),
    "ruling": gettext_lazy("final ruling"),
    "interim": gettext_lazy("interim-measure ruling"),
    "border": gettext_lazy("end of the right to remain"),
}


def departure_term(facts: CaseFacts) -> Deadline | None:
    if facts.closed:
        return None
    start = term_start(facts)
    if start is None:
        return None
    start_on, reason = start
    days = term_days(facts)
    if reason == "border":
        rule = rules.rule("border_voluntary_max_days", on=start_on)
    else:
        rule = rules.rule("departure_term_days", on=facts.decision_on)
    due = start_on + timedelta(days=days)
    values = {
        "due": due,
        "source": TERM_SOURCES[reason],
        "start": start_on,
        "period": partial(rules.period_label, days, rules.DAYS),
        "law": rule.source,
    }
    if days == 0:
        # No term at all: obliged to leave from the day the term would have started.
        explanation = _later(
            gettext_lazy(
                "%(law)s: no departure term (0 days): obliged to leave from %(start)s, the day "
                "of the %(source)s"
            ),
            **values,
        )
    elif reason == "border":
        explanation = _later(
            gettext_lazy(
                "%(law)s: period for voluntary departure ends %(due)s: %(source)s %(start)s + "
                "%(period)s"
            ),
            **values,
        )
    else:
        explanation = _later(
            gettext_lazy("%(law)s: departure term ends %(due)s: %(source)s %(start)s + %(period)s"),
            **values,
        )
    return _deadline(
        "term_end",
        due,
        explanation,
        rule.source,
        immediate=days == 0,
        start_on=start_on,
        start_reason=reason,
        days=days,
    )


def term_lapsed(facts: CaseFacts, today: date) -> bool:
    """The departure term has started and is over: the person is obliged to leave."""
    term = departure_term(facts)
    return term is not None and term.is_lapsed(today)


# ---- the return border procedure (Reg. 2024/1349) --------------------------------------------


def border_applies(facts: CaseFacts) -> bool:
    """The return border procedure applies: flagged, with the end of the right to remain on or
    after the day the regulation applies (a case from before keeps the national rules)."""
    return (
        facts.border_procedure
        and facts.right_to_remain_ended_on is not None
        and _in_force("border_max_weeks", facts.right_to_remain_ended_on) is not None
    )


def border_end(facts: CaseFacts) -> Deadline | None:
    """The last day the person may be kept at or near the border: 12 weeks from the end of the
    right to remain, plus the weeks a declared crisis adds (at most 6)."""
    if not border_applies(facts):
        return None
    start = facts.right_to_remain_ended_on
    limit = rules.rule("border_max_weeks", on=start)
    due = limit.add(start)
    values = {"law": limit.source, "due": due, "start": start, "period": limit.label}
    explanation = _later(
        gettext_lazy(
            "%(law)s: border procedure ends by %(due)s: right to remain ended %(start)s + "
            "%(period)s"
        ),
        **values,
    )
    basis = limit.source
    if facts.crisis_extension_weeks:
        crisis = rules.rule("border_crisis_max_weeks", on=start)
        weeks = min(facts.crisis_extension_weeks, crisis.value)
        due = crisis.add(due, weeks)
        explanation = _later(
            gettext_lazy(
                "%(law)s: border procedure ends by %(due)s: right to remain ended %(start)s + "
                "%(period)s, + %(extra)s in a declared crisis (%(crisis_law)s, at most %(max)s)"
            ),
            **{
                **values,
                "due": due,
                "extra": partial(rules.period_label, weeks, rules.WEEKS),
                "crisis_law": crisis.source,
                "max": crisis.label,
            },
        )
        basis = f"{limit.source}; {crisis.source}"
    return _deadline(
        "border_end",
        due,
        explanation,
        basis,
        right_to_remain_ended_on=start,
        crisis_weeks=facts.crisis_extension_weeks,
    )


def _border(facts: CaseFacts) -> list[Deadline]:
    end = border_end(facts)
    if end is None:
        return []
    start = facts.right_to_remain_ended_on
    warning = rules.rule("border_warning_days", on=start)
    warn_on = end.due_on - timedelta(days=warning.value)
    items = [
        end,
        _deadline(
            "border_warning",
            warn_on,
            _later(
                gettext_lazy(
                    "%(period)s before the border procedure's maximum runs out on %(due)s (policy)"
                ),
                period=warning.label,
                due=end.due_on,
            ),
            warning.source,
            border_end=end.due_on,
        ),
    ]
    return items


# ---- transfers to the responsible Member State (Dublin III / AMMR) --------------------------


def transfer_regime(registered_on: date) -> str:
    """ "AMMR" or "Dublin III": the regulation of the application registered on that day."""
    return rules.rule("transfer_months", on=registered_on).regulation


def transfer_deadlines(facts: CaseFacts) -> list[Deadline]:
    registered = facts.application_registered_on
    if registered is None:
        return []
    items = []
    if facts.transfer_detained and facts.transfer_accepted_on is None:
        request = rules.rule("transfer_detained_request", on=registered)
        due = request.add(registered)
        items.append(
            _deadline(
                "transfer_detained_request",
                due,
                _later(
                    gettext_lazy(
                        "%(law)s: person detained, take-charge request within %(period)s of the "
                        "registration on %(start)s, so by %(due)s"
                    ),
                    law=request.source,
                    period=request.label,
                    start=registered,
                    due=due,
                ),
                request.source,
                registered_on=registered,
            )
        )
    start, reason = _transfer_start(facts)
    if start is None:
        return items
    if facts.transfer_detained:
        rule = rules.rule("transfer_detained_months", on=registered)
        key = "transfer_detained"
        text = gettext_lazy(
            "%(law)s: person detained, transfer within %(period)s of %(reason)s on %(start)s, "
            "so by %(due)s"
        )
    else:
        rule = rules.rule("transfer_months", on=registered)
        key = "transfer"
        text = gettext_lazy(
            "%(law)s: transfer within %(period)s of %(reason)s on %(start)s, so by %(due)s"
        )
    due = rule.add(start)
    values = {"law": rule.source, "period": rule.label, "reason": reason, "start": start}
    explanation = _later(text, **values, due=due)
    basis = rule.source
    extension_key = {
        "imprisoned": "transfer_imprisoned_months",
        "absconded": "transfer_absconded_months",
    }.get(facts.transfer_extension)
    if extension_key:
        extended = rules.rule(extension_key, on=registered)
        due = extended.add(start)
        why = (
            gettext_lazy("imprisonment")
            if facts.transfer_extension == "imprisoned"
            else gettext_lazy("absconding")
        )
        explanation = _later(
            gettext_lazy(
                "%(law)s: transfer time limit extended to %(period)s for %(why)s, counted from "
                "%(reason)s on %(start)s, so by %(due)s"
            ),
            **{
                **values,
                "law": extended.source,
                "period": extended.label,
                "why": why,
                "due": due,
            },
        )
        basis = extended.source
    items.append(
        _deadline(
            key,
            due,
            explanation,
            basis,
            registered_on=registered,
            start_on=start,
            regime=rule.regulation,
        )
    )
    return items


def _transfer_start(facts: CaseFacts) -> tuple[date | None, str]:
    """The transfer period runs from the acceptance, or from the final decision on an appeal
    with suspensive effect when there is one (AMMR art. 46 lid 1; Dublin III art. 29 lid 1)."""
    if facts.transfer_appeal_final_on:
        return facts.transfer_appeal_final_on, gettext_lazy("the final appeal decision")
    if facts.transfer_accepted_on:
        return facts.transfer_accepted_on, gettext_lazy("acceptance")
    return None, ""


# ---- all of them -----------------------------------------------------------------------------


def compute_deadlines(facts: CaseFacts) -> list[Deadline]:
    if facts.closed:
        return []
    found: list[Deadline] = []
    border = border_applies(facts)
    window = appeal_window(facts)
    has_appeal = any(p.type in SUSPENSIVE_TYPES for p in facts.procedures)
    if window is not None and not has_appeal and not border:
        found.append(window)
    term = departure_term(facts)
    if term is not None:
        found.append(term)
        warning = rules.rule("term_warning_days", on=term.inputs["start_on"])
        if term.inputs["days"] > warning.value:
            warn = term.due_on - timedelta(days=warning.value)
            found.append(
                _deadline(
                    "term_warning",
                    warn,
                    _later(
                        gettext_lazy(
                            "%(period)s before the departure term ends on %(due)s (policy)"
                        ),
                        period=warning.label,
                        due=term.due_on,
                    ),
                    warning.source,
                    term_end=term.due_on,
                )
            )
    found.extend(_border(facts))
    found.extend(transfer_deadlines(facts))
    if facts.vbl_start:
        for rule_name, key in (
            ("vbl_lto", "vbl_lto_weeks"),
            ("vbl_decision", "vbl_decision_weeks"),
        ):
            rule = rules.rule(key, on=facts.vbl_start)
            due = rule.add(facts.vbl_start)
            found.append(
                _deadline(
                    rule_name,
                    due,
                    _later(
                        gettext_lazy("%(law)s: %(due)s: VBL stay since %(start)s + %(period)s"),
                        law=rule.source,
                        due=due,
                        start=facts.vbl_start,
                        period=rule.label,
                    ),
                    rule.source,
                    vbl_start=facts.vbl_start,
                    weeks=rule.value,
                )
            )
    if facts.detention_start:
        found.extend(_detention(facts))
    for doc in facts.travel_docs:
        if doc.submitted_on is None or doc.answered_on is not None:
            continue
        followups = rules.rule("travel_document_followup_months", on=doc.submitted_on)
        for months in followups.value:
            due = add_months(doc.submitted_on, months)
            found.append(
                _deadline(
                    f"lp_followup_{months}",
                    due,
                    _later(
                        gettext_lazy(
                            "%(due)s: request %(ref)s submitted %(submitted)s, no answer after "
                            "%(period)s (%(law)s)"
                        ),
                        due=due,
                        ref=doc.ref,
                        submitted=doc.submitted_on,
                        period=partial(rules.period_label, months, rules.MONTHS),
                        law=followups.source,
                    ),
                    followups.source,
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
    border = border_end(facts) if border_applies(facts) else None
    if facts.detention_extended_on is None and border is None:
        for rule_name, key in (
            ("detention_extension", "detention_extension_reminder_months"),
            ("detention_extension_due", "detention_extension_due_months"),
        ):
            rule = rules.rule(key, on=start)
            due = rule.add(start)
            if rule_name == "detention_extension_due":
                due = due - timedelta(days=1)  # before the six months are up
            items.append(
                _deadline(
                    rule_name,
                    due,
                    _later(
                        gettext_lazy("%(law)s: %(due)s: detention since %(start)s + %(period)s"),
                        law=rule.source,
                        due=due,
                        start=start,
                        period=rule.label,
                    ),
                    rule.source,
                    detention_start=start,
                    months=rule.value,
                )
            )
    if not facts.detention_court_reviewed:
        review = rules.rule("detention_court_review_days", on=start)
        due = review.add(start)
        items.append(
            _deadline(
                "detention_court_review",
                due,
                _later(
                    gettext_lazy(
                        "%(law)s: %(due)s: detention since %(start)s + %(period)s, the court "
                        "reviews the detention (how the %(period)s are made up is unconfirmed)"
                    ),
                    law=review.source,
                    due=due,
                    start=start,
                    period=review.label,
                ),
                review.source,
                detention_start=start,
                days=review.value,
            )
        )
    if border is not None:
        # Detention in the return border procedure ends with it (Reg. 2024/1349 art. 5).
        items.append(
            _deadline(
                "border_detention_max",
                border.due_on,
                _later(
                    gettext_lazy(
                        "%(due)s: detention since %(start)s in the return border procedure ends "
                        "with it (Reg. 2024/1349 art. 5; %(basis)s)"
                    ),
                    due=border.due_on,
                    start=start,
                    basis=border.legal_basis,
                ),
                "Reg. 2024/1349 art. 5",
                detention_start=start,
            )
        )
    else:
        limit = rules.rule("detention_max_months", on=start)
        due = limit.add(start)
        items.append(
            _deadline(
                "detention_max",
                due,
                _later(
                    gettext_lazy(
                        "%(law)s: %(due)s: detention since %(start)s + %(period)s, the legal "
                        "maximum"
                    ),
                    law=limit.source,
                    due=due,
                    start=start,
                    period=limit.label,
                ),
                limit.source,
                detention_start=start,
                months=limit.value,
            )
        )
    # The next 4-weekly review after today is what the officer needs; the engine reports the
    # first one after the start and callers roll it forward with next_review().
    items.append(next_review(start, today_local()))
    return items


def next_review(start: date, today: date) -> Deadline:
    rule = rules.rule("detention_review_weeks", on=start)
    step = timedelta(weeks=rule.value)
    due = start + step
    while due < today:
        due += step
    return _deadline(
        "detention_review",
        due,
        _later(
            gettext_lazy(
                "%(due)s: every %(period)s of detention (since %(start)s), check that removal "
                "is still in prospect (%(law)s)"
            ),
            due=due,
            period=rule.label,
            start=start,
            law=rule.source,
        ),
        rule.source,
        detention_start=start,
    )
