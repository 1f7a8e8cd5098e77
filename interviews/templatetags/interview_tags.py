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
        .order_by("planned_at", "pk")
    )
    return {"interviews": list(interviews), "today": today}
