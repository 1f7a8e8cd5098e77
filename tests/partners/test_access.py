"""Who sees which meeting, which agenda case, and for how long; partners see nothing else."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dtv.audit.models import AuditEntry
from partners import services
from partners.models import ActionItem, AgendaItem, Meeting
from tests.cases.factories import CaseFactory
from tests.partners.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    finalise,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_meeting(meeting, make_case):
    """`meeting` with two cases on its agenda, sent to the participants."""
    AgendaItemFactory(meeting=meeting, case=make_case(), position=1)
    AgendaItemFactory(meeting=meeting, case=make_case(), position=2)
    return send(meeting)


@pytest.fixture
def partner_client(client, partner_user, partner_contact):
    client.force_login(partner_user)
    return client


def _case_url(meeting, item):
    return reverse("partners:agenda_case", args=[meeting.reference, item.case.reference])


# --- Meeting.objects.visible_to ----------------------------------------------------------


def test_officers_see_their_team_meetings_and_those_with_their_cases(
    meeting, officer, colleague, team_lead, outsider, other_team
):
    assert set(Meeting.objects.visible_to(officer)) >= {meeting}
    assert meeting in Meeting.objects.visible_to(colleague)
    assert meeting in Meeting.objects.visible_to(team_lead)
    assert meeting not in Meeting.objects.visible_to(outsider)
    # Once a case of the other team is on the agenda, its officers see the meeting.
    AgendaItemFactory(meeting=meeting, case=CaseFactory(team=other_team, officer=outsider))
    assert meeting in Meeting.objects.visible_to(outsider)


def test_partners_see_only_meetings_their_organisation_takes_part_in(
    meeting, other_meeting, partner_user, partner_contact, admin_user, auditor
):
    assert list(Meeting.objects.visible_to(partner_user)) == [meeting]
    assert not Meeting.objects.visible_to(admin_user).exists()
    assert set(Meeting.objects.visible_to(auditor)) == {meeting, other_meeting}


def test_a_partner_without_a_contact_sees_no_meeting(meeting, partner_user):
    assert not Meeting.objects.visible_to(partner_user).exists()


# --- agenda cases for partners -----------------------------------------------------------


def test_partner_sees_agenda_cases_only_after_the_agenda_is_sent(
    meeting, make_case, partner_user, partner_contact
):
    AgendaItemFactory(meeting=meeting, case=make_case())
    assert not AgendaItem.objects.visible_to(partner_user).exists()
    send(meeting)
    assert AgendaItem.objects.visible_to(partner_user).count() == 1


def test_partner_does_not_see_nominations_or_removed_items(
    sent_meeting, make_case, partner_user, partner_contact
):
    AgendaItemFactory(meeting=sent_meeting, case=make_case(), status="nominated", position=None)
    AgendaItemFactory(
        meeting=sent_meeting,
        case=make_case(),
        status="removed",
        position=None,
        removed_at=timezone.now(),
    )
    assert AgendaItem.objects.visible_to(partner_user).count() == 2


def test_partner_reads_an_agenda_case_with_need_to_know_fields(
    sent_meeting, partner_client, partner_user
):
    item = sent_meeting.agenda_items.first()
    response = partner_client.get(_case_url(sent_meeting, item))
    assert response.status_code == 200
    body = response.content.decode()
    assert item.case.person.v_nummer in body
    assert item.question in body
    entry = AuditEntry.objects.filter(actor=partner_user, purpose="partners:agenda_case").get()
    assert entry.v_nummer == item.case.person.v_nummer


def test_partner_access_ends_when_the_case_is_taken_off_the_agenda(
    sent_meeting, officer, partner_client
):
    item = sent_meeting.agenda_items.first()
    url = _case_url(sent_meeting, item)
    assert partner_client.get(url).status_code == 200
    services.remove_agenda_item(item, actor=officer, reason="Vertrokken")
    assert partner_client.get(url).status_code == 404


def test_partner_access_ends_30_days_after_the_minutes_are_final(
    sent_meeting, partner_client, partner_user
):
    item = sent_meeting.agenda_items.first()
    url = _case_url(sent_meeting, item)
    finalise(sent_meeting)
    # (sessions last 10 hours at most: log in again on the later day)
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        partner_client.force_login(partner_user)
        assert partner_client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        partner_client.force_login(partner_user)
        assert partner_client.get(url).status_code == 404
        assert not AgendaItem.objects.visible_to(partner_user).exists()
        # The meeting itself stays listed, without its cases.
        detail = partner_client.get(
            reverse("partners:meeting_detail", args=[sent_meeting.reference])
        )
        assert detail.status_code == 200
        assert item.case.person.v_nummer not in detail.content.decode()


def test_open_action_items_stay_with_their_owner_after_access_ends(
    sent_meeting, partner_client, partner_user, partner_contact
):
    item = sent_meeting.agenda_items.first()
    action = ActionItemFactory(agenda_item=item, owner_organisation=partner_contact.organisation)
    finalise(sent_meeting)
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        partner_client.force_login(partner_user)
        assert list(ActionItem.objects.visible_to(partner_user)) == [action]
        url = reverse("partners:action_item_update", args=[action.pk])
        assert partner_client.get(url).status_code == 200
        response = partner_client.post(url, {"status": "done", "progress_note": "Klaar"})
        assert response.status_code == 302
        # Once closed it disappears with the case.
        assert not ActionItem.objects.visible_to(partner_user).exists()


# --- 404 everywhere else -----------------------------------------------------------------


def test_partner_gets_404_on_other_meetings_and_cases(
    sent_meeting, other_meeting, make_case, partner_client
):
    other_item = AgendaItemFactory(meeting=send(other_meeting), case=make_case())
    off_agenda = make_case()
    item = sent_meeting.agenda_items.first()
    urls = [
        reverse("partners:meeting_detail", args=[other_meeting.reference]),
        reverse("partners:agenda_print", args=[other_meeting.reference]),
        reverse("partners:agenda_pdf", args=[other_meeting.reference]),
        reverse("partners:nominate", args=[other_meeting.reference]),
        _case_url(other_meeting, other_item),
        reverse("partners:agenda_case", args=[sent_meeting.reference, off_agenda.reference]),
        # A case on the partner's meeting, but under another meeting's URL.
        reverse("partners:agenda_case", args=[other_meeting.reference, item.case.reference]),
        reverse("cases:detail", args=[item.case.reference]),
        reverse("cases:detail", args=[off_agenda.reference]),
        reverse("partners:meeting_detail", args=["OV-NOSUCH"]),
    ]
    for url in urls:
        assert partner_client.get(url).status_code == 404, url


def test_partner_gets_404_on_the_officers_pages(sent_meeting, partner_client, make_case):
    item = sent_meeting.agenda_items.first()
    ref = sent_meeting.reference
    get_urls = [
        reverse("cases:worklist"),
        reverse("cases:list"),
        reverse("cases:create"),
        reverse("partners:organisation_list"),
        reverse("partners:meeting_create"),
        reverse("partners:meeting_edit", args=[ref]),
        reverse("partners:meeting_proposals", args=[ref]),
        reverse("partners:agenda_item_edit", args=[ref, item.pk]),
        reverse("partners:agenda_remove", args=[ref, item.pk]),
        reverse("partners:meeting_send", args=[ref]),
        reverse("partners:meeting_held", args=[ref]),
        reverse("partners:minutes", args=[ref]),
        reverse("partners:minutes_finalise", args=[ref]),
        reverse("partners:nominate_case", args=[item.case.reference]),
    ]
    for url in get_urls:
        assert partner_client.get(url).status_code == 404, url
    post_urls = [
        reverse("partners:agenda_add", args=[ref]),
        reverse("partners:agenda_move", args=[ref, item.pk]),
        reverse("partners:minutes_decision", args=[ref, item.pk]),
        reverse("partners:action_item_add", args=[ref, item.pk]),
    ]
    for url in post_urls:
        assert partner_client.post(url, {"case": make_case().reference}).status_code == 404, url
    assert sent_meeting.agenda_items.on_agenda().count() == 2


def test_partner_updates_own_action_item_but_not_another(
    sent_meeting, partner_client, partner_contact, gemeente
):
    item = sent_meeting.agenda_items.first()
    own = ActionItemFactory(agenda_item=item, owner_organisation=partner_contact.organisation)
    theirs = ActionItemFactory(agenda_item=item, owner_organisation=gemeente)
    response = partner_client.post(
        reverse("partners:action_item_update", args=[own.pk]),
        {"status": "done", "progress_note": "Adres bevestigd"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "done" and own.progress_note == "Adres bevestigd"
    url = reverse("partners:action_item_update", args=[theirs.pk])
    assert partner_client.get(url).status_code == 404
    assert partner_client.post(url, {"status": "done"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_partner_updates_action_item_owned_by_them_personally(
    sent_meeting, partner_client, partner_user, gemeente
):
    item = sent_meeting.agenda_items.first()
    action = ActionItemFactory(
        agenda_item=item, owner_organisation=gemeente, owner_user=partner_user
    )
    response = partner_client.post(
        reverse("partners:action_item_update", args=[action.pk]), {"status": "done"}
    )
    assert response.status_code == 302


def test_other_team_officer_gets_404_on_the_meeting(meeting, client, outsider):
    client.force_login(outsider)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("partners:meeting_proposals", args=[meeting.reference])).status_code
        == 404
    )


def test_officer_who_sees_but_does_not_organise_gets_403(meeting, client, outsider, other_team):
    AgendaItemFactory(meeting=meeting, case=CaseFactory(team=other_team, officer=outsider))
    client.force_login(outsider)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    url = reverse("partners:meeting_proposals", args=[meeting.reference])
    assert client.get(url).status_code == 403


def test_admin_sees_the_directory_but_no_meeting(meeting, client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("partners:organisation_list")).status_code == 200
    assert client.get(reverse("partners:meeting_list")).status_code == 404
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_every_partner_view_is_audited(sent_meeting, partner_client, partner_user, partner_contact):
    item = sent_meeting.agenda_items.first()
    action = ActionItemFactory(agenda_item=item, owner_organisation=partner_contact.organisation)
    ref = sent_meeting.reference
    expected = {
        reverse("partners:meeting_detail", args=[ref]): ("partners:meeting_detail", "view"),
        reverse("partners:agenda_print", args=[ref]): ("partners:agenda_print", "print"),
        reverse("partners:agenda_pdf", args=[ref]): ("partners:agenda_pdf", "export"),
        _case_url(sent_meeting, item): ("partners:agenda_case", "view"),
        reverse("partners:action_item_list"): ("partners:action_item_list", "view"),
        reverse("partners:action_item_update", args=[action.pk]): (
            "partners:action_item_update",
            "view",
        ),
    }
    for url, (purpose, kind) in expected.items():
        before = AuditEntry.objects.count()
        assert partner_client.get(url).status_code == 200, url
        entries = AuditEntry.objects.order_by("-pk")[: AuditEntry.objects.count() - before]
        assert [(e.purpose, e.kind) for e in entries] == [(purpose, kind)], url
        assert entries[0].actor == partner_user


def test_a_refused_request_leaves_no_access_entry(other_meeting, partner_client):
    before = AuditEntry.objects.count()
    partner_client.get(reverse("partners:meeting_detail", args=[other_meeting.reference]))
    assert AuditEntry.objects.count() == before


def test_officer_of_organising_team_reads_need_to_know_of_other_team_cases(
    meeting, client, colleague, other_team, outsider
):
    other_case = CaseFactory(team=other_team, officer=outsider)
    item = AgendaItemFactory(meeting=meeting, case=other_case)
    client.force_login(colleague)
    response = client.get(_case_url(meeting, item))
    assert response.status_code == 200
    # ... but the full case page stays closed to them.
    assert reverse("cases:detail", args=[other_case.reference]) not in response.content.decode()
    assert client.get(reverse("cases:detail", args=[other_case.reference])).status_code == 404


def test_meetings_created_by_an_officer_stay_visible_to_them(officer, other_team, outsider):
    meeting = MeetingFactory(chair=outsider, team=other_team, created_by=officer)
    assert meeting in Meeting.objects.visible_to(officer)


def test_organises_follows_organised_by(
    officer, colleague, outsider, team_lead, auditor, partner_user, team, other_team
):
    """The rule for one meeting a page has read (partners.access.organises) answers as the
    query does, for chair, secretary, organising team and everyone else."""
    from partners import access

    meetings = [
        MeetingFactory(chair=officer),
        MeetingFactory(chair=outsider, secretary=colleague),
        MeetingFactory(chair=outsider),
        MeetingFactory(chair=outsider, team=None),
        MeetingFactory(chair=outsider, team=team),
    ]
    answers = {}
    for user in (officer, colleague, outsider, team_lead, auditor, partner_user):
        for index, meeting in enumerate(meetings):
            expected = Meeting.objects.organised_by(user).filter(pk=meeting.pk).exists()
            assert access.organises(user, meeting) == expected, (user.username, index)
            answers[user.username, index] = expected
    # Both answers occur for the officers, so the comparison is not all one way.
    assert answers["officer", 0] and answers["officer2", 1] and answers["officer", 4]
    assert not answers["officer", 2] and answers["officer3", 2]
    assert not any(answers["partner", index] for index in range(len(meetings)))
