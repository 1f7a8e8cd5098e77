"""LTO items on the case page (timeline and section) and on the worklist."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import registry
from tests.partners.factories import ActionItemFactory, AgendaItemFactory

pytestmark = pytest.mark.django_db


def test_agenda_and_action_items_appear_on_the_case_timeline(meeting, make_case, officer):
    case = make_case()
    item = AgendaItemFactory(meeting=meeting, case=case, decision="VBL-plaatsing")
    ActionItemFactory(agenda_item=item, description="Identiteitsonderzoek afronden")
    ActionItemFactory(
        agenda_item=item, description="Tolk regelen", status="done", done_at=timezone.now()
    )
    events = registry.timeline(case)
    titles = [event.title for event in events]
    assert any(str(meeting) in title for title in titles)
    assert any("Identiteitsonderzoek afronden" in title for title in titles)
    assert any(title.startswith("Done") or "Tolk regelen" in title for title in titles)
    assert any("VBL-plaatsing" in event.detail for event in events)


def test_removed_items_show_as_taken_off(meeting, make_case):
    case = make_case()
    AgendaItemFactory(
        meeting=meeting,
        case=case,
        status="removed",
        position=None,
        removed_at=timezone.now(),
        removal_reason="Vertrokken",
    )
    (event,) = [e for e in registry.timeline(case) if e.detail == "Vertrokken"]
    assert "Taken off" in event.title


def test_case_page_shows_meetings_section_and_nominate_button(
    officer_client, meeting, make_case, avim
):
    case = make_case()
    item = AgendaItemFactory(meeting=meeting, case=case, question="Toezicht nodig?")
    ActionItemFactory(agenda_item=item, owner_organisation=avim, description="Meldplicht nagaan")
    response = officer_client.get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("partners:nominate_case", args=[case.reference]) in body
    assert "Meldplicht nagaan" in body
    assert meeting.get_absolute_url() in body


def _render_worklist_block(user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load partners_tags %}{% open_action_items %}")
    return template.render(Context({"request": request}))


def test_worklist_block_lists_open_action_items_of_the_user(meeting, make_case, officer):
    item = AgendaItemFactory(meeting=meeting, case=make_case())
    ActionItemFactory(
        agenda_item=item,
        owner_organisation=None,
        owner_user=officer,
        description="LP-aanvraag indienen",
        due_on=timezone.localdate() - timedelta(days=2),
    )
    ActionItemFactory(agenda_item=item, description="Niet van mij")
    html = _render_worklist_block(officer)
    assert "LP-aanvraag indienen" in html
    assert "Niet van mij" not in html


def test_worklist_block_queries_do_not_grow(meeting, make_case, officer):
    def add(count):
        for _ in range(count):
            item = AgendaItemFactory(meeting=meeting, case=make_case())
            ActionItemFactory(agenda_item=item, owner_organisation=None, owner_user=officer)

    add(3)
    # The access rules ask has_perm; a request reads the user's permissions once, in the
    # view's own check, before this runs (Django caches them on the user object).
    officer.get_all_permissions()
    with CaptureQueriesContext(connection) as small:
        _render_worklist_block(officer)
    add(20)
    with CaptureQueriesContext(connection) as large:
        html = _render_worklist_block(officer)
    # The ids, then the list itself.
    assert len(large) == len(small) == 2
    assert html.count("<li") == 10


def test_worklist_block_without_action_items_is_one_query(officer):
    # The access rules ask has_perm; a request reads the user's permissions once, in the
    # view's own check, before this runs (Django caches them on the user object).
    officer.get_all_permissions()
    with CaptureQueriesContext(connection) as queries:
        _render_worklist_block(officer)
    assert len(queries) == 1


def test_worklist_block_is_empty_without_action_items(officer):
    assert _render_worklist_block(officer).strip() == ""
