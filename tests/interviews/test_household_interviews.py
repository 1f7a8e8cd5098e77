"""One interview held with several members of a household: logged once, on the case it was
opened from, and shown on each member's case (timeline, interview block, plan); the officer
must work on each case."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from interviews import services
from interviews.models import Interview, InterviewParticipant
from tests.cases.factories import CaseFactory, PersonFactory
from tests.interviews.conftest import CHECKED

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(officer):
    mother = CaseFactory(
        team=officer.team,
        officer=officer,
        phase="obliged",
        person=PersonFactory(family_name="Haddad", given_names="Amal"),
    )
    child = CaseFactory(
        team=officer.team,
        officer=officer,
        phase="obliged",
        person=PersonFactory(family_name="Haddad", given_names="Lina", birth_date=date(2014, 3, 3)),
    )
    case_services.link_household(
        mother.person, actor=officer, case=mother, relative=child.person, relation="child"
    )
    return mother, child


def _held(**extra):
    return {
        "stage": "progress",
        "held_at": timezone.now() - timedelta(hours=1),
        "attitude": "undecided",
        "report": "Gezinsgesprek over terugkeer.",
        **extra,
    }


def test_a_joint_interview_is_logged_once_and_shown_on_each_case(household, officer):
    mother, child = household
    interview = services.log_interview(mother, actor=officer, household_cases=[child], **_held())
    assert Interview.objects.count() == 1
    assert list(interview.participants.values_list("case", flat=True)) == [child.pk]
    # The child's case: the timeline names it, and its plan counts it as held.
    child = Case.objects.get(pk=child.pk)
    from django.utils import translation

    from cases import registry

    registry.prefetch(child)
    with translation.override("en"):
        events = [e for e in registry.timeline(child) if "household" in e.title]
    assert len(events) == 1 and mother.reference in events[0].title
    assert events[0].url == reverse("interviews:detail", args=[child.reference, interview.pk])
    before = child.next_interview_due_on
    assert before is not None and before > timezone.localdate()


def test_the_joint_interview_moves_each_members_plan(household, officer):
    mother, child = household
    case_services.refresh_derived(child)
    child.refresh_from_db()
    due_alone = child.next_interview_due_on
    # The first interview of both, held together: neither needs its intake interview now.
    services.log_interview(
        mother, actor=officer, household_cases=[child], **_held(stage="intake", **CHECKED)
    )
    child.refresh_from_db()
    assert child.next_interview_due_on != due_alone
    assert child.next_interview_stage != "intake"


def test_a_case_outside_the_household_is_refused(household, officer):
    mother, _child = household
    stranger = CaseFactory(team=officer.team, officer=officer, phase="obliged")
    with pytest.raises(services.ValidationError) as error:
        services.log_interview(mother, actor=officer, household_cases=[stranger], **_held())
    assert "household_cases" in error.value.message_dict
    assert not Interview.objects.exists()


def test_a_member_case_of_another_team_is_refused(household, officer, other_team):
    mother, child = household
    elsewhere = CaseFactory(team=other_team, person=child.person, phase="obliged")
    with pytest.raises(services.ValidationError):
        services.log_interview(mother, actor=officer, household_cases=[elsewhere], **_held())
    assert not Interview.objects.exists() and not InterviewParticipant.objects.exists()


def test_a_closed_member_case_is_refused(household, officer):
    mother, child = household
    case_services.close_case(
        child, actor=officer, closure_reason="other", closed_on=timezone.localdate()
    )
    with pytest.raises(services.ValidationError):
        services.log_interview(mother, actor=officer, household_cases=[child], **_held())
    assert not Interview.objects.exists()


def test_the_edit_changes_the_members_one_by_one(household, officer):
    mother, child = household
    interview = services.log_interview(mother, actor=officer, household_cases=[child], **_held())
    services.update_interview(
        interview, actor=officer, version=interview.version, household_cases=[]
    )
    assert not InterviewParticipant.objects.exists()
    # None leaves them as they are.
    services.update_interview(
        interview,
        actor=officer,
        version=interview.version + 1,
        household_cases=None,
        report="Aangevuld.",
    )
    assert not InterviewParticipant.objects.exists()


@pytest.fixture
def english(officer_client):
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return officer_client


def _post(client, case, **data):
    base = {
        "stage": "progress",
        "held_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "in_person",
        "attitude": "undecided",
        "report": "Gezinsgesprek.",
        "attendees-TOTAL_FORMS": "0",
        "attendees-INITIAL_FORMS": "0",
    }
    base.update(data)
    return client.post(reverse("interviews:log", args=[case.reference]), base)


def test_the_form_offers_the_household_and_logs_for_the_ticked(english, household):
    mother, child = household
    page = english.get(reverse("interviews:log", args=[mother.reference])).content.decode()
    assert "Held with household members too" in page
    assert f"Haddad, Lina · {child.reference} (minor)" in page
    response = _post(english, mother, household_cases=[str(child.pk)])
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.case == mother
    # Shown on the child's case page and readable through the child's case.
    page = english.get(child.get_absolute_url()).content.decode()
    assert f"logged in {mother.reference}" in page
    detail = english.get(reverse("interviews:detail", args=[child.reference, interview.pk]))
    assert detail.status_code == 200
    assert "Held with the household" in detail.content.decode()
    # Edited only through the case it was logged in.
    edit = english.get(reverse("interviews:edit", args=[child.reference, interview.pk]))
    assert edit.status_code == 404


def test_the_form_without_a_household_has_no_choice(english, officer):
    alone = CaseFactory(team=officer.team, officer=officer, phase="obliged")
    page = english.get(reverse("interviews:log", args=[alone.reference])).content.decode()
    assert "Held with household members too" not in page


def test_the_form_refuses_a_forged_case(english, household, officer):
    mother, _child = household
    stranger = CaseFactory(team=officer.team, officer=officer, phase="obliged")
    response = _post(english, mother, household_cases=[str(stranger.pk)])
    assert response.status_code == 200
    assert not Interview.objects.exists()


def test_another_team_cannot_read_the_joint_interview(household, officer, client, outsider):
    mother, child = household
    interview = services.log_interview(mother, actor=officer, household_cases=[child], **_held())
    client.force_login(outsider)
    url = reverse("interviews:detail", args=[child.reference, interview.pk])
    assert client.get(url).status_code == 404


def test_an_edit_keeps_a_member_whose_case_closed_since(household, officer):
    mother, child = household
    interview = services.log_interview(mother, actor=officer, household_cases=[child], **_held())
    case_services.close_case(
        child, actor=officer, closure_reason="other", closed_on=timezone.localdate()
    )
    services.update_interview(
        interview,
        actor=officer,
        version=interview.version,
        household_cases=[child],
        report="Verslag aangevuld.",
    )
    assert list(interview.participants.values_list("case", flat=True)) == [child.pk]
