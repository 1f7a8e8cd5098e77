from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cases import services as case_services
from dtv.accounts import services as account_services
from interviews import services
from interviews.models import Interview
from tests.cases.factories import CaseFactory, ObstacleFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

CHECKED = {"check_medical": "nothing", "check_trafficking": "nothing", "check_hardship": "signal"}


def _held(days_ago=0):
    return timezone.now() - timedelta(days=days_ago, hours=1)


def test_departure_interview_needs_the_checklist(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    with pytest.raises(ValidationError) as error:
        services.log_interview(
            case, actor=officer, stage="post_ruling", held_at=_held(), report="Gesprek gevoerd."
        )
    assert "check_medical" in error.value.message_dict
    interview = services.log_interview(
        case,
        actor=officer,
        stage="post_ruling",
        held_at=_held(),
        report="Gesprek gevoerd.",
        **CHECKED,
    )
    assert interview.checklist_complete


def test_progress_interview_does_not_need_the_checklist(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    services.log_interview(case, actor=officer, stage="progress", held_at=_held(), report="ok")
    assert Interview.objects.count() == 1


def test_held_time_in_the_future_is_refused(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    with pytest.raises(ValidationError) as error:
        services.log_interview(
            case, actor=officer, stage="progress", held_at=timezone.now() + timedelta(days=1)
        )
    assert "held_at" in error.value.message_dict


def test_no_show_with_a_report_is_refused(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    with pytest.raises(ValidationError) as error:
        services.log_interview(
            case, actor=officer, stage="progress", no_show=True, report="Gesprek gevoerd"
        )
    assert "report" in error.value.message_dict
    assert not Interview.objects.exists()


def test_obstacles_discussed_and_a_new_one_raised(officer):
    case = CaseFactory(team=officer.team, officer=officer)
    existing = ObstacleFactory(case=case)
    interview = services.log_interview(
        case,
        actor=officer,
        stage="progress",
        held_at=_held(),
        report="Gesprek gevoerd.",
        obstacles=[existing],
        new_obstacle={"category": "medical", "description": "Verwijzing BMA"},
    )
    assert sorted(interview.obstacles_discussed.values_list("category", flat=True)) == [
        "medical",
        "travel_document",
    ]


@time_machine.travel(datetime(2026, 11, 28, 12, tzinfo=timezone.get_default_timezone()))
def test_plan_follows_phase_changes(officer):
    # The phase follows the facts: a pending appeal, its ruling, then a 0-day term.
    case = CaseFactory(
        team=officer.team,
        officer=officer,
        opened_on=date(2026, 9, 1),
        decision_on=date(2026, 8, 25),
        phase="procedure_pending",
    )
    appeal = ProcedureFactory(case=case, suspensive=True, filed_on=date(2026, 8, 28))
    services.log_interview(
        case,
        actor=officer,
        stage="intake",
        held_at=timezone.make_aware(datetime(2026, 9, 5, 10)),
        report="Gesprek gevoerd.",
        **CHECKED,
    )
    case.refresh_from_db()
    assert (case.next_interview_stage, case.next_interview_due_on) == (
        "progress",
        date(2026, 10, 31),
    )
    case_services.update_procedure(
        appeal, actor=officer, outcome="dismissed", ruling_on=timezone.localdate()
    )
    case.refresh_from_db()
    assert case.phase == "term_running"
    assert case.next_interview_due_on == date(2026, 10, 3)
    case_services.update_case(case, actor=officer, version=case.version, departure_term_days=0)
    case.refresh_from_db()
    assert case.phase == "obliged"
    assert case.next_interview_due_on == date(2026, 9, 19)


def test_hearing_date_entered_prompts_a_hearing_interview(officer):
    case = CaseFactory(team=officer.team, officer=officer, phase="procedure_pending")
    hearing = timezone.localdate() + timedelta(days=20)
    case_services.add_procedure(
        case,
        actor=officer,
        type="appeal",
        filed_on=timezone.localdate(),
        hearing_on=hearing,
        suspensive=True,
    )
    case.refresh_from_db()
    assert case.next_interview_stage in ("intake", "hearing")
    services.log_interview(
        case, actor=officer, stage="intake", held_at=_held(), report="Gesprek gevoerd.", **CHECKED
    )
    case.refresh_from_db()
    assert case.next_interview_stage == "hearing"
    assert case.next_interview_due_on == hearing


def test_calendar_feed_is_valid_and_anonymous(client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    services.log_interview(
        case, actor=officer, stage="progress", planned_at=timezone.now() + timedelta(days=2)
    )
    token = account_services.rotate_calendar_token(officer)
    response = client.get(reverse("interviews:calendar_feed", args=[token]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    summary = str(events[0]["summary"])
    assert case.reference in summary
    body = response.content.decode()
    assert case.person.family_name not in body
    assert case.person.v_nummer not in body
    account_services.revoke_calendar_token(officer)
    assert client.get(reverse("interviews:calendar_feed", args=[token])).status_code == 404
    assert client.get(reverse("interviews:calendar_feed", args=["x" * 43])).status_code == 404


def test_interview_urls_are_404_for_another_team(client, officer, outsider):
    case = CaseFactory(team=officer.team, officer=officer)
    interview = services.log_interview(
        case, actor=officer, stage="progress", held_at=_held(), report="Gesprek gevoerd."
    )
    client.force_login(outsider)
    for name, args in [
        ("interviews:log", [case.reference]),
        ("interviews:attendee_row", [case.reference]),
        ("interviews:detail", [case.reference, interview.pk]),
        ("interviews:edit", [case.reference, interview.pk]),
        ("interviews:print", [case.reference, interview.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_concurrent_edit_is_refused(officer, colleague):
    case = CaseFactory(team=officer.team, officer=officer)
    interview = services.log_interview(
        case, actor=officer, stage="progress", held_at=_held(), report="Gesprek gevoerd."
    )
    services.update_interview(
        interview,
        actor=officer,
        version=1,
        stage="progress",
        held_at=interview.held_at,
        report="Eerste",
    )
    with pytest.raises(services.InterviewConflict):
        services.update_interview(
            interview,
            actor=colleague,
            version=1,
            stage="progress",
            held_at=interview.held_at,
            report="Tweede",
        )
    interview.refresh_from_db()
    assert interview.report == "Eerste"


def test_log_interview_page_and_redirect_to_case(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    ProcedureFactory(case=case)
    url = reverse("interviews:log", args=[case.reference])
    page = officer_client.get(url + "?stage=post_ruling")
    assert page.status_code == 200
    assert page.context["form"].initial["stage"] == "post_ruling"
    response = officer_client.post(
        url,
        {
            "stage": "post_ruling",
            "held_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "mode": "in_person",
            "attitude": "undecided",
            "interpreter_presence": "present",
            "interpreter_name": "A. Tolk",
            "interpreter_language": "ary",
            "check_medical": "nothing",
            "check_trafficking": "nothing",
            "check_hardship": "nothing",
            "report": "Na uitspraak besproken.",
            "attendees-TOTAL_FORMS": "1",
            "attendees-INITIAL_FORMS": "0",
            "attendees-0-role": "lawyer",
            "attendees-0-name": "Mr. Jansen",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(case.get_absolute_url())
    interview = Interview.objects.get()
    assert interview.attendees.get().name == "Mr. Jansen"


def test_rule_errors_are_shown_at_their_fields_once(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    url = reverse("interviews:log", args=[case.reference])
    response = officer_client.post(
        url,
        {
            "stage": "progress",
            "held_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "mode": "in_person",
            "attitude": "undecided",
            "no_show": "on",
            "report": "Toch een verslag.",
            "interpreter_presence": "present",
            "attendees-TOTAL_FORMS": "0",
            "attendees-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "report" in form.errors and "interpreter_name" in form.errors
    assert not form.non_field_errors()
    page = response.content.decode()
    assert 'id="id_report_error"' in page and 'id="id_interpreter_name_error"' in page
    # Once at the field, once in the error summary at the top, as a link to the field.
    assert page.count("Vul de naam van de tolk in.") == 2
    assert '<a href="#id_interpreter_name" data-error-link>' in page
    assert not Interview.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"held_at": "2026-02-30T10:00"},
        {"held_at": "\x00"},
        {"report": "x" * 30000, "stage": "progress", "held_at": "2026-01-01T10:00"},
        {"stage": "nonsense"},
        {"attendees-TOTAL_FORMS": "99999"},
        {"attendees-TOTAL_FORMS": "x"},
    ],
)
def test_malformed_input_is_refused_without_500(officer_client, officer, data):
    case = CaseFactory(team=officer.team, officer=officer)
    response = officer_client.post(reverse("interviews:log", args=[case.reference]), data)
    assert response.status_code in (200, 400)
    assert not Interview.objects.exists()


def test_attendee_row_is_an_htmx_partial(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    response = officer_client.get(
        reverse("interviews:attendee_row", args=[case.reference]) + "?index=3",
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'name="attendees-3-role"' in body
    assert 'value="4"' in body and "data-hx-swap-oob" in body


def test_agenda_query_count_does_not_grow(officer_client, officer):
    def make(n):
        for _ in range(n):
            case = CaseFactory(team=officer.team, officer=officer)
            services.log_interview(
                case,
                actor=officer,
                stage="progress",
                planned_at=timezone.now() + timedelta(hours=2),
            )

    make(5)
    with CaptureQueriesContext(connection) as small:
        assert officer_client.get(reverse("interviews:agenda")).status_code == 200
    make(45)
    with CaptureQueriesContext(connection) as large:
        officer_client.get(reverse("interviews:agenda"))
    assert len(large) == len(small)


def test_log_form_query_count_does_not_grow(officer_client, officer):
    """The interview form lists the case's open obstacles and plans from its interviews and
    procedures: the same queries for a case with 5 or 50 of each."""
    case = CaseFactory(
        team=officer.team, officer=officer, opened_on=timezone.localdate() - timedelta(days=90)
    )

    def make(n):
        for i in range(n):
            ObstacleFactory(case=case, category="other")  # one open per kind but "other"
            ProcedureFactory(case=case)
            services.log_interview(
                case,
                actor=officer,
                stage="progress",
                held_at=_held(i + 1),
                report="Gesprek gevoerd.",
            )

    url = reverse("interviews:log", args=[case.reference])
    make(5)
    with CaptureQueriesContext(connection) as small:
        assert officer_client.get(url).status_code == 200
    make(45)
    with CaptureQueriesContext(connection) as large:
        assert officer_client.get(url).status_code == 200
    assert len(large) == len(small)


def test_print_view_is_audited(officer_client, officer):
    from dtv.audit.models import AuditEntry

    case = CaseFactory(team=officer.team, officer=officer)
    interview = services.log_interview(
        case, actor=officer, stage="progress", held_at=_held(), report="Gesprek gevoerd."
    )
    response = officer_client.get(reverse("interviews:print", args=[case.reference, interview.pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(kind="print", v_nummer=case.person.v_nummer).count() == 1
