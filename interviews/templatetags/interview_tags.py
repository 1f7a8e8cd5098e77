from django import template
from django.utils import timezone

from interviews.models import Interview

register = template.Library()


@register.inclusion_tag("interviews/_worklist_today.html", takes_context=True)
def todays_appointments(context, cases):
    """The worklist's "Today": the interviews planned today for the cases on it (`cases`, the
    worklist's queryset), by time. One query."""
    today = timezone.localdate()
    interviews = (
        Interview.objects.planned()
        .filter(case__in=cases, planned_at__date=today)
        .select_related("case__person")
        # What the list shows, no more: an interview, its case and person have some ninety
        # columns, and building their SQL cost about 1 ms per worklist (issue 22).
        .only(
            "stage",
            "planned_at",
            "location",
            "case__reference",
            "case__person__family_name",
            "case__person__given_names",
            "case__person__birth_date",
            "case__person__birth_date_precision",
        )
        .order_by("planned_at", "pk")
    )
    return {"interviews": list(interviews), "today": today}
