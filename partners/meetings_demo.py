"""Demo LTO meetings: a series in Groningen (three with final minutes, one with its agenda sent,
one in preparation) with AVIM Noord-Nederland and the municipality taking part, so the
`partner` account sees them; and LSOs in Amsterdam without AVIM (one held, its minutes still to
be recorded; one in preparation), which `partner` does not see.

Agendas come from the proposals (partners/agenda.py), so they show what the chair would get.
Runs after cases, interviews and departure. Each meeting has a fixed demo reference: a second
run finds it and adds nothing."""

from datetime import datetime, time, timedelta

from auditlog.context import disable_auditlog
from django.utils import timezone

from directory.models import Contact, Municipality, Organisation
from partners import agenda
from partners.models import ActionItem, AgendaItem, Meeting, MeetingParticipant

M = Meeting.Status
GRONINGEN_PARTNERS = [
    ("dtv", "DTenV"),
    ("avim", "AVIM Noord-Nederland"),
    ("municipality", "Gemeente Groningen"),
    ("coa", "COA azc Groningen"),
]
AMSTERDAM_PARTNERS = [
    ("dtv", "DTenV"),
    ("municipality", "Gemeente Amsterdam"),
    ("coa", "COA azc Amsterdam"),
]
# reference, type, municipality, days from today, status, partners, place, items wanted
MEETINGS = [
    ("OV-DEMO-GR1", Meeting.Type.LTO, "GM0014", -75, M.MINUTES_FINAL, GRONINGEN_PARTNERS, 4),
    ("OV-DEMO-GR2", Meeting.Type.LTO, "GM0014", -40, M.MINUTES_FINAL, GRONINGEN_PARTNERS, 4),
    ("OV-DEMO-GR3", Meeting.Type.LTO, "GM0014", -12, M.MINUTES_FINAL, GRONINGEN_PARTNERS, 5),
    ("OV-DEMO-GR4", Meeting.Type.LTO, "GM0014", 6, M.AGENDA_SENT, GRONINGEN_PARTNERS, 5),
    ("OV-DEMO-GR5", Meeting.Type.LKO, "GM0014", 34, M.AGENDA_PREPARATION, GRONINGEN_PARTNERS, 0),
    ("OV-DEMO-AM0", Meeting.Type.LSO, "GM0363", -2, M.HELD, AMSTERDAM_PARTNERS, 3),
    ("OV-DEMO-AM1", Meeting.Type.LSO, "GM0363", 26, M.AGENDA_PREPARATION, AMSTERDAM_PARTNERS, 2),
]
PLACES = {"GM0014": "Gemeentehuis Groningen, zaal 2.14", "GM0363": "Stadhuis Amsterdam, kamer B"}
QUESTIONS = [
    (
        "Is zelfstandig vertrek via IOM nog haalbaar binnen de termijn?",
        "Nog één vertrekgesprek met tolk; IOM-aanvraag klaarzetten; COA informeren.",
    ),
    (
        "Overgaan op VBL-plaatsing of beëindiging opvang?",
        "VBL-plaatsing voorstellen; AVIM start identiteitsonderzoek parallel.",
    ),
    (
        "Presentatie bij de ambassade aanvragen?",
        "DIA vragen om presentatie in persoon; gemeente zorgt voor onderdak tot die datum.",
    ),
    (
        "Hoe verder nu de belemmering al maanden openstaat?",
        "Escalatie naar het RAO overwegen; AVIM controleert de meldplicht.",
    ),
    (
        "Gezinslocatie of gemeentelijke opvang tot vertrek?",
        "Gezinslocatie aanvragen; school informeren over het vertrekplan.",
    ),
]
DECISIONS = [
    "Akkoord met de voorgestelde aanpak; terugkoppeling in het volgende overleg.",
    "VBL-plaatsing aangevraagd. AVIM rondt identiteitsonderzoek af.",
    "Presentatie aanvragen via DIA; gemeente verlengt onderdak tot de presentatie.",
    "Casus wordt gemonitord; bij uitblijven van voortgang escalatie naar het RAO.",
    "Gezinslocatie aangevraagd; regievoerder informeert de school.",
]


