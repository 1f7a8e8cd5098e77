"""`|bootstrap_field` writes the same HTML as crispy's `|as_crispy_field` (up to whitespace),
for every field of the project's busiest forms, unbound and with errors; and `LargeSelect`
writes the same HTML as Django's own select."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from cases.filters import CaseFilter
from cases.forms import PersonEditForm
from dtv.forms_renderer import bootstrap_field
from dtv.widgets import LargeSelect, LargeSelectMultiple
from interviews.forms import InterviewForm
from tests.cases.factories import CaseFactory
from tests.html import normal_html


class Sample(forms.Form):
    text = forms.CharField(
        label='Naam & "bijnaam"', max_length=20, help_text="Zoals <b>op</b> papier"
    )
    optional = forms.CharField(required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "class": "extra"}))
    story = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    choice = forms.ChoiceField(choices=[("", "—"), ("a", "A & B")])
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    agree = forms.BooleanField(label="Akkoord")
    optional_flag = forms.BooleanField(required=False, help_text="Uitleg")
    radio = forms.ChoiceField(choices=[("x", "X")], widget=forms.RadioSelect, required=False)
    pick = forms.ChoiceField(
        choices=[("a", "Één & <twee>"), ("Groep", [("b", "B"), ("c", "C")])],
        widget=forms.RadioSelect,
        help_text="Kies één",
    )
    boxes = forms.MultipleChoiceField(
        choices=[(1, "Een"), (2, "Twee"), (3, "Drie")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Meer mag",
    )
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    number = forms.IntegerField(required=False)


def _assert_same_fields(ours, theirs):
    for name in ours.fields:
        written = normal_html(bootstrap_field(ours[name]))
        assert written == normal_html(as_crispy_field(theirs[name])), name


def _pairs(make):
    """Two forms built alike, one for each renderer."""
    return make(), make()


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"pick": "b", "boxes": ["1", "3"]},
        {
            "text": "x" * 30,
            "when": "31-02-2026",
            "choice": "zz",
            "many": ["c"],
            "number": "x",
            "pick": "zz",
        },
    ],
)
def test_sample_fields_match_crispy(data):
    ours, theirs = _pairs(lambda: Sample(data))
    _assert_same_fields(ours, theirs)
    if data:
        assert ours.errors  # the bound case really compares fields with errors


def test_rendering_twice_adds_no_class_twice():
    form = Sample()
    first = normal_html(bootstrap_field(form["choice"]))
    assert normal_html(bootstrap_field(form["choice"])) == first
    assert first.count("form-select") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"q": "x" * 200, "phase": ["nope"], "opened_after": "x"}])
def test_case_filter_fields_match_crispy(officer, data):
    ours, theirs = _pairs(lambda: CaseFilter(data, user=officer).form)
    _assert_same_fields(ours, theirs)


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"stage": "nope", "held_at": "gisteren", "report": ""}])
def test_interview_form_fields_match_crispy(officer, data):
    case = CaseFactory(officer=officer, team=officer.team)
    ours, theirs = _pairs(lambda: InterviewForm(data, case=case))
    if data:
        assert not ours.is_valid()
        theirs.is_valid()
    _assert_same_fields(ours, theirs)


@pytest.mark.django_db
def test_person_form_fields_match_crispy(officer):
    case = CaseFactory(officer=officer, team=officer.team)
    ours, theirs = _pairs(lambda: PersonEditForm(initial=PersonEditForm.initial_for(case.person)))
    _assert_same_fields(ours, theirs)


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


@pytest.mark.parametrize("value", [None, [], ["a"], ["b", 3], ["a", "zz"]])
def test_large_select_multiple_matches_django(value):
    ours = LargeSelectMultiple(choices=CHOICES)
    theirs = forms.SelectMultiple(choices=CHOICES)
    assert normal_html(ours.render("n", value)) == normal_html(theirs.render("n", value))
    if value:
        assert "selected" in ours.render("n", value) or value == ["zz"]
