"""A case that starts in the return border procedure (Reg. 2024/1349) or as a Dublin III / AMMR
transfer is registered in one go on the create form, with the checks of the edit form: the
rules table's maxima, the model's constraints, and a Dutch message for each bad input."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from cases.forms import CaseCreateForm
from cases.models import Case, Person
from dtv.audit.models import AuditEntry
from tests.cases.form_data import create_form_data

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
TODAY = datetime(2026, 9, 1, 9, tzinfo=AMS)


@pytest.fixture(autouse=True)
def september_2026():
    with time_machine.travel(TODAY, tick=False):
        yield


def _data(**extra):
    return create_form_data(**extra)


BORDER = {
    "decision_on": "2026-07-20",
    "border_procedure": "on",
    "right_to_remain_ended_on": "2026-08-01",
    "border_voluntary_days": "15",
}


def test_the_create_form_offers_the_border_and_transfer_fields_with_the_rules_in_the_help(
    officer,
):
    with translation.override("en"):
        form = CaseCreateForm(team=officer.team)
        for name in (
            "border_procedure",
            "right_to_remain_ended_on",
            "border_voluntary_days",
            "crisis_extension_weeks",
            "application_registered_on",
            "transfer_accepted_on",
            "transfer_appeal_final_on",
            "transfer_extension",
            "transfer_detained",
        ):
            assert name in form.fields, name
        assert "Reg. 2024/1349" in str(form.fields["border_voluntary_days"].help_text)
        assert "15 days" in str(form.fields["border_voluntary_days"].help_text)
        assert "AMMR" in str(form.fields["application_registered_on"].help_text)


def test_the_form_alone_accepts_a_plain_case_with_the_new_fields_left_empty(officer):
    form = CaseCreateForm(_data(), team=officer.team)
    assert form.is_valid(), form.errors
    values = form.case_values()
    assert values["border_procedure"] is False
    assert values["border_voluntary_days"] == 0 and values["crisis_extension_weeks"] == 0
    assert values["transfer_accepted_on"] is None


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({**BORDER, "border_voluntary_days": "16"}, "border_voluntary_days", "at most 15 days"),
        ({**BORDER, "crisis_extension_weeks": "7"}, "crisis_extension_weeks", "at most 6 weeks"),
        (
            {**BORDER, "right_to_remain_ended_on": "2026-05-01"},
            "right_to_remain_ended_on",
            "applies from",
        ),
        ({"border_procedure": "on"}, "right_to_remain_ended_on", "right to remain ended"),
        ({"border_voluntary_days": "5"}, "border_procedure", "belongs to the return border"),
        ({"transfer_accepted_on": "2026-08-03"}, "application_registered_on", "Dublin III"),
        (
            {"application_registered_on": "2026-07-10", "transfer_appeal_final_on": "2026-08-03"},
            "transfer_accepted_on",
            "before the final appeal decision",
        ),
        (
            {
                "application_registered_on": "2026-07-10",
                "transfer_accepted_on": "2026-08-03",
                "transfer_appeal_final_on": "2026-08-01",
            },
            "transfer_appeal_final_on",
            "cannot come before the acceptance",
        ),
        (
            {"application_registered_on": "2026-08-10", "transfer_accepted_on": "2026-08-03"},
            "transfer_accepted_on",
            "before the registration",
        ),
        ({"transfer_accepted_on": "2026-10-01"}, "transfer_accepted_on", "future"),
        ({"border_voluntary_days": "-1"}, "border_voluntary_days", "greater than or equal"),
        ({"transfer_extension": "forever"}, "transfer_extension", "Choose one of the options"),
    ],
)
def test_the_form_refuses_what_the_rules_do_not_allow(officer, extra, field, message):
    with translation.override("en"):
        form = CaseCreateForm(_data(**extra), team=officer.team)
        assert not form.is_valid()
        assert field in form.errors, form.errors
        assert message in " ".join(form.errors[field])


def test_a_border_procedure_case_is_registered_in_one_go(officer_client, officer):
    response = officer_client.post(reverse("cases:create"), _data(**BORDER))
    case = Case.objects.get(person__v_nummer="0012345678")
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.border_procedure and case.right_to_remain_ended_on == date(2026, 8, 1)
    assert case.border_voluntary_days == 15
    # Judged as the edit form's case is: its own phase, the voluntary period as its term.
    assert case.phase == Case.Phase.BORDER
    assert case.term_ends_on == date(2026, 8, 16)
    with translation.override("en"):
        officer_client.cookies["django_language"] = "en"
        page = officer_client.get(case.get_absolute_url()).content.decode()
    assert "Reg. 2024/1349 art. 4 lid 1" in page
    created = AuditEntry.objects.filter(kind="create", v_nummer="0012345678")
    assert created.exists()


def test_an_ammr_transfer_case_is_registered_in_one_go(officer_client, officer):
    response = officer_client.post(
        reverse("cases:create"),
        _data(
            category="dublin",
            application_registered_on="2026-07-10",
            transfer_accepted_on="2026-08-03",
            transfer_detained="",
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get(person__v_nummer="0012345678")
    assert case.application_registered_on == date(2026, 7, 10)
    assert case.transfer_accepted_on == date(2026, 8, 3)
    officer_client.cookies["django_language"] = "en"
    page = officer_client.get(case.get_absolute_url()).content.decode()
    assert "AMMR art. 46 lid 1: transfer within 6 months of acceptance on" in page


def test_a_bad_border_procedure_gets_a_dutch_message_and_nothing_is_written(officer_client):
    response = officer_client.post(
        reverse("cases:create"), _data(**{**BORDER, "border_voluntary_days": "16"})
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "De termijn voor vrijwillig vertrek is hoogstens" in " ".join(
        errors["border_voluntary_days"]
    )
    assert "is-invalid" in response.content.decode()
    assert not Person.objects.exists() and not Case.objects.exists()


def test_the_service_refuses_what_the_form_would_and_leaves_no_person(officer):
    from django.core.exceptions import ValidationError

    from cases import services

    with pytest.raises(ValidationError) as refused:
        services.register_case(
            services.PersonData(
                v_nummer="0012345678",
                family_name="Haddad",
                given_names="Lina",
                birth_date=date(1990, 3, 4),
                birth_date_precision="full",
                sex="f",
                identity_status="claimed",
            ),
            actor=officer,
            nationalities=[("SY", "presumed")],
            languages=[],
            aliases=[],
            case_fields={
                "source": "ind",
                "category": "asylum",
                "border_procedure": True,
                "right_to_remain_ended_on": date(2026, 8, 1),
                "crisis_extension_weeks": 8,
            },
        )
    assert "crisis_extension_weeks" in refused.value.message_dict
    assert not Person.objects.exists()
