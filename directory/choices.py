"""Choice lists of the directory for forms, kept in the shared cache (dtv/cache.py).

An organisation's form field listed its organisations by a query and a model instance per
option on every render. The lists here are (id, name) pairs under the organisations'
generation, which a saved or deleted organisation bumps (directory.apps), so every process
stops reading the old list at once; the municipalities' list is cases.filters'."""

from dtv.cache import generation, remembered

ORGANISATION_GENERATION = "directory:organisations"
CHOICES_SECONDS = 300


def organisation_choices(name: str, queryset) -> list[tuple[str, str]]:
    """(id, name) of the organisations of `queryset`, in its order, kept under `name`: one
    name stands for one query (the callers name theirs)."""
    key = f"directory:organisation-choices:{name}:{generation(ORGANISATION_GENERATION)}"
    return remembered(
        key,
        lambda: [(str(pk), label) for pk, label in queryset.values_list("pk", "name")],
        CHOICES_SECONDS,
    )


def reception_location_choices() -> list[tuple[str, str]]:
    from directory.models import Organisation

    return organisation_choices("reception-locations", Organisation.objects.reception_locations())
