"""Permissions kept in the shared cache (dtv/accounts/backends.py): no permission queries on
a user's later requests, and a role, group or permission change is seen on the next one."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dtv.accounts.models import User
from dtv.accounts.services import set_role

pytestmark = pytest.mark.django_db


def _permission_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q for q in queries if "auth_permission" in q["sql"]]


def test_the_second_request_reads_no_permissions(officer_client):
    url = reverse("cases:list")
    response, first = _permission_queries(officer_client, url)
    assert response.status_code == 200 and first
    response, second = _permission_queries(officer_client, url)
    assert response.status_code == 200 and not second


def test_a_role_change_counts_from_the_next_request(client, officer):
    client.force_login(officer)
    url = reverse("cases:list")
    assert client.get(url).status_code == 200
    set_role(User.objects.get(pk=officer.pk), "partner")
    # Without cases.view_case the officers' side does not exist for the user.
    assert client.get(url).status_code == 404


def test_a_permission_taken_from_the_group_counts_from_the_next_request(client, officer):
    client.force_login(officer)
    assert client.get(reverse("cases:create")).status_code == 200
    add_case = Permission.objects.get(content_type__app_label="cases", codename="add_case")
    for group in Group.objects.filter(user=officer):
        group.permissions.remove(add_case)
    assert client.get(reverse("cases:create")).status_code in (403, 404)


def test_a_deactivated_user_has_no_permissions(officer):
    fresh = User.objects.get(pk=officer.pk)
    assert fresh.has_perm("cases.view_case")
    officer.is_active = False
    officer.save()
    assert not User.objects.get(pk=officer.pk).has_perm("cases.view_case")
