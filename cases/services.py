"""Every change to a person, case, procedure, obstacle or note goes through a function here.

Each is atomic, takes the object first and the actor as a keyword, raises a ValidationError a
case worker can read, and leaves the audit entry (django-auditlog records the row changes with
before and after values; the actor comes from the request or from `acting_as`)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases import access, registry
from cases.access import require_case_worker, require_team_lead
from cases.models import (
    Alias,
    Case,
    Cover,
    HouseholdLink,
    Language,
    Nationality,
    Note,
    Obstacle,
    Person,
    PhaseChange,
    Procedure,
    give_unique_references,
    normalise_name,
)
from dtv import rules
from dtv.notifications.services import notify
from dtv.text import date_text, require_length

P = Case.Phase

# The allowed phase transitions. Closing goes through close_case (it needs a reason and date).
TRANSITIONS: dict[str, set[str]] = {
    P.REGISTERED: {P.PROCEDURE_PENDING, P.TERM_RUNNING, P.OBLIGED, P.SUSPENDED},
    P.PROCEDURE_PENDING: {P.TERM_RUNNING, P.OBLIGED, P.SUSPENDED, P.DETENTION},
    P.TERM_RUNNING: {P.OBLIGED, P.PROCEDURE_PENDING, P.DEPARTURE_PLANNED, P.SUSPENDED},
    P.OBLIGED: {P.VBL, P.DETENTION, P.DEPARTURE_PLANNED, P.PROCEDURE_PENDING, P.SUSPENDED},
    P.VBL: {P.DETENTION, P.DEPARTURE_PLANNED, P.OBLIGED, P.PROCEDURE_PENDING, P.SUSPENDED},
    P.DETENTION: {P.DEPARTURE_PLANNED, P.OBLIGED, P.VBL, P.PROCEDURE_PENDING},
    P.DEPARTURE_PLANNED: {P.OBLIGED, P.DETENTION, P.VBL, P.SUSPENDED, P.PROCEDURE_PENDING},
    P.SUSPENDED: {P.REGISTERED, P.PROCEDURE_PENDING, P.TERM_RUNNING, P.OBLIGED},
    # The return border procedure is entered by its facts (the case form), not by hand.
    P.BORDER: {P.OBLIGED, P.DETENTION, P.DEPARTURE_PLANNED, P.PROCEDURE_PENDING, P.SUSPENDED},
    P.CLOSED: set(),
}

# Phases that follow from the facts (the decision, procedures and rulings, measures), derived
# by the registry's phase rule; "departure planned" and "suspended" are the officer's
# judgement on top of the facts.
FACT_PHASES = (
    P.REGISTERED,
    P.PROCEDURE_PENDING,
    P.TERM_RUNNING,
    P.OBLIGED,
    P.VBL,
    P.DETENTION,
    P.BORDER,
)
# A plan to depart gives way to a stay in a VBL, a detention or a procedure that blocks
# removal; a suspension is lifted by the officer only.
OVERRIDES_PLAN = (P.VBL, P.DETENTION, P.PROCEDURE_PENDING)

# Fields an officer edits on the case form; the rest change only through dedicated services.
# The facts of the return border procedure and of a transfer to the Member State responsible
# (the rules table judges them: rule_fact_errors).
BORDER_FIELDS = (
    "border_procedure",
    "right_to_remain_ended_on",
    "border_voluntary_days",
    "crisis_extension_weeks",
)
TRANSFER_FIELDS = (
    "application_registered_on",
    "transfer_accepted_on",
    "transfer_appeal_final_on",
    "transfer_extension",
    "transfer_detained",
)
EDITABLE_CASE_FIELDS = (
    "source",
    "category",
    "officer",
    "municipality",
    "reception_location",
    "departure_plan",
    "priority",
    "decision_on",
    "accelerated_procedure",
    "departure_term_days",
    "entry_ban_years",
    *BORDER_FIELDS,
    *TRANSFER_FIELDS,
)


def rule_fact_errors(case: Case) -> dict:
    """The border-procedure and transfer facts checked against the rules table, in the version
    in force for the case: {field: message}; empty when they hold."""
    errors = {}
    if case.border_procedure:
        ended = case.right_to_remain_ended_on
        if ended is None:
            errors["right_to_remain_ended_on"] = _(
                "Enter the day the right to remain ended: the border procedure counts from it."
            )
        else:
            try:
                voluntary = rules.rule("border_voluntary_max_days", on=ended)
                crisis = rules.rule("border_crisis_max_weeks", on=ended)
            except rules.RuleNotInForce:
                errors["right_to_remain_ended_on"] = _(
                    "The return border procedure (Reg. 2024/1349) applies from %(date)s; a "
                    "right to remain that ended earlier falls under the national rules."
                ) % {"date": date_format(rules.PACT_APPLIES_FROM)}
            else:
                if case.border_voluntary_days > voluntary.value:
                    errors["border_voluntary_days"] = _(
                        "The period for voluntary departure is at most %(period)s (%(law)s)."
                    ) % {"period": voluntary.label(), "law": voluntary.source}
                if case.crisis_extension_weeks > crisis.value:
                    errors["crisis_extension_weeks"] = _(
                        "A declared crisis extends the border procedure by at most %(period)s "
                        "(%(law)s)."
                    ) % {"period": crisis.label(), "law": crisis.source}
    else:
        if case.border_voluntary_days or case.crisis_extension_weeks:
            errors["border_procedure"] = _(
                "A period for voluntary departure or a crisis extension belongs to the return "
                "border procedure: tick it, or leave both at 0."
            )
    transfer_dates = [case.transfer_accepted_on, case.transfer_appeal_final_on]
    if (any(transfer_dates) or case.transfer_extension or case.transfer_detained) and (
        case.application_registered_on is None
    ):
        errors["application_registered_on"] = _(
            "Enter the day the asylum application was registered: it decides whether Dublin III "
            "or the AMMR applies."
        )
    if case.transfer_appeal_final_on and not case.transfer_accepted_on:
        errors["transfer_accepted_on"] = _(
            "Enter the acceptance by the Member State before the final appeal decision."
        )
    elif (
        case.transfer_appeal_final_on and case.transfer_appeal_final_on < case.transfer_accepted_on
    ):
        errors["transfer_appeal_final_on"] = _(
            "The final appeal decision cannot come before the acceptance."
        )
    if (
        case.transfer_accepted_on
        and case.application_registered_on
        and case.transfer_accepted_on < case.application_registered_on
    ):
        errors["transfer_accepted_on"] = _(
            "The acceptance cannot come before the registration of the application."
        )
    return errors


class DuplicateVNumber(ValidationError):
    def __init__(self, existing: Person):
        self.existing = existing
        super().__init__(
            _("A person with V-number %(v)s is already registered.") % {"v": existing.v_nummer},
            code="duplicate_v_nummer",
        )


class PossibleDuplicate(ValidationError):
    """Registered persons who may be the one being registered. `matches` are those the user may
    see (listed with their details); `elsewhere` are the teams that hold the others (named, with
    whom to ask, and nothing about the person)."""

    def __init__(self, matches, *, elsewhere=()):
        self.matches = list(matches)
        self.elsewhere = list(elsewhere)
        super().__init__(
            _(
                "A person with a similar name and date of birth is already registered. Check "
                "the existing dossier; confirm if this is someone else."
            ),
            code="possible_duplicate",
        )


class EditConflict(ValidationError):
    def __init__(self, changes: list[tuple[str, str, str]]):
        # (field, the value now saved, the value this user tried to save)
        self.changes = changes
        super().__init__(
            _(
                "Someone else saved this case while you were editing it. Your changes were "
                "not saved; review their changes below and edit again."
            ),
            code="edit_conflict",
        )


def acting_as(actor):
    """Attribute audit entries to `actor` outside a request (commands, tasks, tests)."""
    return set_actor(actor)


def require_open(case: Case) -> None:
    # Read the phase under a row lock: the caller's copy may be stale, and a case closed by a
    # colleague a moment ago must not take new entries.
    phase = Case.objects.select_for_update().values_list("phase", flat=True).get(pk=case.pk)
    if phase == Case.Phase.CLOSED:
        raise ValidationError(_("This case is closed; it can no longer be changed."))


def phase_contradiction(case: Case, to_phase: str, *, today: date | None = None) -> str:
    """Why moving the case to `to_phase` by hand contradicts its facts ("" when it does not)."""
    if to_phase not in FACT_PHASES:
        return ""
    verdict = registry.phase_verdict(case, today=today or timezone.localdate())
    if verdict is None or verdict.phase == to_phase:
        return ""
    return _(
        "The facts put this case in “%(phase)s” (%(reason)s). Record the procedure, ruling or "
        "measure that changes this; the phase follows from it."
    ) % {"phase": P(verdict.phase).label, "reason": verdict.reason}


def _sync_phase(case: Case, *, actor, today: date) -> None:
    """Move the case to the phase its facts give (called after every change of the facts)."""
    phase = Case.objects.select_for_update().values_list("phase", flat=True).get(pk=case.pk)
    if phase == P.CLOSED:
        return
    verdict = registry.phase_verdict(case, today=today)
    if verdict is None or verdict.phase == phase:
        return
    if phase not in FACT_PHASES and not (
        phase == P.DEPARTURE_PLANNED and verdict.phase in OVERRIDES_PLAN
    ):
        return
    PhaseChange.objects.create(
        case=case,
        from_phase=phase,
        to_phase=verdict.phase,
        reason=(_("Follows from the facts: %(reason)s") % {"reason": verdict.reason})[:500],
        actor=actor,
    )
    case.phase = verdict.phase
    case.version = Case.objects.values_list("version", flat=True).get(pk=case.pk) + 1
    case.save(update_fields=["phase", "version", "updated_at"])


def unprefetched_copy(case: Case) -> Case:
    """The case with its field values as they are on this object, as if just loaded from the
    database (Model.from_db: no query), without the caller's prefetched relations."""
    names = [field.attname for field in Case._meta.concrete_fields]
    database = router.db_for_write(Case, instance=case)
    return Case.from_db(database, names, [getattr(case, name) for name in names])


