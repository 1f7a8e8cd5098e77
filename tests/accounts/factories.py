import factory

from dtv.accounts.models import Team, User
from dtv.accounts.roles import Role
from dtv.accounts.services import set_role


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")
    region = "Noord-Nederland"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@terugkeer.example")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")
    role = Role.OFFICER
    team = factory.SubFactory(TeamFactory)

    @factory.post_generation
    def with_role(self, create, extracted, **kwargs):
        if create:
            set_role(self, self.role)


class OfficerFactory(UserFactory):
    role = Role.OFFICER


class TeamLeadFactory(UserFactory):
    role = Role.TEAM_LEAD

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def leads_team(self, create, extracted, **kwargs):
        if create and self.team is not None:
            self.team.lead = self
            self.team.save()


class PartnerUserFactory(UserFactory):
    role = Role.PARTNER
    team = None


class AdminUserFactory(UserFactory):
    role = Role.ADMIN
    team = None


class AuditorFactory(UserFactory):
    role = Role.AUDITOR
    team = None
