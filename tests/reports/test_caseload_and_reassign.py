"""The team lead's caseload against a norm per team (issue 23.9) and a reassignment that
starts from the officer, shows deadlines, refuses the current officer, previews the loads and
keeps the entries on "Back" (issue 23.10)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cases import services as case_services
from cases.models import Case
from cases.services import refresh_derived
from dtv.reports import figures
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_load_weights_are_the_policy_table():
    # The one table of weights (dtv/reports/figures.py), pinned weight by weight.
    assert figures.LOAD_WEIGHTS == {
        "open": 1.0,
        "term_lapsed": 2.0,
        "term_14": 1.0,
        "interview_overdue": 1.0,
        "old_obstacles": 0.5,
        "overdue_actions": 0.5,
    }


def test_caseload_lists_officers_only_and_marks_those_above_the_norm(
    client, team, officer, colleague, team_lead
):
    team.caseload_norm = 3
    team.save()
    CaseFactory.create_batch(4, team=team, officer=officer)
    CaseFactory(team=team, officer=colleague)
    rows = {row.officer: row for row in figures.caseload(team, today=timezone.localdate())}
    assert team_lead not in rows
    assert rows[officer].overloaded and not rows[colleague].overloaded
    client.force_login(team_lead)
    with translation.override("en"):
        html = client.get(reverse("reports:caseload")).content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    assert team_lead.get_full_name() not in body
    overloaded_rows = [row for row in body.split("<tr")[1:] if "caseload-overloaded" in row]
    assert len(overloaded_rows) == 1 and officer.get_full_name() in overloaded_rows[0]
    # Not by colour alone: the row says it in words.
    assert "Above the norm" in overloaded_rows[0]
    assert "officer above the norm" in html


def test_the_norm_is_per_team(team, other_team, officer, outsider):
    team.caseload_norm = 1
    team.save()
    CaseFactory.create_batch(2, team=team, officer=officer)
    CaseFactory.create_batch(2, team=other_team, officer=outsider)
    today = timezone.localdate()
    assert figures.caseload(team, today=today)[0].overloaded
    assert not figures.caseload(other_team, today=today)[0].overloaded


def _reassign_url(**params):
    from urllib.parse import urlencode

    return reverse("reports:reassign") + ("?" + urlencode(params) if params else "")


def test_reassign_starts_from_the_officer_with_deadlines_and_links(
    client, team, officer, colleague, team_lead
):
    today = timezone.localdate()
    mine = CaseFactory(team=team, officer=officer, decision_on=today - timedelta(days=20))
    refresh_derived(mine)
    theirs = CaseFactory(team=team, officer=colleague)
    client.force_login(team_lead)
    start = client.get(_reassign_url())
    assert start.context["cases"] == []
    assert f"?officer={officer.pk}" in start.content.decode()
    with translation.override("en"):
        listed = client.get(_reassign_url(officer=officer.pk))
    html = listed.content.decode()
    assert [case.pk for case in listed.context["cases"]] == [mine.pk]
    assert reverse("cases:detail", args=[mine.reference]) in html
    assert theirs.reference not in html
    assert "Departure term ends" in html  # the next deadline, with its label
    mine.refresh_from_db()
    assert mine.next_deadline_on.strftime("%-d") in html


def test_reassign_lists_what_the_case_list_filter_lists(client, team, officer, team_lead):
    today = timezone.localdate()
    lapsed = CaseFactory(
        team=team, officer=officer, phase="obliged", decision_on=today - timedelta(days=40)
    )
    refresh_derived(lapsed)
    CaseFactory(team=team, officer=officer, phase="registered")
    client.force_login(team_lead)
    query = {"officer": officer.pk, "deadline": "term_lapsed"}
    listing = client.get(reverse("cases:list"), query)
    assert _reassign_url(**query).split("?")[1] in listing.content.decode().replace("&amp;", "&")
    reassign = client.get(_reassign_url(**query))
    assert [c.pk for c in reassign.context["cases"]] == [c.pk for c in listing.context["page_obj"]]


def test_reassign_sorts(client, team, officer, team_lead):
    today = timezone.localdate()
    soon = CaseFactory(team=team, officer=officer, decision_on=today - timedelta(days=25))
    later = CaseFactory(team=team, officer=officer, decision_on=today - timedelta(days=5))
    for case in (soon, later):
        refresh_derived(case)
    client.force_login(team_lead)
    by_deadline = client.get(_reassign_url(officer=officer.pk))
    assert [c.pk for c in by_deadline.context["cases"]] == [soon.pk, later.pk]
    by_reference = client.get(_reassign_url(officer=officer.pk, sort="-reference"))
    expected = sorted([soon, later], key=lambda c: c.reference, reverse=True)
    assert [c.pk for c in by_reference.context["cases"]] == [c.pk for c in expected]


def test_reassigning_to_the_current_officer_is_refused(client, team, officer, team_lead):
    case = CaseFactory(team=team, officer=officer)
    client.force_login(team_lead)
    with translation.override("en"):
        response = client.post(
            _reassign_url(officer=officer.pk),
            {"cases": [case.pk], "to_officer": officer.pk, "reason": "Herverdeling"},
        )
    assert response.status_code == 200
    assert "reports/reassign.html" in [t.name for t in response.templates]
    assert f"{case.reference} is already assigned to" in response.content.decode()
    with pytest.raises(case_services.ValidationError):
        case_services.reassign_cases(
            [case], actor=team_lead, to_officer=officer, reason="Herverdeling"
        )


def test_the_lead_is_not_offered_as_new_officer(client, team, officer, team_lead):
    CaseFactory(team=team, officer=officer)
    client.force_login(team_lead)
    form = client.get(_reassign_url()).context["form"]
    assert team_lead not in form.fields["to_officer"].queryset


def test_confirm_previews_each_officers_load_after_the_move(
    client, team, officer, colleague, team_lead
):
    today = timezone.localdate()
    moving = CaseFactory(
        team=team, officer=officer, phase="obliged", decision_on=today - timedelta(days=40)
    )
    refresh_derived(moving)
    CaseFactory(team=team, officer=officer)
    CaseFactory(team=team, officer=colleague)
    client.force_login(team_lead)
    before = {row.officer: row.load for row in figures.caseload(team, today=today)}
    weight = figures.case_loads(Case.objects.filter(pk=moving.pk), today=today)[moving.pk][1]
    assert weight == 1.0 + 2.0  # open, lapsed term
    response = client.post(
        _reassign_url(officer=officer.pk),
        {"cases": [moving.pk], "to_officer": colleague.pk, "reason": "Herverdeling"},
    )
    preview = {row["officer"]: row for row in response.context["preview"]}
    assert preview[officer]["after"] == before[officer] - weight
    assert preview[colleague]["after"] == before[colleague] + weight
    assert preview[officer]["before"] == before[officer]
    # Nothing moved yet.
    moving.refresh_from_db()
    assert moving.officer == officer


def test_back_from_the_confirmation_keeps_the_entries(client, team, officer, colleague, team_lead):
    cases = CaseFactory.create_batch(2, team=team, officer=officer)
    client.force_login(team_lead)
    entries = {
        "cases": [cases[0].pk],
        "to_officer": colleague.pk,
        "reason": "Ziekte",
        "note": "Let op de LP-aanvraag",
    }
    url = _reassign_url(officer=officer.pk)
    response = client.post(url, {**entries, "back": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{cases[0].pk}" id="case-{cases[0].pk}" ' in html
    checked = html[html.index(f'id="case-{cases[0].pk}"') :].split(">")[0]
    assert "checked" in checked
    unchecked = html[html.index(f'id="case-{cases[1].pk}"') :].split(">")[0]
    assert "checked" not in unchecked
    assert 'value="Ziekte"' in html and "Let op de LP-aanvraag" in html
    assert f'<option value="{colleague.pk}" selected>' in html
    for case in cases:
        case.refresh_from_db()
        assert case.officer == officer


def test_selection_outside_the_filter_is_kept(client, team, officer, colleague, team_lead):
    elsewhere = CaseFactory(team=team, officer=colleague)
    CaseFactory(team=team, officer=officer)
    client.force_login(team_lead)
    response = client.post(
        _reassign_url(officer=officer.pk),
        {"cases": [elsewhere.pk], "to_officer": "", "reason": "", "back": "1"},
    )
    assert f'<input type="hidden" name="cases" value="{elsewhere.pk}">' in (
        response.content.decode()
    )


def test_reassign_page_query_count_does_not_grow(client, team, officer, team_lead):
    client.force_login(team_lead)
    CaseFactory.create_batch(5, team=team, officer=officer)
    url = _reassign_url(officer=officer.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    CaseFactory.create_batch(45, team=team, officer=officer)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(large) == len(small)
    assert len(response.context["cases"]) == 50
