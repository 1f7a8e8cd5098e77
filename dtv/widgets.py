"""The form renderer and the project's own widget.

Every form is rendered by crispy-forms' Bootstrap 5 pack (`{{ form|crispy }}`,
`{{ form.field|as_crispy_field }}`); the widgets inside its field templates by Django's own
widget templates, through `FormRenderer`, with the project's templates first (overrides in
templates/django/forms/widgets/).

`LargeSelect` is a select for long choice lists that rarely change (countries, languages,
municipalities). Django builds a dictionary per option (`Select.optgroups`) and renders it
through a template on every render; with the 342 municipalities and some 250 countries on the
case list's filter, that was a large share of the page (bench/RESULTS.md). Here the options
are built once per distinct choice list (the list includes the labels, so each language has
its own) with format_html, and only the selected options are rebuilt per render; the select
itself is a template (templates/dtv/widgets/large_select.html). The HTML is the same as
Django's select.html writes (tests/test_widgets.py)."""

from functools import lru_cache

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join

# The widget templates that write an <input> (all include input.html) and the textarea.
COUNTED_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "color",
        "date",
        "datetime",
        "email",
        "input",
        "number",
        "search",
        "tel",
        "text",
        "textarea",
        "time",
        "url",
    )
}
OPTION = '\n  <option value="{}">{}</option>'
SELECTED_OPTION = '\n  <option value="{}" selected>{}</option>'


def length_limit(widget: dict) -> None:
    """A text field's limit as data-maxlength and a character count after the field
    (templates/includes/char_count.html), instead of the browser's maxlength: that one cuts
    a pasted text off at the limit without a word, and what was cut is lost. The server
    refuses a too-long text with a message stating the limit; static/js/app.js keeps the
    count up to date (announced politely)."""
    attrs = widget["attrs"]
    limit = attrs.get("maxlength")
    if limit in (None, False) or widget.get("type") in ("hidden", "password"):
        return
    attrs = {name: value for name, value in attrs.items() if name != "maxlength"}
    attrs["data-maxlength"] = limit
    field_id = attrs.get("id")
    if field_id:
        count_id = f"{field_id}_count"
        described = attrs.get("aria-describedby")
        attrs["aria-describedby"] = f"{described} {count_id}" if described else count_id
        widget["count"] = {"id": field_id, "limit": limit}
    widget["attrs"] = attrs


class FormRenderer(TemplatesSetting):
    """Django's templates-setting renderer: widget templates are looked up in the project's
    template engine, so templates/django/forms/widgets/ overrides Django's own. Inputs and
    textareas get their length limit as a count (length_limit) before they are rendered."""

    def render(self, template_name, context, request=None):
        if template_name in COUNTED_TEMPLATES and "widget" in context:
            length_limit(context["widget"])
        return super().render(template_name, context, request)


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
def _options(groups: tuple) -> tuple[tuple, dict[str, list[int]], dict[int, tuple]]:
    """The options' HTML (format_html escapes), none selected; per value its positions, and
    per position its value and label, to write a selected option in its place."""
    parts: list = []
    positions: dict[str, list[int]] = {}
    labels: dict[int, tuple[str, str]] = {}
    for group, options in groups:
        if group is not None:
            parts.append(format_html('\n  <optgroup label="{}">', group))
        for value, label in options:
            positions.setdefault(value, []).append(len(parts))
            labels[len(parts)] = (value, label)
            parts.append(format_html(OPTION, value, label))
        if group is not None:
            parts.append(format_html("{}  </optgroup>", "\n"))
    return tuple(parts), positions, labels


@lru_cache(maxsize=256)
def _rendered(groups: tuple, chosen: tuple[int, ...]):
    """All options with those at the `chosen` positions selected, as one safe string (a
    filter's usual selections recur: the empty choice, a team's municipality)."""
    parts, _positions, labels = _options(groups)
    if chosen:
        parts = list(parts)
        for position in chosen:
            parts[position] = format_html(SELECTED_OPTION, *labels[position])
    return format_html_join("", "{}", ((part,) for part in parts))


class LargeSelect(forms.Select):
    template_name = "dtv/widgets/large_select.html"

    def get_context(self, name, value, attrs):
        # forms.Widget's context (name, value, attrs, template), not Select's optgroups.
        context = forms.Widget.get_context(self, name, value, attrs)
        if self.allow_multiple_selected:
            context["widget"]["attrs"]["multiple"] = True
        groups = _flatten(self.choices)
        positions = _options(groups)[1]
        chosen = [position for v in self.format_value(value) for position in positions.get(v, ())]
        if not self.allow_multiple_selected:
            chosen = sorted(chosen)[:1]  # like Django: only the first match is selected
        context["widget"]["options"] = _rendered(groups, tuple(sorted(set(chosen))))
        return context


class LargeSelectMultiple(LargeSelect, forms.SelectMultiple):
    allow_multiple_selected = True


def show_choices(field: forms.ModelChoiceField, pairs, *, personal: bool = False) -> None:
    """Let a model choice field show the (value, label) pairs given, typically a list kept in
    the cache, instead of reading its queryset on every render (one query and a model instance
    per option). The field still validates a submitted value against its queryset, so a
    choice that is no longer valid is refused as before. A plain select becomes a LargeSelect
    (the same HTML, its options built once per list); other widgets (checkboxes) keep theirs.
    Call it after the queryset is set: setting the queryset puts its own choices back.
    `personal`: the labels name people (staff), so the rendered field is never kept in a
    process between requests (dtv/fields.py); the list itself stays in the shared cache."""
    choices = list(pairs)
    if getattr(field, "empty_label", None) is not None:
        choices.insert(0, ("", field.empty_label))
    widget = field.widget
    replacement = {forms.Select: LargeSelect, forms.SelectMultiple: LargeSelectMultiple}.get(
        type(widget)
    )
    if replacement is not None:
        new = replacement(attrs=widget.attrs)
        new.is_required = widget.is_required
        new.is_localized = widget.is_localized
        field.widget = widget = new
    widget.choices = choices
    # The same list for every request (dtv/fields.py may remember the rendered field).
    widget.shows_cached_choices = True
    widget.names_people = personal
