"""Every change to a person, case, procedure, obstacle or note goes through a function here.

Each is atomic, takes the object first and the actor as a keyword, raises a ValidationError a
case worker can read, and leaves the audit entry (django-auditlog records the row changes with
before and after values; the actor comes from the request or from `acting_as`)."""

from dataclasses import dataclass
from datetime import date

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cases import registry
from cases.models import (
    Alias,
    Case,
    HouseholdLink,
    Language,
    Nationality,
    Note,
    Obstacle,
    Person,
    PhaseChange,
    Procedure,
)
from dtv.accounts.roles import Role

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
    P.CLOSED: set(),
}

# Phases that follow from the facts (the decision, procedures and rulings, measures), derived
# by the registry's phase rule; "departure planned" and "suspended" are the officer's
# judgement on top of the facts.
FACT_PHASES = (P.REGISTERED, P.PROCEDURE_PENDING, P.TERM_RUNNING, P.OBLIGED, P.VBL, P.DETENTION)
# A plan to depart gives way to a stay in a VBL, a detention or a procedure that blocks
# removal; a suspension is lifted by the officer only.
OVERRIDES_PLAN = (P.VBL, P.DETENTION, P.PROCEDURE_PENDING)

# Fields an officer edits on the case form; the rest change only through dedicated services.
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
)


class DuplicateVNumber(ValidationError):
    def __init__(self, existing: Person):
        self.existing = existing
        super().__init__(
            _("A person with V-number %(v)s is already registered.") % {"v": existing.v_nummer},
            code="duplicate_v_nummer",
        )


class PossibleDuplicate(ValidationError):
    def __init__(self, matches):
        self.matches = list(matches)
        super().__init__(
            _(
                "A person with the same name, date of birth and nationality is already "
                "registered. Check the existing dossier; confirm if this is someone else."
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


def _require_case_worker(actor, case: Case | None = None) -> None:
    if not actor.works_cases:
        raise ValidationError(_("Only departure officers and team leads can change cases."))
    if case is not None and case.team_id != actor.team_id:
        raise ValidationError(_("This case belongs to another team."))


def _require_open(case: Case) -> None:
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


def refresh_derived(case: Case, *, today: date | None = None, actor=None) -> Case:
    """Move the case to the phase its facts give, then recompute the stored deadline fields
    from the facts (the providers of the apps above). `actor` is recorded on a phase change
    (none: the system)."""
    today = today or timezone.localdate()
    # The relations the providers read, each fetched once (two providers read the procedures
    # and the measures) and as they are now; the case is left without these caches after.
    lookups = registry.derived_prefetch_lookups()
    cache = getattr(case, "_prefetched_objects_cache", None) or {}
    for lookup in lookups:
        cache.pop(lookup, None)
    try:
        registry.prefetch_for_derived([case])
        _sync_phase(case, actor=actor, today=today)
        values = registry.derived_fields(case, today=today)
    finally:
        cache = getattr(case, "_prefetched_objects_cache", None) or {}
        for lookup in lookups:
            cache.pop(lookup, None)
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, values[name])
    if changed:
        case.save(update_fields=changed)
    return case


def find_duplicates(*, family_name, given_names, birth_date, nationalities):
    if birth_date is None:
        return Person.objects.none()
    countries = [code for code, _status in nationalities]
    return Person.objects.filter(
        family_name__iexact=family_name.strip(),
        given_names__iexact=given_names.strip(),
        birth_date=birth_date,
        nationalities__country__in=countries,
    ).distinct()


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
) -> Case:
    """Register a person and open their case in the actor's team."""
    _require_case_worker(actor)
    existing = Person.objects.filter(v_nummer=person_data.v_nummer).first()
    if existing is not None:
        raise DuplicateVNumber(existing)
    matches = find_duplicates(
        family_name=person_data.family_name,
        given_names=person_data.given_names,
        birth_date=person_data.birth_date,
        nationalities=nationalities,
    )
    if matches.exists() and not confirm_duplicate:
        raise PossibleDuplicate(matches)
    if person_data.birth_date_precision == Person.BirthDatePrecision.UNKNOWN:
        person_data.birth_date = None
    person = Person(**person_data.__dict__)
    person.refresh_search_name(aliases)
    person.full_clean()
    person.save()
    for code, status in nationalities:
        Nationality.objects.create(person=person, country=code, status=status)
    for code in dict.fromkeys(languages):
        Language.objects.create(person=person, code=code)
    for name in dict.fromkeys(a.strip() for a in aliases if a.strip()):
        Alias.objects.create(person=person, name=name[:200])
    fields = {k: v for k, v in case_fields.items() if k in EDITABLE_CASE_FIELDS}
    if not fields.get("officer") and actor.role == Role.OFFICER:
        fields["officer"] = actor
    case = Case(person=person, team=actor.team, **fields)
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
    _require_case_worker(actor, case)
    current = Case.objects.select_for_update().get(pk=case.pk)
    _require_open(current)
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
    current.version += 1
    current.full_clean(exclude=["person", "team"])
    current.save()
    refresh_derived(current, actor=actor)
    case.refresh_from_db()
    return current


