from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from cases import registry, retention
        from documents import case_hooks, checks  # noqa: F401 - checks registers itself

        registry.register_section(case_hooks.section)
        registry.register_presence("documents")
        # Not free text: what the file is, and the scanner's finding.
        retention.keep("documents.DocumentVersion", "content_type", "sha256", "scan_result")
        retention.register_on_anonymise(case_hooks.delete_files)

        from dtv.audit import graph

        graph.register_attachments(case_hooks.subject_access_files)
