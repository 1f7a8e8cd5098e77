from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartureConfig(AppConfig):
    name = "departure"
    verbose_name = _("Departure")

    def ready(self):
        from cases import registry, retention
        from departure import case_hooks, phase, services
        from interviews import services as interview_services

        retention.keep("departure.Departure", "destination")
        registry.register_derived(
            case_hooks.derived_fields,
            prefetch=("procedures", "measures__court_reviews", "travel_documents"),
        )
        registry.register_phase_rule(phase.case_phase)
        # A hardship signal in an interview proposes the hardship advice.
        interview_services.register_signal_handler(services.propose_hardship_advice)
        registry.register_section(case_hooks.section)
        _register_document_source()
        registry.register_timeline(case_hooks.timeline)
        registry.register_prefetch(*case_hooks.PREFETCH)
        registry.register_deadline_labels(case_hooks.URGENT_LABELS)


def _register_document_source():
    """A document can be uploaded from a travel-document request (the embassy's answer, the
    laissez-passer itself)."""
    from departure.models import TravelDocumentRequest
    from documents import hooks

    hooks.register_source(
        "travel_document",
        label=lambda t: str(t.get_document_type_display()),
        find=lambda case, pk: TravelDocumentRequest.objects.filter(case=case, pk=pk).first(),
        attach=lambda request, document: request.documents.add(document),
        url=lambda request: request.case.get_absolute_url(),
    )
