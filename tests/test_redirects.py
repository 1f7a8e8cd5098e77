"""Every redirect to a target a user can choose goes through dtv.redirects: a hostile `next`
(another site, a protocol-relative or backslashed address, a script URL, a control character,
or a bare word that redirect() would try as a URL name) leads to the fallback, never to a
server error or another site."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from dtv.notifications.models import Notification
from dtv.notifications.services import notify
from dtv.redirects import redirect_to, same_site_path

pytestmark = pytest.mark.django_db

HOSTILE = [
    "https://evil.example/x",
    "http://testserver.evil.example/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "2026-02-30",
    "cases:list",
    "javascript:alert(1)",
    "/cases/\x00",
    "/\tevil",
    " /cases/",
    "data:text/html,x",
    "",
]
SAFE = ["/cases/", "/notifications/?show=all&page=2", "/cases/Z-2026-0001/#notes"]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_not_same_site_paths(target):
    request = RequestFactory().get("/")
    assert same_site_path(request, target) is None


@pytest.mark.parametrize("target", SAFE)
def test_same_site_paths_pass(target):
    request = RequestFactory().get("/")
    assert same_site_path(request, target) == target
    assert redirect_to(request, target, "home")["Location"] == target


def test_fallback_is_a_url_name_or_path():
    request = RequestFactory().get("/")
    assert redirect_to(request, "2026-02-30", "notifications:inbox")["Location"] == reverse(
        "notifications:inbox"
    )
    assert redirect_to(request, None, "cases:detail", "Z-1")["Location"] == reverse(
        "cases:detail", args=["Z-1"]
    )


@pytest.mark.parametrize("target", HOSTILE)
def test_notification_actions_fall_back_to_the_inbox(officer_client, officer, target):
    notification = notify(officer, title="Termijn verlopen")
    inbox = reverse("notifications:inbox")
    for url, data in [
        (reverse("notifications:acknowledge", args=[notification.pk]), {"next": target}),
        (reverse("notifications:acknowledge_selected"), {"next": target, "ids": ["x"]}),
        (
            reverse("notifications:acknowledge_selected"),
            {"next": target, "ids": [notification.pk]},
        ),
    ]:
        response = officer_client.post(url, data)
        assert response.status_code == 302, (url, target)
        assert response["Location"] == inbox, (url, target)


def test_notification_actions_go_back_to_a_same_site_list(officer_client, officer):
    notification = notify(officer, title="Termijn verlopen")
    back = reverse("notifications:inbox") + "?show=all&page=1"
    response = officer_client.post(
        reverse("notifications:acknowledge", args=[notification.pk]), {"next": back}
    )
    assert response["Location"] == back


@pytest.mark.parametrize("link", ["https://evil.example/x", "//evil.example", "2026-02-30"])
def test_opening_a_notification_with_a_foreign_link_goes_to_the_inbox(
    officer_client, officer, link
):
    notification = notify(officer, title="Termijn verlopen", link=link)
    response = officer_client.post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:inbox")
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def _backup_codes(user, codes):
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)


@override_settings(TWO_FACTOR_ENFORCED=True)
@pytest.mark.parametrize("target", HOSTILE)
def test_two_factor_verification_never_redirects_off_site(client, team_lead, target):
    _backup_codes(team_lead, ["12345678"])
    client.force_login(team_lead)
    url = reverse("accounts:two_factor_verify")
    response = client.post(url, {"code": "12345678"}, QUERY_STRING=f"next={target}")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@override_settings(TWO_FACTOR_ENFORCED=True)
def test_two_factor_verification_follows_a_same_site_next(client, team_lead):
    _backup_codes(team_lead, ["12345678"])
    client.force_login(team_lead)
    url = reverse("accounts:two_factor_verify") + "?next=/reports/"
    response = client.post(url, {"code": "12345678"})
    assert response["Location"] == "/reports/"


@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_redirects_off_site(client, officer, target):
    response = client.post(
        reverse("accounts:login"),
        {"username": "officer", "password": "correct-horse-battery", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    # Already logged in: the login page sends the user on, again only to a same-site path.
    response = client.get(reverse("accounts:login"), {"next": target})
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("target", HOSTILE)
def test_logout_never_redirects_off_site(officer_client, target):
    response = officer_client.post(reverse("accounts:logout"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": target}, HTTP_REFERER=target
    )
    assert response.status_code == 302
    location = response["Location"]
    # Django's view percent-encodes some of what it keeps ("/cases/%00"): a path of this site.
    assert same_site_path(RequestFactory().get("/"), location) == location
    assert "evil.example" not in location or location.startswith("/%"), location


def test_language_switch_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/cases/?q=x"})
    assert response["Location"] == "/cases/?q=x"
