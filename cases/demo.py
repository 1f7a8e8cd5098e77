"""Demo persons, cases, procedures, obstacles and notes in realistic proportions.

Nationalities follow the published top intake (DOMAIN.md §8); phases and categories are spread
so that every stage of the work shows up. Rows are created in bulk (demo data is not an
officer's action, so it leaves no audit entries) and keyed by V-number, so a second run adds
nothing."""

from datetime import timedelta

from django.utils import timezone

from cases.models import (
    Alias,
    Case,
    Language,
    Nationality,
    Note,
    Obstacle,
    Person,
    PhaseChange,
    Procedure,
    normalise_name,
)
from directory.models import Municipality, Organisation

# (ISO country, weight, languages, family names, given names)
NATIONALITIES = [
    (
        "SY",
        22,
        ["apc", "kmr"],
        ["Al-Hassan", "Haddad", "Khalil", "Mansour", "Nasser", "Darwish"],
        ["Ahmad", "Mohammed", "Rami", "Lina", "Yara", "Omar"],
    ),
    (
        "DZ",
        14,
        ["arq", "fra"],
        ["Benali", "Bouzid", "Haddadi", "Mebarki", "Saadi"],
        ["Karim", "Yacine", "Sofiane", "Amina", "Nabil"],
    ),
    (
        "MA",
        13,
        ["ary", "zgh"],
        ["El Idrissi", "Bennani", "Amrani", "Tazi", "Alaoui", "Ouali"],
        ["Youssef", "Hamza", "Said", "Fatima", "Rachid", "Mehdi"],
    ),
    (
        "TR",
        9,
        ["tur", "kmr"],
        ["Yilmaz", "Kaya", "Demir", "Sahin", "Celik"],
        ["Mehmet", "Emre", "Ayse", "Murat", "Deniz"],
    ),
    (
        "NG",
        8,
        ["eng", "yor", "ibo"],
        ["Okafor", "Adeyemi", "Eze", "Balogun", "Nwosu"],
        ["Chinedu", "Blessing", "Emeka", "Tunde", "Ngozi"],
    ),
    (
        "MD",
        5,
        ["ron", "rus"],
        ["Rusu", "Ceban", "Popa", "Lungu"],
        ["Ion", "Elena", "Vasile", "Ana"],
    ),
    (
        "IQ",
        6,
        ["arb", "ckb"],
        ["Al-Jaburi", "Hussein", "Kareem", "Abbas"],
        ["Ali", "Zainab", "Hassan", "Mustafa"],
    ),
    (
        "AF",
        6,
        ["prs", "pbu"],
        ["Ahmadi", "Karimi", "Rahimi", "Noori"],
        ["Farid", "Mariam", "Javid", "Sahar"],
    ),
    (
        "ER",
        5,
        ["tir"],
        ["Tesfay", "Gebremedhin", "Haile", "Kidane"],
        ["Yonas", "Selam", "Dawit", "Helen"],
    ),
    ("GE", 4, ["kat", "rus"], ["Beridze", "Kapanadze", "Gelashvili"], ["Giorgi", "Nino", "Levan"]),
    ("TN", 4, ["aeb", "fra"], ["Trabelsi", "Gharbi", "Jebali"], ["Anis", "Skander", "Amel"]),
    ("EG", 4, ["arz"], ["Mahmoud", "Fathy", "Soliman"], ["Mostafa", "Aya", "Tarek"]),
]

