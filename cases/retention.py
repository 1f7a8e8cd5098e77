"""Retention: closed cases past the retention period are anonymised, keeping the statistics
(phase, dates, closure reason, category, nationality, outcomes) and removing what identifies
the person. Idempotent: an anonymised person is never processed again."""

from datetime import timedelta

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cases.models import Case, Person

ANONYMOUS = "Geanonimiseerd"

# Free-text fields of other apps that may hold personal details, emptied by name through the
# ORM's relations (so this module imports none of those apps).
TEXT_FIELDS = {
    "interviews": ["report", "agreements", "officer_actions", "interpreter_name", "location"],
    "presentations": ["feedback", "accompanied_by"],
    "advice": ["motivation", "outcome"],
    "return_support": ["reintegration_plan"],
}


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


@transaction.atomic
def anonymise(person: Person, *, actor=None) -> None:
    from dtv.audit.models import AuditEntry

    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        return
    # The change is logged once below, without the old values: writing them into the audit
    # log would keep what retention removes.
    with disable_auditlog():
        birth_year = person.birth_date.year if person.birth_date else None
        person.family_name = ANONYMOUS
        person.given_names = ""
        person.search_name = ""
        if birth_year:
            person.birth_date = person.birth_date.replace(month=1, day=1)
            person.birth_date_precision = Person.BirthDatePrecision.YEAR
        person.anonymised_at = timezone.now()
        person.save()
        for alias in person.aliases.all():
            alias.delete()
        for link in person.household_links.all():
            link.delete()
        for case in person.cases.all():
            case.departure_plan = ""
            case.save(update_fields=["departure_plan"])
            for note in case.notes.all():
                note.text = "—"
                note.save(update_fields=["text"])
            for obstacle in case.obstacles.all():
                obstacle.description = ""
                obstacle.resolution = ""
                obstacle.save(update_fields=["description", "resolution"])
            for relation, fields in TEXT_FIELDS.items():
                manager = getattr(case, relation, None)
                if manager is None:
                    continue
                for row in manager.all():
                    for field in fields:
                        setattr(row, field, "")
                    row.save(update_fields=fields)
    for case in person.cases.all():
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
            changes={"anonymised": ["", "retention period passed"]},
        )


def run(*, today=None, actor=None) -> int:
    count = 0
    for person in eligible(today=today).iterator(chunk_size=500):
        anonymise(person, actor=actor)
        count += 1
    return count
