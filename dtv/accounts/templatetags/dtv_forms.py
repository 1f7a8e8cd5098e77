from django import template

from dtv.forms_renderer import bootstrap_field

register = template.Library()

# {{ form.field|bootstrap_field }}: the same HTML as crispy's |as_crispy_field, written in
# Python (dtv/forms_renderer.py).
register.filter("bootstrap_field", bootstrap_field)
