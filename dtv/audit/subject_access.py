"""Subject access (AVG art. 15): all data held about one person, and who accessed it."""

from django.core import serializers
from django.utils import timezone

from dtv.audit.models import AuditEntry


def collect(person) -> dict:
    from cases.models import Case

    cases = Case.objects.filter(person=person)
    related = []
    for case in cases:
        related.append(case)
        for name in (
            "procedures",
            "obstacles",
            "notes",
            "phase_changes",
            "interviews",
            "presentations",
            "measures",
            "travel_documents",
            "return_support",
            "advice",
        ):
            manager = getattr(case, name, None)
            if manager is not None:
                related.extend(manager.all())
    objects = [
        person,
        *person.nationalities.all(),
        *person.languages.all(),
        *person.aliases.all(),
        *related,
    ]
    data = serializers.serialize("python", objects)
    access = [
        {
            "time": entry.timestamp.isoformat(),
            "who": str(entry.actor) if entry.actor else "",
            "action": entry.kind,
            "purpose": entry.purpose,
            "object": entry.object_repr,
        }
        for entry in AuditEntry.objects.for_person(person.v_nummer)
        .select_related("actor")
        .order_by("timestamp")
    ]
    return {
        "generated_at": timezone.now().isoformat(),
        "v_nummer": person.v_nummer,
        "records": data,
        "access_log": access,
    }
