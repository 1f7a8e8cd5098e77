"""The form renderer (dtv/widgets.py): crispy's Bootstrap 5 fields around Django's widget
templates, a text's limit as a character count, and `LargeSelect` writing the same HTML as
Django's own select."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

from dtv.widgets import FormRenderer, LargeSelect, LargeSelectMultiple
from tests.html import normal_html, parse


class Sample(forms.Form):
    text = forms.CharField(label='Naam & "bijnaam"', help_text="Zoals op papier")
    optional = forms.CharField(required=False)
    story = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    choice = forms.ChoiceField(choices=[("", "—"), ("a", "A & B")])
    agree = forms.BooleanField(label="Akkoord")
    pick = forms.ChoiceField(
        choices=[("a", "Één & <twee>"), ("b", "B")], widget=forms.RadioSelect, help_text="Kies"
    )


def test_project_uses_the_renderer():
    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), FormRenderer)
    finally:
        get_default_renderer.cache_clear()


def test_field_markup_is_accessible():
    form = Sample({"text": "", "choice": "zz", "pick": "zz"})
    assert not form.is_valid()
    text = parse(as_crispy_field(form["text"]))
    label = text.find("label")
    assert label.attrs["for"] == "id_text"
    assert label.text.strip().startswith('Naam & "bijnaam"')  # escaped in the HTML, read back here
    assert text.find("span", class_="asteriskField").text == "*"  # the required marker
    field = text.find("input")
    assert field.attrs["aria-invalid"] == "true"
    described = field.attrs["aria-describedby"].split()
    assert "id_text_helptext" in described and "id_text_error" in described
    assert text.find(id="id_text_error").text.strip()
    # A radio list is a fieldset named by its legend, pointing at its help text.
    pick = parse(as_crispy_field(form["pick"]))
    fieldset = pick.find("fieldset")
    assert fieldset.find("legend").text.strip().startswith("Pick")
    assert "id_pick_helptext" in fieldset.attrs["aria-describedby"]
    assert [node.text.strip() for node in pick.find_all("label")] == ["Één & <twee>", "B"]
    # The select marks itself as Bootstrap's, once, however often it is rendered.
    assert as_crispy_field(form["choice"]).count("form-select") == 1
    assert as_crispy_field(form["choice"]).count("form-select") == 1


def test_widgets_without_a_limit_match_django_templates():
    class Plain(forms.Form):
        single = forms.ChoiceField(choices=[("a", "<A>"), ("b", "B")], required=False)
        text = forms.CharField(required=False)
        story = forms.CharField(required=False, widget=forms.Textarea)
        when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
        secret = forms.CharField(required=False, widget=forms.HiddenInput)

    data = {"single": "a", "text": '<b>"x"', "story": "r1\n<script>&", "secret": "s'"}
    for values in ({}, data):
        ours = Plain(values, renderer=FormRenderer())
        theirs = Plain(values, renderer=DjangoTemplates())
        for name in ours.fields:
            assert normal_html(ours[name]) == normal_html(theirs[name]), name


class Limited(forms.Form):
    line = forms.CharField(max_length=5, help_text="kort")
    story = forms.CharField(max_length=20, widget=forms.Textarea)
    code = forms.CharField(max_length=5, widget=forms.HiddenInput)


def test_a_length_limit_is_a_count_not_a_silent_cut():
    # The browser's maxlength cuts a paste off without a word: the limit is written as
    # data-maxlength with a character count that the field refers to.
    form = Limited()
    for name, limit in (("line", 5), ("story", 20)):
        html = parse(str(form[name]))
        field = html.find(attrs={"name": name})
        assert "maxlength" not in field.attrs
        assert field.attrs["data-maxlength"] == str(limit)
        count = html.find(id=f"id_{name}_count")
        assert "char-count" in count.attrs["class"]
        assert count.attrs["aria-live"] == "polite"
        assert str(limit) in count.text
        assert f"id_{name}_count" in field.attrs["aria-describedby"]
    line = parse(str(form["line"])).find("input")
    assert line.attrs["aria-describedby"] == "id_line_helptext id_line_count"
    assert "char-count" not in str(form["code"])  # nothing to count on a hidden field


def test_too_long_text_is_refused_with_its_limit():
    form = Limited({"line": "x" * 9, "story": "y", "code": ""})
    assert not form.is_valid()
    assert "5" in form.errors["line"][0] and "9" in form.errors["line"][0]


CHOICES = [
    ("", "—"),
    ("a", 'Ämsterdam & "Zuid" <script>'),
    ("Groep", [("b", "B"), ("c", "C")]),
    (3, "Drie"),
    ("a", "A again"),
]


@pytest.mark.parametrize("value", [None, "", "a", "c", 3, "missing"])
def test_large_select_matches_django(value):
    ours = LargeSelect(choices=CHOICES, attrs={"class": "form-select"})
    theirs = forms.Select(choices=CHOICES, attrs={"class": "form-select"})
    assert normal_html(ours.render("n", value, {"id": "id_n"})) == normal_html(
        theirs.render("n", value, {"id": "id_n"})
    )
    assert "<script>" not in ours.render("n", value)


@pytest.mark.parametrize("value", [None, [], ["a"], ["b", 3], ["a", "zz"]])
def test_large_select_multiple_matches_django(value):
    ours = LargeSelectMultiple(choices=CHOICES)
    theirs = forms.SelectMultiple(choices=CHOICES)
    assert normal_html(ours.render("n", value)) == normal_html(theirs.render("n", value))
    if value:
        assert "selected" in ours.render("n", value) or value == ["zz"]


def test_an_option_with_a_template_of_its_own_keeps_it(tmp_path, settings):
    # The select override writes the default option in place; any other option template
    # is still included.
    (tmp_path / "own_option.html").write_text("<option data-own>{{ widget.label }}</option>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]

    class OwnSelect(forms.Select):
        option_template_name = "own_option.html"

    html = OwnSelect(choices=[("a", "A & B")]).render("n", "a", renderer=FormRenderer())
    assert parse(html).find("option").attrs == {"data-own": ""}
    assert "A &amp; B" in html
