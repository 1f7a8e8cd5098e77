"""The phase a case's facts put it in: the one rule that every service changing the facts
(decision, procedures, rulings, measures) and every manual phase change is checked against.
Plain Python over the deadline engine's facts, no database.

Facts, strongest first: a current detention; the return border procedure while its maximum
period runs (Reg. 2024/1349); a current stay in a VBL, GL or HTL; a departure
term that lapsed (obliged to leave; a 0-day term on the decision day itself); a term that
runs; a pending procedure (with suspensive effect, or before any return decision); else
registered. "Departure planned" and "suspended" are the officer's judgement on top of the
facts, not facts themselves (cases.services.FACT_PHASES; how a case follows the verdict is
cases.services.sync_phase)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from cases.models import Case
from departure import deadlines
from departure.deadlines import CaseFacts
from departure.facts import case_facts
from dtv.text import date_text

P = Case.Phase
REGISTERED, PROCEDURE_PENDING, TERM_RUNNING = P.REGISTERED, P.PROCEDURE_PENDING, P.TERM_RUNNING
OBLIGED, VBL, DETENTION, BORDER = P.OBLIGED, P.VBL, P.DETENTION, P.BORDER


@dataclass(frozen=True)
class Verdict:
    phase: str
    reason: str

    @property
    def label(self) -> str:
        return str(Case.Phase(self.phase).label)


def phase_from_facts(facts: CaseFacts, *, today: date) -> Verdict:
    if facts.detention_start is not None:
        return Verdict(
            DETENTION,
            _("detention since %(date)s") % {"date": date_text(facts.detention_start)},
        )
    border = deadlines.border_end(facts)
    if border is not None and facts.right_to_remain_ended_on <= today <= border.due_on:
        return Verdict(
            BORDER,
            _("the return border procedure runs until %(date)s")
            % {"date": date_text(border.due_on)},
        )
    if facts.in_shelter:
        return Verdict(VBL, _("a current stay in a VBL, GL or HTL"))
    term = deadlines.departure_term(facts)
    if term is not None:
        start = term.inputs["start_on"]
        if term.is_lapsed(today):
            return Verdict(
                OBLIGED,
                _("the departure term lapsed on %(date)s") % {"date": date_text(term.due_on)}
                if deadlines.term_days(facts)
                else _("a 0-day departure term from %(date)s") % {"date": date_text(start)},
            )
        if start <= today:
            return Verdict(
                TERM_RUNNING,
                _("the departure term runs until %(date)s") % {"date": date_text(term.due_on)},
            )
    pending = [p for p in facts.procedures if p.outcome == "pending"]
    if pending and (facts.decision_on is None or term is None):
        return Verdict(PROCEDURE_PENDING, _("a pending procedure"))
    if facts.decision_on is None:
        return Verdict(REGISTERED, _("no return decision recorded"))
    return Verdict(REGISTERED, _("no departure term has started"))


def case_phase(case, *, today: date) -> Verdict:
    """The verdict for a case's rows (the registry's phase rule)."""
    return phase_from_facts(case_facts(case), today=today)
