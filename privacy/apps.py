from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Subject access, "who has seen this dossier" and unusual access: reads of the audit log
    and of every app's records about a person, so this app sits above the apps it reads."""

    name = "privacy"
    verbose_name = _("Privacy")