def refresh_derived(case: Case, *, today: date | None = None, actor=None) -> Case:
    """Move the case to the phase its facts give, then recompute the stored deadline fields
    from the facts (the providers of the apps above). `actor` is recorded on a phase change
    (none: the system)."""
    today = today or timezone.localdate()
    # The providers read the relations each once (two of them read the procedures and the
    # measures) and as they are now: on a copy of the case, with them fetched afresh. A stale
    # prefetch on the caller's object is not read, and none is left on it.
    current = unprefetched_copy(case)
    registry.prefetch_for_derived([current])
    _sync_phase(current, actor=actor, today=today)
    case.phase, case.version, case.updated_at = current.phase, current.version, current.updated_at
    values = registry.derived_fields(current, today=today)
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, values[name])
    if changed:
        case.save(update_fields=changed)
    return case


# A name is "near" at this similarity: trigram similarity on PostgreSQL (pg_trgm), the ratio
# of matching characters of the folded names elsewhere. "Adewale Balógun" / "Adewale Balogun"
# is 1.0 after folding, "Adewale Ballogun" 0.83 (pg_trgm) and 0.97 (ratio); "Adewale Okonkwo"
# 0.33 and 0.53.
NEAR_NAME_TRGM = 0.5
NEAR_NAME_RATIO = 0.8


