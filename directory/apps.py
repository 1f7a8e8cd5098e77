from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Partner directory")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from directory.models import Organisation

        for signal in (post_save, post_delete):
            signal.connect(
                _organisations_changed,
                sender=Organisation,
                dispatch_uid=f"directory.organisations.{signal}",
            )


def _organisations_changed(sender, **kwargs):
    # The cached organisation choice lists (directory/choices.py).
    from directory.choices import ORGANISATION_GENERATION
    from dtv.cache import bump_after_commit

    bump_after_commit(ORGANISATION_GENERATION)
