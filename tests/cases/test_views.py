import csv
import html
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import Truncator

from cases.models import Case, Note, Person
from dtv.audit.models import AuditEntry
from tests.cases.factories import CaseFactory, ObstacleFactory, PersonFactory, ProcedureFactory
from tests.cases.form_data import create_form_data

pytestmark = pytest.mark.django_db


def _case_urls(case):
    ref = case.reference
    procedure = ProcedureFactory(case=case)
    obstacle = ObstacleFactory(case=case)
    return [
        reverse("cases:detail", args=[ref]),
        reverse("cases:edit", args=[ref]),
        reverse("cases:person_edit", args=[ref]),
        reverse("cases:phase", args=[ref]),
        reverse("cases:close", args=[ref]),
        reverse("cases:procedure_add", args=[ref]),
        reverse("cases:procedure_edit", args=[ref, procedure.pk]),
        reverse("cases:obstacle_add", args=[ref]),
        reverse("cases:obstacle_edit", args=[ref, obstacle.pk]),
        reverse("cases:household_add", args=[ref]),
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer", 200),
        ("colleague", 200),
        ("team_lead", 200),
        ("outsider", 404),
        ("partner_user", 404),
        ("admin_user", 404),
    ],
)
def test_case_urls_by_role(client, request, officer, who, expected):
    case = CaseFactory(team=officer.team, officer=officer)
    client.force_login(request.getfixturevalue(who))
    for url in _case_urls(case):
        response = client.get(url)
        # Users who may not change cases are refused with 403 only where they may see it.
        assert response.status_code in (expected, 403), url
        if expected == 404:
            assert response.status_code == 404, url


def test_auditor_reads_but_cannot_change(client, officer, auditor):
    case = CaseFactory(team=officer.team, officer=officer)
    client.force_login(auditor)
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 200
    assert client.get(reverse("cases:edit", args=[case.reference])).status_code == 403
    response = client.post(reverse("cases:note_add", args=[case.reference]), {"text": "x"})
    assert response.status_code == 403
    assert not Note.objects.exists()


def test_timeline_links_a_procedure_only_for_who_may_edit_it(client, officer, auditor):
    case = CaseFactory(team=officer.team, officer=officer)
    procedure = ProcedureFactory(case=case)
    edit = reverse("cases:procedure_edit", args=[case.reference, procedure.pk])
    client.force_login(auditor)
    body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert procedure.get_type_display() in body
    assert f'href="{edit}"' not in body
    client.force_login(officer)
    body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert f'href="{edit}"' in body


def test_outsider_post_changes_nothing(client, officer, outsider):
    case = CaseFactory(team=officer.team, officer=officer)
    client.force_login(outsider)
    response = client.post(reverse("cases:note_add", args=[case.reference]), {"text": "x"})
    assert response.status_code == 404
    assert not Note.objects.exists()


def test_case_detail_is_audited_once(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    officer_client.get(reverse("cases:detail", args=[case.reference]))
    entries = AuditEntry.objects.filter(kind="view", v_nummer=case.person.v_nummer)
    assert entries.count() == 1
    assert entries.get().purpose == "cases:detail"
    assert entries.get().actor == officer


def test_register_case_through_the_form(officer_client, officer):
    response = officer_client.post(reverse("cases:create"), create_form_data(languages=["apc"]))
    case = Case.objects.get(person__v_nummer="0012345678")
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert case.officer == officer
    assert case.person.languages.get().code == "apc"


def test_existing_v_nummer_links_to_the_dossier(officer_client, officer):
    existing = CaseFactory(team=officer.team, officer=officer, person__v_nummer="0012345678")
    response = officer_client.post(
        reverse("cases:create"),
        {
            "v_nummer": "0012345678",
            "family_name": "X",
            "birth_date_precision": "unknown",
            "sex": "u",
            "identity_status": "unknown",
            "nationality": "UNKNOWN",
            "nationality_status": "presumed",
            "source": "ind",
            "category": "asylum",
            "departure_term_days": "28",
            "priority": "0",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert existing.get_absolute_url() in body
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "v_nummer", ["123", "abcdefghij", "01234567890", "０１２３４５６７８９", "012345678\x00"]
)
def test_malformed_v_nummer_is_refused_with_a_message(officer_client, v_nummer):
    response = officer_client.post(
        reverse("cases:create"),
        {"v_nummer": v_nummer, "family_name": "X", "source": "ind", "category": "asylum"},
    )
    assert response.status_code == 200
    assert not Person.objects.exists()
    assert "is-invalid" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"phase": "nonsense"},
        {"officer": "abc"},
        {"opened_after": "2026-02-31"},
        {"opened_before": "99999-01-01"},
        {"sort": "-password"},
        {"page": "-1"},
        {"page": "x" * 500},
        {"q": "x" * 5000},
        {"q": "\x00<script>"},
        {"nationality": "ZZZ"},
        {"open_obstacles": "maybe"},
        {"deadline": "soon"},
    ],
)
def test_case_list_survives_hostile_parameters(officer_client, officer, params):
    CaseFactory(team=officer.team, officer=officer)
    response = officer_client.get(reverse("cases:list"), params)
    assert response.status_code == 200


