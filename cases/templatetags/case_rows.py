"""Filters for the case tables: the rows of the case list and the worklist (cases/jinja2/cases/,
through dtv/jinja_env.py) and the other lists of cases that show a case's reference, name
and deadline."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cases import registry

register = template.Library()
PLACEHOLDER = "TK-PLACEHOLDER"


@lru_cache(maxsize=16)
def _detail_pattern(prefix: str, urlconf) -> str:
    # `prefix` and `urlconf` are part of the key only: reverse() reads them itself.
    return reverse("cases:detail", args=[PLACEHOLDER])


@register.filter
def case_url(reference: str) -> str:
    """The case page's URL, `{% url 'cases:detail' reference %}` with one reverse() per
    process instead of one per row (a reference is letters, digits and a hyphen, so the
    placeholder can be replaced as text; the result is escaped by the template)."""
    return _detail_pattern(get_script_prefix(), get_urlconf()).replace(PLACEHOLDER, reference)


@register.filter
def deadline_label(rule):
    """The label of a stored most urgent deadline (Case.next_deadline_rule)."""
    return registry.deadline_label(rule or "")


@register.simple_tag
def minor_badge(person, today=None):
    """`{% minor_badge person today %}`: the badge of a person younger than 18 (from the date
    of birth), with a leading space; nothing for an adult. It says it in words, so it reads
    the same aloud."""
    if not person.is_minor_on(today or timezone.localdate()):
        return ""
    return format_html(' <span class="badge badge-minor text-bg-warning">{}</span>', _("minor"))
