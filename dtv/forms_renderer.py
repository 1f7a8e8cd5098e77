"""The form renderer: Django's own, except that the common widgets are written in Python.

Django renders every <option> of a select through a template include of its own, and every
input through two templates (the input and its attributes). With the municipality list (342
options) and the country list (about 250) on the case list's filter, that was most of the
page's time (bench/RESULTS.md). The HTML written here is the same as Django's select.html,
select_option.html, input.html and textarea.html produce, attribute for attribute
(tests/test_forms_renderer.py); other widgets keep their templates.

`bootstrap_field` writes a whole field (label, widget, errors, help text) as the crispy-forms
Bootstrap 5 pack's field.html does, for the plain widgets; the rest go to crispy itself."""

from html import escape

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# Widget templates that are nothing but {% include "django/forms/widgets/input.html" %}.
INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "hidden",
        "input",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
}


def _escape(value) -> str:
    # conditional_escape without its per-call overhead: safe strings stay as they are.
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _attrs(attrs: dict) -> str:
    # Like attrs.html: True writes the bare name, False and None write nothing.
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def render_select(widget: dict) -> str:
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{_escape(option["value"])}"{_attrs(option["attrs"])}>'
            f"{_escape(option['label'])}</option>"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _length_limit(widget: dict) -> tuple[dict, str]:
    """A text field's limit as data-maxlength and a character count after the field, instead
    of the browser's maxlength: that one cuts a pasted text off at the limit without a word,
    and what was cut is lost. The server refuses a too-long text with a message stating the
    limit; static/js/app.js keeps the count up to date (announced politely)."""
    attrs = widget["attrs"]
    limit = attrs.get("maxlength")
    if limit in (None, False) or widget.get("type") in ("hidden", "password"):
        return attrs, ""
    from django.utils.translation import gettext as _

    attrs = {name: value for name, value in attrs.items() if name != "maxlength"}
    attrs["data-maxlength"] = limit
    field_id = attrs.get("id")
    if not field_id:
        return attrs, ""
    count_id = f"{field_id}_count"
    described = attrs.get("aria-describedby")
    attrs["aria-describedby"] = f"{described} {count_id}" if described else count_id
    # Outside the f-string, so that makemessages finds the texts.
    left = _("Characters left: %(n)s")
    over = _("Too many characters: %(n)s")
    at_most = _("At most %(limit)s characters") % {"limit": limit}
    counter = (
        f'\n<div id="{_escape(count_id)}" class="form-text text-muted char-count" '
        f'aria-live="polite" data-left="{_escape(left)}" data-over="{_escape(over)}">'
        f"{_escape(at_most)}</div>"
    )
    return attrs, counter


