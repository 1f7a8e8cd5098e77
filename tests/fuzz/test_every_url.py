"""Hostile query strings and form posts to every URL of the application, as an officer and as
a partner: the answer is never a server error."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import fuzz_settings
from tests.fuzz.test_hostile_input import hostile_text
from tests.test_permission_matrix import MATRIX, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

FIELDS = st.sampled_from(
    [
        "q",
        "page",
        "sort",
        "phase",
        "officer",
        "status",
        "since",
        "until",
        "text",
        "reason",
        "stage",
        "held_at",
        "version",
        "code",
        "case",
        "cases",
        "direction",
        "language",
        "next",
        "days",
        "v_nummer",
        "export",
        "by",
        "type",
        "answer",
        "category",
        "to_officer",
        "index",
    ]
)
PARAMS = st.dictionaries(FIELDS, hostile_text, max_size=4)


@fuzz_settings(max_examples=3)
@given(params=PARAMS, data=PARAMS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_no_url_answers_a_server_error(client, world, name, params, data):  # noqa: F811
    args_for, _expected = MATRIX[name]
    url = reverse(name, args=args_for(world))
    for role in ("officer", "partner", "team_lead"):
        client.force_login(world["users"][role])
        response = client.get(url, params)
        assert response.status_code < 500, (role, "GET", url, params)
        response = client.post(url, data)
        assert response.status_code < 500, (role, "POST", url, data)