PHASES = [
    (Case.Phase.REGISTERED, 10),
    (Case.Phase.PROCEDURE_PENDING, 24),
    (Case.Phase.TERM_RUNNING, 14),
    (Case.Phase.OBLIGED, 18),
    (Case.Phase.VBL, 6),
    (Case.Phase.DETENTION, 5),
    (Case.Phase.DEPARTURE_PLANNED, 4),
    (Case.Phase.SUSPENDED, 2),
    (Case.Phase.CLOSED, 17),
]
# Published proportions of departures (2023): without supervision ~45%, proven ~32%,
# forced ~23%; a few Dublin transfers and permits.
CLOSURES = [
    (Case.ClosureReason.WITHOUT_SUPERVISION, 45),
    (Case.ClosureReason.INDEPENDENT_PROVEN, 32),
    (Case.ClosureReason.FORCED, 23),
    (Case.ClosureReason.DUBLIN_TRANSFER, 5),
    (Case.ClosureReason.PERMIT, 2),
]
CATEGORIES = [
    (Case.Category.ASYLUM, 62),
    (Case.Category.DUBLIN, 12),
    (Case.Category.REGULAR, 9),
    (Case.Category.FOUND, 12),
    (Case.Category.BORDER, 5),
]
SOURCES = [
    (Case.Source.IND, 66),
    (Case.Source.POLICE, 17),
    (Case.Source.KMAR, 5),
    (Case.Source.OTHER, 12),
]
OBSTACLES = [
    (Obstacle.Category.TRAVEL_DOCUMENT, 30),
    (Obstacle.Category.IDENTITY, 22),
    (Obstacle.Category.COUNTRY, 10),
    (Obstacle.Category.MEDICAL, 8),
    (Obstacle.Category.FAMILY, 6),
    (Obstacle.Category.PROCEDURE, 10),
    (Obstacle.Category.STATELESS, 2),
    (Obstacle.Category.NOT_COOPERATING, 10),
    (Obstacle.Category.OTHER, 2),
]
# Municipalities with a reception location, where the demo cases live.
DEMO_MUNICIPALITIES = [
    "GM0014",
    "GM1730",
    "GM0363",
    "GM0518",
    "GM0599",
    "GM0344",
    "GM0772",
    "GM0855",
    "GM0193",
    "GM0080",
]
V_NUMBER_BASE = 2_100_000_000


def pick(rng, weighted):
    items = [item for item, _weight in weighted]
    weights = [weight for _item, weight in weighted]
    return rng.choices(items, weights=weights, k=1)[0]


def v_nummer_for(index: int) -> str:
    return f"{V_NUMBER_BASE + index:010d}"


# The alphabet of cases.models.new_reference, and an odd multiplier: index -> index * M mod
# 32**7 is a bijection, so the references it gives are spread out and never repeat.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_REFERENCE_SPACE = 32**7
_REFERENCE_MULTIPLIER = 0x2545F491


def reference_for(index: int) -> str:
    """The reference of the bulk seed's case number `index`: unique for every index below
    32**7, and starting with a 0, which new_reference never writes, so a seeded reference cannot
    meet a random one (at a million random references, two alike are about as likely as not)."""
    if not 0 <= index < _REFERENCE_SPACE:
        raise ValueError(f"no seed reference for case number {index}")
    value = (index * _REFERENCE_MULTIPLIER) % _REFERENCE_SPACE
    digits = []
    for _ in range(7):
        value, digit = divmod(value, 32)
        digits.append(_REFERENCE_ALPHABET[digit])
    return "TK-0" + "".join(reversed(digits))


