"""Crispy's field HTML remembered for fields that show nothing of the request (dtv/fields.py),
and the model choice fields shown from cached lists (dtv.widgets.show_choices): the same HTML
as crispy writes without either, nothing of a record or a submission kept, a new officer or
organisation shown at once, and a submitted choice still checked against the queryset."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.urls import reverse
from django.utils import timezone

from cases.forms import CaseCreateForm, CaseEditForm
from cases.models import Case
from directory.models import Municipality, Organisation
from dtv import fields
from interviews.forms import InterviewForm
from partners.forms import MeetingForm
from tests.accounts.factories import OfficerFactory
from tests.cases.factories import CaseFactory, ObstacleFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_store():
    fields.forget()
    yield
    fields.forget()


def _interview_form(case, officer, **initial):
    form = InterviewForm(
        case=case,
        user=officer,
        initial={"stage": "progress", "held_at": timezone.localtime(), **initial},
    )
    form.list_obstacles_once()
    return form


def _forms(officer):
    case = CaseFactory(
        team=officer.team,
        officer=officer,
        departure_plan="Terugkeer naar Casablanca",
        decision_on=timezone.localdate(),
    )
    ObstacleFactory(case=case, description="Paspoort kwijt bij Yusuf")
    Organisation.objects.create(kind="coa", name="AZC Ter Apel")
    Municipality.objects.create(name="Testgemeente", code="GM9998")
    return [
        CaseCreateForm(team=officer.team),
        _interview_form(case, officer),
        MeetingForm(team=officer.team),
        CaseEditForm(instance=case),
        CaseCreateForm({"v_nummer": "12", "nationality": "XX"}, team=officer.team),
    ]


def test_every_field_is_what_crispy_writes(officer):
    remembered = 0
    for form in _forms(officer):
        for bound in form:
            plain = as_crispy_field(bound)
            assert fields.field_html(bound) == plain, bound.name
            assert fields.field_html(bound) == plain, bound.name  # from the store
            remembered += fields.key(bound) is not None
    # The empty forms are mostly remembered (so the comparison above read the store).
    assert remembered > 50


def test_what_a_record_or_a_submission_shows_is_never_remembered(officer):
    _case_form, interview, _meeting, edit, bound = _forms(officer)
    # Submitted values and their errors.
    assert bound.errors
    assert all(fields.key(field) is None for field in bound)
    # A record's values (the edit form) other than yes/no and choice codes.
    assert fields.key(edit["departure_plan"]) is None
    assert fields.key(edit["decision_on"]) is None
    # The case's obstacles (choices from a queryset), the view's time, a text from a record.
    assert fields.key(interview["obstacles"]) is None
    assert fields.key(interview["held_at"]) is None
    named = _interview_form(edit.instance, officer, interpreter_name="Amal")
    assert fields.key(named["interpreter_name"]) is None
    assert fields.key(named["location"]) is not None
    for form in (interview, named):
        for field in form:
            fields.field_html(field)
    for field in edit:
        fields.field_html(field)
    stored = "".join(fields._remembered.values())
    assert "Paspoort kwijt" not in stored and "Amal" not in stored
    assert "Casablanca" not in stored
    assert 'name="location"' in stored  # the store was filled


def test_the_lists_of_staff_are_never_kept_in_the_process(officer):
    OfficerFactory(team=officer.team, first_name="Piet", last_name="Zwaantje")
    case_form, _interview, meeting, edit, _bound = _forms(officer)
    staff = [case_form["officer"], edit["officer"], meeting["chair"], meeting["secretary"]]
    assert all(fields.key(field) is None for field in staff)
    for form in (case_form, meeting, edit):
        for field in form:
            fields.field_html(field)
    stored = "".join(fields._remembered.values())
    assert 'name="municipality"' in stored  # the store was filled
    assert "Zwaantje" not in stored


def test_a_changed_label_or_language_is_another_entry(officer):
    first = fields.field_html(CaseCreateForm(team=officer.team)["source"])
    form = CaseCreateForm(team=officer.team)
    form.fields["source"].label = "Herkomst van het dossier"
    relabelled = fields.field_html(form["source"])
    assert "Herkomst van het dossier" in relabelled and "Herkomst" not in first
    from django.utils import translation

    with translation.override("en"):
        english = fields.field_html(CaseCreateForm(team=officer.team)["source"])
    assert english != first and "Source" in english


def test_a_new_officer_and_reception_location_are_offered_at_once(officer_client, officer):
    url = reverse("cases:create")
    assert "Zwaantje" not in officer_client.get(url).content.decode()
    OfficerFactory(team=officer.team, first_name="Piet", last_name="Zwaantje")
    Organisation.objects.create(kind="coa", name="AZC Nieuwe Locatie")
    text = officer_client.get(url).content.decode()
    assert "Piet Zwaantje" in text
    assert "AZC Nieuwe Locatie" in text


def test_a_choice_outside_the_queryset_is_refused(officer_client, officer, outsider):
    # The cached list is only what is shown: the queryset still decides what is valid.
    response = officer_client.post(reverse("cases:create"), {"officer": str(outsider.pk)})
    assert response.status_code == 200
    page = parse(response.content.decode())
    select = page.find("select", attrs={"name": "officer"})
    assert select.attrs["aria-invalid"] == "true"
    assert "is-invalid" in select.attrs["class"]
    offered = [option.attrs["value"] for option in select.find_all("option")]
    assert str(officer.pk) in offered and str(outsider.pk) not in offered


def test_a_form_with_errors_is_rendered_with_its_error_markup(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    response = officer_client.post(
        reverse("interviews:log", args=[case.reference]),
        {
            "stage": "progress",
            "held_at": "not a date",
            "attendees-TOTAL_FORMS": "0",
            "attendees-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    page = parse(response.content.decode())
    held = page.find("input", attrs={"name": "held_at"})
    assert held.attrs["aria-invalid"] == "true"
    assert "id_held_at_error" in held.attrs["aria-describedby"].split()
    assert page.find(id="id_held_at_error").text.strip()
    # The error summary links to the field.
    assert page.find("a", attrs={"href": "#id_held_at"}) is not None
    # A field without an error next to it: still crispy's markup, with its value kept.
    location = page.find("input", attrs={"name": "location"})
    assert "form-control" in location.attrs["class"]
    assert Case.objects.get(pk=case.pk).interviews.count() == 0
