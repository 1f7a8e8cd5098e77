"""Demo departures, measures, travel-document requests, return support and advice that match
the cases' phases; idempotent (each case gets its records once)."""

from datetime import timedelta
from decimal import Decimal

from cases.models import Case, Obstacle
from departure.models import Advice, Departure, Measure, ReturnSupport, TravelDocumentRequest
from partners.models import Organisation

DESTINATIONS = {"SY": "TR", "AF": "AF", "ER": "ET"}


def seed(ctx) -> None:
    rng = ctx.rng
    today = ctx.today
    embassies = {org.country: org for org in Organisation.objects.embassies()}
    done = set(Departure.objects.values_list("case_id", flat=True))
    with_measures = set(Measure.objects.values_list("case_id", flat=True))
    with_docs = set(TravelDocumentRequest.objects.values_list("case_id", flat=True))
    created = 0
    # Only the cases this run created: a second run adds nothing.
    new_ids = [case.pk for case in ctx.extra.get("new_cases", [])]
    cases = (
        Case.objects.filter(pk__in=new_ids)
        .select_related("person")
        .prefetch_related("person__nationalities")
    )
    for case in cases.order_by("pk").iterator(chunk_size=2000):
        country = next((n.country for n in case.person.nationalities.all()), "")
        reason = case.closure_reason
        if case.is_closed and case.pk not in done and reason in Departure.CLOSURE.values():
            departure_type = next(k for k, v in Departure.CLOSURE.items() if v == reason)
            Departure.objects.create(
                case=case,
                type=departure_type,
                departed_on=case.closed_on,
                destination=DESTINATIONS.get(country, country if len(country) == 2 else ""),
                confirmed_by=Departure.ConfirmedBy.KMAR
                if departure_type != Departure.Type.WITHOUT_SUPERVISION
                else Departure.ConfirmedBy.AVIM,
                escort=departure_type == Departure.Type.FORCED,
                from_detention=departure_type == Departure.Type.FORCED,
            )
            if departure_type == Departure.Type.INDEPENDENT_PROVEN and rng.random() < 0.6:
                ReturnSupport.objects.create(
                    case=case,
                    programme=rng.choice(
                        [ReturnSupport.Programme.REAN, ReturnSupport.Programme.AVRR]
                    ),
                    applied_on=max(case.opened_on, case.closed_on - timedelta(days=30)),
                    decision=ReturnSupport.Decision.APPROVED,
                    decided_on=max(case.opened_on, case.closed_on - timedelta(days=10)),
                    in_kind_eur=Decimal(rng.choice([0, 1000, 1800])),
                    cash_eur=Decimal(rng.choice([40, 200, 300])),
                )
            created += 1
        if case.is_closed:
            continue
        if case.pk not in with_measures:
            if case.phase == Case.Phase.VBL:
                Measure.objects.create(
                    case=case,
                    type=Measure.Type.VBL,
                    started_on=max(case.opened_on, today - timedelta(days=rng.randint(20, 90))),
                    location="VBL Ter Apel",
                )
                Measure.objects.create(
                    case=case,
                    type=Measure.Type.REPORTING_DUTY,
                    started_on=max(case.opened_on, today - timedelta(days=rng.randint(10, 60))),
                    location="VBL Ter Apel",
                )
            elif case.phase == Case.Phase.DETENTION:
                Measure.objects.create(
                    case=case,
                    type=Measure.Type.DETENTION_59,
                    started_on=max(case.opened_on, today - timedelta(days=rng.randint(20, 170))),
                    location=rng.choice(["DC Rotterdam", "DC Schiphol"]),
                )
        if case.pk not in with_docs and case.phase in (
            Case.Phase.OBLIGED,
            Case.Phase.VBL,
            Case.Phase.DETENTION,
            Case.Phase.DEPARTURE_PLANNED,
        ):
            if rng.random() < 0.6:
                ordered = max(case.opened_on, today - timedelta(days=rng.randint(20, 380)))
                submitted = min(today, ordered + timedelta(days=rng.randint(1, 14)))
                answered = rng.random() < 0.4
                TravelDocumentRequest.objects.create(
                    case=case,
                    document_type=TravelDocumentRequest.DocumentType.LP,
                    embassy=embassies.get(country),
                    ordered_on=ordered,
                    submitted_on=submitted,
                    answer=rng.choice(["recognised", "non_statement", "insufficient_info"])
                    if answered
                    else "",
                    answered_on=min(today, submitted + timedelta(days=rng.randint(10, 60)))
                    if answered
                    else None,
                )
            if rng.random() < 0.08 and not Advice.objects.filter(case=case).exists():
                has_stateless = Obstacle.objects.filter(case=case, category="stateless").exists()
                Advice.objects.create(
                    case=case,
                    type=Advice.Type.NO_FAULT if has_stateless else Advice.Type.HARDSHIP,
                    status=Advice.Status.SENT,
                    requested_on=today - timedelta(days=30),
                    sent_on=today - timedelta(days=20),
                    motivation="Betrokkene werkt volledig mee; ambassade weigert documenten.",
                )
    ctx.say(f"departure: {created} departures recorded")