def seed(ctx) -> None:
    rng = ctx.rng
    today = ctx.today
    wanted = [v_nummer_for(i) for i in range(ctx.cases)]
    existing = set(Person.objects.filter(v_nummer__in=wanted).values_list("v_nummer", flat=True))
    officers_by_team = {
        "Noord": [ctx.users["officer"], ctx.users["officer2"]],
        "Zuid": [ctx.users["officer3"]],
    }
    municipalities = list(Municipality.objects.filter(code__in=DEMO_MUNICIPALITIES))
    coa = list(Organisation.objects.reception_locations())
    created_cases = []
    for v_nummer in wanted:
        # Draw the same random numbers whether or not the row exists, so runs stay stable.
        country, _w, languages, families, givens = pick(
            rng, [(row, row[1]) for row in NATIONALITIES]
        )
        family, given = rng.choice(families), rng.choice(givens)
        age_days = rng.randint(17 * 365, 55 * 365)
        phase = pick(rng, PHASES)
        opened_ago = rng.randint(5, 700)
        team_name = "Noord" if rng.random() < 0.7 else "Zuid"
        officer = rng.choice(officers_by_team[team_name])
        flags = rng.random()
        if v_nummer in existing:
            continue
        person = Person(
            v_nummer=v_nummer,
            family_name=family,
            given_names=given,
            birth_date=today - timedelta(days=age_days),
            birth_date_precision=Person.BirthDatePrecision.FULL
            if flags > 0.2
            else Person.BirthDatePrecision.YEAR,
            sex=rng.choice([Person.Sex.MALE, Person.Sex.MALE, Person.Sex.FEMALE]),
            identity_status=rng.choice(Person.IdentityStatus.values),
            needs_interpreter=flags < 0.75,
            unaccompanied_minor=flags > 0.97,
            medical_flag=0.9 < flags < 0.95,
            trafficking_signal=0.95 < flags < 0.965,
        )
        aliases = [f"{given} {rng.choice(families)}"] if flags < 0.15 else []
        person.search_name = normalise_name(" ".join([given, family, *aliases]))
        person.save()
        Nationality.objects.create(
            person=person,
            country=country,
            status=Nationality.Status.ESTABLISHED if flags > 0.4 else Nationality.Status.PRESUMED,
        )
        for code in languages[: 1 + int(flags > 0.5)]:
            Language.objects.create(person=person, code=code)
        for alias in aliases:
            Alias.objects.create(person=person, name=alias)
        opened_on = today - timedelta(days=opened_ago)
        decision_on = opened_on - timedelta(days=rng.randint(0, 30))
        case = Case(
            person=person,
            source=pick(rng, SOURCES),
            category=pick(rng, CATEGORIES),
            phase=phase,
            officer=officer,
            team=ctx.teams[team_name],
            municipality=rng.choice(municipalities) if municipalities else None,
            reception_location=rng.choice(coa) if coa else None,
            opened_on=opened_on,
            decision_on=decision_on if phase != Case.Phase.REGISTERED else None,
            departure_term_days=0 if flags < 0.08 else 28,
            priority=Case.Priority.TOP_X if flags > 0.96 else Case.Priority.NORMAL,
            departure_plan=rng.choice(
                [
                    "",
                    "Zelfstandig vertrek via IOM bespreken; paspoort bij ambassade aanvragen.",
                    "Identiteit vaststellen via presentatie; daarna LP-aanvraag.",
                    "Motiveren tot zelfstandig vertrek; COA-casemanager betrekken.",
                ]
            ),
        )
        if phase == Case.Phase.CLOSED:
            case.closed_on = min(today, opened_on + timedelta(days=rng.randint(30, 400)))
            case.closure_reason = pick(rng, CLOSURES)
        case.save()
        PhaseChange.objects.create(
            case=case,
            from_phase="",
            to_phase=Case.Phase.REGISTERED,
            reason="Aangemeld",
            at=timezone.now() - timedelta(days=opened_ago),
        )
        _seed_procedures(rng, case, today)
        _seed_obstacles(rng, case, today)
        if rng.random() < 0.4:
            Note.objects.create(
                case=case,
                author=officer,
                text=rng.choice(
                    [
                        "Betrokkene telefonisch herinnerd aan het volgende gesprek.",
                        "Advocaat meldt dat hoger beroep wordt overwogen.",
                        "COA meldt dat betrokkene de afgelopen week niet op de locatie was.",
                        "Overleg met AVIM over identiteitsonderzoek.",
                    ]
                ),
            )
        created_cases.append(case)
    ctx.extra["new_cases"] = created_cases
    ctx.say(f"cases: {len(created_cases)} new, {len(existing)} already there")
    if ctx.cases:
        households = seed_households(ctx)
        ctx.say(f"households: {len(households)} new cases in {len(HOUSEHOLDS)} households")
    seed_transfers(ctx)


def seed_transfers(ctx) -> None:
    """Three transfers between the demo teams: one from Zuid to Noord awaiting the Noord
    lead's decision (on the transfer list and the case page), one accepted six weeks ago and
    one declined (for the report)."""
    from datetime import datetime, time

    from cases.models import CaseTransfer

    if CaseTransfer.objects.exists():  # a second run adds nothing
        return
    noord, zuid = ctx.teams["Noord"], ctx.teams["Zuid"]
    lead = ctx.users["teamlead"]
    candidates = list(Case.objects.open().filter(team=zuid).order_by("person__v_nummer")[:3])
    if len(candidates) < 3:
        return
    pending, accepted, declined = candidates

    def moment(days_ago: int):
        day = ctx.today - timedelta(days=days_ago)
        return timezone.make_aware(datetime.combine(day, time(10, 30)))

    CaseTransfer.objects.create(
        case=pending,
        from_team=zuid,
        to_team=noord,
        reason="Betrokkene verhuist naar het AZC in Ter Apel (gemeente Westerwolde).",
        handover_note=(
            "Tolk Darija nodig bij elk gesprek. Advocaat heeft een herhaalde aanvraag "
            "aangekondigd; het vertrekgesprek na de beslissing is nog niet gevoerd."
        ),
        proposed_by=ctx.users["officer3"],
        proposed_at=moment(2),
    )
    CaseTransfer.objects.create(
        case=accepted,
        from_team=zuid,
        to_team=noord,
        reason="Gezinshereniging met partner in Groningen.",
        handover_note="Identiteitsonderzoek loopt via AVIM; paspoortkopie in het dossier.",
        status=CaseTransfer.Status.ACCEPTED,
        proposed_by=ctx.users["officer3"],
        proposed_at=moment(45),
        decided_by=lead,
        decided_at=moment(43),
        new_officer=ctx.users["officer2"],
        moved={"reminders": 1, "planned_interviews": 0},
    )
    # The accepted case is Noord's now (demo rows, written without the services' audit).
    accepted.team = noord
    accepted.officer = ctx.users["officer2"]
    accepted.save(update_fields=["team", "officer"])
    CaseTransfer.objects.create(
        case=declined,
        from_team=zuid,
        to_team=noord,
        reason="Werklast team Zuid verdelen.",
        status=CaseTransfer.Status.DECLINED,
        proposed_by=ctx.users["officer3"],
        proposed_at=moment(20),
        decided_by=lead,
        decided_at=moment(19),
        decision_reason=(
            "Werklast is geen reden voor overdracht; bespreek herverdeling binnen Zuid."
        ),
    )
    ctx.say("cases: 3 demo transfers between Zuid and Noord")


