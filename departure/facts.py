"""From a case's rows to the deadline engine's plain facts."""

from departure.deadlines import CaseFacts, ProcedureFacts, TravelDocFacts
from departure.models import CourtReview, Measure


def case_facts(case) -> CaseFacts:
    # .all() on the related managers so that a prefetch (seeding, lists) is used.
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
    # The 12-week regime applies to the VBL and the HTL; the family location (GL) has no limit.
    shelter = [m for m in current if m.type in Measure.TIME_LIMITED_SHELTER]
    detention = [m for m in current if m.type in Measure.DETENTION]
    # The engine names a request in its explanations: the kind of document reads better to an
    # officer than a database number (the submission date tells two of a kind apart).
    travel_docs = tuple(
        TravelDocFacts(
            ref=str(t.get_document_type_display()),
            submitted_on=t.submitted_on,
            answered_on=t.answered_on,
        )
        for t in case.travel_documents.all()
    )
    # Reading the reviews costs a query only for a detained case whose reviews were not
    # prefetched; the engine needs them only for the current detention.
    reviewed = any(
        review.kind == CourtReview.Kind.INITIAL
        for measure in detention
        for review in measure.court_reviews.all()
    )
    return CaseFacts(
        decision_on=case.decision_on,
        accelerated=case.accelerated_procedure,
        term_days=case.departure_term_days,
        procedures=procedures,
        # A stay already decided on by the LTO has had its week-10 and week-12 moments.
        vbl_start=min((m.started_on for m in shelter if not m.lto_decision), default=None),
        detention_start=min((m.started_on for m in detention), default=None),
        detention_extended_on=max(
            (m.extended_on for m in detention if m.extended_on), default=None
        ),
        detention_court_reviewed=reviewed,
        in_shelter=any(m.type in Measure.SHELTER for m in current),
        travel_docs=travel_docs,
        closed=case.is_closed,
        border_procedure=case.border_procedure,
        right_to_remain_ended_on=case.right_to_remain_ended_on,
        border_voluntary_days=case.border_voluntary_days,
        crisis_extension_weeks=case.crisis_extension_weeks,
        application_registered_on=case.application_registered_on,
        transfer_accepted_on=case.transfer_accepted_on,
        transfer_appeal_final_on=case.transfer_appeal_final_on,
        transfer_extension=case.transfer_extension,
        transfer_detained=case.transfer_detained,
    )
