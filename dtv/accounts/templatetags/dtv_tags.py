from datetime import date, datetime

from django import template
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dtv import text

register = template.Library()


@register.simple_tag
def jinja_include(template_name, **context):
    """`{% jinja_include "cases/case_rows.html" rows=page_obj.object_list today=today %}`: a
    template of the Jinja2 backend (cases/jinja2/, dtv/jinja_env.py) rendered with exactly the
    given variables, inside a Django template. For the parts a page repeats per row, where
    the Django engine is the cost (issue 22). Jinja2 escapes as Django does (autoescape)."""
    return mark_safe(engines["jinja2"].get_template(template_name).render(context))


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


@register.filter(expects_localtime=True)
def date_text(value):
    """A date (or a datetime's local date) in the active language's DATE_FORMAT, as
    `{{ value }}` writes a date, remembered per language (dtv/text.py)."""
    if isinstance(value, datetime):
        value = value.date()
    return text.date_text(value)


@register.filter(expects_localtime=True)
def local_date(value):
    """A datetime's date in the active time zone."""
    return value.date() if isinstance(value, datetime) else value


@register.filter
def label(instance, field_name):
    """The label of a choice field's value: `{{ case|label:"phase" }}` is
    `{{ case.get_phase_display }}`, remembered per language (dtv/text.py)."""
    return text.field_label(instance, field_name)


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


@register.simple_tag
def rule_period(key):
    """A period of the rules table in words ("14 days"), for labels in templates."""
    from dtv import rules

    return rules.label(key)


@register.simple_tag
def rule_value(key):
    """A number of the rules table (a week number, a count), for labels in templates."""
    from dtv import rules

    return rules.value(key)
