import pytest

from tests.cases.factories import CaseFactory
from tests.partners.factories import (
    ContactFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    groningen,
)


@pytest.fixture
def municipality(db):
    return groningen()


@pytest.fixture
def avim(db):
    return OrganisationFactory(kind="avim", name="AVIM Noord-Nederland")


@pytest.fixture
def gemeente(db):
    return OrganisationFactory(kind="municipality", name="Gemeente Groningen")


@pytest.fixture
def partner_contact(partner_user, avim):
    """The partner participant's login belongs to AVIM Noord-Nederland."""
    return ContactFactory(organisation=avim, user=partner_user, name="Kees Visser")


@pytest.fixture
def meeting(officer, municipality, avim, gemeente):
    """An LTO in Groningen chaired by `officer`, with AVIM and the municipality taking part."""
    meeting = MeetingFactory(chair=officer, municipality=municipality)
    ParticipantFactory(meeting=meeting, organisation=avim)
    ParticipantFactory(meeting=meeting, organisation=gemeente)
    return meeting


@pytest.fixture
def other_meeting(officer, municipality, gemeente):
    """A meeting AVIM does not take part in."""
    meeting = MeetingFactory(chair=officer, municipality=municipality)
    ParticipantFactory(meeting=meeting, organisation=gemeente)
    return meeting


@pytest.fixture
def make_case(officer, municipality):
    """A case of `officer`'s team in Groningen (the meeting's municipality)."""

    def make(**kwargs):
        kwargs.setdefault("team", officer.team)
        kwargs.setdefault("officer", officer)
        kwargs.setdefault("municipality", municipality)
        return CaseFactory(**kwargs)

    return make


@pytest.fixture(autouse=True)
def english():
    # Service messages are matched in English; pages answer in the user's language.
    from django.utils import translation

    with translation.override("en"):
        yield
