"""Subject access (AVG art. 15): all data held about one person, and who accessed it.

The records come from the model graph (dtv.audit.graph): every relation pointing at the
person, at their cases, or at a record found that way (interview attendees, household links
either way, court reviews, action items, ...), so a relation added later is exported without
anyone listing it here. Each value is written as a person can read it: the field's verbose
name, the label of a choice, the name of a related record, yes/no, a Dutch date."""

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from dtv.audit import graph
from dtv.audit.models import AuditEntry


def build_zip(person, data: dict) -> bytes:
    """The export as one zip: the data (JSON), the list of files, and the files themselves."""
    import io
    import json
    import zipfile

    from django.core.serializers.json import DjangoJSONEncoder

    buffer = io.BytesIO()
    listed = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, read, description in graph.attachments(person):
            archive.writestr(path, read())
            listed.append({"file": path, **description})
        data = {**data, "files": listed}
        body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        archive.writestr(f"inzage-{person.v_nummer}.json", body)
    return buffer.getvalue()


def readable(obj, field) -> str:
    """A field's value as a person reads it."""
    if field.many_to_many:
        return ", ".join(str(related) for related in getattr(obj, field.name).all())
    if field.is_relation:
        related = getattr(obj, field.name)
        return "" if related is None else str(related)
    value = getattr(obj, field.attname)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return date_format(value)
    if isinstance(field, models.JSONField):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return str(value)


def record(obj, relation=None) -> dict:
    model = type(obj)
    fields = {}
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if graph.is_hidden(model, field):
            continue
        fields[capfirst(str(field.verbose_name))] = readable(obj, field)
    return {
        "model": model._meta.label_lower,
        "pk": obj.pk,
        "type": capfirst(str(model._meta.verbose_name)),
        "found_through": relation.key if relation else "",
        "fields": fields,
    }


def collect(person) -> dict:
    records = [record(obj, relation) for relation, obj in graph.walk(person)]
    access = [
        {
            "time": date_format(timezone.localtime(entry.timestamp), "DATETIME_FORMAT"),
            "who": str(entry.actor) if entry.actor else "",
            "action": entry.get_kind_display() if entry.kind else "",
            "purpose": entry.purpose,
            "object": entry.object_repr,
        }
        for entry in AuditEntry.objects.for_person(person.v_nummer)
        .select_related("actor")
        .order_by("timestamp")
    ]
    return {
        "generated_at": date_format(timezone.localtime(), "DATETIME_FORMAT"),
        "v_nummer": person.v_nummer,
        "records": records,
        "access_log": access,
    }
