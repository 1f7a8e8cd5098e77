"""Stale-edit protection for every edit form: of two people editing the same record at once,
the second save is refused and shown what the first one changed, instead of silently
overwriting it.

The version a form was opened at is the (signed) snapshot of the values it showed: a hidden
field `edit_version` that `StaleEditMixin` adds to the form. On save, `unchanged_since_opened`
locks the record, builds the same form for it as it is now, and compares the two snapshots
inside the transaction of the save. Any model, any form (a ModelForm or a form filled from
`initial`), no version column needed. Case and interview edits also count a `version` column
that their services check; it answers the same question.

    with edits.unchanged_since_opened(form, lambda: ProcedureForm(instance=locked())):
        services.update_procedure(...)

`EditConflict` is a ValidationError, so the view's `except ValidationError` shows it as a form
error; the form is given the current version, so saving again (after reading what changed)
is a deliberate overwrite."""

import datetime
from contextlib import contextmanager

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

FIELD = "edit_version"
_SALT = "dtv.edits"


class EditConflict(ValidationError):
    def __init__(self, changes: list[tuple[str, str, str]]):
        # (field label, the value when this user opened the form, the value saved since)
        self.changes = changes
        messages = [
            _(
                "Someone else saved this while you were editing it. Your changes were not "
                "saved; check what they changed and save again."
            )
        ]
        messages += [
            _("%(field)s: “%(before)s” is now “%(after)s”.")
            % {"field": label, "before": before or "—", "after": after or "—"}
            for label, before, after in changes
        ]
        super().__init__(messages, code="edit_conflict")


def _text(value) -> str | list[str]:
    if isinstance(value, list | tuple | set):
        return sorted(str(_prepared(v)) for v in value)
    value = _prepared(value)
    return "" if value is None else str(value)


def _prepared(value):
    if hasattr(value, "pk"):
        return value.pk
    return value


def snapshot(form: forms.BaseForm) -> dict:
    """The values an unbound form shows, by field name, as text."""
    values = {}
    for name, field in form.fields.items():
        if name == FIELD:
            continue
        if callable(field.initial) and name not in form.initial:
            continue  # "today" and the like: no value of the record
        # As BoundField.initial has it, without caching a bound field (the form's __init__
        # may still set initial values after the mixin's).
        value = form.get_initial_for_field(field, name)
        if isinstance(value, datetime.datetime | datetime.time) and not getattr(
            field.widget, "supports_microseconds", True
        ):
            value = value.replace(microsecond=0)
        values[name] = _text(field.prepare_value(value))
    return values


def _display(form, name: str, value) -> str:
    field = form.fields.get(name)
    choices = dict((str(k), v) for k, v in getattr(field, "choices", None) or [] if k != "")
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    return str(choices.get(value, value))


class StaleEditMixin:
    """Carries the version the form was opened at (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)

    def get_initial_for_field(self, field, field_name):
        if field_name == FIELD:
            # Computed when rendered, once the form is complete.
            return signing.dumps(snapshot(self), salt=_SALT, compress=True)
        return super().get_initial_for_field(field, field_name)

    def full_clean(self):
        super().full_clean()
        # The version is read from the posted data by the check; the service gets the fields.
        if hasattr(self, "cleaned_data"):
            self.cleaned_data.pop(FIELD, None)

    def opened_snapshot(self) -> dict | None:
        """The snapshot the form was opened with; None when the post carries none (a client
        other than the form); {} when it was tampered with."""
        token = self.data.get(self.add_prefix(FIELD)) if self.is_bound else None
        if not token:
            return None
        try:
            return signing.loads(token, salt=_SALT)
        except signing.BadSignature:
            return {}


@contextmanager
def unchanged_since_opened(form: StaleEditMixin, current_form):
    """Run the save inside one transaction, after checking under a row lock that the record
    still shows what `form` was opened with. `current_form()` returns the unbound form for the
    record as it is now, read with select_for_update()."""
    with transaction.atomic():
        opened = form.opened_snapshot()
        if opened is not None:
            current_form_now = current_form()
            now = snapshot(current_form_now)
            changes = [
                (
                    capfirst(str(current_form_now.fields[name].label or name)),
                    _display(current_form_now, name, opened.get(name, "")),
                    _display(current_form_now, name, value),
                )
                for name, value in now.items()
                if opened.get(name) != value
            ]
            if changes or not opened:
                data = form.data.copy()
                data[form.add_prefix(FIELD)] = signing.dumps(now, salt=_SALT, compress=True)
                form.data = data
                raise EditConflict(changes)
        yield
