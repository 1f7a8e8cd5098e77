"""Django's ModelBackend with each user's permissions kept in the shared cache.

ModelBackend reads a user's own and group permissions with two queries on the first
permission check of every request. Here the set is kept in the cache (Redis in production,
one per deployment) under a generation (dtv/cache.py) that every change of a permission, a
group's permissions, a user's groups or permissions, or a user bumps (signals below): a
revoked permission is gone from the next request on in every process. Should Redis be
unreachable the set is read from the database; an invalidation lost to an outage is bounded
by PERMISSIONS_SECONDS."""

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from dtv.cache import bump_after_commit, generation

PERMISSIONS_GENERATION = "accounts:permissions"
PERMISSIONS_SECONDS = 300


class CachedPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = f"accounts:permissions:{user_obj.pk}:{generation(PERMISSIONS_GENERATION)}"
            permissions = cache.get(key)
            if permissions is None:
                permissions = set(super().get_all_permissions(user_obj))
                cache.set(key, permissions, PERMISSIONS_SECONDS)
            user_obj._perm_cache = set(permissions)
        return user_obj._perm_cache


def permissions_changed(sender, update_fields=None, **kwargs):
    # A login writes only last_login, which grants nothing.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    bump_after_commit(PERMISSIONS_GENERATION)


def connect_signals() -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from dtv.accounts.models import User

    for model in (User, Group, Permission):
        for signal in (post_save, post_delete):
            signal.connect(
                permissions_changed,
                sender=model,
                dispatch_uid=f"accounts.permissions.{model.__name__}.{id(signal)}",
            )
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(
            permissions_changed,
            sender=through,
            dispatch_uid=f"accounts.permissions.{through.__name__}",
        )
