"""Demo interview histories that follow the plan: an intake soon after registration, a
hearing-date and a post-ruling departure interview where the procedures call for them,
progress interviews at the phase's cadence in between, a no-show now and then, a presentation
at the embassy for some; about a third of the open cases are left with an interview overdue,
and some have an interview planned this week (the agenda).

Idempotent: only the cases that cases/demo.py created in this run are considered, and a case
that already has interviews is skipped. The stored next interview is refreshed for every case
by seed_demo at the end (refresh_derived_fields), so it is not computed here.
"""

from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from cases.models import Case
from interviews.models import Interview, InterviewAttendee
from interviews.plan import CHECKLIST_REQUIRED_STAGES, PLAN_INTERVALS

REPORTS = [
    "Betrokkene geïnformeerd over de vertrekplicht en de mogelijkheden van IOM.",
    "Betrokkene twijfelt; wil eerst de uitspraak afwachten. Afspraak gemaakt voor vervolg.",
    "Betrokkene weigert mee te werken aan het aanvragen van een reisdocument.",
    "Betrokkene overweegt zelfstandig vertrek; informatie over REAN meegegeven.",
    "Gesproken over de identiteitsdocumenten; betrokkene zoekt contact met familie.",
]
AGREEMENTS = [
    "Betrokkene levert binnen twee weken een kopie van het paspoort aan.",
    "Betrokkene neemt contact op met IOM voor een intakegesprek.",
    "",
]
ACTIONS = ["Presentatie bij de ambassade aanvragen.", "Medische informatie opvragen (BMA).", ""]
LAWYERS = ["mr. A. de Boer", "mr. F. El Idrissi", "mr. J. Vermeulen"]


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class _Writer:
    """Collects the rows of one seed run and writes them in a few bulk inserts."""

    def __init__(self, rng):
        self.rng = rng
        self.interviews = []
        self.attendees = []  # (index into interviews, InterviewAttendee without interview)

    def interview(self, case, stage, day):
        rng = self.rng
        person = case.person
        needs_interpreter = person.needs_interpreter
        no_show = stage == "progress" and rng.random() < 0.08
        checked = stage in CHECKLIST_REQUIRED_STAGES or rng.random() < 0.4
        languages = [lang.code for lang in person.languages.all()]
        interview = Interview(
            case=case,
            stage=stage,
            held_at=min(_at(day, rng.choice([9, 10, 11, 14, 15])), timezone.now()),
            mode=rng.choice(["in_person", "in_person", "in_person", "phone", "video"]),
            location=rng.choice(["AZC", "DTenV-kantoor", "VBL Ter Apel", ""]),
            no_show=no_show,
            attitude="unknown"
            if no_show
            else rng.choice(["cooperative", "undecided", "undecided", "refusing", "unknown"]),
            check_medical=("nothing" if rng.random() < 0.9 else "signal") if checked else "",
            check_trafficking="nothing" if checked else "",
            check_hardship=("nothing" if rng.random() < 0.95 else "signal") if checked else "",
            report="" if no_show else rng.choice(REPORTS),
            agreements="" if no_show else rng.choice(AGREEMENTS),
            officer_actions=rng.choice(ACTIONS),
            interpreter_presence=rng.choice(["present", "present", "phone"])
            if needs_interpreter and not no_show
            else "",
            interpreter_name="Tolk (Rbtv)" if needs_interpreter and not no_show else "",
            interpreter_language=languages[0] if needs_interpreter and languages else "",
            copy_given=not no_show and rng.random() < 0.3,
            created_by=case.officer,
        )
        index = len(self.interviews)
        self.interviews.append(interview)
        if case.officer is not None:
            self.attendees.append(
                (
                    index,
                    InterviewAttendee(role="officer", user=case.officer, name=str(case.officer)),
                )
            )
        if stage in ("hearing", "post_ruling") and rng.random() < 0.5:
            self.attendees.append(
                (index, InterviewAttendee(role="lawyer", name=rng.choice(LAWYERS)))
            )
        return interview

    def planned(self, case, when):
        self.interviews.append(
            Interview(
                case=case,
                stage="progress",
                planned_at=when,
                location="DTenV-kantoor",
                created_by=case.officer,
            )
        )

    def save(self):
        Interview.objects.bulk_create(self.interviews, batch_size=500)
        rows = []
        for index, attendee in self.attendees:
            attendee.interview = self.interviews[index]
            rows.append(attendee)
        InterviewAttendee.objects.bulk_create(rows, batch_size=500)


