"""/beheer/ (the Django admin) for every role: the functional administrator gets in, anyone
else logged in gets a 403 page (not a redirect loop through the login page), and an anonymous
visitor the one login page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["/beheer/", "/beheer/accounts/user/", "/beheer/accounts/team/"]


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize("role", ["officer", "team_lead", "partner_user", "auditor"])
def test_logged_in_users_without_admin_rights_get_403(client, request, role, page):
    client.force_login(request.getfixturevalue(role))
    response = client.get(page, follow=True)
    assert response.status_code == 403
    # One hop to the admin's login address, which refuses; no loop.
    assert len(response.redirect_chain) <= 1


def test_functional_administrator_gets_in(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/beheer/").status_code == 200


def test_anonymous_visitor_goes_to_the_one_login_page(client):
    response = client.get("/beheer/accounts/user/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "next=/beheer/accounts/user/" in response.redirect_chain[-1][0]
