from datetime import timedelta

import factory
from django.utils import timezone

from directory.models import Organisation
from interviews.models import Interview
from tests.cases.factories import CaseFactory


class InterviewFactory(factory.django.DjangoModelFactory):
    """A held progress interview (an hour ago). Written straight to the database: use the
    services in tests about the rules."""

    class Meta:
        model = Interview

    case = factory.SubFactory(CaseFactory)
    stage = "progress"
    held_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    report = "Gesprek gevoerd."
    created_by = factory.SelfAttribute("case.officer")


class PlannedInterviewFactory(InterviewFactory):
    held_at = None
    report = ""
    planned_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=2))


class EmbassyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = "embassy"
    name = factory.Sequence(lambda n: f"Ambassade {n}")
    country = "MA"
