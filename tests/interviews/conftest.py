from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests.cases.factories import CaseFactory
from tests.interviews.factories import EmbassyFactory

# A completed special-circumstances checklist.
CHECKED = {"check_medical": "nothing", "check_trafficking": "nothing", "check_hardship": "signal"}


@pytest.fixture(autouse=True)
def english():
    # Assertions on messages read the English source strings.
    with translation.override("en"):
        yield


@pytest.fixture
def case(officer):
    return CaseFactory(team=officer.team, officer=officer, phase="obliged")


@pytest.fixture
def embassy(db):
    return EmbassyFactory(name="Ambassade van Marokko", country="MA")


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)
