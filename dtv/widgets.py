"""A select for long choice lists that rarely change (countries, languages, municipalities).

Django builds a dictionary per option (`Select.optgroups`) on every render; with the 342
municipalities and some 250 countries on the case list's filter, that was a large share of
the page (bench/RESULTS.md). Here the options' HTML is built once per distinct choice list
(the list includes the labels, so each language has its own) and only the selected options
are marked per render. The HTML is the same as Django's select.html writes
(tests/test_widgets.py)."""

from functools import lru_cache
from html import escape

from django import forms
from django.utils.safestring import mark_safe

from dtv.forms_renderer import _attrs, _escape


def _flatten(choices) -> tuple:
    """(group label or None, ((value, label), ...)) per group, as hashable strings."""
    groups = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            options = tuple(("" if v is None else str(v), str(lbl)) for v, lbl in label)
            groups.append((str(value), options))
        else:
            groups.append((None, (("" if value is None else str(value), str(label)),)))
    return tuple(groups)


@lru_cache(maxsize=64)
def _options(groups: tuple) -> tuple[tuple[str, ...], dict[str, list[int]]]:
    """The rendered options (each selected-marker-free) and, per value, their positions."""
    parts: list[str] = []
    positions: dict[str, list[int]] = {}
    for group, options in groups:
        if group is not None:
            parts.append(f'\n  <optgroup label="{escape(group)}">')
        for value, label in options:
            positions.setdefault(value, []).append(len(parts))
            parts.append(f'\n  <option value="{escape(value)}">{escape(label)}</option>')
        if group is not None:
            parts.append("\n  </optgroup>")
    return tuple(parts), positions


class LargeSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        parts, positions = _options(_flatten(self.choices))
        chosen = [position for v in self.format_value(value) for position in positions.get(v, ())]
        if not self.allow_multiple_selected:
            chosen = sorted(chosen)[:1]  # like Django: only the first match is selected
        if chosen:
            parts = list(parts)
            for position in chosen:
                parts[position] = parts[position].replace('">', '" selected>', 1)
        html = f'<select name="{_escape(name)}"{_attrs(final_attrs)}>{"".join(parts)}\n</select>'
        return mark_safe(html)  # noqa: S308 - every value above is escaped


class LargeSelectMultiple(LargeSelect, forms.SelectMultiple):
    allow_multiple_selected = True