def near_birth_dates(birth_date: date) -> set[date]:
    """The date, a day either side, and day and month swapped (12-03 typed for 03-12)."""

    dates = {birth_date, birth_date - timedelta(days=1), birth_date + timedelta(days=1)}
    if birth_date.day <= 12 and birth_date.day != birth_date.month:
        try:
            dates.add(birth_date.replace(month=birth_date.day, day=birth_date.month))
        except ValueError:
            pass
    return dates


def find_duplicates(*, family_name, given_names, birth_date) -> list[Person]:
    """Registered persons who may be this one: a near name (accents, case and small typing
    errors do not matter; aliases count) and a near date of birth. Anonymised persons are no
    longer anyone."""

    if birth_date is None:
        return []
    folded = normalise_name(f"{given_names} {family_name}")
    if not folded:
        return []
    candidates = Person.objects.filter(
        birth_date__in=near_birth_dates(birth_date), anonymised_at__isnull=True
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        # Similarity of the whole name (word similarity would match on a shared given name).
        return list(
            candidates.annotate(name_similarity=TrigramSimilarity("search_name", folded))
            .filter(name_similarity__gte=NEAR_NAME_TRGM)
            .order_by("-name_similarity", "pk")[:20]
        )
    found = []
    for person in candidates.prefetch_related("aliases").order_by("pk")[:500]:
        names = [f"{person.given_names} {person.family_name}"]
        names += [alias.name for alias in person.aliases.all()]
        # Word order does not matter (given and family name swapped).
        ratio = max(
            SequenceMatcher(None, _sorted_words(folded), _sorted_words(normalise_name(n))).ratio()
            for n in names
        )
        if ratio >= NEAR_NAME_RATIO:
            person.name_similarity = ratio
            found.append(person)
    found.sort(key=lambda p: (-p.name_similarity, p.pk))
    return found[:20]


def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split()))


def split_by_access(persons, *, user):
    """(persons the user may see, the other teams holding the rest). A person is visible
    through a case of theirs the user may see."""
    visible_ids = set(
        Case.objects.visible_to(user)
        .filter(person__in=[p.pk for p in persons])
        .values_list("person_id", flat=True)
    )
    visible = [p for p in persons if p.pk in visible_ids]
    hidden = [p for p in persons if p.pk not in visible_ids]
    teams = {}
    for case in (
        Case.objects.filter(person__in=[p.pk for p in hidden])
        .select_related("team__lead")
        .order_by("-opened_on")
    ):
        teams.setdefault(case.team_id, case.team)
    return visible, list(teams.values())


def reusable_person(person: Person) -> bool:
    """A person whose every case closed gets a new case on the same record."""
    return person.anonymised_at is None and not person.cases.open().exists()


@dataclass
class PersonData:
    v_nummer: str
    family_name: str
    given_names: str = ""
    birth_date: date | None = None
    birth_date_precision: str = Person.BirthDatePrecision.FULL
    sex: str = Person.Sex.UNKNOWN
    identity_status: str = Person.IdentityStatus.UNKNOWN
    needs_interpreter: bool = False
    unaccompanied_minor: bool = False
    medical_flag: bool = False
    trafficking_signal: bool = False
    hardship_signal: bool = False


