"""Property-based hostile input: arbitrary Unicode, control characters and NUL bytes, over-long
strings, wrong types and impossible dates into every form field and query parameter of the
case pages. The answer is never a 500, and a refused form saves nothing."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cases.models import Case, Note, Obstacle, Person, Procedure
from tests.cases.factories import CaseFactory, ObstacleFactory, ProcedureFactory
from tests.fuzz import fuzz_settings

pytestmark = pytest.mark.django_db

hostile_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), max_size=10),
    st.just("\x00"),
    st.just("x" * 20000),
    st.just("<script>alert(1)</script>"),
    st.just("2026-02-30"),
    st.just("-1"),
    st.just("9" * 40),
    st.sampled_from(["true", "false", "None", "[]", "{}", "NaN", "1e309", "０１２"]),
)

FUZZ = fuzz_settings(max_examples=25)

LIST_PARAMS = [
    "q",
    "phase",
    "officer",
    "team",
    "municipality",
    "nationality",
    "category",
    "open_obstacles",
    "flag",
    "deadline",
    "opened_after",
    "opened_before",
    "status",
    "sort",
    "page",
]


@FUZZ
@given(params=st.dictionaries(st.sampled_from(LIST_PARAMS), hostile_text, max_size=5))
def test_case_list_and_export_never_fail(officer_client, officer, params):
    if not Case.objects.exists():
        CaseFactory(team=officer.team, officer=officer)
    for name in ("cases:list", "cases:worklist", "cases:export", "cases:export_xlsx"):
        response = officer_client.get(reverse(name), params)
        assert response.status_code in (200, 404), (name, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)


CASE_FORM_FIELDS = [
    "v_nummer",
    "family_name",
    "given_names",
    "birth_date",
    "birth_date_precision",
    "sex",
    "identity_status",
    "nationality",
    "nationality_status",
    "second_nationality",
    "languages",
    "aliases",
    "source",
    "category",
    "officer",
    "municipality",
    "reception_location",
    "decision_on",
    "departure_term_days",
    "priority",
    "departure_plan",
    "confirm_duplicate",
]


@FUZZ
@given(data=st.dictionaries(st.sampled_from(CASE_FORM_FIELDS), hostile_text, max_size=12))
def test_register_case_form_never_fails_or_half_saves(officer_client, data):
    before = (Person.objects.count(), Case.objects.count())
    response = officer_client.post(reverse("cases:create"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert (Person.objects.count(), Case.objects.count()) == before


@FUZZ
@given(
    form=st.sampled_from(["procedure", "obstacle", "note", "phase", "close", "edit", "person"]),
    data=st.dictionaries(
        st.sampled_from(
            [
                "type",
                "court",
                "case_number",
                "decision_on",
                "filed_on",
                "hearing_on",
                "ruling_on",
                "outcome",
                "suspensive",
                "final_on",
                "category",
                "status",
                "description",
                "owner_organisation",
                "identified_on",
                "resolved_on",
                "resolution",
                "text",
                "to_phase",
                "reason",
                "closure_reason",
                "closed_on",
                "note",
                "version",
                "source",
                "priority",
                "departure_term_days",
                "entry_ban_years",
                "departure_plan",
                "family_name",
                "birth_date",
                "nationality",
                "languages",
            ]
        ),
        hostile_text,
        max_size=10,
    ),
    htmx=st.booleans(),
)
def test_case_forms_never_fail(officer_client, officer, form, data, htmx):
    case = Case.objects.filter(team=officer.team).first() or CaseFactory(
        team=officer.team, officer=officer
    )
    procedure = Procedure.objects.filter(case=case).first() or ProcedureFactory(case=case)
    obstacle = Obstacle.objects.filter(case=case).first() or ObstacleFactory(case=case)
    urls = {
        "procedure": reverse("cases:procedure_edit", args=[case.reference, procedure.pk]),
        "obstacle": reverse("cases:obstacle_edit", args=[case.reference, obstacle.pk]),
        "note": reverse("cases:note_add", args=[case.reference]),
        "phase": reverse("cases:phase", args=[case.reference]),
        "close": reverse("cases:close", args=[case.reference]),
        "edit": reverse("cases:edit", args=[case.reference]),
        "person": reverse("cases:person_edit", args=[case.reference]),
    }
    notes_before = Note.objects.count()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = officer_client.post(urls[form], data, **headers)
    assert response.status_code in (200, 204, 302), (form, data)
    if form == "note" and not str(data.get("text", "")).strip():
        assert Note.objects.count() == notes_before
