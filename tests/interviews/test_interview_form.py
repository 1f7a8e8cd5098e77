"""Issue 23, points 3, 4 and 5 on the interview form: held means reported, dates plausible,
the interpreter prefilled and named, the new obstacle confirmed or refused as a duplicate."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Language, Obstacle
from interviews import services
from interviews.models import Interview
from tests.cases.factories import CaseFactory, ObstacleFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def turkish_case(officer):
    person = PersonFactory(birth_date=date(2001, 4, 2), needs_interpreter=True)
    Language.objects.create(person=person, code="tur")
    return CaseFactory(person=person, team=officer.team, officer=officer)


@pytest.fixture(autouse=True)
def english_pages(officer_client):
    # The pages in English too: the assertions read the source strings.
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _post(client, case, follow=False, **data):
    base = {
        "stage": "progress",
        "held_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "in_person",
        "attitude": "undecided",
        "report": "Gesprek gevoerd.",
        "attendees-TOTAL_FORMS": "0",
        "attendees-INITIAL_FORMS": "0",
    }
    base.update(data)
    return client.post(reverse("interviews:log", args=[case.reference]), base, follow=follow)


def test_a_held_interview_without_report_is_not_saved(case, officer):
    with pytest.raises(services.ValidationError) as error:
        services.log_interview(
            case,
            actor=officer,
            stage="progress",
            held_at=timezone.now() - timedelta(hours=1),
            planned_at=timezone.now() + timedelta(days=1),
        )
    assert "counts as held only with its report" in error.value.message_dict["report"][0]
    assert not Interview.objects.exists()


def test_an_interview_before_the_persons_birth_is_refused_at_its_field(
    officer_client, turkish_case
):
    response = _post(officer_client, turkish_case, held_at="1901-01-01T10:00")
    form = response.context["form"]
    assert "date of birth" in form.errors["held_at"][0]
    assert not Interview.objects.exists()


def test_the_interpreter_language_comes_from_the_case(officer_client, turkish_case):
    page = officer_client.get(reverse("interviews:log", args=[turkish_case.reference]))
    form = page.context["form"]
    assert form["interpreter_language"].value() == "tur"
    html = page.content.decode()
    assert '<option value="tur" selected>Turkish</option>' in html
    assert "interpreter needed (Turkish)" in str(form.fields["interpreter_presence"].help_text)


def test_the_report_names_the_language(officer_client, officer, turkish_case):
    interview = services.log_interview(
        turkish_case,
        actor=officer,
        stage="progress",
        held_at=timezone.now() - timedelta(hours=1),
        report="Gesprek gevoerd.",
        interpreter_presence="present",
        interpreter_name="A. Demir",
        interpreter_language="tur",
    )
    html = officer_client.get(interview.get_absolute_url()).content.decode()
    assert "A. Demir (Turkish)" in html and "(tur)" not in html


def test_a_new_obstacle_is_confirmed(officer_client, turkish_case):
    response = _post(
        officer_client,
        turkish_case,
        new_obstacle_category="medical",
        new_obstacle_description="BMA",
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert "The new obstacle “Medical” was added to the case." in messages


def test_a_new_obstacle_already_open_is_refused_at_its_field(officer_client, turkish_case):
    ObstacleFactory(case=turkish_case, category="travel_document", status="in_progress")
    response = _post(officer_client, turkish_case, new_obstacle_category="travel_document")
    form = response.context["form"]
    assert "already has an open obstacle" in form.errors["new_obstacle_category"][0]
    assert Obstacle.objects.count() == 1 and not Interview.objects.exists()
