"""`{% case_filter_fields filter %}`: the fields of the case filter (case list, searches),
rendered by crispy as every form is, with the rendered HTML of all fields but the search text
kept in the shared cache.

The filter form was the largest part of the case list's cost (13 crispy fields, two long
option lists). What it shows depends only on the language, whose officers it lists (a team's
or everyone's), the officers, teams and municipalities themselves (their generation, bumped
when one changes: cases.apps) and the values in the querystring; the key holds all of these.
The search text is rendered on every request and never cached: it may be a person's name.
Without a search text (the plain case list) its empty field is cached with the others."""

import hashlib

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cases.filters import FILTER_CACHE_SECONDS, FILTER_GENERATION
from dtv.cache import generation

register = template.Library()
TEMPLATE = "cases/_filter_fields.html"
UNCACHED = ("q",)
# A querystring longer than this is rendered without the cache (no entry per odd URL).
CACHEABLE_LENGTH = 600


def _key(form, names, scope) -> str | None:
    data = form.data if form.is_bound else {}
    values = [(name, data.getlist(name) if hasattr(data, "getlist") else []) for name in names]
    text = repr((form.is_bound, values))
    if len(text) > CACHEABLE_LENGTH:
        return None
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return f"cases:filter-form:{get_language()}:{scope}:{generation(FILTER_GENERATION)}:{digest}"


@register.simple_tag
def case_filter_fields(filterset):
    form = filterset.form
    fields = list(form)
    data = form.data if form.is_bound else {}
    uncached = [name for name in UNCACHED if data.get(name)]
    first = [field for field in fields if field.name in uncached]
    rest = [field for field in fields if field.name not in uncached]
    html = render_to_string(TEMPLATE, {"fields": first}) if first else mark_safe("")
    key = _key(form, [field.name for field in rest], getattr(filterset, "scope", "all"))
    cached = cache.get(key) if key else None
    if cached is None:
        cached = render_to_string(TEMPLATE, {"fields": rest})
        if key:
            cache.set(key, cached, FILTER_CACHE_SECONDS)
    # Both are SafeStrings (render_to_string's; the cache keeps the type).
    return html + cached
