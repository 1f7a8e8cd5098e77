"""Deep pages carry a breadcrumb trail (issue 23.15): each crumb but the last links to a page
one level up, the last names the page itself and is marked as the current page."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from tests.cases.factories import CaseFactory, ObstacleFactory, ProcedureFactory
from tests.interviews.factories import InterviewFactory

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="d-print-none" aria-label="Breadcrumb">(.*?)</nav>', re.S)
CRUMB = re.compile(
    r'<li class="breadcrumb-item(?: active" aria-current="page)?">'
    r'(?:<a href="(?P<url>[^"]*)">)?(?P<label>.*?)(?:</a>)?</li>',
    re.S,
)


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def trail(response) -> list[tuple[str, str]]:
    """The breadcrumbs of a page as (label, URL) pairs; the current page has URL ""."""
    assert response.status_code == 200
    navs = NAV.findall(response.content.decode())
    assert len(navs) == 1, "one breadcrumb trail"
    crumbs = [(unescape(m["label"]), unescape(m["url"] or "")) for m in CRUMB.finditer(navs[0])]
    assert 'aria-current="page"' in navs[0].rsplit("<li", 1)[1]
    return crumbs


@pytest.fixture
def case(officer):
    return CaseFactory(team=officer.team, officer=officer, phase="obliged")


def case_trail(case, here):
    person = case.person
    label = f"{person.family_name}, {person.given_names} · {case.reference}"
    return [("Cases", reverse("cases:list")), (label, case.get_absolute_url()), (here, "")]


@pytest.mark.parametrize(
    ("name", "here"),
    [
        ("cases:edit", "Edit case"),
        ("cases:person_edit", "Personal details"),
        ("cases:phase", "Change phase"),
        ("cases:close", "Close case"),
        ("cases:household_add", "Link a household member"),
        ("cases:procedure_add", "Add procedure"),
        ("cases:obstacle_add", "Add obstacle"),
        ("interviews:log", "Log interview"),
    ],
)
def test_case_forms_lead_back_to_the_case(client, officer, case, name, here):
    client.force_login(officer)
    response = client.get(reverse(name, args=[case.reference]))
    assert trail(response) == case_trail(case, here)


def test_edit_forms_of_a_case_lead_back_to_the_case(client, officer, case):
    procedure = ProcedureFactory(case=case)
    obstacle = ObstacleFactory(case=case)
    interview = InterviewFactory(case=case)
    with translation.override("en"):
        stage = interview.get_stage_display()
    client.force_login(officer)
    for url, here in [
        (reverse("cases:procedure_edit", args=[case.reference, procedure.pk]), "Edit procedure"),
        (reverse("cases:obstacle_edit", args=[case.reference, obstacle.pk]), "Edit obstacle"),
        (reverse("interviews:edit", args=[case.reference, interview.pk]), "Edit interview"),
        (
            reverse("interviews:detail", args=[case.reference, interview.pk]),
            stage,
        ),
    ]:
        assert trail(client.get(url)) == case_trail(case, here), url


def test_the_interview_form_has_no_separate_back_link(client, officer, case):
    client.force_login(officer)
    html = client.get(reverse("interviews:log", args=[case.reference])).content.decode()
    assert html.count(f'href="{case.get_absolute_url()}"') == 2  # the crumb and "Cancel"


def test_a_report_leads_back_to_the_reports(client, team_lead):
    client.force_login(team_lead)
    response = client.get(reverse("reports:report", args=["departures"]))
    assert trail(response) == [
        ("Reports", reverse("reports:index")),
        ("Departures by type", ""),
    ]
    # The old one-level link above the heading is gone: the crumb is the only way up.
    assert response.content.decode().count(f'href="{reverse("reports:index")}"') == 2  # + menu


def test_reassign_and_cover_lead_back_to_the_caseload(client, team, officer, colleague, team_lead):
    case = CaseFactory(team=team, officer=officer)
    client.force_login(team_lead)
    caseload = ("Caseload", reverse("reports:caseload"))
    assert trail(client.get(reverse("reports:reassign"))) == [caseload, ("Reassign cases", "")]
    assert trail(client.get(reverse("reports:cover"))) == [caseload, ("Absence cover", "")]
    confirm = client.post(
        reverse("reports:reassign"),
        {"cases": [case.pk], "to_officer": colleague.pk, "reason": "Herverdeling"},
    )
    assert trail(confirm) == [
        caseload,
        ("Reassign cases", reverse("reports:reassign")),
        ("Confirm reassignment", ""),
    ]


def test_the_audit_trail_of_a_case_leads_back_to_the_case(client, auditor, case):
    client.force_login(auditor)
    response = client.get(reverse("audit:case_access", args=[case.reference]))
    assert trail(response) == case_trail(case, "Who has seen this dossier")


def test_the_dutch_trail_is_labelled_kruimelpad(client, settings, officer, case):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    client.force_login(officer)
    html = client.get(reverse("cases:edit", args=[case.reference])).content.decode()
    assert 'aria-label="Kruimelpad"' in html