def _seed_procedures(rng, case, today):
    if case.phase == Case.Phase.REGISTERED:
        return
    filed = case.decision_on + timedelta(days=rng.randint(3, 25))
    if case.phase == Case.Phase.PROCEDURE_PENDING:
        hearing = filed + timedelta(days=rng.randint(30, 120))
        Procedure.objects.create(
            case=case,
            type=Procedure.Type.APPEAL,
            court="Rechtbank Den Haag",
            case_number=f"NL{filed:%y}.{rng.randint(1000, 99999)}",
            filed_on=min(filed, today),
            hearing_on=hearing if rng.random() < 0.6 else None,
            outcome=Procedure.Outcome.PENDING,
            suspensive=True,
        )
        return
    ruling = min(today - timedelta(days=rng.randint(1, 20)), filed + timedelta(days=90))
    ruling = max(ruling, filed)
    if case.phase == Case.Phase.TERM_RUNNING:
        # The term runs for 28 days from the ruling: put the ruling inside that window.
        ruling = max(filed, today - timedelta(days=rng.randint(0, 26)))
    elif case.phase in (Case.Phase.OBLIGED, Case.Phase.VBL, Case.Phase.DETENTION):
        ruling = max(filed, today - timedelta(days=rng.randint(30, 200)))
    if ruling < filed:
        filed = ruling
    Procedure.objects.create(
        case=case,
        type=Procedure.Type.APPEAL,
        court="Rechtbank Den Haag",
        case_number=f"NL{filed:%y}.{rng.randint(1000, 99999)}",
        filed_on=filed,
        hearing_on=filed + (ruling - filed) // 2,
        ruling_on=ruling,
        outcome=Procedure.Outcome.DISMISSED,
        suspensive=True,
        final_on=ruling,
    )


def _seed_obstacles(rng, case, today):
    count = rng.choices([0, 1, 2, 3], weights=[20, 40, 25, 15], k=1)[0]
    open_kinds = set()
    for _ in range(count):
        identified = max(case.opened_on, today - timedelta(days=rng.randint(1, 200)))
        identified = min(identified, today)
        status = rng.choice(
            [Obstacle.Status.OPEN, Obstacle.Status.IN_PROGRESS, Obstacle.Status.RESOLVED]
        )
        resolved_on = None
        resolution = ""
        if status == Obstacle.Status.RESOLVED or case.phase == Case.Phase.CLOSED:
            status = Obstacle.Status.RESOLVED
            resolved_on = min(today, identified + timedelta(days=rng.randint(5, 120)))
            resolution = "Opgelost in overleg met de ketenpartner."
        category = pick(rng, OBSTACLES)
        if status != Obstacle.Status.RESOLVED and category != Obstacle.Category.OTHER:
            if category in open_kinds:
                # One open obstacle per kind (constraint obstacle_one_open_per_category): a
                # second draw of an open kind is seeded as resolved, without drawing again.
                status = Obstacle.Status.RESOLVED
                resolved_on = min(today, identified + timedelta(days=14))
                resolution = "Opgelost in overleg met de ketenpartner."
            open_kinds.add(category)
        Obstacle.objects.create(
            case=case,
            category=category,
            status=status,
            identified_on=identified,
            resolved_on=resolved_on,
            resolution=resolution,
            description=rng.choice(
                [
                    "Geen geldig paspoort; ambassade nog niet benaderd.",
                    "Nationaliteit betwist; presentatie nodig.",
                    "Medische verklaring afgewacht (BMA).",
                    "Betrokkene werkt niet mee aan gesprekken.",
                    "",
                ]
            ),
        )


