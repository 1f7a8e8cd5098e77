from django.apps import AppConfig, apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dtv.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from dtv.accounts import backends, checks  # noqa: F401 (registers the system checks)

        # The permissions kept in the cache are dropped when a permission or group changes.
        backends.connect_signals()

        # Groups and their permissions follow ROLE_PERMISSIONS after every migrate.
        post_migrate.connect(_sync_groups, dispatch_uid="accounts.sync_role_groups")
        user_logged_in.connect(_start_session_clocks, dispatch_uid="accounts.session_clocks")


def _start_session_clocks(sender, request, user, **kwargs):
    from dtv.accounts.middleware import start_session_clocks

    start_session_clocks(request.session)


def _sync_groups(sender, app_config=None, using="default", **kwargs):
    from dtv.accounts.services import sync_role_groups

    # post_migrate fires once per app with models; act on the last, when every permission
    # exists.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is not None and app_config is with_models[-1]:
        sync_role_groups(using=using)