@transaction.atomic
def register_case(
    person_data: PersonData,
    *,
    actor,
    nationalities: list[tuple[str, str]],
    languages: list[str],
    aliases: list[str],
    case_fields: dict,
    confirm_duplicate: bool = False,
    use_registered_person: bool = False,
) -> Case:
    """Register a person and open their case in the actor's team. With `use_registered_person`,
    a person already registered under the V-number whose cases all closed gets the new case on
    their existing record (no second person)."""
    require_case_worker(actor)
    existing = Person.objects.filter(v_nummer=person_data.v_nummer).first()
    if existing is not None:
        if use_registered_person and reusable_person(existing):
            return _open_case(existing, actor=actor, case_fields=case_fields)
        raise DuplicateVNumber(existing)
    matches = find_duplicates(
        family_name=person_data.family_name,
        given_names=person_data.given_names,
        birth_date=person_data.birth_date,
    )
    if matches and not confirm_duplicate:
        visible, elsewhere = split_by_access(matches, user=actor)
        error = PossibleDuplicate(visible, elsewhere=elsewhere)
        error.all_matches = matches
        raise error
    if person_data.birth_date_precision == Person.BirthDatePrecision.UNKNOWN:
        person_data.birth_date = None
    decision_on = case_fields.get("decision_on")
    if person_data.birth_date and decision_on and decision_on < person_data.birth_date:
        raise ValidationError(
            {
                "decision_on": _("This date is before the person's date of birth (%(date)s).")
                % {"date": date_text(person_data.birth_date)}
            }
        )
    person = Person(**person_data.__dict__)
    person.refresh_search_name(aliases)
    person.full_clean()
    person.save()
    for code, status in nationalities:
        Nationality.objects.create(person=person, country=code, status=status)
    for code in dict.fromkeys(languages):
        Language.objects.create(person=person, code=code)
    for name in dict.fromkeys(a.strip() for a in aliases if a.strip()):
        Alias.objects.create(
            person=person, name=require_length(name, limit=200, what=_("An alias"))
        )
    return _open_case(person, actor=actor, case_fields=case_fields)


def _open_case(person: Person, *, actor, case_fields: dict) -> Case:
    fields = {k: v for k, v in case_fields.items() if k in EDITABLE_CASE_FIELDS}
    if not fields.get("officer") and access.takes_new_cases(actor):
        fields["officer"] = actor
    case = Case(person=person, team=actor.team, **fields)
    give_unique_references([case])
    errors = rule_fact_errors(case)
    if errors:
        raise ValidationError(errors)
    case.full_clean(exclude=["person", "team"])
    case.save()
    PhaseChange.objects.create(
        case=case, from_phase="", to_phase=case.phase, reason=_("Case registered"), actor=actor
    )
    refresh_derived(case, actor=actor)
    return case


