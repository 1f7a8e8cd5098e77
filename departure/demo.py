"""Demo measures, departures, travel-document requests, return support and advice that match
the cases' phases and closure reasons. Idempotent: only the cases this run of seed_demo created
get records, so a second run adds nothing.

The derived fields are refreshed by seed_demo after every app has seeded; the reminder sweep is
left to `make run`, which calls `run_reminders --once` after seeding (so the inbox is full on
first run)."""

from datetime import date, timedelta
from decimal import Decimal

from cases.models import Case
from departure import deadlines
from departure.dates import add_months
from departure.facts import case_facts
from departure.models import (
    Advice,
    CourtReview,
    Departure,
    EmbassyPresentation,
    Measure,
    ReturnSupport,
    TravelDocumentRequest,
)
from directory.models import Organisation
from dtv import rules

# Where people of a nationality usually go when they leave (a demo simplification).
DESTINATIONS = {"SY": "TR", "ER": "ET", "XX": "", "XXA": ""}
LP_ANSWERS = ["recognised", "non_statement", "insufficient_info"]


def seed(ctx) -> None:
    rng = ctx.rng
    today = ctx.today
    embassies = {org.country: org for org in Organisation.objects.embassies()}
    new_ids = [case.pk for case in ctx.extra.get("new_cases", [])]
    if not new_ids:
        ctx.say("departure: nothing new")
        return
    cases = (
        Case.objects.filter(pk__in=new_ids)
        .select_related("person")
        .prefetch_related("person__nationalities", "procedures", "measures", "travel_documents")
        .order_by("pk")
    )
    counts = dict.fromkeys(["departures", "measures", "documents", "support", "advice"], 0)
    pact = _eu_pact_cases(ctx, cases)
    for case in cases.exclude(pk__in=pact).iterator(chunk_size=500):
        country = next((n.country for n in case.person.nationalities.all()), "")
        if case.is_closed:
            counts["departures"] += _departure(rng, case, country, counts)
            continue
        # Measures follow the lapse of the departure term.
        term = deadlines.departure_term(case_facts(case))
        earliest = max(case.opened_on, term.due_on + timedelta(days=1) if term else case.opened_on)
        counts["measures"] += _measures(rng, case, today, min(earliest, today))
        if case.phase in (
            Case.Phase.OBLIGED,
            Case.Phase.VBL,
            Case.Phase.DETENTION,
            Case.Phase.DEPARTURE_PLANNED,
        ):
            counts["documents"] += _travel_document(rng, case, today, embassies.get(country))
            counts["advice"] += _advice(rng, case, today)
            if case.phase == Case.Phase.DEPARTURE_PLANNED and rng.random() < 0.5:
                applied = max(case.opened_on, today - timedelta(days=rng.randint(3, 30)))
                ReturnSupport.objects.create(
                    case=case,
                    programme=ReturnSupport.Programme.AVRR,
                    applied_on=applied,
                    in_kind_eur=Decimal(1800),
                    cash_eur=Decimal(300),
                    reintegration_plan="Kleine onderneming (kapsalon) in de regio van herkomst.",
                )
                counts["support"] += 1
    counts["presentations"] = _presentations(
        rng, cases.exclude(phase=Case.Phase.CLOSED).select_related("officer"), today, embassies
    )
    ctx.say(
        "departure: {departures} departures, {measures} measures, {documents} travel-document "
        "requests, {presentations} embassy presentations, {support} return support, {advice} "
        "advice".format(**counts)
    )


