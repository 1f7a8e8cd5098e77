"""Crispy's field HTML, remembered for the fields that show nothing of the request.

Every form field is rendered by crispy-forms' Bootstrap 5 field template in Django's template
engine: about 0.3-0.5 ms a field, most of the cost of the long form pages (bench/RESULTS.md,
"The form pages"). An empty form opened to register a case or log an interview renders the
same HTML for most of its fields for every officer: the label, the help text, the widget with
its default value and its choices. `field_html` renders such a field once with crispy's own
`as_crispy_field` and keeps the HTML in this process under a key made of everything the
field template and the widget read; any other field is rendered as before.

A field is remembered only when it shows nothing of the request or of a record:
- its form is unbound (no submitted values, so no errors and no error markup);
- the form has no crispy helper (its attributes would change the template's input);
- the field is not hidden, and its value is empty, a yes or no, the default the field itself
  declares (not an initial value the view or a record gives), or one of its own choices'
  codes (a stage, an answer), never free text or a date given by the view;
- its choices are not read from a queryset per request (a case's obstacles, household
  members): a model choice field qualifies only with the cached pairs of
  `dtv.widgets.show_choices` (municipalities, organisations), and never a list that names
  people (the officers: `show_choices(..., personal=True)`).

So no personal data is kept in the process. The key holds the values themselves, not a
version of them: a changed label, help text, attribute, choice or language is another key,
and nothing needs invalidating; a deployment starts new processes with new templates. The
store is bounded (it is emptied when full)."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import get_language

LIMIT = 2000
_remembered: dict[tuple, str] = {}


def _text(value) -> str | None:
    return None if value is None else str(value)


def _choices(choices) -> tuple | None:
    """The choices as (value, label) strings, groups nested; None when they come from a
    queryset (model instances, read per request)."""
    if isinstance(choices, ModelChoiceIterator):
        return None
    result = []
    for value, label in choices:
        if isinstance(value, ModelChoiceIteratorValue):
            return None
        if isinstance(label, (list, tuple)):
            group = _choices(label)
            if group is None:
                return None
            result.append((str(value), group))
        else:
            result.append(("" if value is None else str(value), str(label)))
    return tuple(result)


def _codes(choices: tuple) -> set[str]:
    codes = set()
    for value, label in choices:
        if isinstance(label, tuple):
            codes |= _codes(label)
        else:
            codes.add(value)
    return codes


def _attrs(attrs: dict) -> tuple:
    return tuple(sorted((name, type(value).__name__, str(value)) for name, value in attrs.items()))


def _plain_value(bound, choices) -> str | None:
    """The value as part of the key, or None when it may carry data of the request or a
    record (see the module docstring)."""
    value = bound.value()
    if value in (None, "", [], ()) or isinstance(value, bool):
        return repr(value)
    field = bound.field
    if bound.name not in bound.form.initial and not callable(field.initial):
        if value == field.initial:  # the form's own default, not the view's
            return repr(value)
    if choices is not None and isinstance(value, (str, int)) and str(value) in _codes(choices):
        return repr(value)
    return None


def key(bound) -> tuple | None:
    """Everything crispy's field template and the widget read of the bound field, or None
    when the field is not to be remembered."""
    form, field = bound.form, bound.field
    if form.is_bound or getattr(form, "helper", None) is not None or bound.is_hidden:
        return None
    widget = field.widget
    if isinstance(widget, forms.MultiWidget):  # its parts' attributes are not in the key
        return None
    choices = None
    if hasattr(widget, "choices"):
        if isinstance(field, forms.ModelChoiceField) and not getattr(
            widget, "shows_cached_choices", False
        ):
            return None
        if getattr(widget, "names_people", False):  # staff names: personal data
            return None
        choices = _choices(widget.choices)
        if choices is None:
            return None
    value = _plain_value(bound, choices)
    if value is None:
        return None
    return (
        get_language(),
        settings.CRISPY_TEMPLATE_PACK,
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        str(form.auto_id),
        form.use_required_attribute,
        getattr(form, "error_css_class", None),
        getattr(form, "required_css_class", None),
        type(form.renderer).__qualname__,
        bound.name,
        value,
        type(field).__qualname__,
        field.required,
        field.disabled,
        field.localize,
        field.show_hidden_initial,
        _text(bound.label),
        _text(bound.help_text),
        type(widget).__module__,
        type(widget).__qualname__,
        widget.template_name,
        getattr(widget, "option_template_name", None),
        getattr(widget, "input_type", None),
        getattr(widget, "format", None),
        getattr(widget, "check_test", None),
        widget.is_required,
        widget.is_localized,
        _attrs(widget.attrs),
        choices,
    )


def field_html(bound):
    """crispy's `as_crispy_field(bound)`, from the store when the field qualifies."""
    found = key(bound)
    if found is None:
        return as_crispy_field(bound)
    html = _remembered.get(found)
    if html is None:
        html = as_crispy_field(bound)
        if len(_remembered) >= LIMIT:
            _remembered.clear()
        _remembered[found] = html
    return html


def forget() -> None:
    """Empty the store (tests)."""
    _remembered.clear()