@transaction.atomic
def update_person(person: Person, *, actor, case: Case, **changes) -> Person:
    _require_case_worker(actor, case)
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
        wanted_aliases = list(dict.fromkeys(a.strip()[:200] for a in aliases if a.strip()))
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
    _require_case_worker(actor, case)
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
    _require_case_worker(actor, case)
    current = Case.objects.select_for_update().get(pk=case.pk)
    _require_open(current)
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
        case=current, from_phase=current.phase, to_phase=to_phase, reason=reason[:500], actor=actor
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
    _require_case_worker(actor, case)
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
        reason=(note or Case.ClosureReason(closure_reason).label)[:500],
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
    _require_case_worker(actor, case)
    _require_open(case)
    procedure = Procedure(case=case, **data)
    procedure.full_clean()
    procedure.save()
    refresh_derived(case, actor=actor)
    return procedure


@transaction.atomic
def update_procedure(procedure: Procedure, *, actor, **data) -> Procedure:
    _require_case_worker(actor, procedure.case)
    _require_open(procedure.case)
    for name, value in data.items():
        setattr(procedure, name, value)
    procedure.full_clean()
    procedure.save()
    refresh_derived(procedure.case, actor=actor)
    return procedure


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


@transaction.atomic
def add_obstacle(case: Case, *, actor, **data) -> Obstacle:
    _require_case_worker(actor, case)
    _require_open(case)
    obstacle = Obstacle(case=case, **data)
    _check_obstacle_dates(obstacle)
    obstacle.full_clean()
    obstacle.save()
    return obstacle


@transaction.atomic
def update_obstacle(obstacle: Obstacle, *, actor, **data) -> Obstacle:
    _require_case_worker(actor, obstacle.case)
    _require_open(obstacle.case)
    for name, value in data.items():
        setattr(obstacle, name, value)
    _check_obstacle_dates(obstacle)
    obstacle.full_clean()
    obstacle.save()
    return obstacle


@transaction.atomic
def add_note(case: Case, *, actor, text: str) -> Note:
    _require_case_worker(actor, case)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("A note cannot be empty."))
    note = Note(case=case, author=actor, text=text)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def link_household(person: Person, *, actor, case: Case, relative: Person, relation: str):
    _require_case_worker(actor, case)
    if relative.pk == person.pk:
        raise ValidationError(_("A person cannot be linked to themselves."))
    if HouseholdLink.objects.filter(person=person, relative=relative).exists() or (
        HouseholdLink.objects.filter(person=relative, relative=person).exists()
    ):
        raise ValidationError(_("These persons are already linked."))
    link = HouseholdLink(person=person, relative=relative, relation=relation)
    link.full_clean()
    link.save()
    return link


def household_of(person: Person) -> list[tuple[str, Person]]:
    """The family shown together: (relation as seen from `person`, relative)."""
    result = []
    links = HouseholdLink.objects.filter(person=person).select_related("relative")
    for link in links:
        result.append((HouseholdLink.Relation(link.relation).label, link.relative))
    reverse_links = HouseholdLink.objects.filter(relative=person).select_related("person")
    for link in reverse_links:
        label = (
            HouseholdLink.Relation.PARTNER.label
            if link.relation == HouseholdLink.Relation.PARTNER
            else _("Child of")
        )
        result.append((label, link.person))
    return result


def _require_team_lead(actor) -> None:
    if actor.role != Role.TEAM_LEAD or not actor.team_id:
        raise ValidationError(_("Only a team lead can do this."))


@transaction.atomic
def reassign_cases(cases, *, actor, to_officer, reason: str, note: str = "") -> list[Case]:
    """Give open cases of the lead's team to another officer of that team, with a reason and
    a handover note on each case; the new officer is notified once."""
    from dtv.notifications.services import notify

    _require_team_lead(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for the reassignment."))
    if to_officer.team_id != actor.team_id or not to_officer.works_cases:
        raise ValidationError(_("Choose an officer of your own team."))
    ids = [case.pk for case in cases]
    locked = list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(set(ids)) or any(c.team_id != actor.team_id for c in locked):
        raise ValidationError(_("You can only reassign cases of your own team."))
    if any(c.is_closed for c in locked):
        raise ValidationError(_("Closed cases cannot be reassigned."))
    moved = []
    for case in locked:
        if case.officer_id == to_officer.pk:
            continue
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
    from cases.models import Cover
    from dtv.notifications.services import notify

    _require_team_lead(actor)
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