def _display(case: Case, name: str) -> str:
    field = Case._meta.get_field(name)
    value = getattr(case, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return "" if value is None else str(value)


@transaction.atomic
def update_case(case: Case, *, actor, version: int, **changes) -> Case:
    """Save an officer's edit, unless someone else saved the case since the form was opened."""
    require_case_worker(actor, case)
    current = Case.objects.select_for_update().get(pk=case.pk)
    require_open(current)
    if current.version != version:
        differences = [
            (
                capfirst(Case._meta.get_field(name).verbose_name),
                _display(current, name),
                _display(case, name),
            )
            for name in EDITABLE_CASE_FIELDS
            if getattr(current, name) != getattr(case, name)
        ]
        raise EditConflict(differences)
    for name, value in changes.items():
        if name not in EDITABLE_CASE_FIELDS:
            raise ValueError(f"{name} is not editable through update_case")
        setattr(current, name, value)
    if current.officer_id and current.officer.team_id != current.team_id:
        raise ValidationError(_("The responsible officer must belong to the case's team."))
    _refuse_implausible(current, {"decision_on": current.decision_on}, since_opening=False)
    errors = rule_fact_errors(current)
    if errors:
        raise ValidationError(errors)
    current.version += 1
    current.full_clean(exclude=["person", "team"])
    current.save()
    refresh_derived(current, actor=actor)
    case.refresh_from_db()
    return current


@transaction.atomic
def update_person(person: Person, *, actor, case: Case, **changes) -> Person:
    require_case_worker(actor, case)
    nationalities = changes.pop("nationalities", None)
    languages = changes.pop("languages", None)
    aliases = changes.pop("aliases", None)
    for name, value in changes.items():
        setattr(person, name, value)
    if person.birth_date_precision == Person.BirthDatePrecision.UNKNOWN:
        person.birth_date = None
    if nationalities is not None:
        wanted = dict(nationalities)
        for nationality in person.nationalities.all():
            if nationality.country not in wanted:
                nationality.delete()
            elif nationality.status != wanted[nationality.country]:
                nationality.status = wanted[nationality.country]
                nationality.save()
        have = set(person.nationalities.values_list("country", flat=True))
        for code, status in wanted.items():
            if code not in have:
                Nationality.objects.create(person=person, country=code, status=status)
    if languages is not None:
        for language in person.languages.all():
            if language.code not in languages:
                language.delete()
        have = set(person.languages.values_list("code", flat=True))
        for code in dict.fromkeys(languages):
            if code not in have:
                Language.objects.create(person=person, code=code)
    if aliases is not None:
        wanted_aliases = list(
            dict.fromkeys(
                require_length(a.strip(), limit=200, what=_("An alias"))
                for a in aliases
                if a.strip()
            )
        )
        for alias in person.aliases.all():
            if alias.name not in wanted_aliases:
                alias.delete()
        have = set(person.aliases.values_list("name", flat=True))
        for name in wanted_aliases:
            if name not in have:
                Alias.objects.create(person=person, name=name)
    person.refresh_search_name(list(person.aliases.values_list("name", flat=True)))
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def record_signals(
    person: Person, *, actor, case: Case, medical=False, trafficking=False, hardship=False
) -> Person:
    """Raise the person's signals found in an interview (never lowers one: the officer does
    that on the person form)."""
    require_case_worker(actor, case)
    wanted = {
        "medical_flag": medical,
        "trafficking_signal": trafficking,
        "hardship_signal": hardship,
    }
    person = Person.objects.select_for_update().get(pk=person.pk)
    raised = [name for name, on in wanted.items() if on and not getattr(person, name)]
    for name in raised:
        setattr(person, name, True)
    if raised:
        person.save(update_fields=raised)
    return person


@transaction.atomic
def change_phase(case: Case, *, actor, to_phase: str, reason: str) -> Case:
    require_case_worker(actor, case)
    current = Case.objects.select_for_update().get(pk=case.pk)
    require_open(current)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for the phase change."))
    if to_phase == P.CLOSED:
        raise ValidationError(_("Close a case with 'Close case', which records the outcome."))
    if to_phase not in TRANSITIONS.get(current.phase, set()):
        raise ValidationError(
            _("A case cannot go from “%(from)s” to “%(to)s”.")
            % {"from": P(current.phase).label, "to": P(to_phase).label}
        )
    contradiction = phase_contradiction(current, to_phase)
    if contradiction:
        raise ValidationError(contradiction, code="phase_contradicts_facts")
    PhaseChange.objects.create(
        case=current,
        from_phase=current.phase,
        to_phase=to_phase,
        reason=require_length(reason, limit=500, what=_("The reason")),
        actor=actor,
    )
    current.phase = to_phase
    current.version += 1
    current.save()
    refresh_derived(current, actor=actor)
    case.refresh_from_db()
    return current


@transaction.atomic
def close_case(case: Case, *, actor, closure_reason: str, closed_on: date, note: str = "") -> Case:
    """Close a case. Of two officers closing the same case at once, exactly one succeeds: the
    row lock serialises them and the second finds it closed."""
    require_case_worker(actor, case)
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.is_closed:
        raise ValidationError(_("This case has already been closed."), code="already_closed")
    if closure_reason not in Case.ClosureReason.values:
        raise ValidationError(_("Choose a closure reason."))
    if closed_on < current.opened_on:
        raise ValidationError(_("A case cannot be closed before the date it was opened."))
    if closed_on > timezone.localdate():
        raise ValidationError(_("The closing date cannot be in the future."))
    PhaseChange.objects.create(
        case=current,
        from_phase=current.phase,
        to_phase=P.CLOSED,
        reason=require_length(
            note or str(Case.ClosureReason(closure_reason).label),
            limit=500,
            what=_("The explanation"),
        ),
        actor=actor,
    )
    current.phase = P.CLOSED
    current.closed_on = closed_on
    current.closure_reason = closure_reason
    current.next_interview_due_on = None
    current.next_interview_stage = ""
    current.version += 1
    current.full_clean(exclude=["person", "team"])
    current.save()
    case.refresh_from_db()
    return current


@transaction.atomic
def add_procedure(case: Case, *, actor, **data) -> Procedure:
    require_case_worker(actor, case)
    require_open(case)
    procedure = Procedure(case=case, **data)
    _check_procedure_dates(procedure)
    procedure.full_clean()
    procedure.save()
    refresh_derived(case, actor=actor)
    return procedure


@transaction.atomic
def update_procedure(procedure: Procedure, *, actor, **data) -> Procedure:
    require_case_worker(actor, procedure.case)
    require_open(procedure.case)
    for name, value in data.items():
        setattr(procedure, name, value)
    _check_procedure_dates(procedure)
    procedure.full_clean()
    procedure.save()
    refresh_derived(procedure.case, actor=actor)
    return procedure


def implausible_date(case: Case, value, *, since_opening: bool = True) -> str | None:
    """Why `value` (a date, or a datetime) cannot be a date of this case, or None: nothing
    about a person happens before their birth, and what the return service did (interviews,
    presentations, obstacles it found) not before it opened the case. Legal facts that came
    before (the decision, an appeal) pass `since_opening=False`."""
    if value is None:
        return None
    day = timezone.localdate(value) if isinstance(value, datetime) else value
    birth = case.person.birth_date
    if birth is not None and day < birth:
        return _("This date is before the person's date of birth (%(date)s).") % {
            "date": date_text(birth)
        }
    if since_opening and case.opened_on and day < case.opened_on:
        return _("This date is before the case was opened (%(date)s).") % {
            "date": date_text(case.opened_on)
        }
    return None


def _refuse_implausible(case: Case, values: dict, *, since_opening=True) -> None:
    errors = {}
    for name, value in values.items():
        message = implausible_date(case, value, since_opening=since_opening)
        if message:
            errors[name] = message
    if errors:
        raise ValidationError(errors)


PROCEDURE_DATES = ("decision_on", "filed_on", "hearing_on", "ruling_on", "final_on")


def _check_procedure_dates(procedure: Procedure) -> None:
    # An appeal may well predate the case (DT&V takes over after the decision), never the
    # person; what has happened cannot be in the future (a hearing can be).
    _refuse_implausible(
        procedure.case,
        {name: getattr(procedure, name) for name in PROCEDURE_DATES},
        since_opening=False,
    )
    today = timezone.localdate()
    future = {
        name: _("This date cannot be in the future.")
        for name in ("decision_on", "filed_on", "ruling_on")
        if getattr(procedure, name) and getattr(procedure, name) > today
    }
    if future:
        raise ValidationError(future)


def _check_obstacle_dates(obstacle: Obstacle) -> None:
    if obstacle.status in (Obstacle.Status.RESOLVED, Obstacle.Status.UNRESOLVABLE):
        obstacle.resolved_on = obstacle.resolved_on or timezone.localdate()
        if obstacle.resolved_on < obstacle.identified_on:
            raise ValidationError(
                {"resolved_on": _("The resolution date cannot be before it was identified.")}
            )
        if obstacle.status == Obstacle.Status.RESOLVED and not obstacle.resolution.strip():
            raise ValidationError({"resolution": _("Describe how the obstacle was resolved.")})
    else:
        obstacle.resolved_on = None
    if obstacle.identified_on > timezone.localdate():
        raise ValidationError({"identified_on": _("This date cannot be in the future.")})
    _refuse_implausible(
        obstacle.case,
        {"identified_on": obstacle.identified_on, "resolved_on": obstacle.resolved_on},
    )


def _refuse_duplicate_open(obstacle: Obstacle) -> None:
    """A case has one open obstacle per kind (constraint obstacle_one_open_per_category): a
    second one is refused with the one to update instead."""
    if not obstacle.is_open or obstacle.category == Obstacle.Category.OTHER:
        return
    existing = (
        Obstacle.objects.filter(
            case_id=obstacle.case_id,
            category=obstacle.category,
            status__in=Obstacle.OPEN_STATUSES,
        )
        .exclude(pk=obstacle.pk)
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "category": _(
                    "This case already has an open obstacle “%(category)s” (%(status)s since "
                    "%(date)s). Update that one instead of adding a second."
                )
                % {
                    "category": existing.get_category_display(),
                    "status": existing.get_status_display().lower(),
                    "date": date_text(existing.identified_on),
                }
            },
            code="duplicate_open_obstacle",
        )


