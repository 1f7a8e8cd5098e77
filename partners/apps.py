from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and meetings")

    def ready(self):
        # The case page shows LTO items through cases' registry. partners sits below cases,
        # so the registration lives in a module that is imported only now, when every app is
        # loaded (the same rule as partners/agenda.py: above what it reads).
        from partners import case_hooks

        case_hooks.register()

        from documents import hooks

        hooks.register_partner_sharing(case_hooks.documents_shared_with)