# Two households (issue 21): a Syrian family of four with two minor children, whose terms
# lapsed (one LTO proposal in Groningen, one joint interview), and a Georgian couple with
# their adult son whose terms are running. (V-number offset, given names, family name, sex,
# years of age, role in the household.)
HOUSEHOLD_V_BASE = V_NUMBER_BASE + 900_000
HOUSEHOLDS = [
    {
        "country": "SY",
        "languages": ["apc"],
        "municipality": "GM0014",
        "team": "Noord",
        "officer": "officer",
        "phase": Case.Phase.OBLIGED,
        "members": [
            (0, "Karim", "Haddad", Person.Sex.MALE, 41, "father"),
            (1, "Amal", "Haddad", Person.Sex.FEMALE, 37, "mother"),
            (2, "Lina", "Haddad", Person.Sex.FEMALE, 12, "child"),
            (3, "Omar", "Haddad", Person.Sex.MALE, 8, "child"),
        ],
    },
    {
        "country": "GE",
        "languages": ["kat"],
        "municipality": "GM0014",
        "team": "Noord",
        "officer": "officer2",
        "phase": Case.Phase.TERM_RUNNING,
        "members": [
            (10, "Giorgi", "Beridze", Person.Sex.MALE, 52, "father"),
            (11, "Nino", "Beridze", Person.Sex.FEMALE, 49, "mother"),
            (12, "Levan", "Beridze", Person.Sex.MALE, 22, "child"),
        ],
    },
]


def household_v_nummer(offset: int) -> str:
    return f"{HOUSEHOLD_V_BASE + offset:010d}"


def seed_households(ctx) -> list[Case]:
    """The demo households, keyed by V-number (a second run adds nothing). Written directly,
    like the other demo rows: demo data is not an officer's action."""
    from cases.models import HouseholdLink

    today = ctx.today
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=DEMO_MUNICIPALITIES)}
    created = []
    for household in HOUSEHOLDS:
        wanted = [household_v_nummer(m[0]) for m in household["members"]]
        if Person.objects.filter(v_nummer__in=wanted).exists():
            continue
        persons = {}
        lapsed = household["phase"] == Case.Phase.OBLIGED
        # One decision for the whole family; the appeal dismissed together.
        decision_on = today - timedelta(days=150 if lapsed else 40)
        ruling_on = today - timedelta(days=60 if lapsed else 10)
        for offset, given, family, sex, age, role in household["members"]:
            person = Person(
                v_nummer=household_v_nummer(offset),
                family_name=family,
                given_names=given,
                birth_date=today - timedelta(days=age * 365 + 40 + offset),
                sex=sex,
                identity_status=Person.IdentityStatus.PLAUSIBLE,
                needs_interpreter=role != "child" or age >= 16,
            )
            person.search_name = normalise_name(f"{given} {family}")
            person.save()
            Nationality.objects.create(
                person=person, country=household["country"], status=Nationality.Status.ESTABLISHED
            )
            for code in household["languages"]:
                Language.objects.create(person=person, code=code)
            persons[role] = persons.get(role, []) + [person]
            case = Case.objects.create(
                person=person,
                source=Case.Source.IND,
                category=Case.Category.ASYLUM,
                phase=household["phase"],
                officer=ctx.users[household["officer"]],
                team=ctx.teams[household["team"]],
                municipality=municipalities.get(household["municipality"]),
                opened_on=decision_on,
                decision_on=decision_on,
                departure_term_days=28,
                departure_plan="Vertrek als gezin voorbereiden; gezamenlijke gesprekken.",
            )
            PhaseChange.objects.create(
                case=case, from_phase="", to_phase=Case.Phase.REGISTERED, reason="Aangemeld"
            )
            Procedure.objects.create(
                case=case,
                type=Procedure.Type.APPEAL,
                court="Rechtbank Den Haag, zittingsplaats Groningen",
                case_number=f"NL{decision_on:%y}.{40000 + offset}",
                filed_on=decision_on + timedelta(days=7),
                hearing_on=decision_on + timedelta(days=50),
                ruling_on=ruling_on,
                outcome=Procedure.Outcome.DISMISSED,
                suspensive=True,
                final_on=ruling_on,
            )
            created.append(case)
        father, mother = persons["father"][0], persons["mother"][0]
        HouseholdLink.objects.create(person=father, relative=mother, relation="partner")
        for child in persons.get("child", []):
            HouseholdLink.objects.create(person=mother, relative=child, relation="parent")
            HouseholdLink.objects.create(person=father, relative=child, relation="parent")
    ctx.extra["household_cases"] = created
    return created
