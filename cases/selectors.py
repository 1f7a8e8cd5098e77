"""Reads of cases that other apps' views share: fetching a case as its user may see it."""

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from cases.models import Alias, Case, HouseholdLink

# The relations a case page shows (the header of every case-bound page).
CASE_RELATED = ("person", "officer", "team", "municipality", "reception_location")


def visible_case(user, reference: str, *, related=CASE_RELATED) -> Case:
    """The case with this reference if `user` may see it; Http404 otherwise (outside
    `visible_to` a case does not exist). `related`: the relations the page shows."""
    queryset = Case.objects.visible_to(user).select_related(*related)
    return get_object_or_404(queryset, reference=reference)


# What the case page reads of the case's person, asked in the query of the case itself
# (cases.registry.presence_annotations): without rows, it costs no query of its own.


def person_has_aliases():
    return Exists(Alias._base_manager.filter(person_id=OuterRef("person_id")))


def person_has_household():
    person = OuterRef("person_id")
    return Exists(HouseholdLink._base_manager.filter(Q(person_id=person) | Q(relative_id=person)))


def person_has_other_cases():
    return Exists(
        Case._base_manager.filter(person_id=OuterRef("person_id")).exclude(pk=OuterRef("pk"))
    )