def _at(today, days, hour=10):
    return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour, 0)))


def _organisations(pairs):
    found = []
    for kind, name in pairs:
        organisation = Organisation.objects.filter(kind=kind, name=name).first()
        if organisation is not None:
            found.append(organisation)
    return found


def _fallback_cases(meeting, chair, taken):
    # When the proposals are few (a small demo), the chair adds other open cases of the team.
    return list(
        agenda.nominable_cases(meeting, user=chair).exclude(pk__in=taken).order_by("reference")
    )


# The question of an agenda item follows from why the case is there: a question about an
# obstacle only for a case with one open, about the VBL only for a case in it.
QUESTION_BY_REASON = {
    AgendaItem.Reason.OBSTACLE_OPEN: 3,
    AgendaItem.Reason.VBL_WEEK_10: 1,
    AgendaItem.Reason.TERM_LAPSED: 0,
    AgendaItem.Reason.TERM_ENDING: 0,
}
NEUTRAL_QUESTIONS = (0, 2)


def _question_for(reasons, number: int) -> int:
    for code in reasons:
        if code in QUESTION_BY_REASON:
            return QUESTION_BY_REASON[code]
    return NEUTRAL_QUESTIONS[number % len(NEUTRAL_QUESTIONS)]


def _fill_agenda(ctx, meeting, chair, wanted, offset=0):
    if wanted <= 0:
        return []
    proposals = agenda.proposals(meeting, user=chair, today=ctx.today)[:wanted]
    picks = [(p.case, p.reason_codes) for p in proposals]
    if len(picks) < wanted:
        taken = [case.pk for case, _reasons in picks]
        for case in _fallback_cases(meeting, chair, taken)[: wanted - len(picks)]:
            picks.append((case, [AgendaItem.Reason.CHAIR]))
    items = []
    for position, (case, reasons) in enumerate(picks, start=1):
        question, approach = QUESTIONS[_question_for(reasons, position + offset)]
        items.append(
            AgendaItem.objects.create(
                meeting=meeting,
                case=case,
                status=AgendaItem.Status.ON_AGENDA,
                position=position,
                reasons=list(reasons),
                question=question,
                approach=approach,
                added_at=meeting.created_at,
            )
        )
    return items


def _record_minutes(meeting, items, index, avim, municipality_org, officer, partner):
    for number, item in enumerate(items):
        item.decision = DECISIONS[(number + index) % len(DECISIONS)]
        item.escalate_to_rao = index == 0 and number == 3
        item.save(update_fields=["decision", "escalate_to_rao"])
    held_on = timezone.localtime(meeting.starts_at).date()
    done_at = meeting.starts_at + timedelta(days=9)
    plans = {
        # The first meeting: AVIM's action is still open two meetings later (escalation).
        0: [
            (0, avim, None, "Identiteitsonderzoek afronden en resultaat delen.", 14, "open"),
            (1, None, officer, "Vertrekgesprek met tolk plannen.", 7, "done"),
        ],
        1: [
            (0, municipality_org, None, "Onderdak verlengen tot de presentatie.", 10, "done"),
            (1, None, officer, "LP-aanvraag indienen bij de ambassade.", 35, "open"),
        ],
        2: [
            (0, avim, None, "Meldplicht controleren en melden aan de regievoerder.", 22, "open"),
            (1, None, officer, "IOM-aanvraag met betrokkene doornemen.", 15, "open"),
            (2, avim, partner, "Adres verifiëren bij de BRP.", 10, "open"),
            (3, municipality_org, None, "Schoolbegeleiding regelen.", 20, "open"),
        ],
    }
    for position, organisation, user, description, due_days, status in plans.get(index, []):
        if position >= len(items) or (organisation is None and user is None):
            continue
        ActionItem.objects.create(
            agenda_item=items[position],
            description=description,
            owner_organisation=organisation,
            owner_user=user,
            due_on=held_on + timedelta(days=due_days),
            status=status,
            done_at=done_at if status != "open" else None,
            progress_note="Afgerond." if status == "done" else "",
            created_by=meeting.chair,
            created_at=meeting.starts_at + timedelta(hours=2),
        )


