import factory
from django.utils import timezone

from cases.models import Case, CaseTransfer, Nationality, Obstacle, Person, Procedure
from tests.accounts.factories import OfficerFactory, TeamFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    v_nummer = factory.Sequence(lambda n: f"{3_000_000_000 + n:010d}")
    family_name = factory.Faker("last_name")
    given_names = factory.Faker("first_name")
    birth_date = factory.Faker("date_of_birth", minimum_age=18, maximum_age=60)
    search_name = factory.LazyAttribute(
        lambda p: " ".join(f"{p.given_names} {p.family_name}".lower().split())
    )

    @factory.post_generation
    def nationality(self, create, extracted, **kwargs):
        if create:
            Nationality.objects.create(person=self, country=extracted or "MA")


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    person = factory.SubFactory(PersonFactory)
    source = Case.Source.IND
    category = Case.Category.ASYLUM
    phase = Case.Phase.REGISTERED
    team = factory.SubFactory(TeamFactory)
    officer = factory.SubFactory(OfficerFactory, team=factory.SelfAttribute("..team"))
    opened_on = factory.LazyFunction(timezone.localdate)


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    case = factory.SubFactory(CaseFactory)
    type = Procedure.Type.APPEAL
    outcome = Procedure.Outcome.PENDING


class ObstacleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obstacle

    case = factory.SubFactory(CaseFactory)
    category = Obstacle.Category.TRAVEL_DOCUMENT
    identified_on = factory.LazyFunction(timezone.localdate)


def store_derived(case, *, today=None):
    """Write the derived deadline fields of a case built by a factory, leaving its phase as
    built: tests of the sweep start from a case whose stored phase the days have overtaken
    (services move the phase with the facts; the sweep with the calendar)."""
    from cases import registry

    today = today or timezone.localdate()
    registry.prefetch_for_derived([case])
    values = registry.derived_fields(case, today=today)
    Case._base_manager.filter(pk=case.pk).update(**values)
    case.refresh_from_db()
    return case


# What the transfer tests write into a proposal, and find back in the handover note.
TRANSFER_REASON = "Betrokkene verhuist naar een COA-locatie in het zuiden."
HANDOVER_NOTE = "Tolk Darija nodig; advocaat meldt zich."


class CaseTransferFactory(factory.django.DjangoModelFactory):
    """A transfer row as stored, past the service (for the database's own checks and for
    history); the tests of the service propose through it (tests/cases/conftest.py)."""

    class Meta:
        model = CaseTransfer

    case = factory.SubFactory(CaseFactory)
    from_team = factory.SelfAttribute("case.team")
    to_team = factory.SubFactory(TeamFactory, name="Ontvangend team")
    reason = TRANSFER_REASON
    handover_note = HANDOVER_NOTE
    proposed_by = factory.SelfAttribute("case.officer")