def _eu_pact_cases(ctx, cases) -> list[int]:
    """The law of 2026 in the demo: a case in the return border procedure (Reg. 2024/1349), a
    transfer under the AMMR (application registered after 1 July 2026) and one under Dublin III
    (registered before), each a case of this run without procedures or measures yet. Returns
    their ids (the other seeders leave them as they are)."""
    today = ctx.today
    ended = today - timedelta(weeks=5)
    if ended < rules.PACT_APPLIES_FROM:
        return []  # a demo dated before the Pact applies keeps the national rules only
    plain = [
        case
        for case in cases.filter(
            phase__in=[Case.Phase.REGISTERED, Case.Phase.TERM_RUNNING, Case.Phase.OBLIGED]
        ).order_by("pk")[:60]
        if not case.procedures.all() and not case.measures.all()
    ]
    if len(plain) < 3:
        return []
    border, ammr, dublin = ctx.rng.sample(plain, 3)
    facts = {
        border: {
            "category": Case.Category.ASYLUM,
            "source": Case.Source.KMAR,
            "decision_on": ended - timedelta(days=9),
            "border_procedure": True,
            "right_to_remain_ended_on": ended,
            "border_voluntary_days": 15,
        },
        # Accepted on 3 August 2026: the transfer is due by 3 February 2027 (AMMR art. 46).
        ammr: {
            "category": Case.Category.DUBLIN,
            "decision_on": None,
            "application_registered_on": max(rules.AMMR_APPLIES_FROM, today - timedelta(days=150)),
            "transfer_accepted_on": min(today, max(date(2026, 8, 3), today - timedelta(days=120))),
        },
        # Registered before 1 July 2026, the person absconded: Dublin III's 18 months.
        dublin: {
            "category": Case.Category.DUBLIN,
            "decision_on": None,
            "application_registered_on": rules.AMMR_APPLIES_FROM - timedelta(days=20),
            "transfer_accepted_on": rules.AMMR_APPLIES_FROM + timedelta(days=14),
            "transfer_extension": Case.TransferExtension.ABSCONDED,
        },
    }
    for case, values in facts.items():
        # Demo data, not an officer's change (seed_demo refreshes phase and deadlines).
        Case._base_manager.filter(pk=case.pk).update(
            opened_on=min(
                case.opened_on, values.get("application_registered_on") or values["decision_on"]
            ),
            **values,
        )
    ctx.say(
        f"departure: border procedure {border.reference}, AMMR transfer {ammr.reference}, "
        f"Dublin III transfer {dublin.reference}"
    )
    return [case.pk for case in facts]


def _departure(rng, case, country, counts) -> int:
    types = {reason: kind for kind, reason in Departure.CLOSURE.items()}
    kind = types.get(case.closure_reason)
    if kind is None:
        return 0  # closed for another reason (permit granted, deceased, other)
    forced = kind == Departure.Type.FORCED
    Departure.objects.create(
        case=case,
        type=kind,
        departed_on=case.closed_on,
        destination=""
        if kind == Departure.Type.WITHOUT_SUPERVISION
        else DESTINATIONS.get(country, country if len(country) == 2 else ""),
        confirmed_by={
            Departure.Type.INDEPENDENT_PROVEN: rng.choice(
                [Departure.ConfirmedBy.KMAR, Departure.ConfirmedBy.IOM]
            ),
            Departure.Type.WITHOUT_SUPERVISION: Departure.ConfirmedBy.AVIM,
        }.get(kind, Departure.ConfirmedBy.KMAR),
        forced_from=Departure.ForcedFrom.DETENTION if forced else "",
        escort=forced and rng.random() < 0.7,
    )
    if kind == Departure.Type.INDEPENDENT_PROVEN and rng.random() < 0.6:
        applied = max(case.opened_on, case.closed_on - timedelta(days=30))
        ReturnSupport.objects.create(
            case=case,
            programme=rng.choice([ReturnSupport.Programme.REAN, ReturnSupport.Programme.AVRR]),
            applied_on=applied,
            decision=ReturnSupport.Decision.APPROVED,
            decided_on=max(applied, case.closed_on - timedelta(days=10)),
            in_kind_eur=Decimal(rng.choice([0, 1000, 1800])),
            cash_eur=Decimal(rng.choice([40, 200, 300])),
        )
        counts["support"] += 1
    if forced:
        started = max(case.opened_on, case.closed_on - timedelta(days=rng.randint(20, 120)))
        Measure.objects.create(
            case=case,
            type=Measure.Type.DETENTION_59,
            started_on=started,
            location=rng.choice(["DC Rotterdam", "DC Schiphol"]),
            ended_on=case.closed_on,
            end_reason="Vertrek",
        )
        counts["measures"] += 1
    return 1