def test_impossible_dates_and_overlong_text_are_refused(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    response = officer_client.post(
        reverse("cases:obstacle_add", args=[case.reference]),
        {
            "category": "identity",
            "status": "open",
            "identified_on": "2026-13-45",
            "description": "x" * 20000,
        },
    )
    assert response.status_code == 200
    assert not case.obstacles.exists()


def test_edit_conflict_shows_a_message_and_keeps_the_first(officer_client, officer, colleague):
    from cases import services

    case = CaseFactory(team=officer.team, officer=officer)
    services.update_case(case, actor=colleague, version=1, departure_plan="Eerst")
    response = officer_client.post(
        reverse("cases:edit", args=[case.reference]),
        {
            "version": "1",
            "source": "ind",
            "category": "asylum",
            "priority": "0",
            "departure_term_days": "28",
            "entry_ban_years": "0",
            "departure_plan": "Tweede",
        },
    )
    assert response.status_code == 200
    assert "Eerst" in response.content.decode()
    case.refresh_from_db()
    assert case.departure_plan == "Eerst"


def test_search_by_v_nummer_prefix_and_exact(officer_client, officer):
    CaseFactory(team=officer.team, officer=officer, person__v_nummer="0011111111")
    CaseFactory(team=officer.team, officer=officer, person__v_nummer="0022222222")
    response = officer_client.get(reverse("cases:list"), {"q": "0011"})
    assert [case.person.v_nummer for case in response.context["page_obj"]] == ["0011111111"]


def test_search_by_name_ignores_accents_and_case(officer_client, officer):
    person = PersonFactory(family_name="Çelik", given_names="Emre", search_name="emre celik")
    CaseFactory(team=officer.team, officer=officer, person=person)
    CaseFactory(team=officer.team, officer=officer)
    response = officer_client.get(reverse("cases:list"), {"q": "CELIK"})
    assert [c.person for c in response.context["page_obj"]] == [person]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL")
def test_search_finds_a_misspelt_name(officer_client, officer):
    person = PersonFactory(family_name="Benali", given_names="Karim", search_name="karim benali")
    CaseFactory(team=officer.team, officer=officer, person=person)
    CaseFactory(team=officer.team, officer=officer)
    response = officer_client.get(reverse("cases:list"), {"q": "Karim Benalli"})
    assert [c.person for c in response.context["page_obj"]] == [person]


def test_case_list_shows_only_visible_cases(client, officer, outsider):
    CaseFactory(team=officer.team, officer=officer)
    CaseFactory(team=outsider.team, officer=outsider)
    client.force_login(outsider)
    response = client.get(reverse("cases:list"))
    assert response.context["page_obj"].paginator.count == 1


def test_filters_are_kept_in_pagination_links(officer_client, officer):
    CaseFactory.create_batch(30, team=officer.team, officer=officer, phase="obliged")
    response = officer_client.get(reverse("cases:list"), {"phase": "obliged"})
    assert "?phase=obliged&amp;page=2" in response.content.decode()


def _count(client, url):
    # Counted in the steady state: the first request also fills per-process caches (the
    # municipality list of the filter).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("cases:list", ""),
        ("cases:worklist", ""),
        # Search by name (trigram on PostgreSQL) and by V-number prefix: every factory
        # person is called Benali here, and every factory V-number starts with 3.
        ("cases:list", "?q=benali"),
        ("cases:list", "?q=3"),
    ],
)
def test_list_query_count_does_not_grow(officer_client, officer, url_name, query):
    def add(count):
        for _ in range(count):
            person = PersonFactory(family_name="Benali", search_name="karim benali")
            ObstacleFactory(case=CaseFactory(team=officer.team, officer=officer, person=person))

    add(5)
    url = reverse(url_name) + query
    small = _count(officer_client, url)
    add(45)
    assert _count(officer_client, url) == small
    if query:
        response = officer_client.get(url)
        assert response.context["page_obj"].paginator.count == 50


