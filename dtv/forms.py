"""What every form shares: error messages that say what to do, and the error summary.

A required field left empty says "Fill in “Date of birth”." (or "Choose …", "Tick …"), not
Django's "This field is required."; a date that is no date says how to write one. Forms get
this by inheriting `InstructiveErrors` (cases.forms.CleanTextMixin does, so nearly every form
has it); a message a form sets itself is kept.

`error_summary(context)` collects the errors of the bound forms and formsets of a page for
the summary at the top of it (templates/includes/error_summary.html), each with the id of the
field it links to, non-field errors first."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.formsets import BaseFormSet
from django.forms.utils import pretty_name
from django.utils.translation import gettext as _


def _label(form, name: str) -> str:
    field = form.fields[name]
    return str(field.label) if field.label else pretty_name(name)


def _required_message(field: forms.Field, label: str) -> str:
    if isinstance(field, forms.BooleanField):
        return _("Tick “%(label)s”.") % {"label": label}
    if isinstance(field, forms.FileField):
        return _("Choose a file for “%(label)s”.") % {"label": label}
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
        return _("Choose an option under “%(label)s”.") % {"label": label}
    if isinstance(field, forms.DateTimeField):
        return _("Enter the date and time under “%(label)s”.") % {"label": label}
    if isinstance(field, forms.DateField):
        return _("Enter the date under “%(label)s”.") % {"label": label}
    return _("Fill in “%(label)s”.") % {"label": label}


def _invalid_message(field: forms.Field, label: str) -> str | None:
    if isinstance(field, forms.DateTimeField):
        return _("Enter a real date and time under “%(label)s”, e.g. 3-12-2026 14:30.") % {
            "label": label
        }
    if isinstance(field, forms.DateField):
        return _("Enter a real date under “%(label)s”, e.g. 3-12-2026.") % {"label": label}
    if isinstance(field, forms.IntegerField):
        return _("Enter a whole number under “%(label)s”.") % {"label": label}
    if isinstance(field, forms.DecimalField):
        return _("Enter an amount under “%(label)s”, e.g. 250,00.") % {"label": label}
    return None


def _is_default(field: forms.Field, code: str) -> bool:
    # A message the form's author set is kept: only Django's own defaults are replaced.
    message = field.error_messages.get(code)
    for klass in type(field).__mro__:
        if message is getattr(klass, "default_error_messages", {}).get(code):
            return True
    return False


def give_instructions(form) -> None:
    """Replace Django's default 'required' and 'invalid' messages of the form's fields by
    instructions naming the field."""
    for name, field in form.fields.items():
        label = _label(form, name)
        if _is_default(field, "required"):
            field.error_messages["required"] = _required_message(field, label)
        invalid = _invalid_message(field, label)
        if invalid and _is_default(field, "invalid"):
            field.error_messages["invalid"] = invalid
        if isinstance(field, forms.ChoiceField) and _is_default(field, "invalid_choice"):
            field.error_messages["invalid_choice"] = _(
                "Choose one of the options under “%(label)s”."
            ) % {"label": label}


class InstructiveErrors:
    def full_clean(self):
        # At validation, not in __init__: the form's own __init__ may still relabel fields.
        give_instructions(self)
        super().full_clean()


def _field_anchor(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{bound_field.auto_id}_0"  # the first option, as Django numbers them
    return bound_field.id_for_label or bound_field.auto_id or ""


def _form_errors(form) -> tuple[list[dict], list[dict]]:
    general, fields = [], []
    for message in form.non_field_errors():
        general.append({"message": message, "anchor": ""})
    for bound_field in form:
        for message in bound_field.errors:
            if bound_field.is_hidden:
                # A hidden field (a version, an id) has nothing to go to.
                general.append({"message": message, "anchor": ""})
            else:
                label = str(bound_field.label or "")
                # "Label: message", unless the message names the field itself.
                text = message if not label or label in message else f"{label}: {message}"
                fields.append({"message": text, "anchor": _field_anchor(bound_field)})
    # Errors under a name that is not a field of the form (added by a service) count as general.
    known = set(form.fields) | {NON_FIELD_ERRORS}
    for name, messages in form.errors.items():
        if name not in known:
            general.extend({"message": message, "anchor": ""} for message in messages)
    return general, fields


def _bound_with_errors(value) -> bool:
    if isinstance(value, forms.BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    return False


def error_summary(values) -> list[dict]:
    """The errors of every bound form and formset among `values` (a template context's
    values), non-field errors first, then each field's in the order of the forms."""
    general, fields = [], []
    seen: set[int] = set()
    for value in values:
        if id(value) in seen or not _bound_with_errors(value):
            continue
        seen.add(id(value))
        forms_of_value = [value]
        if isinstance(value, BaseFormSet):
            general.extend({"message": m, "anchor": ""} for m in value.non_form_errors())
            forms_of_value = list(value.forms)
        for form in forms_of_value:
            if id(form) in seen and form is not value:
                continue
            seen.add(id(form))
            form_general, form_fields = _form_errors(form)
            general.extend(form_general)
            fields.extend(form_fields)
    return general + fields