def _save_obstacle(obstacle: Obstacle) -> None:
    _check_obstacle_dates(obstacle)
    _refuse_duplicate_open(obstacle)
    obstacle.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the constraint may refuse a concurrent one
            obstacle.save()
    except IntegrityError:
        _refuse_duplicate_open(obstacle)  # the other one is committed now: say which
        raise


@transaction.atomic
def add_obstacle(case: Case, *, actor, **data) -> Obstacle:
    require_case_worker(actor, case)
    require_open(case)
    obstacle = Obstacle(case=case, **data)
    _save_obstacle(obstacle)
    return obstacle


@transaction.atomic
def update_obstacle(obstacle: Obstacle, *, actor, **data) -> Obstacle:
    require_case_worker(actor, obstacle.case)
    require_open(obstacle.case)
    for name, value in data.items():
        setattr(obstacle, name, value)
    _save_obstacle(obstacle)
    return obstacle


@transaction.atomic
def add_note(case: Case, *, actor, text: str) -> Note:
    require_case_worker(actor, case)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("A note cannot be empty."))
    note = Note(case=case, author=actor, text=text)
    note.full_clean()
    note.save()
    return note


# What an officer chooses on the household form: the relation as seen from the case's person.
# A "child" is stored as the relative being the parent (one directed link per pair).
HOUSEHOLD_RELATIONS = ("partner", "parent", "child")


def _household_names(person: Person, relative: Person) -> dict:
    return {"person": person.full_name, "relative": relative.full_name}


def _ancestors(person_id: int) -> set[int]:
    """The person's parents, their parents and so on (one query per generation)."""
    found: set[int] = set()
    generation = {person_id}
    while generation:
        parents = set(
            HouseholdLink.objects.filter(
                relation=HouseholdLink.Relation.PARENT, relative_id__in=generation
            ).values_list("person_id", flat=True)
        )
        generation = parents - found - {person_id}
        found |= generation
    return found


def _check_household_link(parent_or_partner: Person, relative: Person, relation: str) -> None:
    """The rules of a new link (`parent_or_partner` is the parent for a parent link)."""
    names = _household_names(parent_or_partner, relative)
    if relative.pk == parent_or_partner.pk:
        if relation == HouseholdLink.Relation.PARTNER:
            raise ValidationError(_("A person cannot be their own partner."), code="self")
        raise ValidationError(_("A person cannot be their own parent or child."), code="self")
    existing = (
        HouseholdLink.objects.filter(
            Q(person=parent_or_partner, relative=relative)
            | Q(person=relative, relative=parent_or_partner)
        )
        .select_related("person", "relative")
        .first()
    )
    if existing is not None:
        raise ValidationError(
            _("%(person)s and %(relative)s are already linked: %(link)s.")
            % {**names, "link": household_relation_text(existing)},
            code="duplicate",
        )
    # Kinship goes one way: nobody becomes the parent (or partner) of their own ancestor or
    # descendant, however many generations apart.
    if relative.pk in _ancestors(parent_or_partner.pk) or parent_or_partner.pk in _ancestors(
        relative.pk
    ):
        raise ValidationError(
            _(
                "%(relative)s is already an ancestor or descendant of %(person)s: this link "
                "would make a person their own parent or grandparent."
            )
            % names,
            code="cycle",
        )
    if relation == HouseholdLink.Relation.PARENT:
        parents = HouseholdLink.objects.filter(
            relation=HouseholdLink.Relation.PARENT, relative=relative
        ).count()
        if parents >= 2:
            raise ValidationError(
                _("%(relative)s already has two parents linked.") % names, code="parents"
            )


