import io

import pytest
from django.core.management import call_command

from cases.models import CaseTransfer
from dtv.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_pending_transfer_for_the_noord_lead_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--cases", "40", stdout=io.StringIO())
    call_command("seed_demo", "--cases", "40", stdout=io.StringIO())
    lead = User.objects.get(username="teamlead")
    pending = CaseTransfer.objects.visible_to(lead).pending()
    assert pending.count() == 1
    transfer = pending.get()
    assert transfer.to_team == lead.team and transfer.from_team.name == "Zuid"
    assert transfer.case.team.name == "Zuid"
    assert set(CaseTransfer.objects.values_list("status", flat=True)) == {
        "pending",
        "accepted",
        "declined",
    }
    accepted = CaseTransfer.objects.get(status=CaseTransfer.Status.ACCEPTED)
    assert accepted.case.team == lead.team
