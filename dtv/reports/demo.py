"""A year of intake and departures for the report in DTenV's categories: counts per source and
quarter chosen so that the published figures show rounding to tens (23 -> 20, 15 -> 20) and
suppression (KMar's 3 -> "< 5"). Idempotent: a second run finds its V-numbers and adds
nothing."""

from datetime import date, timedelta

from cases.demo import NATIONALITIES
from cases.models import Case, Nationality, Person, PhaseChange, normalise_name
from departure.models import Departure

V_NUMBER_BASE = 2_600_000_000
# Per quarter (Q1..Q4) of the current year.
INTAKE = {
    Case.Source.IND: [23, 28, 34, 19],
    Case.Source.POLICE: [8, 5, 11, 4],
    Case.Source.KMAR: [3, 6, 2, 1],
    Case.Source.OTHER: [6, 4, 9, 2],
}
DEPARTURES = [
    (Departure.Type.INDEPENDENT_PROVEN, False, [4, 7, 9, 3]),
    (Departure.Type.FORCED, True, [2, 1, 6, 1]),
    (Departure.Type.WITHOUT_SUPERVISION, False, [9, 12, 8, 6]),
    (Departure.Type.DUBLIN_TRANSFER, True, [1, 0, 1, 0]),
]


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    year = today.year
    if Person.objects.filter(v_nummer=f"{V_NUMBER_BASE:010d}").exists():
        ctx.say("reports: the year of intake is there already")
        return
    teams = [ctx.teams["Noord"], ctx.teams["Noord"], ctx.teams["Zuid"]]
    nationalities = [(row[0], row[3], row[4]) for row in NATIONALITIES for _ in range(row[1])]
    index = 0
    by_quarter: dict[int, list[Case]] = {q: [] for q in range(4)}
    for source, counts in INTAKE.items():
        for quarter, n in enumerate(counts):
            start = date(year, 3 * quarter + 1, 1)
            if start > today:
                continue
            for _ in range(n):
                country, families, givens = rng.choice(nationalities)
                opened = min(today, start + timedelta(days=rng.randint(0, 85)))
                person = Person(
                    v_nummer=f"{V_NUMBER_BASE + index:010d}",
                    family_name=rng.choice(families),
                    given_names=rng.choice(givens),
                    birth_date=today - timedelta(days=rng.randint(18 * 365, 50 * 365)),
                )
                person.search_name = normalise_name(f"{person.given_names} {person.family_name}")
                person.save()
                Nationality.objects.create(person=person, country=country)
                case = Case.objects.create(
                    person=person,
                    source=source,
                    category=Case.Category.ASYLUM,
                    team=rng.choice(teams),
                    opened_on=opened,
                    decision_on=opened,
                )
                PhaseChange.objects.create(
                    case=case, from_phase="", to_phase=case.phase, reason="Aangemeld"
                )
                by_quarter[quarter].append(case)
                index += 1
    departed = 0
    for kind, escort, counts in DEPARTURES:
        for quarter, n in enumerate(counts):
            for case in by_quarter[quarter][:n]:
                day = min(today, case.opened_on + timedelta(days=rng.randint(10, 60)))
                Departure.objects.create(
                    case=case,
                    type=kind,
                    departed_on=day,
                    escort=escort,
                    forced_from=Departure.ForcedFrom.DETENTION if kind == "forced" else "",
                    confirmed_by=Departure.ConfirmedBy.KMAR,
                )
                PhaseChange.objects.create(
                    case=case, from_phase=case.phase, to_phase=Case.Phase.CLOSED, reason="Vertrek"
                )
                case.phase, case.closed_on = Case.Phase.CLOSED, day
                case.closure_reason = Departure.CLOSURE[kind]
                case.save()
                departed += 1
            by_quarter[quarter] = by_quarter[quarter][n:]
    ctx.say(f"reports: {index} cases of this year's intake, {departed} departures")
