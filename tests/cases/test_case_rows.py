"""The rows of the case tables (cases/jinja2/cases/, Jinja2 through Django's backend), read back
through an HTML parser: each cell says what it should, escaped, in both languages."""

from datetime import datetime, time, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from cases.models import Case
from tests.cases.factories import CaseFactory, ObstacleFactory, PersonFactory
from tests.html import parse

CASE_LIST_COLUMNS = 9
WORKLIST_COLUMNS = 9


def _words(node) -> str:
    return " ".join(node.text.split())


def _rows(template: str, rows, today):
    html = render_to_string(
        f"cases/{template}.html", {"rows": rows, "today": today}, using="jinja2"
    )
    table = parse(f"<table><tbody>{html}</tbody></table>")
    return html, [row.find_all("td") for row in table.find_all("tr")]


@pytest.fixture
def cases(officer):
    today = timezone.localdate()
    marked = CaseFactory(
        officer=officer,
        team=officer.team,
        person=PersonFactory(family_name="O'Brien <b>", given_names='"Sam" & co'),
        term_ends_on=today - timedelta(days=3),
        next_interview_due_on=today + timedelta(days=2),
        priority=Case.Priority.choices[-1][0],
    )
    minor = CaseFactory(
        officer=None,
        team=officer.team,
        person=PersonFactory(unaccompanied_minor=True),
        term_ends_on=today,
        next_interview_due_on=today + timedelta(days=30),
    )
    ObstacleFactory(case=minor)
    plain = CaseFactory(officer=officer, team=officer.team)
    return marked, minor, plain


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_case_list_rows(cases, officer, language):
    marked, minor, plain = cases
    today = timezone.localdate()
    rows = list(Case.objects.for_list().order_by("pk"))
    with translation.override(language):
        html, cells = _rows("case_rows", rows, today)
        lapsed = "3 dagen geleden" if language == "nl" else "3 days ago"
        phase = marked.get_phase_display()
        priority = marked.get_priority_display()
        amv = "AMV"
        term_text = date_format(marked.term_ends_on)
        opened_text = date_format(plain.opened_on)
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert [len(row) for row in cells] == [CASE_LIST_COLUMNS] * 3
    first, second, third = cells
    # Reference as a link to the case page.
    link = first[0].find("a")
    assert link.attrs["href"] == f"/cases/{marked.reference}/" and link.text == marked.reference
    # Name with the priority badge; the name is read back exactly as typed.
    assert _words(first[1]).startswith('O\'Brien <b>, "Sam" & co')
    assert first[1].find("span", class_="text-bg-dark").text == priority
    assert first[1].find("span", class_="text-bg-info") is None
    assert second[1].find("span", class_="text-bg-info").text == amv
    assert first[2].find("code").text == marked.person.v_nummer
    assert first[3].text == phase
    # Departure term: lapsed three days ago, in red; the interview within the three days' warning.
    assert first[4].attrs["class"] == "deadline-lapsed"
    assert _words(first[4]) == f"{term_text} ({lapsed})"
    assert first[5].attrs["class"] == "deadline-soon"
    assert second[4].attrs["class"] == "deadline-soon"  # ends today
    assert second[5].attrs["class"] == ""
    # Obstacles and officer, or a dash.
    assert second[6].text == "1" and first[6].text == "—"
    assert second[7].text == "—" and first[7].text == str(officer)
    assert third[8].text == opened_text


@pytest.mark.django_db
def test_worklist_rows(cases):
    marked, minor, _plain = cases
    today = timezone.localdate()
    marked.next_deadline_on = today + timedelta(days=1)
    marked.next_deadline_rule = "term"
    marked.planned_interview_at = timezone.make_aware(datetime.combine(today, time(9, 30)))
    minor.next_deadline_on = None
    minor.planned_interview_at = None
    rows = [marked, minor]
    for case in rows:
        case.open_obstacle_count = 0
    with translation.override("en"):
        _html, cells = _rows("worklist_rows", rows, today)
        due_text = date_format(today + timedelta(days=1))
        today_text = date_format(today)
    assert [len(row) for row in cells] == [WORKLIST_COLUMNS] * 2
    first, second = cells
    assert first[0].find("a").attrs["href"] == f"/cases/{marked.reference}/"
    urgent = first[4]
    assert urgent.attrs["class"] == "deadline-soon"
    assert urgent.find("span", class_="d-block").text  # what the deadline is
    assert _words(urgent).endswith(f"{due_text} (1 day left)")
    assert second[4].text == "—"
    appointment = first[6]
    assert appointment.attrs["class"] == "deadline-soon"  # today
    assert _words(appointment) == f"{today_text} 09:30 (today)"
    assert second[6].text == "—"
    assert first[7].text == "—"  # no open obstacles
