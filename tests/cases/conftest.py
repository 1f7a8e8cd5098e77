"""Fixtures of the transfer tests (test_transfers.py, test_transfer_views.py): the receiving
team's lead and officer, the case to move, and the steps every test takes through the services
(propose, accept, close, an open reminder on the case)."""

import pytest
from django.utils import timezone

from cases import services, transfers
from cases.models import Case
from dtv.notifications.models import Notification
from dtv.notifications.services import notify
from tests.accounts.factories import OfficerFactory, TeamLeadFactory
from tests.cases.factories import HANDOVER_NOTE, TRANSFER_REASON, CaseFactory


@pytest.fixture
def other_lead(other_team):
    """The lead of the receiving team (Zuid), who decides on a transfer."""
    return TeamLeadFactory(username="teamlead_zuid", team=other_team)


@pytest.fixture
def receiving_officer(other_team):
    return OfficerFactory(username="officer_zuid", team=other_team)


@pytest.fixture
def case(officer):
    """The officer's case in Noord, obliged to leave: the one proposed for transfer."""
    return CaseFactory(team=officer.team, officer=officer, phase=Case.Phase.OBLIGED)


@pytest.fixture
def propose():
    """propose(case, actor, to_team, **extra): a proposal through the service, with a reason
    and a handover note unless given."""

    def propose(case, actor, to_team, **extra):
        with services.acting_as(actor):
            return transfers.propose_transfer(
                case,
                actor=actor,
                to_team=to_team,
                reason=extra.pop("reason", TRANSFER_REASON),
                handover_note=extra.pop("handover_note", HANDOVER_NOTE),
                **extra,
            )

    return propose


@pytest.fixture
def accept():
    """accept(transfer, lead, officer=None): the receiving lead accepts, as themselves."""

    def accept(transfer, lead, officer=None):
        with services.acting_as(lead):
            return transfers.accept_transfer(transfer, actor=lead, officer=officer)

    return accept


@pytest.fixture
def close_case():
    """close_case(case, actor): closed today, the person got a permit."""

    def close(case, actor):
        with services.acting_as(actor):
            return services.close_case(
                case, actor=actor, closure_reason="permit", closed_on=timezone.localdate()
            )

    return close


@pytest.fixture
def open_reminder():
    """open_reminder(recipient, case, rule, title, kind=reminder): a reminder due today, not
    acknowledged, as the sweep leaves it."""

    def reminder(recipient, case, rule, title, kind=Notification.Kind.REMINDER):
        return notify(
            recipient, title=title, case=case, rule=rule, due_on=timezone.localdate(), kind=kind
        )

    return reminder