def household_relation_text(link: HouseholdLink) -> str:
    if link.relation == HouseholdLink.Relation.PARTNER:
        return _("%(person)s is the partner of %(relative)s") % _household_names(
            link.person, link.relative
        )
    return _("%(person)s is a parent of %(relative)s") % _household_names(
        link.person, link.relative
    )


@transaction.atomic
def link_household(person: Person, *, actor, case: Case, relative: Person, relation: str):
    """Link the case's person to a relative: `relation` is what the relative is to the person
    ("partner", "parent" or "child"). One directed link is stored (a partner link, or parent
    -> child); the other side is derived. Refused: oneself, a pair already linked either way,
    a loop of parents and children, a third parent."""
    require_case_worker(actor, case)
    require_open(case)
    if case.person_id != person.pk:
        raise ValidationError(_("Link household members from the case of the person."))
    if relation not in HOUSEHOLD_RELATIONS:
        raise ValidationError(_("Choose partner, parent or child."), code="relation")
    # Both persons locked: two officers linking the same family at once are serialised, so the
    # loop and parent checks below see each other's links.
    ids = sorted({person.pk, relative.pk})
    list(Person.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    if relation == "parent":
        link = HouseholdLink(person=relative, relative=person, relation="parent")
    elif relation == "child":
        link = HouseholdLink(person=person, relative=relative, relation="parent")
    else:
        link = HouseholdLink(person=person, relative=relative, relation="partner")
    _check_household_link(link.person, link.relative, link.relation)
    link.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise ValidationError(
            _("%(person)s and %(relative)s are already linked.")
            % _household_names(person, relative),
            code="duplicate",
        ) from None
    return link


@transaction.atomic
def unlink_household(link: HouseholdLink, *, actor, case: Case) -> None:
    """Remove a household link recorded in error (from the case of one of the two)."""
    require_case_worker(actor, case)
    require_open(case)
    if case.person_id not in (link.person_id, link.relative_id):
        raise ValidationError(_("This link does not concern the person of this case."))
    link.delete()


def household_member_ids(person_ids) -> dict[int, frozenset[int]]:
    """person id -> the ids of everyone in their household (themselves included): the persons
    connected to them through household links, however indirectly (siblings through a
    parent). One query per step outwards; a household is a handful of persons."""
    person_ids = set(person_ids)
    edges: dict[int, set[int]] = {pk: set() for pk in person_ids}
    frontier = set(person_ids)
    seen_links: set[int] = set()
    while frontier:
        links = [
            link
            for link in HouseholdLink.objects.touching(frontier).values(
                "pk", "person_id", "relative_id"
            )
            if link["pk"] not in seen_links
        ]
        frontier = set()
        for link in links:
            seen_links.add(link["pk"])
            a, b = link["person_id"], link["relative_id"]
            for one, other in ((a, b), (b, a)):
                if one not in edges:
                    edges[one] = set()
                    frontier.add(one)
                edges[one].add(other)
    households: dict[int, frozenset[int]] = {}
    for start in person_ids:
        if start in households:
            continue
        members, todo = {start}, [start]
        while todo:
            for other in edges.get(todo.pop(), ()):
                if other not in members:
                    members.add(other)
                    todo.append(other)
        frozen = frozenset(members)
        for member in members:
            households[member] = frozen
    return {pk: households[pk] for pk in person_ids}


def household_relation_labels(person: Person, links) -> dict[int, str]:
    """relative id -> what the relative is to `person`, for the direct links among `links`."""
    labels = {}
    for link in links:
        if link.relation == HouseholdLink.Relation.PARTNER:
            label = _("Partner")
        elif link.person_id == person.pk:
            label = _("Child")
        else:
            label = _("Parent")
        if link.person_id == person.pk:
            labels[link.relative_id] = label
        elif link.relative_id == person.pk:
            labels[link.person_id] = label
    return labels


@dataclass
class HouseholdMember:
    person: Person
    relation: str  # what the member is to the person of the case ("Partner", "Child"...)
    cases: list  # the member's cases the user may see, open first
    links: list  # the household links that name this member directly


def household_of(person: Person, *, user=None) -> list[HouseholdMember]:
    """The household of `person` shown together on the case page: every other member with
    what they are to the person and their cases `user` may see (all cases without a user).
    Three queries for the links (one per step), one for the persons, one for the cases."""
    member_ids = household_member_ids([person.pk])[person.pk] - {person.pk}
    if not member_ids:
        return []
    links = list(HouseholdLink.objects.touching(member_ids | {person.pk}))
    labels = household_relation_labels(person, links)
    parents: dict[int, set[int]] = {}
    for link in links:
        if link.relation == HouseholdLink.Relation.PARENT:
            parents.setdefault(link.relative_id, set()).add(link.person_id)
    own_parents = parents.get(person.pk, set())
    for member_id in member_ids:
        if member_id not in labels and parents.get(member_id, set()) & own_parents:
            labels[member_id] = _("Brother or sister")
    cases = Case.objects.filter(person_id__in=member_ids).select_related("officer", "team")
    if user is not None:
        cases = cases.visible_to(user)
    by_person: dict[int, list] = {}
    for case in cases.order_by("closed_on", "-opened_on"):
        by_person.setdefault(case.person_id, []).append(case)
    members = [
        HouseholdMember(
            person=member,
            relation=labels.get(member.pk, _("Household member")),
            cases=by_person.get(member.pk, []),
            links=[
                link
                for link in links
                if {link.person_id, link.relative_id} == {member.pk, person.pk}
            ],
        )
        for member in Person.objects.filter(pk__in=member_ids)
    ]
    # Partners and parents first, then the children from the eldest, then the others.
    order = {
        str(_("Partner")): 0,
        str(_("Parent")): 1,
        str(_("Child")): 2,
        str(_("Brother or sister")): 3,
    }
    members.sort(
        key=lambda m: (order.get(str(m.relation), 3), m.person.birth_date or date.max, m.person.pk)
    )
    return members


def open_household_cases(case: Case, *, user) -> list[Case]:
    """The open cases of the other members of the case's household that `user` may change:
    what a joint interview or a departure of the household can be recorded for too."""
    member_ids = household_member_ids([case.person_id])[case.person_id] - {case.person_id}
    if not member_ids or not access.works_cases(user):
        return []
    return list(
        Case.objects.visible_to(user)
        .open()
        .filter(person_id__in=member_ids, team_id=user.team_id)
        .select_related("person")
        .order_by("person__birth_date", "reference")
    )


def already_assigned_error(cases, to_officer) -> ValidationError | None:
    """The refusal of a reassignment to the officer who already has (some of) the cases:
    nothing would move, so it is said rather than reported as "0 reassigned"."""
    already = [c.reference for c in cases if c.officer_id == to_officer.pk]
    if not already:
        return None
    return ValidationError(
        ngettext(
            "%(cases)s is already assigned to %(officer)s. Choose another officer, or leave "
            "this case out.",
            "%(cases)s are already assigned to %(officer)s. Choose another officer, or leave "
            "these cases out.",
            len(already),
        )
        % {"cases": ", ".join(already), "officer": to_officer},
        code="already_assigned",
    )


@transaction.atomic
def reassign_cases(cases, *, actor, to_officer, reason: str, note: str = "") -> list[Case]:
    """Give open cases of the lead's team to another officer of that team, with a reason and
    a handover note on each case; the new officer is notified once."""

    require_team_lead(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for the reassignment."))
    if to_officer.team_id != actor.team_id or not access.works_cases(to_officer):
        raise ValidationError(_("Choose an officer of your own team."))
    ids = [case.pk for case in cases]
    locked = list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(set(ids)) or any(c.team_id != actor.team_id for c in locked):
        raise ValidationError(_("You can only reassign cases of your own team."))
    if any(c.is_closed for c in locked):
        raise ValidationError(_("Closed cases cannot be reassigned."))
    error = already_assigned_error(locked, to_officer)
    if error is not None:
        raise error
    moved = []
    for case in locked:
        previous = case.officer
        case.officer = to_officer
        case.version += 1
        case.save(update_fields=["officer", "version", "updated_at"])
        Note.objects.create(
            case=case,
            author=actor,
            text=_("Reassigned from %(old)s to %(new)s. Reason: %(reason)s")
            % {"old": previous or "—", "new": to_officer, "reason": reason}
            + (f"\n{note.strip()}" if note.strip() else ""),
        )
        moved.append(case)
    if moved:
        notify(
            to_officer,
            title=_("%(count)d case(s) assigned to you by %(lead)s")
            % {"count": len(moved), "lead": actor},
            body=_("Reason: %(reason)s") % {"reason": reason}
            + (f"\n{note.strip()}" if note.strip() else "")
            + "\n"
            + ", ".join(case.reference for case in moved),
            link=moved[0].get_absolute_url() if len(moved) == 1 else "/cases/werklijst/",
        )
    return moved


@transaction.atomic
def cover_officer(officer, *, actor, colleague, starts_on: date, ends_on: date):
    """A colleague covers an absent officer's cases for a period."""

    require_team_lead(actor)
    if officer.team_id != actor.team_id or colleague.team_id != actor.team_id:
        raise ValidationError(_("Both officers must belong to your team."))
    if officer.pk == colleague.pk:
        raise ValidationError(_("An officer cannot cover for themselves."))
    if ends_on < starts_on:
        raise ValidationError(_("The cover cannot end before it starts."))
    if (ends_on - starts_on).days > 366:
        raise ValidationError(_("A cover lasts at most a year; reassign the cases instead."))
    cover = Cover(
        officer=officer,
        colleague=colleague,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    cover.full_clean()
    cover.save()
    notify(
        colleague,
        title=_("You cover for %(officer)s from %(start)s until %(end)s")
        % {"officer": officer, "start": starts_on, "end": ends_on},
        body=_("Their open cases appear on your worklist during the cover."),
        link="/cases/werklijst/",
    )
    return cover
