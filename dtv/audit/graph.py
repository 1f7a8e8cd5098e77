"""The records held about one data subject, found through the model graph (`_meta`), not a
hand-kept list: every relation that points at the person, at one of their cases, or at a record
found that way, is followed. A relation added later is therefore followed without anyone
remembering to (subject access and retention both read this), unless it is named in
`NOT_FOLLOWED` with the reason.

Generic over objects: this module names no model of the apps above it."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models

# Relations ("app_label.Model.accessor") the walk does not follow, each with the reason. A
# relation in neither this table nor the walk is impossible: the walk follows all others.
NOT_FOLLOWED: dict[str, str] = {}

# Columns that are machinery, not data about the person, each with the reason: these on every
# model, and those each app registers for its own models (register_hidden_field).
HIDDEN_EVERYWHERE: dict[str, str] = {
    "id": "the database's row number",
    "version": "an edit counter",
}
_hidden_fields: dict[tuple[str, str], str] = {}


def register_hidden_field(model: type[models.Model], name: str, *, reason: str) -> None:
    """Leave `model.name` out of what is shown of a person's records (subject access), with
    the reason. Called in the owning app's AppConfig.ready(); a field that does not exist
    (renamed, removed) fails here, at start-up, instead of appearing in the export."""
    model._meta.get_field(name)
    _hidden_fields[(model._meta.label, name)] = reason


def is_hidden(model: type[models.Model], field: models.Field) -> bool:
    return field.name in HIDDEN_EVERYWHERE or (model._meta.label, field.name) in _hidden_fields


@dataclass(frozen=True)
class Relation:
    """One reverse relation of a model: `model.<accessor>` gives the related rows."""

    model: type[models.Model]
    field: models.Field  # the ForeignKey / ManyToManyField on the related model
    related_model: type[models.Model]

    @property
    def key(self) -> str:
        return f"{self.model._meta.label}.{self.field.model._meta.model_name}.{self.field.name}"

    def rows(self, objects) -> models.QuerySet:
        pks = [obj.pk for obj in objects]
        return self.related_model._base_manager.filter(**{f"{self.field.name}__in": pks})


def reverse_relations(model: type[models.Model]) -> list[Relation]:
    """Every relation pointing at `model`: foreign keys, one-to-ones and many-to-manys of other
    models (hidden ones with related_name="+" too), project apps only."""
    found = []
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.is_relation):
            continue
        field = rel.remote_field
        related_model = rel.related_model
        if related_model is None or not _is_project_model(related_model):
            continue
        if getattr(related_model._meta, "auto_created", False):
            continue  # the through table of a many-to-many: the m2m field itself is followed
        found.append(Relation(model=model, field=field, related_model=related_model))
    return found


def forward_many_to_many(model: type[models.Model]) -> list[models.ManyToManyField]:
    return [f for f in model._meta.many_to_many if _is_project_model(f.related_model)]


def _is_project_model(model) -> bool:
    # The apps of this project (not Django's or a library's), except the log itself and the
    # accounts of the staff, which are not data about the subject.
    from django.apps import apps
    from django.conf import settings

    config = apps.get_app_config(model._meta.app_label)
    ours = str(config.path).startswith(str(settings.BASE_DIR)) and ".venv" not in str(config.path)
    return ours and model._meta.app_label not in ("audit", "accounts")


def walk(root: models.Model) -> Iterator[tuple[Relation | None, models.Model]]:
    """(the relation that led to it, record) for the root and everything reachable from it
    through reverse relations, each record once, parents before children."""
    seen = {(type(root), root.pk)}
    yield None, root
    frontier: list[tuple[type[models.Model], list[models.Model]]] = [(type(root), [root])]
    while frontier:
        model, objects = frontier.pop(0)
        for relation in reverse_relations(model):
            if relation.key in NOT_FOLLOWED:
                continue
            found = []
            for row in relation.rows(objects).order_by("pk"):
                if (type(row), row.pk) in seen:
                    continue
                seen.add((type(row), row.pk))
                found.append(row)
                yield relation, row
            if found:
                frontier.append((relation.related_model, found))


# Files held about a person besides the rows (the documents app's uploads), for the
# subject-access zip: providers registered by the apps that hold them, so that the privacy
# app, above them, names none.
_attachment_providers: list = []


def register_attachments(provider) -> None:
    """provider(person) -> iterable of (path in the zip, read() -> bytes, description dict)."""
    if provider not in _attachment_providers:
        _attachment_providers.append(provider)


def attachments(person):
    for provider in _attachment_providers:
        yield from provider(person)
