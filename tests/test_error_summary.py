"""The error summary of every form (dtv/forms.py, templates/includes/error_summary.html): each
error a link to its field, non-field errors first, "Error:" in the title, and messages that
say what to do."""

import importlib
import inspect
import re

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse
from django.utils import translation

from dtv.forms import InstructiveErrors, error_summary
from tests.cases.factories import CaseFactory

FORM_MODULES = [
    "cases.forms",
    "interviews.forms",
    "departure.forms",
    "partners.forms",
    "dtv.reports.forms",
    "dtv.reports.forms_lead",
    "privacy.forms",
    "dtv.notifications.forms",
    "dtv.accounts.views",
]


def _summary(page: str) -> str:
    match = re.search(r"<div [^>]*data-error-summary>(.*?)</ul>", page, re.S)
    assert match, "no error summary on the page"
    return match.group(1)


def test_every_form_of_the_project_gives_instructions():
    # The mechanism, not a list to keep up to date: every form class the apps define.
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, klass in inspect.getmembers(module, inspect.isclass):
            if not issubclass(klass, forms.BaseForm) or klass.__module__ != name:
                continue
            if issubclass(klass, AuthenticationForm):
                continue  # the login form's messages are Django's own, on purpose
            found.append(klass)
            assert issubclass(klass, InstructiveErrors), klass
    assert len(found) > 30


def test_required_messages_name_the_field_and_the_action():
    class Sample(InstructiveErrors, forms.Form):
        name = forms.CharField(label="Family name")
        when = forms.DateField(label="Date of the interview")
        kind = forms.ChoiceField(label="Kind", choices=[("a", "A")])
        agree = forms.BooleanField(label="I agree")
        own = forms.CharField(label="Own", error_messages={"required": "Say it yourself."})

    with translation.override("en"):
        form = Sample({"when": "31-02-2026"})
        assert not form.is_valid()
        assert form.errors["name"] == ["Fill in “Family name”."]
        assert form.errors["when"] == [
            "Enter a real date under “Date of the interview”, e.g. 3-12-2026."
        ]
        assert form.errors["kind"] == ["Choose an option under “Kind”."]
        assert form.errors["agree"] == ["Tick “I agree”."]
        assert form.errors["own"] == ["Say it yourself."]  # a form's own message is kept


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_summary_links_each_error_to_its_field(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    url = reverse("cases:close", args=[case.reference])
    response = _english(officer_client).post(url, {"closure_reason": "", "closed_on": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>Error: ", page)
    summary = _summary(page)
    assert re.search(r'<div class="[^"]*error-summary" tabindex="-1"', page)
    assert '<a href="#id_closure_reason" data-error-link>Choose an option under' in summary
    assert '<a href="#id_closed_on" data-error-link>Enter the date under “Closed on”.' in summary
    # The summary comes before the form, and the message is at its field too.
    assert page.index("data-error-summary") < page.index('id="id_closed_on"')
    assert page.count("Enter the date under “Closed on”.") == 2


def test_service_errors_are_listed_first_without_a_link(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    url = reverse("cases:close", args=[case.reference])
    response = _english(officer_client).post(
        url, {"closure_reason": "forced", "closed_on": "2001-01-01"}
    )
    items = re.findall(r"<li>(.*?)</li>", _summary(response.content.decode()), re.S)
    assert items == ["A case cannot be closed before the date it was opened."]


def test_a_page_without_errors_has_no_summary(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    page = officer_client.get(reverse("cases:close", args=[case.reference])).content.decode()
    assert "data-error-summary" not in page
    assert not re.search(r"<title>\s*Fout", page)


def test_summary_orders_general_errors_first_and_covers_formsets():
    class Row(InstructiveErrors, forms.Form):
        role = forms.CharField(label="Role")
        name = forms.CharField(label="Name")

    Rows = forms.formset_factory(Row)

    class Main(InstructiveErrors, forms.Form):
        note = forms.CharField(label="Note")

        def clean(self):
            raise forms.ValidationError("General problem.")

    with translation.override("en"):
        main = Main({"note": ""})
        rows = Rows({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-role": "x"})
        errors = error_summary([main, rows, main, "text", None])
    messages = [(error["anchor"], error["message"]) for error in errors]
    assert messages == [
        ("", "General problem."),
        ("id_note", "Fill in “Note”."),
        ("id_form-0-name", "Fill in “Name”."),
    ]
