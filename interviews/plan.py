"""The interview plan: which departure interview is due next for a case, and why.

"As the process advances, contact becomes more intensive." This module turns a case's phase
and a few dates (opened, hearing, ruling, VBL arrival, interviews held) into a list of
interviews that are due, each with a due date and a sentence the officer can check.

Plain Python on purpose: no database access and no model imports. The caller collects the
facts (see `PlanFacts`) and this module does the arithmetic, so it is cheap to unit-test and
to run for a whole caseload. Every interval is in `PLAN_INTERVALS`; no cadence is published
by DT&V (DOMAIN.md section 3), so these are policy defaults, not law; the numbers live in the
rules table (dtv/rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.utils.translation import gettext_lazy, ngettext

from dtv import rules
from dtv.text import date_text, formatted_when_shown

__all__ = [
    "CHECKLIST_REQUIRED_STAGES",
    "EVENT_RULES",
    "MANDATORY_DEPARTURE_STAGES",
    "NO_PLAN_PHASES",
    "PHASES",
    "PLAN_INTERVALS",
    "STAGES",
    "STAGE_LABELS",
    "HeldInterview",
    "PlanFacts",
    "PlannedInterview",
    "due_interviews",
    "next_interview",
]

# ---------------------------------------------------------------------------------------------
# Configuration. All numbers are days, taken from the rules table (dtv/rules.py, where they are
# defined with their source) when the module loads. Read at call time, so changing (or
# monkeypatching) this dict changes the plan straight away.
# ---------------------------------------------------------------------------------------------
PLAN_INTERVALS: dict = {
    # Intake interview: due this many days after the case opened (registration), until an
    # "intake" interview has been held (DOMAIN.md reminders, item 3: 14 days, cfg).
    "intake": rules.days("interview_intake_days"),
    # Hearing-date departure interview: due this many days BEFORE the hearing (0 = due by the
    # hearing day itself).
    "hearing_before": rules.days("interview_hearing_before_days"),
    # Hearing-date departure interview: a "hearing" interview held on or after
    # (hearing date - this many days) counts as the interview for this hearing. See
    # `_hearing_item` for why this is a window and not "held after the date was entered".
    "hearing_window": rules.days("interview_hearing_window_days"),
    # Post-ruling departure interview: due this many days after the (latest) final ruling,
    # until a "post_ruling" interview has been held on or after the ruling date.
    "post_ruling": rules.days("interview_post_ruling_days"),
    # VBL intake: due this many days after arrival at the VBL, until a "vbl_intake" interview
    # has been held on or after the arrival date.
    "vbl_intake": rules.days("interview_vbl_intake_days"),
    # Progress interviews: the maximum gap per phase, counted from the last interview held of
    # any stage (or from the opened date if none was held). A phase missing here has no
    # progress interviews; "closed" and "suspended" have no plan at all (NO_PLAN_PHASES).
    "progress": {
        phase: rules.days(f"interview_progress_{phase}_weeks")
        for phase in (
            "registered",
            "procedure_pending",
            "term_running",
            "obliged",
            "vbl",
            "detention",
            "departure_planned",
            "border",
        )
    },
}

# ---------------------------------------------------------------------------------------------
# Codes and labels.
# ---------------------------------------------------------------------------------------------
STAGES = ("intake", "progress", "hearing", "post_ruling", "embassy", "vbl_intake", "detention")
PHASES = (
    "registered",
    "procedure_pending",
    "term_running",
    "obliged",
    "vbl",
    "detention",
    "departure_planned",
    "border",
    "suspended",
    "closed",
)
# Phases without an interview plan.
NO_PLAN_PHASES = frozenset({"closed", "suspended"})

STAGE_LABELS = {
    "intake": gettext_lazy("Intake interview"),
    "progress": gettext_lazy("Progress interview"),
    "hearing": gettext_lazy("Hearing-date departure interview"),
    "post_ruling": gettext_lazy("Post-ruling departure interview"),
    "embassy": gettext_lazy("Embassy presentation"),
    "vbl_intake": gettext_lazy("VBL intake"),
    "detention": gettext_lazy("Interview in detention"),
}

# The three mandatory interviews (DOMAIN.md section 3) ...
MANDATORY_DEPARTURE_STAGES = ("intake", "hearing", "post_ruling")
# ... in which the special-circumstances checklist (medical, trafficking, hardship) must be
# completed.
CHECKLIST_REQUIRED_STAGES = ("hearing", "post_ruling", "intake")

# Rule codes (`PlannedInterview.rule`). The event-driven rules win a tie on the due date
# against the progress rule; among themselves they rank in this order.
EVENT_RULES = ("post_ruling", "hearing", "intake", "vbl_intake")
PROGRESS_RULE = "progress"

# The recurring interview in detention is registered as an "interview in detention".
_PROGRESS_STAGE_BY_PHASE = {"detention": "detention"}

# Completes "every 2 weeks ..." in the progress reason.
_PHASE_PHRASES = {
    "registered": gettext_lazy("while the case is registered"),
    "procedure_pending": gettext_lazy("while a procedure is pending"),
    "term_running": gettext_lazy("during the departure term"),
    "obliged": gettext_lazy("after the departure term lapsed"),
    "vbl": gettext_lazy("in the VBL"),
    "detention": gettext_lazy("in detention"),
    "departure_planned": gettext_lazy("while departure is planned"),
    "border": gettext_lazy("in the return border procedure"),
}


# ---------------------------------------------------------------------------------------------
# Data.
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HeldInterview:
    """An interview that took place (no-shows are not passed in)."""

    stage: str
    held_on: date


@dataclass(frozen=True)
class PlanFacts:
    """Everything the plan needs to know about one case.

    hearing_on: the latest hearing date of a pending procedure, if any.
    ruling_on: the latest final ruling date, if any.
    vbl_start: the date of arrival at the VBL for the current stay, if any.
    """

    phase: str
    opened_on: date
    held: tuple[HeldInterview, ...] = field(default=())
    hearing_on: date | None = None
    ruling_on: date | None = None
    vbl_start: date | None = None

    def __post_init__(self):
        # Accept any iterable (a list, a queryset's values) but keep the instance hashable.
        object.__setattr__(self, "held", tuple(self.held))


@dataclass(frozen=True)
class PlannedInterview:
    """An interview that is due: its stage, due date, a checkable reason and the rule code."""

    stage: str
    due_on: date
    reason: str
    rule: str

    @property
    def label(self):
        return STAGE_LABELS[self.stage]

    @property
    def checklist_required(self) -> bool:
        return self.stage in CHECKLIST_REQUIRED_STAGES

    def is_overdue(self, today: date) -> bool:
        """True from the day after the due date."""
        return today > self.due_on

    def days_left(self, today: date) -> int:
        """Days until the due date: 0 on the day itself, negative once overdue."""
        return (self.due_on - today).days


# ---------------------------------------------------------------------------------------------
# Rules. Each returns one PlannedInterview or None.
# ---------------------------------------------------------------------------------------------
def _d(value: date) -> str:
    return date_text(value)


# The reasons are formatted when shown (dtv.text.formatted_when_shown), in the language of the
# moment they were made: the stored next interview of every case reads none of them.
_later = formatted_when_shown


def _held(facts: PlanFacts, stage: str, on_or_after: date | None = None) -> bool:
    return any(
        h.stage == stage and (on_or_after is None or h.held_on >= on_or_after) for h in facts.held
    )


def _intake_item(facts: PlanFacts) -> PlannedInterview | None:
    if _held(facts, "intake"):
        return None
    due = facts.opened_on + timedelta(days=PLAN_INTERVALS["intake"])
    reason = _later(
        gettext_lazy("Intake interview due by %(due)s: case opened on %(opened)s"),
        due=due,
        opened=facts.opened_on,
    )
    return PlannedInterview("intake", due, reason, "intake")


def _hearing_item(facts: PlanFacts) -> PlannedInterview | None:
    hearing = facts.hearing_on
    if hearing is None:
        return None
    # A ruling on or after the hearing means the hearing is over and ruled on; the post-ruling
    # interview takes over. (Callers should only pass the hearing of a pending procedure.)
    if facts.ruling_on is not None and facts.ruling_on >= hearing:
        return None
    # Choice: PlanFacts does not carry the date on which the hearing date was entered, so
    # "held after the hearing date became known" is not checkable. Instead a "hearing" stage
    # interview held on or after (hearing - PLAN_INTERVALS["hearing_window"] days), i.e. in
    # the six weeks before the hearing or later, counts as the interview for this hearing. An
    # older one belongs to an earlier (adjourned or previous) hearing and does not count.
    window_start = hearing - timedelta(days=PLAN_INTERVALS["hearing_window"])
    if _held(facts, "hearing", on_or_after=window_start):
        return None
    due = hearing - timedelta(days=PLAN_INTERVALS["hearing_before"])
    reason = _later(
        gettext_lazy(
            "Hearing-date departure interview due by %(due)s: court hearing on %(hearing)s"
        ),
        due=due,
        hearing=hearing,
    )
    return PlannedInterview("hearing", due, reason, "hearing")


def _post_ruling_item(facts: PlanFacts) -> PlannedInterview | None:
    ruling = facts.ruling_on
    if ruling is None or _held(facts, "post_ruling", on_or_after=ruling):
        return None
    due = ruling + timedelta(days=PLAN_INTERVALS["post_ruling"])
    reason = _later(
        gettext_lazy("Post-ruling interview due by %(due)s: ruling of %(ruling)s"),
        due=due,
        ruling=ruling,
    )
    return PlannedInterview("post_ruling", due, reason, "post_ruling")


def _vbl_intake_item(facts: PlanFacts) -> PlannedInterview | None:
    start = facts.vbl_start
    if start is None or _held(facts, "vbl_intake", on_or_after=start):
        return None
    due = start + timedelta(days=PLAN_INTERVALS["vbl_intake"])
    reason = _later(
        gettext_lazy("VBL intake due by %(due)s: arrived at the VBL on %(start)s"),
        due=due,
        start=start,
    )
    return PlannedInterview("vbl_intake", due, reason, "vbl_intake")


def _cadence(days: int) -> str:
    if days % 7 == 0:
        weeks = days // 7
        return ngettext("every %(count)d week", "every %(count)d weeks", weeks) % {"count": weeks}
    return ngettext("every %(count)d day", "every %(count)d days", days) % {"count": days}


def _progress_item(facts: PlanFacts) -> PlannedInterview | None:
    days = PLAN_INTERVALS["progress"].get(facts.phase)
    if days is None:
        return None
    values = {
        "cadence": partial(_cadence, days),
        "phase": _PHASE_PHRASES.get(facts.phase, facts.phase),
    }
    if facts.held:
        last = max(h.held_on for h in facts.held)
        values["due"] = last + timedelta(days=days)
        values["last"] = last
        reason = gettext_lazy(
            "Progress interview due by %(due)s: %(cadence)s %(phase)s, last interview on %(last)s"
        )
    else:
        last = facts.opened_on
        values["due"] = last + timedelta(days=days)
        values["opened"] = last
        reason = gettext_lazy(
            "Progress interview due by %(due)s: %(cadence)s %(phase)s, no interview since the "
            "case opened on %(opened)s"
        )
    stage = _PROGRESS_STAGE_BY_PHASE.get(facts.phase, "progress")
    return PlannedInterview(
        stage, last + timedelta(days=days), _later(reason, **values), PROGRESS_RULE
    )


_RULES = (_post_ruling_item, _hearing_item, _intake_item, _vbl_intake_item, _progress_item)


def _sort_key(item: PlannedInterview):
    # Earliest due date first; on the same day an event-driven interview comes before the
    # progress interview (and the event rules rank as in EVENT_RULES).
    rank = EVENT_RULES.index(item.rule) if item.rule in EVENT_RULES else len(EVENT_RULES)
    return (item.due_on, rank)


# ---------------------------------------------------------------------------------------------
# API.
# ---------------------------------------------------------------------------------------------
def due_interviews(facts: PlanFacts) -> list[PlannedInterview]:
    """Every interview the plan currently asks for (overdue or not), earliest due first.

    Closed and suspended cases have no plan. An unknown phase code raises ValueError.
    """
    if facts.phase not in PHASES:
        raise ValueError(f"Unknown phase code: {facts.phase!r}")
    if facts.phase in NO_PLAN_PHASES:
        return []
    items = [item for rule in _RULES if (item := rule(facts)) is not None]
    return sorted(items, key=_sort_key)


def next_interview(facts: PlanFacts) -> PlannedInterview | None:
    """The most urgent interview, or None when nothing is due (e.g. a closed case).

    Earliest due date wins; an event-driven interview (intake, hearing, post-ruling, VBL intake)
    takes precedence over a progress interview due on the same day or later.
    """
    items = due_interviews(facts)
    return items[0] if items else None
