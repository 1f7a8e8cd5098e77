"""Reads of cases that other apps' views share: fetching a case as its user may see it."""

from django.shortcuts import get_object_or_404

from cases.models import Case

# The relations a case page shows (the header of every case-bound page).
CASE_RELATED = ("person", "officer", "team", "municipality", "reception_location")


def visible_case(user, reference: str, *, related=CASE_RELATED) -> Case:
    """The case with this reference if `user` may see it; Http404 otherwise (outside
    `visible_to` a case does not exist). `related`: the relations the page shows."""
    queryset = Case.objects.visible_to(user).select_related(*related)
    return get_object_or_404(queryset, reference=reference)
