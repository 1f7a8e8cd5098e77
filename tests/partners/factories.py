from datetime import timedelta

import factory
from django.utils import timezone

from directory.models import Contact, Municipality, Organisation
from partners.models import ActionItem, AgendaItem, Meeting, MeetingParticipant
from tests.accounts.factories import OfficerFactory


def groningen():
    # Loaded by the partners data migration (the CBS list).
    return Municipality.objects.get(code="GM0014")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["kind", "name"]

    kind = Organisation.Kind.AVIM
    name = factory.Sequence(lambda n: f"AVIM eenheid {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name", locale="nl_NL")
    role = "LTO-deelnemer"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    type = Meeting.Type.LTO
    municipality = factory.LazyFunction(groningen)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    place = "Gemeentehuis"
    chair = factory.SubFactory(OfficerFactory)
    team = factory.SelfAttribute("chair.team")
    created_by = factory.SelfAttribute("chair")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingParticipant

    meeting = factory.SubFactory(MeetingFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    case = None
    status = AgendaItem.Status.ON_AGENDA
    position = factory.Sequence(lambda n: n + 1)
    reasons = factory.LazyFunction(lambda: [AgendaItem.Reason.CHAIR])
    question = "Zelfstandig vertrek nog haalbaar?"
    approach = "Nog een vertrekgesprek met tolk."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    agenda_item = factory.SubFactory(AgendaItemFactory)
    description = "Identiteitsonderzoek afronden."
    owner_organisation = factory.SubFactory(OrganisationFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


def send(meeting):
    """Put a meeting in "agenda sent" without the service (for access tests)."""
    meeting.status = Meeting.Status.AGENDA_SENT
    meeting.agenda_sent_at = timezone.now()
    meeting.save()
    return meeting


def finalise(meeting, *, at=None):
    at = at or timezone.now()
    meeting.status = Meeting.Status.MINUTES_FINAL
    meeting.agenda_sent_at = meeting.agenda_sent_at or at - timedelta(days=7)
    meeting.held_at = at - timedelta(hours=1)
    meeting.minutes_finalised_at = at
    meeting.save()
    return meeting
