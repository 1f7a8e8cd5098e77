"""From a case's rows to the deadline engine's plain facts."""

from departure.deadlines import CaseFacts, ProcedureFacts, TravelDocFacts
from departure.models import Measure


def case_facts(case) -> CaseFacts:
    # .all() on the related managers so that a prefetch (seeding, the sweep) is used.
    procedures = tuple(
        ProcedureFacts(
            type=p.type,
            filed_on=p.filed_on,
            hearing_on=p.hearing_on,
            ruling_on=p.ruling_on,
            outcome=p.outcome,
            suspensive=p.suspensive,
            final_on=p.final_on,
        )
        for p in case.procedures.all()
    )
    current = [m for m in case.measures.all() if m.ended_on is None]
    vbl = [m for m in current if m.type in Measure.SHELTER]
    detention = [m for m in current if m.type in Measure.DETENTION]
    travel_docs = tuple(
        TravelDocFacts(ref=t.ref, submitted_on=t.submitted_on, answered_on=t.answered_on)
        for t in case.travel_documents.all()
    )
    return CaseFacts(
        decision_on=case.decision_on,
        accelerated=case.accelerated_procedure,
        term_days=case.departure_term_days,
        procedures=procedures,
        vbl_start=min((m.started_on for m in vbl), default=None),
        detention_start=min((m.started_on for m in detention), default=None),
        detention_extended_on=max(
            (m.extended_on for m in detention if m.extended_on), default=None
        ),
        travel_docs=travel_docs,
        closed=case.is_closed,
    )