def render_input(widget: dict) -> str:
    value = widget["value"]
    value_attr = "" if value is None else f' value="{_escape(value)}"'
    attrs, counter = _length_limit(widget)
    html = (
        f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"'
        f"{value_attr}{_attrs(attrs)}>{counter}"
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped


def render_textarea(widget: dict) -> str:
    value = widget["value"]
    attrs, counter = _length_limit(widget)
    html = (
        f'<textarea name="{_escape(widget["name"])}"{_attrs(attrs)}>\n'
        f"{_escape(value) if value else ''}</textarea>{counter}"
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return render_input(context["widget"])
        if template_name == TEXTAREA_TEMPLATE:
            return render_textarea(context["widget"])
        widget = context.get("widget") if template_name == SELECT_TEMPLATE else None
        if widget is not None and all(
            option.get("template_name", OPTION_TEMPLATE) == OPTION_TEMPLATE
            for _group, options, _index in widget["optgroups"]
            for option in options
        ):
            return render_select(widget)
        return super().render(template_name, context, request)


def _add_classes(widget, classes: str) -> None:
    # As crispy's crispy_field tag does: the widget's own classes, its class name in lower
    # case (unless already there), then the given classes that are not there yet.
    name = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    if not css:
        css = name
    elif css.find(name) == -1:
        css += f" {name}"
    present = css.split()
    for css_class in classes.split():
        if css_class not in present:
            css += f" {css_class}"
            present.append(css_class)
    widget.attrs["class"] = css


def _errors_html(field) -> str:
    # crispy's field_errors_block.html
    if not field.errors:
        return ""
    errors = "".join(
        f'\n<p id="error_{number}_{field.auto_id}"><strong>{_escape(error)}</strong></p>'
        for number, error in enumerate(field.errors, start=1)
    )
    return (
        f'\n<div id="{getattr(field.errors, "field_id", None)}_error" '
        f'class="invalid-feedback">{errors}\n</div>'
    )


def _help_html(field) -> str:
    # crispy's help_text.html: the help text is written as safe, as Django's templates do.
    if not field.help_text:
        return ""
    id_attr = f'id="{field.auto_id}_helptext" ' if field.auto_id else ""
    return f'\n<div {id_attr}class="form-text">{field.help_text}</div>'


def _field_feedback(field) -> str:
    return _errors_html(field) + _help_html(field)


def _choice_list(field, extra, star, required_class, invalid) -> str:
    # crispy's field.html with a fieldset and legend, around radio_checkbox_select.html.
    from django.utils.formats import localize

    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()), attrs)
    name = _escape(field.html_name)
    errors = _errors_html(field)
    parts = []
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(f"\n<strong>{_escape(group)}</strong>")
        for number, option in enumerate(options, start=1):
            last = group_number == len(groups) and number == len(options)
            parts.append(
                f'\n<div class="form-check">\n<input type="{_escape(option["type"])}" '
                f'class="form-check-input{invalid}" name="{name}" '
                f'value="{_escape(localize(option["value"], use_l10n=False))}"'
                f"{_attrs(option['attrs'])}>\n"
                f'<label for="{_escape(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{_escape(localize(option['label'], use_l10n=False))}</label>"
                f"{errors if last else ''}\n</div>"
            )
    described = field.aria_describedby
    described_attr = f' aria-describedby="{_escape(described)}"' if described else ""
    help_text = _help_html(field)
    html = (
        f'<div id="div_{field.auto_id}" class="mb-3{extra}">\n<fieldset{described_attr}>\n'
        f'<legend class="form-label{required_class} fs-6">{_escape(field.label)}{star}</legend>'
        f"\n<div>{''.join(parts)}\n</div>{help_text}\n</fieldset>\n</div>"
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped


def bootstrap_field(field) -> str:
    """One field as crispy's bootstrap5/field.html writes it, without the template engine.

    Covers inputs, textareas, selects, single checkboxes, radio buttons and checkbox lists;
    files, multi-widgets and hidden fields are written by crispy itself."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
    from django import forms

    widget = field.field.widget
    choice_list = isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))
    if (
        field.is_hidden
        or (field.use_fieldset and not (choice_list and field.label))
        or isinstance(widget, (forms.FileInput, forms.MultiWidget))
        or getattr(field.form, "helper", None) is not None
    ):
        return as_crispy_field(field)
    invalid = " is-invalid" if field.errors else ""
    required = field.field.required
    star = '<span class="asteriskField">*</span>' if required else ""
    required_class = " requiredField" if required else ""
    css_classes = field.css_classes()
    extra = f" {css_classes}" if css_classes else ""
    if choice_list:
        return _choice_list(field, extra, star, required_class, invalid)
    if isinstance(widget, forms.CheckboxInput):
        _add_classes(widget, f"form-check-input{invalid}")
        html = (
            f'<div class="mb-3">\n<div id="div_{field.auto_id}" class="form-check{extra}">\n'
            f"{field.as_widget()}\n"
            f'<label for="{field.id_for_label}" class="form-check-label{required_class}">'
            f"{_escape(field.label)}{star}</label>{_field_feedback(field)}\n</div>\n</div>"
        )
        return mark_safe(html)  # noqa: S308 - label and errors escaped, widget rendered safe
    base = "form-select" if isinstance(widget, forms.Select) else "form-control"
    _add_classes(widget, f"{base}{invalid}")
    label = ""
    if field.label:
        label_for = f'for="{field.id_for_label}" ' if field.id_for_label else ""
        label = (
            f'\n<label {label_for}class="form-label{required_class}">'
            f"{_escape(field.label)}{star}</label>"
        )
    html = (
        f'<div id="div_{field.auto_id}" class="mb-3{extra}">{label}\n{field.as_widget()}'
        f"{_field_feedback(field)}\n</div>"
    )
    return mark_safe(html)  # noqa: S308 - label and errors escaped, widget rendered safe
