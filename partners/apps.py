from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and meetings")

    def ready(self):
        # The case page shows LTO items through cases' registry, and the reminder sweep
        # reminds owners of open action items through departure's.
        from departure import reminders as departure_reminders
        from partners import case_hooks, reminders

        case_hooks.register()
        departure_reminders.register_rule(reminders.action_item_reminders)

        from documents import hooks

        hooks.register_partner_sharing(case_hooks.documents_shared_with)
