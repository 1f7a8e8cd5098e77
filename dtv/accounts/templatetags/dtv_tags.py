from datetime import date

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, field):
    """Toggle sorting on a column: asc, then desc; resets to page 1 (the toggle is why this
    is not Django's {% querystring %}, which the other filter-keeping links use)."""
    request = context["request"]
    current = request.GET.get("sort", "")
    new = f"-{field}" if current == field else field
    params = request.GET.copy()
    params["sort"] = new
    params.pop("page", None)
    return f"?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def sort_state(context, field):
    """aria-sort value for a column header."""
    current = context["request"].GET.get("sort", "")
    if current == field:
        return "ascending"
    if current == f"-{field}":
        return "descending"
    return "none"


@register.filter
def days_left(due: date | None, today: date | None = None):
    """'3 days left', 'today', '2 days ago' for a deadline."""
    if due is None:
        return ""
    from django.utils import timezone

    today = today or timezone.localdate()
    delta = (due - today).days
    if delta == 0:
        return _("today")
    if delta > 0:
        return ngettext("%(n)d day left", "%(n)d days left", delta) % {"n": delta}
    return ngettext("%(n)d day ago", "%(n)d days ago", -delta) % {"n": -delta}


@register.filter
def deadline_class(due: date | None, warn_days: int = 7, today: date | None = None):
    if due is None:
        return ""
    from django.utils import timezone

    delta = (due - (today or timezone.localdate())).days
    if delta < 0:
        return "deadline-lapsed"
    if delta <= warn_days:
        return "deadline-soon"
    return ""
