"""Partners see a document only when the officer shared it with an agenda item they may see,
and only as long as that access lasts; a medical document never."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from documents.models import Document
from partners import services as partner_services
from partners.models import AgendaItem, Contact, Meeting, Organisation
from tests.cases.factories import CaseFactory
from tests.documents.test_views import generated

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(officer, partner_user):
    case = CaseFactory(team=officer.team, officer=officer)
    avim = Organisation.objects.create(kind="avim", name="AVIM Test")
    Contact.objects.create(organisation=avim, name="P", user=partner_user)
    meeting = Meeting.objects.create(
        region="Noord",
        starts_at=timezone.now() + timedelta(days=3),
        chair=officer,
        team=officer.team,
        created_by=officer,
        status=Meeting.Status.AGENDA_SENT,
        agenda_sent_at=timezone.now(),
    )
    meeting.participants.create(organisation=avim)
    item = AgendaItem.objects.create(meeting=meeting, case=case, position=1)
    version = generated(case, officer)
    return item, version.document


def test_a_partner_sees_a_shared_document_while_their_access_lasts(
    client, officer, partner_user, shared
):
    item, document = shared
    url = reverse("documents:download", args=[document.reference, 1])
    client.force_login(partner_user)
    assert client.get(url).status_code == 404
    partner_services.share_documents(item, actor=officer, documents=[document])
    assert client.get(url).status_code == 200
    page = client.get(
        reverse("partners:agenda_case", args=[item.meeting.reference, item.case.reference])
    )
    assert url in page.content.decode()
    # 31 days after the minutes became final the partner's access has ended.
    Meeting.objects.filter(pk=item.meeting_id).update(
        status=Meeting.Status.MINUTES_FINAL,
        minutes_finalised_at=timezone.now() - timedelta(days=31),
    )
    assert client.get(url).status_code == 404


def test_the_officer_shares_through_the_agenda_item_page(client, officer, shared):
    item, document = shared
    client.force_login(officer)
    url = reverse("partners:agenda_item_documents", args=[item.meeting.reference, item.pk])
    assert f'value="{document.pk}"' in client.get(url).content.decode()
    response = client.post(url, {"documents": [document.pk]})
    assert response.status_code == 302
    assert list(item.documents.all()) == [document]


def test_a_medical_document_is_never_shared(officer, partner_user, shared):
    item, _document = shared
    medical = generated(item.case, officer, doc_type=Document.Type.MEDICAL).document
    with pytest.raises(ValidationError):
        partner_services.share_documents(item, actor=officer, documents=[medical])
    item.documents.add(medical)  # even when linked by other means
    assert not Document.objects.visible_to(partner_user).filter(pk=medical.pk).exists()
