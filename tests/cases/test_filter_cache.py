"""The case filter's rendered fields in the shared cache (cases/templatetags/case_filter.py):
the same HTML as crispy writes without the cache, a new officer or municipality shown at
once, and the search text never kept."""

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from cases.filters import CaseFilter
from cases.models import Case
from directory.models import Municipality
from tests.accounts.factories import OfficerFactory
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

PLAIN = Template(
    "{% load crispy_forms_tags %}{% for field in filter.form %}\n"
    '    <div class="col-sm-6 col-md-4 col-xl-2">{{ field|as_crispy_field }}</div>\n'
    "    {% endfor %}"
)
CACHED = Template("{% load case_filter %}{% case_filter_fields filter %}")


def _filter(officer, query):
    request = RequestFactory().get("/cases/", query)
    return CaseFilter(request.GET or None, queryset=Case.objects.all(), user=officer)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status": "open"},
        {"q": "benali", "phase": ["registered", "obliged"], "opened_after": "2026-01-01"},
        {"opened_after": "not a date", "nationality": "XX"},
    ],
)
def test_the_cached_fields_are_what_crispy_writes(officer, query):
    CaseFactory(team=officer.team, officer=officer)
    plain = PLAIN.render(Context({"filter": _filter(officer, query)}))
    filled = CACHED.render(Context({"filter": _filter(officer, query)}))
    from_cache = CACHED.render(Context({"filter": _filter(officer, query)}))
    assert plain == filled == from_cache


def test_a_new_officer_and_municipality_are_listed_at_once(officer_client, officer):
    url = reverse("cases:list")
    assert "Zwaantje" not in officer_client.get(url).content.decode()
    OfficerFactory(team=officer.team, first_name="Piet", last_name="Zwaantje")
    Municipality.objects.create(name="Nieuwgemeente", code="GM9999")
    text = officer_client.get(url).content.decode()
    assert "Piet Zwaantje" in text
    assert "Nieuwgemeente" in text


def test_another_teams_officers_are_not_listed(officer_client, officer, outsider):
    text = officer_client.get(reverse("cases:list")).content.decode()
    assert str(outsider) not in text
    assert f'value="{officer.pk}"' in text


def test_the_search_text_is_not_kept(officer_client):
    officer_client.get(reverse("cases:list"), {"q": "Zyxwvutname", "status": "open"})
    second = officer_client.get(reverse("cases:list"), {"q": "Otherzyx", "status": "open"})
    assert 'value="Otherzyx"' in second.content.decode()
    # Local memory keeps the pickled values: a kept text would be among their bytes.
    stored = list(cache._cache.values())
    assert any(b"form-select" in value for value in stored)
    assert not any(b"Zyxwvutname" in value or b"Otherzyx" in value for value in stored)
