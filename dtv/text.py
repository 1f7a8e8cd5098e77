"""Dates and choice labels as text, remembered per language.

Formatting a date through Django looks the format and the month's name up in the active
translation, and get_FOO_display() rebuilds a dictionary of the field's choices on every
call; pages that list a hundred cases did either thousands of times per request (bench/
RESULTS.md). Both depend only on the value and the language, so they are computed once per
process and language. Templates use them as filters: `{{ case.opened_on|date_text }}`,
`{{ case|label:"phase" }}` (dtv/accounts/templatetags/dtv_tags.py)."""

from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def date_text(value: date | None) -> str:
    """The date in the active language's DATE_FORMAT, as `{{ value }}` writes it."""
    if value is None:
        return ""
    return _date_text(value, get_language())


@lru_cache(maxsize=8192)
def _date_text(value: date, language: str | None) -> str:
    # Called with `language` active (see date_text); the key keeps languages apart.
    return date_format(value)


def _shown(value):
    if isinstance(value, date):
        return date_text(value)
    return value() if callable(value) else value


def _formatted(language, template, values) -> str:
    with translation.override(language):
        return str(template) % {key: _shown(value) for key, value in values.items()}


_formatted_lazy = lazy(_formatted, str)


def formatted_when_shown(template, /, **values):
    """`template % values` as a lazy string, formatted only when it is shown (str(), a
    template, a model field) and then in the language active now, when it was made: the
    same text as formatting it now, without the work for a text nobody reads (the deadline
    engine's explanations, of which a refresh of every case reads none). `template` is a
    gettext_lazy string; among the values a date is written as date_text writes it and a
    callable (a rule's period label) is called then."""
    return _formatted_lazy(get_language(), template, values)


def choice_label(choices, value) -> str:
    """The label of `value` in a TextChoices/IntegerChoices class, in the active language."""
    return _labels(choices, get_language()).get(value, "" if value is None else str(value))


@lru_cache(maxsize=256)
def _labels(choices, language: str | None) -> dict:
    return {member.value: str(member.label) for member in choices}


def field_label(instance, field_name: str) -> str:
    """The label of a model instance's choice field's value, as get_FOO_display() gives it,
    in the active language."""
    value = getattr(instance, field_name)
    labels = _field_labels(type(instance), field_name, get_language())
    return labels.get(value, "" if value is None else str(value))


@lru_cache(maxsize=256)
def _field_labels(model, field_name: str, language: str | None) -> dict:
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}


def require_length(text: str, *, limit: int, what) -> str:
    """`text` unchanged, or a ValidationError stating the limit: a service never cuts a text
    to fit its column without a word."""

    if len(text) > limit:
        raise ValidationError(
            _("%(what)s can be at most %(limit)d characters long; it is %(count)d.")
            % {"what": what, "limit": limit, "count": len(text)},
            code="max_length",
        )
    return text
