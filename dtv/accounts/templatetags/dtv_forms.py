from django import template

from dtv.forms_renderer import bootstrap_field

register = template.Library()

# {{ form.field|bootstrap_field }}: the same HTML as crispy's |as_crispy_field, written in
# Python (dtv/forms_renderer.py).
register.filter("bootstrap_field", bootstrap_field)


@register.simple_tag(takes_context=True)
def form_errors(context):
    """The errors of the page's bound forms for the error summary (dtv/forms.py), read from
    the template context so that every form gets the summary without its view saying so."""
    from dtv.forms import error_summary

    return error_summary(context.flatten().values())
