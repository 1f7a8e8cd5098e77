import io

import pytest
from django.core.management import call_command

from dtv.accounts.models import User
from partners.models import ActionItem, AgendaItem, Meeting

pytestmark = pytest.mark.django_db


def _counts():
    return {model.__name__: model.objects.count() for model in (Meeting, AgendaItem, ActionItem)}


@pytest.mark.parametrize("cases", ["40", "0"])
def test_demo_meetings_are_seeded_once(settings, cases):
    settings.DEBUG = True
    call_command("seed_demo", "--cases", cases, stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", "--cases", cases, stdout=io.StringIO())
    assert _counts() == first
    partner = User.objects.get(username="partner")
    visible = set(Meeting.objects.visible_to(partner).values_list("reference", flat=True))
    assert "OV-DEMO-GR4" in visible
    assert "OV-DEMO-AM1" not in visible
    statuses = set(Meeting.objects.values_list("status", flat=True))
    assert statuses == set(Meeting.Status.values)
    if cases != "0":
        assert AgendaItem.objects.visible_to(partner).exists()
        assert ActionItem.objects.open_for(partner).exists()
        assert ActionItem.objects.stalled().exists()
