from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from partners.models import ActionItem, AgendaItem, Meeting
from tests.cases.factories import ObstacleFactory
from tests.partners.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    ParticipantFactory,
    send,
)

pytestmark = pytest.mark.django_db


def _lapsed(make_case, **kwargs):
    return make_case(
        phase=Case.Phase.OBLIGED, term_ends_on=timezone.localdate() - timedelta(days=2), **kwargs
    )


def test_chair_prepares_an_agenda_from_the_proposals_in_a_few_clicks(
    officer_client, meeting, make_case, partner_user, partner_contact
):
    cases = [_lapsed(make_case) for _ in range(3)]
    url = reverse("partners:meeting_proposals", args=[meeting.reference])
    page = officer_client.get(url)
    assert page.status_code == 200
    for case in cases:
        assert case.reference in page.content.decode()
    # Tick two and "add selected": one POST.
    response = officer_client.post(url, {"cases": [cases[0].reference, cases[1].reference]})
    assert response.status_code == 302
    items = list(meeting.agenda_items.on_agenda().order_by("position"))
    # Added in the order of the proposals (same deadline: by reference).
    assert [item.case for item in items] == sorted(cases[:2], key=lambda c: c.reference)
    assert items[0].reasons == ["term_lapsed"]
    # The third with its own "Add" button: one POST.
    response = officer_client.post(
        reverse("partners:agenda_add", args=[meeting.reference]), {"case": cases[2].reference}
    )
    assert response.status_code == 302
    assert meeting.agenda_items.on_agenda().count() == 3
    # Annotate, send.
    item = items[0]
    officer_client.post(
        reverse("partners:agenda_item_edit", args=[meeting.reference, item.pk]),
        {"question": "VBL of opvang beëindigen?", "approach": "VBL voorstellen."},
    )
    item.refresh_from_db()
    assert item.question == "VBL of opvang beëindigen?"
    response = officer_client.post(reverse("partners:meeting_send", args=[meeting.reference]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_SENT


def test_add_selected_with_a_stale_reference_saves_nothing(officer_client, meeting, make_case):
    case = _lapsed(make_case)
    url = reverse("partners:meeting_proposals", args=[meeting.reference])
    response = officer_client.post(url, {"cases": [case.reference, "TK-GONE"]})
    assert response.status_code == 200
    assert not meeting.agenda_items.exists()


def test_adding_an_unknown_reference_explains(officer_client, meeting):
    response = officer_client.post(
        reverse("partners:agenda_add", args=[meeting.reference]), {"case": "TK-NOSUCH"}, follow=True
    )
    assert response.status_code == 200
    assert not meeting.agenda_items.exists()
    assert "TK-NOSUCH" in response.content.decode()


def test_reorder_with_htmx_returns_the_agenda(officer_client, meeting, make_case):
    first = AgendaItemFactory(meeting=meeting, case=make_case(), position=1)
    second = AgendaItemFactory(meeting=meeting, case=make_case(), position=2)
    response = officer_client.post(
        reverse("partners:agenda_move", args=[meeting.reference, second.pk]),
        {"direction": "up"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="agenda"' in body and "<html" not in body
    assert body.index(second.case.reference) < body.index(first.case.reference)


def test_remove_asks_for_confirmation_first(officer_client, meeting, make_case):
    item = AgendaItemFactory(meeting=meeting, case=make_case())
    url = reverse("partners:agenda_remove", args=[meeting.reference, item.pk])
    assert officer_client.get(url).status_code == 200
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.ON_AGENDA
    assert officer_client.post(url, {"reason": "Vertrokken"}).status_code == 302
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.REMOVED


def test_minutes_with_decisions_and_action_items(officer_client, meeting, make_case, avim):
    item = AgendaItemFactory(meeting=meeting, case=make_case())
    send(meeting)
    meeting.starts_at = timezone.now() - timedelta(hours=3)
    meeting.save()
    ref = meeting.reference
    assert officer_client.post(reverse("partners:meeting_held", args=[ref])).status_code == 302
    page = officer_client.get(reverse("partners:minutes", args=[ref]))
    assert page.status_code == 200
    # An empty decision is refused with the form shown again.
    bad = officer_client.post(
        reverse("partners:minutes_decision", args=[ref, item.pk]), {f"d{item.pk}-decision": ""}
    )
    assert bad.status_code == 422
    officer_client.post(
        reverse("partners:minutes_decision", args=[ref, item.pk]),
        {f"d{item.pk}-decision": "Akkoord", f"d{item.pk}-escalate_to_rao": "on"},
    )
    item.refresh_from_db()
    assert item.decision == "Akkoord" and item.escalate_to_rao
    # The escalation's own action item, for the chair (the team has no lead here).
    assert ActionItem.objects.get(description__startswith="RAO: ").owner_user == meeting.chair
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = officer_client.post(
        reverse("partners:action_item_add", args=[ref, item.pk]),
        {
            f"a{item.pk}-description": "Identiteitsonderzoek",
            f"a{item.pk}-owner_organisation": avim.pk,
            f"a{item.pk}-due_on": due,
        },
    )
    assert response.status_code == 302
    assert ActionItem.objects.get(owner_organisation__isnull=False).owner_organisation == avim
    bad_date = officer_client.post(
        reverse("partners:action_item_add", args=[ref, item.pk]),
        {
            f"a{item.pk}-description": "x",
            f"a{item.pk}-owner_organisation": avim.pk,
            f"a{item.pk}-due_on": "1800-01-01",
        },
    )
    assert bad_date.status_code == 422
    assert officer_client.post(reverse("partners:minutes_finalise", args=[ref])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_FINAL


def test_meeting_create_form(officer_client, officer, municipality, avim):
    starts = (timezone.localtime() + timedelta(days=14)).strftime("%Y-%m-%dT10:00")
    response = officer_client.post(
        reverse("partners:meeting_create"),
        {
            "type": "lto",
            "municipality": municipality.pk,
            "starts_at": starts,
            "place": "Gemeentehuis",
            "chair": officer.pk,
            "organisations": [avim.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:meeting_proposals", args=[meeting.reference])
    assert meeting.participants.get().organisation == avim


@pytest.mark.parametrize(
    "data",
    [
        {"type": "lto", "starts_at": "2026-12-01T10:00"},  # no municipality nor region
        {"type": "lto", "region": "Noord", "starts_at": "1850-01-01T10:00"},
        {"type": "lto", "region": "No\x00rd", "starts_at": "2026-12-01T10:00"},
        {"type": "bogus", "region": "Noord", "starts_at": "2026-12-01T10:00"},
        {"type": "lto", "region": "Noord", "starts_at": "not a date"},
    ],
)
def test_meeting_form_refuses_bad_input_without_error_pages(officer_client, officer, data):
    response = officer_client.post(
        reverse("partners:meeting_create"), {**data, "chair": officer.pk}
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_nominate_from_the_case_page(officer_client, meeting, make_case):
    case = make_case()
    url = reverse("partners:nominate_case", args=[case.reference])
    page = officer_client.get(url)
    assert page.status_code == 200
    assert meeting.reference in page.content.decode()
    response = officer_client.post(url, {"meeting": meeting.reference, "question": "Bespreken"})
    assert response.status_code == 302
    assert meeting.agenda_items.nominated().get().case == case


def test_partner_nominates_from_the_meeting_page(
    client, officer, meeting, partner_user, partner_contact, make_case
):
    earlier = MeetingFactory(chair=officer, starts_at=timezone.now() - timedelta(days=10))
    ParticipantFactory(meeting=earlier, organisation=partner_contact.organisation)
    case = make_case()
    AgendaItemFactory(meeting=earlier, case=case)
    send(earlier)
    client.force_login(partner_user)
    url = reverse("partners:nominate", args=[meeting.reference])
    assert client.get(url).status_code == 200
    response = client.post(url, {"case": case.reference, "question": "Toezicht?"})
    assert response.status_code == 302
    nomination = meeting.agenda_items.nominated().get()
    assert nomination.nominated_by_organisation == partner_contact.organisation
    # A case the partner does not see is not among the choices.
    other = make_case()
    assert client.post(url, {"case": other.reference}).status_code == 200
    assert meeting.agenda_items.count() == 1


def _measure(client, url):
    # A first request fills what is kept between requests (the user's permissions); the
    # page's own queries are those of the next one.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_meeting_list_query_count_does_not_grow(
    officer_client, officer, avim, gemeente, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            meeting = MeetingFactory(chair=officer)
            ParticipantFactory(meeting=meeting, organisation=avim)
            ParticipantFactory(meeting=meeting, organisation=gemeente)

    url = reverse("partners:meeting_list")
    add(5)
    small = _measure(officer_client, url)
    add(45)
    with django_assert_num_queries(small):
        officer_client.get(url)


def test_partner_meeting_list_query_count_does_not_grow(
    client, officer, partner_user, partner_contact, make_case, django_assert_num_queries
):
    client.force_login(partner_user)

    def add(count):
        for _ in range(count):
            meeting = send(MeetingFactory(chair=officer))
            ParticipantFactory(meeting=meeting, organisation=partner_contact.organisation)
            item = AgendaItemFactory(meeting=meeting, case=make_case())
            ActionItemFactory(agenda_item=item, owner_organisation=partner_contact.organisation)

    url = reverse("partners:meeting_list")
    add(5)
    small = _measure(client, url)
    add(45)
    with django_assert_num_queries(small):
        client.get(url)


def test_meeting_detail_query_count_does_not_grow(
    officer_client, meeting, make_case, avim, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            case = make_case()
            ObstacleFactory(case=case)
            item = AgendaItemFactory(meeting=meeting, case=case)
            ActionItemFactory(agenda_item=item, owner_organisation=avim)

    url = meeting.get_absolute_url()
    add(5)
    small = _measure(officer_client, url)
    add(45)
    with django_assert_num_queries(small):
        officer_client.get(url)


def test_proposals_page_query_count_does_not_grow(
    officer_client, meeting, make_case, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            ObstacleFactory(case=_lapsed(make_case))

    url = reverse("partners:meeting_proposals", args=[meeting.reference])
    add(5)
    small = _measure(officer_client, url)
    add(45)
    with django_assert_num_queries(small):
        response = officer_client.get(url)
    # The page shows the most urgent ones, a page at a time (the 50 over two pages).
    from partners.agenda import PROPOSALS_PER_PAGE

    assert response.content.decode().count('name="cases"') == PROPOSALS_PER_PAGE
    with django_assert_num_queries(small):
        response = officer_client.get(url, {"page": "2"})
    assert response.content.decode().count('name="cases"') == 50 - PROPOSALS_PER_PAGE


def test_action_item_list_query_count_does_not_grow(
    officer_client, officer, meeting, make_case, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            item = AgendaItemFactory(meeting=meeting, case=make_case())
            ActionItemFactory(agenda_item=item, owner_organisation=None, owner_user=officer)

    url = reverse("partners:action_item_list")
    add(5)
    small = _measure(officer_client, url)
    add(20)  # the page holds 25
    with django_assert_num_queries(small):
        officer_client.get(url)


def test_minutes_query_count_does_not_grow(
    officer_client, meeting, make_case, avim, django_assert_num_queries
):
    send(meeting)
    meeting.status = Meeting.Status.HELD
    meeting.save()

    def add(count):
        for _ in range(count):
            item = AgendaItemFactory(meeting=meeting, case=make_case())
            ActionItemFactory(agenda_item=item, owner_organisation=avim)

    url = reverse("partners:minutes", args=[meeting.reference])
    add(5)
    small = _measure(officer_client, url)
    add(20)
    with django_assert_num_queries(small):
        officer_client.get(url)


def test_agenda_pdf_query_count_does_not_grow(
    officer_client, meeting, make_case, avim, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            case = make_case()
            ObstacleFactory(case=case)
            AgendaItemFactory(meeting=meeting, case=case)

    url = reverse("partners:agenda_pdf", args=[meeting.reference])
    add(3)
    small = _measure(officer_client, url)
    add(12)
    with django_assert_num_queries(small):
        response = officer_client.get(url)
    assert response["Content-Type"] == "application/pdf"
