"""The inbox the reminders land in (dtv/notifications): order, filters, acknowledge (one or
several), snooze, and the bulk insert the sweep uses."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dtv.notifications import services
from dtv.notifications.models import Notification
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _note(recipient, **kwargs):
    kwargs.setdefault("title", "Herinnering")
    return Notification.objects.create(recipient=recipient, **kwargs)


def test_escalations_first_then_the_earliest_deadline(officer_client, officer):
    today = timezone.localdate()
    late = _note(officer, kind="reminder", title="later", due_on=today + timedelta(days=5))
    soon = _note(officer, kind="reminder", title="sooner", due_on=today)
    escalation = _note(officer, kind="escalation", title="escalated", due_on=today)
    info = _note(officer, kind="info", title="info")
    page = officer_client.get(reverse("notifications:inbox")).context["page_obj"]
    assert list(page) == [escalation, soon, late, info]


def test_filters_and_what_needs_attention(officer_client, officer):
    done = _note(officer, acknowledged_at=timezone.now())
    snoozed = _note(officer, snoozed_until=timezone.now() + timedelta(days=2))
    escalation = _note(officer, kind="escalation")
    reminder = _note(officer, kind="reminder")
    url = reverse("notifications:inbox")
    assert set(officer_client.get(url).context["page_obj"]) == {escalation, reminder}
    assert list(officer_client.get(url, {"show": "escalations"}).context["page_obj"]) == [
        escalation
    ]
    assert set(officer_client.get(url, {"show": "all"}).context["page_obj"]) == {
        done,
        snoozed,
        escalation,
        reminder,
    }
    assert officer_client.get(url, {"show": "<script>"}).context["show"] == "open"


def test_acknowledging_several_at_once_only_touches_ones_own(officer_client, officer, colleague):
    mine = [_note(officer) for _ in range(3)]
    theirs = _note(colleague)
    response = officer_client.post(
        reverse("notifications:acknowledge_selected"),
        {"ids": [mine[0].pk, mine[1].pk, theirs.pk, "x"], "next": "/notifications/?show=all"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?show=all"
    acknowledged = set(
        Notification.objects.filter(acknowledged_at__isnull=False).values_list("pk", flat=True)
    )
    assert acknowledged == {mine[0].pk, mine[1].pk}


def test_acknowledging_nothing_says_so(officer_client):
    response = officer_client.post(reverse("notifications:acknowledge_selected"), {})
    assert response.status_code == 302


def test_the_next_address_stays_on_this_site(officer_client, officer):
    note = _note(officer)
    response = officer_client.post(
        reverse("notifications:acknowledge", args=[note.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:inbox")


def test_someone_elses_notification_is_not_found(officer_client, colleague):
    note = _note(colleague)
    assert (
        officer_client.post(reverse("notifications:acknowledge", args=[note.pk])).status_code == 404
    )
    assert officer_client.get(reverse("notifications:snooze", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.acknowledged_at is None


def test_snoozing_needs_a_reason_without_control_characters(officer_client, officer):
    note = _note(officer)
    url = reverse("notifications:snooze", args=[note.pk])
    response = officer_client.post(url, {"days": "3", "reason": "bad\x01reason"})
    assert response.status_code == 200
    response = officer_client.post(url, {"days": "3", "reason": "Wacht op AVIM"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.snooze_reason == "Wacht op AVIM"


def test_the_inbox_query_count_does_not_grow(officer_client, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    for _ in range(5):
        _note(officer, case=case)
    url = reverse("notifications:inbox")
    officer_client.get(url)  # fills what is kept between requests (the permissions)
    with CaptureQueriesContext(connection) as small:
        officer_client.get(url)
    # Counted now: a later request empties the connection's query log that `small` reads.
    expected = len(small)
    for _ in range(45):
        _note(officer, case=case)
    officer_client.get(url)
    with CaptureQueriesContext(connection) as large:
        officer_client.get(url)
    assert expected > 0
    assert len(large) == expected


def test_notify_many_inserts_each_deadline_once(officer, colleague):
    case = CaseFactory(team=officer.team, officer=officer)
    due = timezone.localdate()

    def drafts():
        return [
            Notification(recipient=officer, case=case, rule="r", due_on=due, title="a"),
            Notification(recipient=colleague, case=case, rule="r", due_on=due, title="b"),
            Notification(recipient=officer, title="unkeyed"),
        ]

    assert services.notify_many(drafts()) == 2
    assert services.notify_many(drafts()) == 1  # only the unkeyed one again
    assert Notification.objects.filter(rule="r").count() == 1
    assert services.send_pending_emails() == 3
    assert services.send_pending_emails() == 0
    assert len(mail.outbox) == 3


def test_notify_is_idempotent_for_a_deadline(officer, colleague):
    case = CaseFactory(team=officer.team, officer=officer)
    due = timezone.localdate()
    first = services.notify(officer, title="x", case=case, rule="r", due_on=due)
    again = services.notify(colleague, title="x", case=case, rule="r", due_on=due)
    assert first is not None
    assert again is None
