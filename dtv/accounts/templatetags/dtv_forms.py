from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def form_errors(context):
    """The errors of the page's bound forms for the error summary (dtv/forms.py), read from
    the template context so that every form gets the summary without its view saying so."""
    from dtv.forms import error_summary

    return error_summary(context.flatten().values())


@register.filter
def as_cached_crispy_field(field):
    """`{{ form.field|as_cached_crispy_field }}`: crispy's `|as_crispy_field`, its HTML
    remembered for a field that shows nothing of the request (dtv/fields.py)."""
    from dtv.fields import field_html

    return field_html(field)
