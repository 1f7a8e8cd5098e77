"""Retention: closed cases past the retention period are anonymised, keeping the statistics
(phase, dates, closure reason, category, nationality, outcomes) and removing what identifies
the person. What is kept and why: docs/privacy.md.

Every record held about the person is found through the model graph (dtv.audit.graph), so a
record type added later is anonymised without this module naming it: its free text (every
editable text field without choices) is emptied, unless an app registered the field as
statistics with `keep()`. One transaction per person; idempotent (an anonymised person is never
processed again)."""

import logging
import secrets
from datetime import timedelta

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cases.models import Case, Person
from dtv.audit import graph

logger = logging.getLogger(__name__)

ANONYMOUS = "Geanonimiseerd"
# What replaces required free text (and text a constraint needs filled, such as the name of an
# interpreter who took part).
REDACTED = "—"

# Text fields without choices that are statistics, not free text ("app_label.Model" -> names).
# Apps above `cases` add theirs with keep() in their AppConfig.ready().
_kept: dict[str, set[str]] = {
    "cases.Nationality": {"country"},
    "cases.Language": {"code"},
    "cases.Procedure": {"court"},
    "cases.Case": {"next_interview_stage"},
    "notifications.Notification": {"rule"},
}
# Records that identify the person by their mere existence: deleted, not emptied.
_deleted = {"cases.HouseholdLink", "cases.Alias"}


# Callables(person) the apps above `cases` register to remove what is not a row of their
# own: the files of documents in the storage. Run inside the anonymisation's transaction.
_on_anonymise: list = []


def register_on_anonymise(hook) -> None:
    if hook not in _on_anonymise:
        _on_anonymise.append(hook)


def keep(label: str, *fields: str) -> None:
    """Declare text fields of a model as statistics that retention keeps (a country code, a
    language code, a rule name)."""
    _kept.setdefault(label, set()).update(fields)


def kept_fields(model) -> set[str]:
    return _kept.get(model._meta.label, set())


def free_text_fields(model) -> list[models.Field]:
    """The fields retention empties: editable text without choices, not declared as kept."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and field.name not in kept_fields(model)
    ]


def eligible(*, today=None):
    """Persons whose every case closed before the retention cut-off, not yet anonymised."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.RETENTION_DAYS_AFTER_CLOSING)
    recent_or_open = Case.objects.filter(person=OuterRef("pk")).exclude(
        phase=Case.Phase.CLOSED, closed_on__lt=cutoff
    )
    return (
        Person.objects.filter(anonymised_at__isnull=True, cases__isnull=False)
        .exclude(Exists(recent_or_open))
        .distinct()
    )


def _pseudonym() -> str:
    """A fresh V-number for an anonymised person: ten digits (the column's check), unique, and
    unrelated to the real one."""
    while True:
        candidate = f"{secrets.randbelow(10**10):010d}"
        if not Person.objects.filter(v_nummer=candidate).exists():
            return candidate


def _violations(obj) -> int:
    try:
        obj.validate_constraints()
    except ValidationError as error:
        return len(error.messages)
    return 0


def _scrub(obj) -> list[str]:
    """Empty the free text of one record, keeping every constraint: a field a constraint needs
    filled gets REDACTED instead of nothing. Returns the fields changed."""
    emptied = []
    for field in free_text_fields(type(obj)):
        value = getattr(obj, field.attname)
        if value in ("", None, REDACTED):
            continue
        setattr(obj, field.attname, "" if field.blank else REDACTED)
        emptied.append(field.attname)
    if _violations(obj):
        for name in emptied:
            if getattr(obj, name) != "":
                continue
            before = _violations(obj)
            setattr(obj, name, REDACTED)
            if _violations(obj) >= before:
                setattr(obj, name, "")
    return emptied


@transaction.atomic
def anonymise(person: Person, *, actor=None) -> bool:
    """Anonymise one person and everything held about them, or nothing (one transaction)."""
    from dtv.audit.services import pseudonymise_entries

    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        return False
    old_v_nummer = person.v_nummer
    records = list(graph.walk(person))
    touched = [(type(obj), obj.pk) for _relation, obj in records]
    # The changes are logged once below, without the old values: writing them into the audit
    # log would keep what retention removes.
    with disable_auditlog():
        for _relation, obj in reversed(records):  # children before parents
            if obj is person:
                continue
            if obj._meta.label in _deleted:
                obj.delete()
                continue
            changed = _scrub(obj)
            if changed:
                obj.save(update_fields=changed)
        if person.birth_date:
            person.birth_date = person.birth_date.replace(month=1, day=1)
            person.birth_date_precision = Person.BirthDatePrecision.YEAR
        person.family_name = ANONYMOUS
        person.given_names = ""
        person.search_name = ""
        person.v_nummer = _pseudonym()
        person.anonymised_at = timezone.now()
        person.save()
    for hook in _on_anonymise:
        hook(person)
    pseudonymise_entries(v_nummer=old_v_nummer, new_v_nummer=person.v_nummer, objects=touched)
    for case in person.cases.all():
        from dtv.audit.models import AuditEntry

        AuditEntry.objects.create(
            content_type=ContentType.objects.get_for_model(Case),
            object_pk=str(case.pk),
            object_id=case.pk,
            object_repr=case.reference,
            action=AuditEntry.Action.UPDATE,
            kind=AuditEntry.Kind.CHANGE,
            purpose="retention",
            v_nummer=person.v_nummer,
            actor=actor,
            additional_data={"v_nummer": person.v_nummer, "reference": case.reference},
            changes={"anonymised": ["", "retention period passed"]},
        )
    return True


def run(*, today=None, actor=None) -> int:
    """Anonymise every eligible person; the number anonymised."""
    return run_all(today=today, actor=actor)[0]


def run_all(*, today=None, actor=None) -> tuple[int, int]:
    """Anonymise every eligible person, each in their own transaction: (done, failed). A person
    who cannot be anonymised is logged and left whole; the others go ahead."""
    done = failed = 0
    for pk in list(eligible(today=today).values_list("pk", flat=True)):
        try:
            if anonymise(Person.objects.get(pk=pk), actor=actor):
                done += 1
        except Exception:  # one person's failure must not stop the others
            logger.exception("retention: person %s could not be anonymised", pk)
            failed += 1
    return done, failed