def _measures(rng, case, today, earliest) -> int:
    created = 0
    if case.phase == Case.Phase.VBL:
        kind = Measure.Type.ENFORCEMENT_LOCATION if rng.random() < 0.1 else Measure.Type.VBL
        started = max(earliest, today - timedelta(days=rng.randint(20, 95)))
        decided = (today - started).days > 84 and rng.random() < 0.5
        Measure.objects.create(
            case=case,
            type=kind,
            started_on=started,
            planned_end_on=started + timedelta(weeks=12),
            location="VBL Ter Apel" if kind == Measure.Type.VBL else "HTL Hoogeveen",
            lto_decision=Measure.LtoDecision.EXTEND if decided else "",
            lto_decided_on=started + timedelta(weeks=12) if decided else None,
        )
        Measure.objects.create(
            case=case,
            type=Measure.Type.REPORTING_DUTY,
            started_on=started,
            location="VBL Ter Apel",
            decision="Dagelijks melden bij de receptie.",
        )
        created += 2
    elif case.phase == Case.Phase.DETENTION:
        started = max(earliest, today - timedelta(days=rng.randint(20, 175)))
        extended = add_months(started, 5) <= today and rng.random() < 0.4
        measure = Measure.objects.create(
            case=case,
            type=rng.choice([Measure.Type.DETENTION_59, Measure.Type.DETENTION_59A]),
            started_on=started,
            planned_end_on=add_months(started, 6),
            location=rng.choice(["DC Rotterdam", "DC Schiphol", "JC Zeist"]),
            extended_on=min(today, add_months(started, 5) + timedelta(days=10))
            if extended
            else None,
        )
        if (today - started).days > 42:
            CourtReview.objects.create(
                measure=measure,
                kind=CourtReview.Kind.INITIAL,
                reviewed_on=started + timedelta(days=rng.randint(14, 40)),
                court="Rechtbank Den Haag, zp Haarlem",
                lawful=True,
            )
        created += 1
    elif case.phase == Case.Phase.OBLIGED and rng.random() < 0.35:
        # The end of COA reception: some announced for the coming days, some past.
        ends = today + timedelta(days=rng.randint(-40, 12))
        Measure.objects.create(
            case=case,
            type=Measure.Type.RECEPTION_END,
            started_on=max(earliest, ends),
            alternative_shelter=rng.choice(
                [
                    Measure.AlternativeShelter.MUNICIPAL,
                    Measure.AlternativeShelter.LVV,
                    Measure.AlternativeShelter.NONE,
                ]
            ),
            location="AZC",
        )
        created += 1
    return created


def _travel_document(rng, case, today, embassy) -> int:
    if rng.random() >= 0.6:
        return 0
    ordered = max(case.opened_on, today - timedelta(days=rng.randint(20, 390)))
    submitted = min(today, ordered + timedelta(days=rng.randint(1, 14)))
    answered = case.phase == Case.Phase.DEPARTURE_PLANNED or rng.random() < 0.35
    answer = "recognised" if case.phase == Case.Phase.DEPARTURE_PLANNED else rng.choice(LP_ANSWERS)
    answered_on = min(today, submitted + timedelta(days=rng.randint(10, 60))) if answered else None
    issued = answered and answer == "recognised"
    TravelDocumentRequest.objects.create(
        case=case,
        document_type=TravelDocumentRequest.DocumentType.LP,
        embassy=embassy,
        ordered_on=ordered,
        submitted_on=submitted,
        answer=answer if answered else "",
        answered_on=answered_on,
        issued_on=answered_on if issued else None,
        valid_until=answered_on + timedelta(days=30) if issued else None,
    )
    return 1


def _advice(rng, case, today) -> int:
    if rng.random() >= 0.1:
        return 0
    kind = rng.choice([Advice.Type.NO_FAULT, Advice.Type.HARDSHIP, Advice.Type.MEDICAL])
    requested = max(case.opened_on, today - timedelta(days=rng.randint(5, 60)))
    sent = rng.random() < 0.6
    Advice.objects.create(
        case=case,
        type=kind,
        status=Advice.Status.SENT if sent else Advice.Status.DRAFT,
        requested_on=requested,
        sent_on=min(today, requested + timedelta(days=5)) if sent else None,
        motivation={
            Advice.Type.NO_FAULT: "Betrokkene werkt volledig mee; de ambassade weigert "
            "documenten af te geven (zie LP-aanvraag en presentatie).",
            Advice.Type.HARDSHIP: "Langdurig verblijf met schoolgaande kinderen; zie verslag "
            "van het laatste vertrekgesprek.",
            Advice.Type.MEDICAL: "Medische behandeling loopt; reisbaarheid wordt onderzocht.",
        }[kind],
    )
    return 1


def _presentations(rng, cases, today, embassies) -> int:
    rows = []
    for case in cases:
        countries = [n.country for n in case.person.nationalities.all()]
        embassy = next((embassies[c] for c in countries if c in embassies), None)
        if embassy is None or case.is_closed or rng.random() < 0.6:
            continue
        presented = max(case.opened_on, today - timedelta(days=rng.randint(10, 120)))
        answer = rng.choice(["", "", "recognised", "non_statement", "insufficient_info"])
        rows.append(
            EmbassyPresentation(
                case=case,
                embassy=embassy,
                presented_on=presented,
                mode=rng.choice(["in_person", "in_person", "written"]),
                accompanied_by=str(case.officer or ""),
                answer=answer,
                answered_on=min(today, presented + timedelta(days=rng.randint(3, 40)))
                if answer
                else None,
                created_by=case.officer,
            )
        )
    EmbassyPresentation.objects.bulk_create(rows, batch_size=500)
    return len(rows)
