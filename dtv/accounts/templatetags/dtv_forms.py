from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def form_errors(context):
    """The errors of the page's bound forms for the error summary (dtv/forms.py), read from
    the template context so that every form gets the summary without its view saying so."""
    from dtv.forms import error_summary

    return error_summary(context.flatten().values())
