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
    text = forms.CharField(required=False)
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


class Limited(forms.Form):
    line = forms.CharField(max_length=5, help_text="kort")
    story = forms.CharField(max_length=20, widget=forms.Textarea)
    code = forms.CharField(max_length=5, widget=forms.HiddenInput)


def test_a_length_limit_is_a_count_not_a_silent_cut():
    # The browser's maxlength cuts a paste off without a word: the limit is written as
    # data-maxlength with a character count that the field refers to.
    form = Limited(renderer=FormRenderer())
    line, story = str(form["line"]), str(form["story"])
    for html, name, limit in ((line, "line", 5), (story, "story", 20)):
        assert "maxlength=" not in html.replace("data-maxlength=", "")
        assert f'data-maxlength="{limit}"' in html
        assert f'<div id="id_{name}_count" class="form-text text-muted char-count" ' in html
        assert 'aria-live="polite"' in html
    assert 'aria-describedby="id_line_helptext id_line_count"' in line
    assert "char-count" not in str(form["code"])  # nothing to count on a hidden field


def test_too_long_text_is_refused_with_its_limit():
    form = Limited({"line": "x" * 9, "story": "y", "code": ""}, renderer=FormRenderer())
    assert not form.is_valid()
    assert "5" in form.errors["line"][0] and "9" in form.errors["line"][0]


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
