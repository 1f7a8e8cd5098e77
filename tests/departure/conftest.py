from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from tests.cases.factories import CaseFactory, store_derived


@pytest.fixture(autouse=True)
def english():
    # Messages are matched in English; reminders are written in the site language.
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    # Pages answer in the language of the cookie the language switch sets.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


FOLLOW_A_LAPSED_TERM = (
    Case.Phase.OBLIGED,
    Case.Phase.VBL,
    Case.Phase.DETENTION,
    Case.Phase.DEPARTURE_PLANNED,
)


@pytest.fixture
def make_case(officer):
    """A case of the officer's team; `term_lapsed_days_ago` gives it a 28-day term from the
    decision that lapsed that many days before `today` (negative: ends in the future)."""

    def make(*, today=None, term_lapsed_days_ago=None, **kwargs):
        today = today or timezone.localdate()
        kwargs.setdefault("team", officer.team)
        kwargs.setdefault("officer", officer)
        kwargs.setdefault("opened_on", today - timedelta(days=90))
        if (
            term_lapsed_days_ago is None
            and "decision_on" not in kwargs
            and kwargs.get("phase") in FOLLOW_A_LAPSED_TERM
        ):
            # The facts that put a case in these phases: a term that lapsed ten days ago.
            term_lapsed_days_ago = 10
        if term_lapsed_days_ago is not None:
            kwargs.setdefault("phase", Case.Phase.TERM_RUNNING)
            # The term ends 28 days after the decision and has lapsed the day after.
            kwargs["decision_on"] = today - timedelta(days=28 + term_lapsed_days_ago)
        case = CaseFactory(**kwargs)
        store_derived(case, today=today)
        return case

    return make
