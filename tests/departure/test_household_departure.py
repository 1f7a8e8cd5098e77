"""A household that left together: the departure recorded once for all its open cases, in
one transaction, each case closed and audited; one refusal leaves every case open."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from departure import services
from departure.models import Departure
from dtv.audit.models import AuditEntry
from tests.cases.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(officer):
    opened = timezone.localdate() - timedelta(days=60)
    mother, child, baby = (
        CaseFactory(
            team=officer.team,
            officer=officer,
            phase="obliged",
            opened_on=opened,
            person=PersonFactory(family_name="Haddad", given_names=name, birth_date=born),
        )
        for name, born in (
            ("Amal", date(1985, 4, 2)),
            ("Lina", date(2014, 3, 3)),
            ("Sami", date(2024, 8, 8)),
        )
    )
    for member in (child, baby):
        case_services.link_household(
            mother.person, actor=officer, case=mother, relative=member.person, relation="child"
        )
    return mother, child, baby


def _independent(**extra):
    return {
        "type": "independent_proven",
        "departed_on": timezone.localdate() - timedelta(days=1),
        "destination": "MA",
        "confirmed_by": "iom",
        **extra,
    }


def test_the_household_departure_closes_every_chosen_case(household, officer):
    mother, child, baby = household
    with case_services.acting_as(officer):
        departures = services.record_household_departure(
            mother, actor=officer, household_cases=[child, baby], **_independent()
        )
    assert [d.case for d in departures] == [mother, child, baby]
    for case in household:
        case.refresh_from_db()
        assert case.is_closed and case.closure_reason == "independent_proven"
        # Each case's closing is in the audit log, attributed to the officer.
        closing = AuditEntry.objects.get_for_object(case).filter(
            actor=officer, action=AuditEntry.Action.UPDATE
        )
        assert any(entry.changes_dict.get("phase") for entry in closing)
    assert Departure.objects.count() == 3


def test_only_the_ticked_members_leave(household, officer):
    mother, child, baby = household
    services.record_household_departure(
        mother, actor=officer, household_cases=[child], **_independent()
    )
    baby.refresh_from_db()
    assert not baby.is_closed


def test_one_refusal_leaves_every_case_open(household, officer):
    mother, child, baby = household
    # A forced departure: the mother's conditions are not the question here, the first
    # refusal is; with none met nothing may be written.
    with pytest.raises(services.ValidationError) as error:
        services.record_household_departure(
            mother,
            actor=officer,
            household_cases=[child, baby],
            **_independent(type="forced", forced_from="detention"),
        )
    assert "forced removal" in " ".join(error.value.messages)
    assert not Departure.objects.exists()
    assert not Case.objects.filter(phase="closed").exists()


def test_a_refusal_of_a_member_is_named_and_nothing_is_written(household, officer):
    mother, child, baby = household
    # The baby's case was opened only today: a departure yesterday cannot be recorded there.
    baby.opened_on = timezone.localdate()
    baby.save(update_fields=["opened_on"])
    with pytest.raises(services.ValidationError) as error:
        services.record_household_departure(
            mother, actor=officer, household_cases=[child, baby], **_independent()
        )
    message = " ".join(error.value.messages)
    assert message.startswith("Nothing was recorded")
    assert baby.reference in message and "Sami Haddad" in message
    assert not Departure.objects.exists()
    assert not Case.objects.filter(phase="closed").exists()


def test_a_case_outside_the_household_is_refused(household, officer):
    mother, _child, _baby = household
    stranger = CaseFactory(team=officer.team, officer=officer, phase="obliged")
    with pytest.raises(services.ValidationError) as error:
        services.record_household_departure(
            mother, actor=officer, household_cases=[stranger], **_independent()
        )
    assert "household_cases" in error.value.message_dict
    assert not Departure.objects.exists()


def test_the_page_records_the_household_after_confirmation(officer_client, household):
    mother, child, baby = household
    target = reverse("departure:record_departure", args=[mother.reference])
    page = officer_client.get(target).content.decode()
    assert "The household left together" in page
    assert f"Haddad, Lina · {child.reference} (minor)" in page
    data = {
        "type": "independent_proven",
        "departed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "destination": "MA",
        "confirmed_by": "iom",
        "household_cases": [str(child.pk), str(baby.pk)],
    }
    confirm = officer_client.post(target, data)
    assert confirm.templates[0].name == "departure/confirm_departure.html"
    body = confirm.content.decode()
    assert child.reference in body and baby.reference in body
    assert not Departure.objects.exists()
    done = officer_client.post(target, {**data, "confirmed": "1"}, follow=True)
    assert Departure.objects.count() == 3
    assert "Departure of the household recorded" in done.content.decode()


def test_the_page_without_a_household_offers_no_choice(officer_client, officer):
    alone = CaseFactory(team=officer.team, officer=officer, phase="obliged")
    page = officer_client.get(reverse("departure:record_departure", args=[alone.reference]))
    assert "The household left together" not in page.content.decode()
