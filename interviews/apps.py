from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self):
        from cases import registry, retention
        from interviews import case_hooks

        retention.keep("interviews.Interview", "interpreter_language")
        registry.register_derived(
            case_hooks.derived_fields,
            prefetch=("interviews", "interview_participations__interview__case", "procedures"),
        )
        registry.register_section(case_hooks.section)
        registry.register_timeline(case_hooks.timeline)
        registry.register_prefetch("interviews", "interview_participations__interview__case")
        registry.register_worklist_annotation(
            "planned_interview_at", case_hooks.planned_appointment
        )
        registry.register_transfer_hook(
            case_hooks.move_with_transfer,
            labels={
                "planned_interviews": _(
                    "%(count)d planned interview(s) moved with the case to its new officer"
                )
            },
        )
        _register_document_source()


def _register_document_source():
    """A document can be uploaded from an interview (a report, a signed agreement)."""
    from documents import hooks
    from interviews.models import Interview

    hooks.register_source(
        "interview",
        label=lambda i: f"{i.get_stage_display()} {i.held_at or i.planned_at:%d-%m-%Y}",
        find=lambda case, pk: Interview.objects.filter(case=case, pk=pk).first(),
        attach=lambda interview, document: interview.documents.add(document),
        url=lambda interview: interview.get_absolute_url(),
    )
