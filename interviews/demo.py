"""Demo interview histories that follow the plan: an intake soon after registration, a
hearing-date and a post-ruling interview where the procedures call for them, progress
interviews in between; some cases are left overdue. Idempotent: cases with interviews are
skipped."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from cases.models import Case
from interviews.models import Attendee, Interview

REPORTS = [
    "Betrokkene geïnformeerd over de vertrekplicht en de mogelijkheden van IOM.",
    "Betrokkene twijfelt; wil eerst de uitspraak afwachten. Afspraak gemaakt voor vervolg.",
    "Betrokkene weigert mee te werken aan het aanvragen van een reisdocument.",
    "Betrokkene overweegt zelfstandig vertrek; informatie over REAN meegegeven.",
]


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _interview(case, stage, day, rng, officer):
    interview = Interview.objects.create(
        case=case,
        stage=stage,
        held_at=_at(day, rng.choice([9, 10, 11, 14, 15])),
        mode=rng.choice(["in_person", "in_person", "phone", "video"]),
        location=rng.choice(["AZC", "DTenV-kantoor", "VBL Ter Apel", ""]),
        attitude=rng.choice(["cooperative", "undecided", "undecided", "refusing", "unknown"]),
        check_medical="nothing" if rng.random() < 0.9 else "signal",
        check_trafficking="nothing" if rng.random() < 0.85 else "",
        check_hardship="nothing",
        report=rng.choice(REPORTS),
        interpreter_presence="present" if case.person.needs_interpreter else "",
        interpreter_name="Tolk (Rbtv)" if case.person.needs_interpreter else "",
        interpreter_language=next((lang.code for lang in case.person.languages.all()), "")
        if case.person.needs_interpreter
        else "",
        created_by=officer,
    )
    if officer is not None:
        Attendee.objects.create(
            interview=interview, role="officer", user=officer, name=officer.get_full_name()
        )


def seed(ctx) -> None:
    rng = ctx.rng
    today = ctx.today
    # Only the cases this run created: a second run adds nothing.
    new_ids = [case.pk for case in ctx.extra.get("new_cases", [])]
    cases = (
        Case.objects.filter(pk__in=new_ids)
        .select_related("person", "officer")
        .prefetch_related("procedures", "person__languages")
        .order_by("pk")
    )
    touched = []
    for case in cases.iterator(chunk_size=500):
        if case.phase == Case.Phase.REGISTERED and rng.random() < 0.5:
            continue  # intake still to come: some of these show as overdue
        end = case.closed_on or today
        intake = case.opened_on + timedelta(days=rng.randint(2, 12))
        if intake > end:
            continue
        _interview(case, "intake", intake, rng, case.officer)
        last = intake
        for procedure in case.procedures.all():
            if procedure.hearing_on and procedure.hearing_on <= end and rng.random() < 0.7:
                day = max(last, procedure.hearing_on - timedelta(days=rng.randint(1, 14)))
                _interview(case, "hearing", day, rng, case.officer)
                last = day
            ruling = procedure.final_on or procedure.ruling_on
            if ruling and ruling <= end and rng.random() < 0.7:
                day = min(end, ruling + timedelta(days=rng.randint(1, 9)))
                _interview(case, "post_ruling", max(day, last), rng, case.officer)
                last = max(day, last)
        # Progress interviews, leaving roughly a third of the open cases overdue.
        gap = {"term_running": 28, "obliged": 14, "vbl": 14, "detention": 14}.get(case.phase, 56)
        stop = end - timedelta(days=gap if rng.random() < 0.35 else rng.randint(0, gap - 1))
        day = last + timedelta(days=gap)
        while day <= stop:
            stage = "detention" if case.phase == Case.Phase.DETENTION else "progress"
            _interview(case, stage, day, rng, case.officer)
            day += timedelta(days=gap)
        if not case.is_closed and rng.random() < 0.3:
            Interview.objects.create(
                case=case,
                stage="progress",
                planned_at=_at(today + timedelta(days=rng.randint(0, 6)), rng.choice([9, 13])),
                location="DTenV-kantoor",
                created_by=case.officer,
            )
        touched.append(case.pk)
    ctx.say(f"interviews: histories for {len(touched)} cases")