def test_csv_export_has_exactly_the_filtered_visible_rows(officer_client, officer, outsider):
    CaseFactory.create_batch(3, team=officer.team, officer=officer, phase="obliged")
    CaseFactory(team=officer.team, officer=officer, phase="registered")
    CaseFactory(team=outsider.team, officer=outsider, phase="obliged")
    response = officer_client.get(reverse("cases:export"), {"phase": "obliged"})
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert len(rows) == 1 + 3
    entry = AuditEntry.objects.get(kind="export")
    assert entry.additional_data["count"] == 3


def test_csv_export_neutralises_formulas(officer_client, officer):
    person = PersonFactory(family_name="=HYPERLINK(1)")
    CaseFactory(team=officer.team, officer=officer, person=person)
    response = officer_client.get(reverse("cases:export"))
    content = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content


def test_htmx_obstacle_form_is_a_partial(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    response = officer_client.get(
        reverse("cases:obstacle_add", args=[case.reference]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'data-hx-post="' in body


def test_htmx_obstacle_save_redirects_to_the_case(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer, opened_on=date(2025, 12, 1))
    response = officer_client.post(
        reverse("cases:obstacle_add", args=[case.reference]),
        {"category": "identity", "status": "open", "identified_on": "2026-01-05"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == case.get_absolute_url()
    assert case.obstacles.count() == 1


def test_the_filter_shows_a_new_or_renamed_municipality_at_once(officer_client):
    from directory.models import Municipality

    url = reverse("cases:list")
    assert "Nieuwgemeente" not in officer_client.get(url).content.decode()
    municipality = Municipality.objects.create(code="GM9990", name="Nieuwgemeente", province="X")
    assert "Nieuwgemeente" in officer_client.get(url).content.decode()
    municipality.name = "Hernoemd"
    municipality.save()
    page = officer_client.get(url).content.decode()
    assert "Hernoemd" in page and "Nieuwgemeente" not in page
    municipality.delete()
    assert "Hernoemd" not in officer_client.get(url).content.decode()


def test_the_officer_filter_lists_the_team_by_name(officer_client, officer, colleague, outsider):
    form = officer_client.get(reverse("cases:list")).context["filter"].form
    choices = dict(form.fields["officer"].choices)
    assert choices[str(officer.pk)] == str(officer)
    assert choices[str(colleague.pk)] == str(colleague)
    assert str(outsider.pk) not in choices
    response = officer_client.get(reverse("cases:list"), {"officer": outsider.pk})
    assert response.context["filter"].form.errors["officer"]


@pytest.mark.parametrize(
    "who", ["officer", "colleague", "outsider", "team_lead", "auditor", "partner_user"]
)
def test_is_visible_to_follows_visible_to(request, who, officer, outsider):
    user = request.getfixturevalue(who)
    for case in (CaseFactory(team=officer.team), CaseFactory(team=outsider.team)):
        expected = Case.objects.visible_to(user).filter(pk=case.pk).exists()
        assert case.is_visible_to(user) is expected


def test_a_long_note_on_the_timeline_is_cut_before_it_is_escaped(officer_client, officer):
    """The timeline shows at most 400 characters of a note, its line breaks as <br>: cut
    first, then escaped, so that the cut never falls inside an entity or a tag."""
    case = CaseFactory(team=officer.team, officer=officer)
    text = "Tom & Jerry <b>\n" * 40
    Note.objects.create(case=case, author=officer, text=text)
    body = officer_client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    detail = body.split('<div class="small">', 1)[1].split("</div>", 1)[0]
    assert "<b>" not in detail
    assert detail.count("<br>") == 24
    assert html.unescape(detail.replace("<br>", "\n")) == Truncator(text).chars(400)
    assert detail.endswith("…")
