from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.models import Case


@require_GET
def floor(request):
    """The floor: the same stack, the same logged-in user, 25 rows read by an index."""
    rows = list(Case.objects.order_by("-opened_on", "reference").values("reference", "phase")[:25])
    return render(request, "bench/floor.html", {"rows": rows})