def _ensure_local_cases(officer, code: str, minimum: int) -> None:
    """The Groningen LTO needs Groningen cases: with a small demo set, move a few of the
    team's open cases there (the lowest V-numbers, so every run picks the same)."""
    from cases.models import Case

    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        return
    open_cases = Case.objects.open().filter(team=officer.team)
    missing = minimum - open_cases.filter(municipality=municipality).count()
    if missing <= 0:
        return
    movable = (
        open_cases.exclude(municipality=municipality)
        .filter(agenda_items__isnull=True)
        .order_by("person__v_nummer")[:missing]
    )
    for case in movable:
        case.municipality = municipality
        case.save(update_fields=["municipality"])


def seed(ctx) -> None:
    officer = ctx.users["officer"]
    partner = ctx.users["partner"]
    created = 0
    with disable_auditlog():
        if not Meeting.objects.filter(reference__startswith="OV-DEMO-").exists():
            _ensure_local_cases(officer, "GM0014", minimum=10)
        for reference, type_, code, days, status, partner_names, wanted in MEETINGS:
            if Meeting.objects.filter(reference=reference).exists():
                continue
            municipality = Municipality.objects.filter(code=code).first()
            if municipality is None:
                continue
            starts_at = _at(ctx.today, days)
            meeting = Meeting.objects.create(
                reference=reference,
                type=type_,
                municipality=municipality,
                starts_at=starts_at,
                place=PLACES.get(code, ""),
                chair=officer,
                secretary=ctx.users["officer2"],
                team=officer.team,
                created_by=officer,
                created_at=starts_at - timedelta(days=21),
            )
            for organisation in _organisations(partner_names):
                contact = Contact.objects.filter(
                    organisation=organisation, user__isnull=False
                ).first()
                MeetingParticipant.objects.create(
                    meeting=meeting,
                    organisation=organisation,
                    contact=contact,
                    user=contact.user if contact else None,
                )
            offset = [m[0] for m in MEETINGS].index(reference)
            items = _fill_agenda(ctx, meeting, officer, wanted, offset=offset)
            if status != M.AGENDA_PREPARATION:
                meeting.agenda_sent_at = starts_at - timedelta(days=7)
            if status in Meeting.HELD_STATUSES:
                meeting.held_at = starts_at + timedelta(hours=2)
            if status == M.MINUTES_FINAL:
                meeting.minutes_finalised_at = starts_at + timedelta(days=2)
            meeting.status = status
            meeting.save()
            if status == M.MINUTES_FINAL:
                index = [m[0] for m in MEETINGS].index(reference)
                avim, municipality_org = (_organisations(partner_names[1:3]) + [None, None])[:2]
                _record_minutes(meeting, items, index, avim, municipality_org, officer, partner)
            if reference == "OV-DEMO-GR4" and len(items) > 1:
                # One case was taken off the agenda after it was sent.
                last = items[-1]
                last.status = AgendaItem.Status.REMOVED
                last.position = None
                last.removed_at = starts_at - timedelta(days=3)
                last.removal_reason = "Vertrokken; casus afgesloten in overleg."
                last.save()
            if reference == "OV-DEMO-GR5":
                _nominate(ctx, meeting, partner)
            created += 1
    ctx.say(f"meetings: {created} new")


def _nominate(ctx, meeting, partner):
    """The AVIM participant nominates a case it sees through an earlier meeting."""
    seen = agenda.cases_seen_by(partner, now=_at(ctx.today, 0, hour=12)).order_by("reference")
    case = seen.first()
    if case is None:
        return
    organisation = Contact.objects.filter(user=partner).values_list("organisation", flat=True)
    AgendaItem.objects.create(
        meeting=meeting,
        case=case,
        status=AgendaItem.Status.NOMINATED,
        reasons=[AgendaItem.Reason.NOMINATED],
        question="Betrokkene meldt zich niet meer; graag bespreken of toezicht nodig is.",
        nominated_by=partner,
        nominated_by_organisation_id=organisation.first(),
    )
