"""The calendar feed's secret is stored as a hash: a copy of the database opens no feed."""

import hashlib
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from dtv.accounts import services as account_services
from dtv.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_database_holds_a_hash_of_the_token_not_the_token(client, officer):
    token = account_services.rotate_calendar_token(officer)
    stored = User.objects.get(pk=officer.pk).calendar_token
    assert token not in stored
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert client.get(reverse("interviews:calendar_feed", args=[token])).status_code == 200
    # The stored value itself is no key to the feed.
    assert client.get(reverse("interviews:calendar_feed", args=[stored])).status_code == 404


def test_the_link_is_shown_once_when_made_and_old_links_stop(officer_client, officer):
    url = reverse("interviews:calendar_settings")
    response = officer_client.post(url, {"action": "rotate"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    first = response.context["feed_url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert officer_client.get(url).context["feed_url"] == ""
    assert officer_client.get(url).context["has_link"] is True
    officer_client.post(url, {"action": "rotate"})
    feed = reverse("interviews:calendar_feed", args=[first])
    assert officer_client.get(feed).status_code == 404
    officer_client.post(url, {"action": "revoke"})
    assert User.objects.get(pk=officer.pk).calendar_token == ""


def test_links_made_before_the_change_keep_working(client, officer):
    migration = importlib.import_module("dtv.accounts.migrations.0003_calendar_token_hashed")
    old = User.new_calendar_token()
    User.objects.filter(pk=officer.pk).update(calendar_token=old)
    migration.hash_tokens(django_apps, None)
    assert User.objects.get(pk=officer.pk).calendar_token != old
    assert client.get(reverse("interviews:calendar_feed", args=[old])).status_code == 200


def test_the_feed_is_audited_from_the_client_address_a_trusted_proxy_gives(
    client, officer, settings
):
    from dtv.audit.models import AuditEntry

    token = account_services.rotate_calendar_token(officer)
    url = reverse("interviews:calendar_feed", args=[token])
    forged = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    settings.TRUSTED_PROXY_COUNT = 0
    assert client.get(url, **forged).status_code == 200
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["10.0.0.0/8"]
    assert client.get(url, **forged).status_code == 200
    entries = AuditEntry.objects.filter(purpose="interviews:calendar_feed").order_by("pk")
    # Without a trusted proxy the header is a client's say-so; behind one it is the client.
    assert [e.remote_addr for e in entries] == ["10.0.0.5", "203.0.113.9"]
    assert entries[0].additional_data["delivered"] == {"format": "ics", "rows": 0}