def _history(writer, case, today, rng) -> None:
    end = case.closed_on or today
    intake = case.opened_on + timedelta(days=rng.randint(2, 12))
    if intake > end:
        return
    writer.interview(case, "intake", intake)
    last = intake
    for procedure in sorted(case.procedures.all(), key=lambda p: p.filed_on):
        if procedure.hearing_on and procedure.hearing_on <= end and rng.random() < 0.75:
            day = max(last, procedure.hearing_on - timedelta(days=rng.randint(1, 14)))
            writer.interview(case, "hearing", day)
            last = day
        ruling = procedure.final_on or procedure.ruling_on
        if ruling and ruling <= end and rng.random() < 0.75:
            day = max(last, min(end, ruling + timedelta(days=rng.randint(1, 9))))
            writer.interview(case, "post_ruling", day)
            last = day
    # Progress interviews at the phase's cadence; about a third stop early (overdue now).
    gap = PLAN_INTERVALS["progress"].get(case.phase, 8 * 7)
    stage = "detention" if case.phase == Case.Phase.DETENTION else "progress"
    stop = end - timedelta(days=gap if rng.random() < 0.35 else rng.randint(0, gap - 1))
    day = last + timedelta(days=gap)
    while day <= stop:
        writer.interview(case, stage, day)
        day += timedelta(days=gap)
    if not case.is_closed and rng.random() < 0.3:
        writer.planned(case, _at(today + timedelta(days=rng.randint(0, 6)), rng.choice([9, 13])))


def seed(ctx) -> None:
    rng = ctx.rng
    today = ctx.today
    # Only the cases this run created, and of those only the ones without interviews: a
    # second run adds nothing.
    new_ids = [case.pk for case in ctx.extra.get("new_cases", [])]
    cases = list(
        Case.objects.filter(pk__in=new_ids)
        .exclude(Exists(Interview.objects.filter(case=OuterRef("pk"))))
        .select_related("person", "officer")
        .prefetch_related("procedures", "person__languages", "person__nationalities")
        .order_by("pk")
    )
    writer = _Writer(rng)
    for case in cases:
        if case.phase == Case.Phase.REGISTERED and rng.random() < 0.5:
            continue  # the intake is still to come: some of these are overdue
        _history(writer, case, today, rng)
    writer.save()
    ctx.say(f"interviews: {len(writer.interviews)} interviews for {len(cases)} cases")
    joint = seed_household_interviews(ctx)
    ctx.say(f"interviews: {joint} held or planned with a whole household")


def seed_household_interviews(ctx) -> int:
    """The demo households' interviews, each held (or planned) with the whole family: logged
    once on the father's case, the others taking part (InterviewParticipant)."""
    from interviews.models import InterviewParticipant

    today = ctx.today
    written = 0
    by_family: dict[str, list[Case]] = {}
    for case in ctx.extra.get("household_cases", []):
        by_family.setdefault(case.person.family_name, []).append(case)
    for family, cases in by_family.items():
        lead, *others = cases  # the father comes first in cases/demo.py HOUSEHOLDS
        if Interview.objects.filter(case=lead).exists():
            continue
        checks = {"check_medical": "nothing", "check_trafficking": "nothing"}
        ruled_on = max(p.ruling_on for p in lead.procedures.all() if p.ruling_on)
        rows = [
            Interview(
                case=lead,
                stage="intake",
                held_at=_at(lead.opened_on + timedelta(days=6)),
                attitude=Interview.Attitude.UNDECIDED,
                interpreter_name="R. Haddou" if family == "Haddad" else "N. Kapanadze",
                interpreter_language="apc" if family == "Haddad" else "kat",
                interpreter_presence="present",
                check_hardship="signal" if family == "Haddad" else "nothing",
                report=(
                    "Eerste vertrekgesprek met het hele gezin. De vertrekplicht en de "
                    "mogelijkheden van IOM zijn uitgelegd; de kinderen waren bij het eerste deel."
                ),
                created_by=lead.officer,
                **checks,
            ),
            Interview(
                case=lead,
                stage="post_ruling",
                held_at=_at(ruled_on + timedelta(days=4), 11),
                attitude=Interview.Attitude.UNDECIDED,
                check_hardship="nothing",
                report=(
                    "Gesprek na de uitspraak met beide ouders: het beroep is ongegrond, de "
                    "vertrektermijn loopt. Terugkeer als gezin besproken, ook de school."
                ),
                created_by=lead.officer,
                **checks,
            ),
            Interview(
                case=lead,
                stage="progress",
                planned_at=_at(today + timedelta(days=2), 10),
                location="COA Groningen, spreekkamer 2",
                created_by=lead.officer,
            ),
        ]
        for interview in rows:
            interview.save()
            for other in others:
                InterviewParticipant.objects.create(interview=interview, case=other)
            InterviewAttendee.objects.create(
                interview=interview, role="officer", user=lead.officer, name=""
            )
            written += 1
    return written
