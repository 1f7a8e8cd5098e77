from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Letters")

    def ready(self):
        from cases import registry, retention
        from letters import case_hooks

        # Statistics that retention keeps: the language asked for, the checksum of the PDF
        # (the file itself is deleted with the case's documents).
        retention.keep("letters.GeneratedLetter", "language", "sha256")

        registry.register_section(case_hooks.section)
        registry.register_timeline(case_hooks.timeline)
        registry.register_prefetch(
            "letters__created_by", "letters__text", "letters__document_version__document"
        )
