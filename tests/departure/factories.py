from datetime import timedelta

import factory
from django.utils import timezone

from departure.models import (
    Advice,
    Departure,
    EmbassyPresentation,
    Measure,
    ReturnSupport,
    TravelDocumentRequest,
)
from directory.models import Organisation
from tests.cases.factories import CaseFactory


def _today():
    return timezone.localdate()


class EmbassyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["kind", "name"]

    kind = Organisation.Kind.EMBASSY
    name = "Ambassade van Marokko"
    country = "MA"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    case = factory.SubFactory(CaseFactory)
    type = Measure.Type.VBL
    started_on = factory.LazyFunction(lambda: _today() - timedelta(days=10))
    location = "VBL Ter Apel"


class DepartureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departure

    case = factory.SubFactory(CaseFactory)
    type = Departure.Type.WITHOUT_SUPERVISION
    departed_on = factory.LazyFunction(_today)


class ReturnSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnSupport

    case = factory.SubFactory(CaseFactory)
    programme = ReturnSupport.Programme.REAN
    applied_on = factory.LazyFunction(lambda: _today() - timedelta(days=20))


class TravelDocumentRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TravelDocumentRequest

    case = factory.SubFactory(CaseFactory)
    document_type = TravelDocumentRequest.DocumentType.LP
    embassy = factory.SubFactory(EmbassyFactory)
    ordered_on = factory.LazyFunction(lambda: _today() - timedelta(days=40))
    submitted_on = factory.LazyFunction(lambda: _today() - timedelta(days=35))


class AdviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Advice

    case = factory.SubFactory(CaseFactory)
    type = Advice.Type.NO_FAULT
    requested_on = factory.LazyFunction(lambda: _today() - timedelta(days=5))
    motivation = "Betrokkene werkt mee; de ambassade weigert documenten."


def issued_travel_document(case, *, valid_days=90):
    """A laissez-passer the embassy issued a week ago, valid `valid_days` from today."""
    return TravelDocumentRequestFactory(
        case=case,
        answer=TravelDocumentRequest.Answer.RECOGNISED,
        answered_on=_today() - timedelta(days=7),
        issued_on=_today() - timedelta(days=7),
        valid_until=_today() + timedelta(days=valid_days),
    )


class PresentationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmbassyPresentation

    case = factory.SubFactory(CaseFactory)
    embassy = factory.SubFactory(EmbassyFactory)
    presented_on = factory.LazyFunction(timezone.localdate)
