from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self):
        from cases import registry, retention
        from interviews import case_hooks

        retention.keep("interviews.Interview", "interpreter_language")
        registry.register_derived(case_hooks.derived_fields, prefetch=("interviews", "procedures"))
        registry.register_section(case_hooks.section)
        registry.register_timeline(case_hooks.timeline)
        registry.register_prefetch("interviews")
        registry.register_worklist_annotation(
            "planned_interview_at", case_hooks.planned_appointment
        )
