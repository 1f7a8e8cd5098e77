"""The Python-written select is the same HTML as Django's templates write, up to the
whitespace between tags."""

import re

from django import forms
from django.forms.renderers import DjangoTemplates

from dtv.forms_renderer import FormRenderer

CHOICES = [
    ("", "—"),
    ("a", 'Ämsterdam & "Zuid" <script>'),
    ("Groep", [("b", "B"), ("c", "C")]),
    (3, "Drie"),
]


class Sample(forms.Form):
    single = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(
        choices=CHOICES[1:], required=False, widget=forms.SelectMultiple(attrs={"class": "x"})
    )
    flag = forms.NullBooleanField(required=False)
    text = forms.CharField(required=False, max_length=5)
    story = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    agree = forms.BooleanField(required=False)
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(required=False)
    secret = forms.CharField(required=False, widget=forms.HiddenInput)


def _fields(renderer, data):
    form = Sample(data, renderer=renderer)
    # Whitespace between tags differs (Django's option template ends in a newline).
    return [re.sub(r">\s+<", "><", str(form[name])) for name in form.fields]


def test_widget_html_matches_django_templates():
    full = {
        "single": "c",
        "many": ["a", "3"],
        "flag": "true",
        "text": '<b>"x"',
        "story": "regel 1\n<script>&",
        "agree": "on",
        "when": "2026-02-30",
        "count": "12",
        "secret": "s'",
    }
    for data in ({}, full):
        assert _fields(FormRenderer(), data) == _fields(DjangoTemplates(), data)


def test_option_labels_are_escaped():
    html = str(Sample({"single": "a"}, renderer=FormRenderer())["single"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<option value="a" selected>' in html


def test_project_uses_the_renderer(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), FormRenderer)
    finally:
        get_default_renderer.cache_clear()
