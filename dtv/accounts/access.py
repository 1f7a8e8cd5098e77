"""The accounts' permissions, and the two helpers every app's access module builds on.

Access in this project has one mechanism: Django permissions. A role is a named set of them
(`roles.py`, kept in step with one group per role by `services.sync_role_groups`); each app's
`access.py` declares the permissions it checks and builds its predicates and queryset scopes
on `user.has_perm` plus facts about the objects (a team, a meeting, an access window). Nothing
outside this package asks for a user's role.
"""

from django.contrib.auth import get_user_model

VIEW_USER = "accounts.view_user"
ADD_USER = "accounts.add_user"
CHANGE_USER = "accounts.change_user"
VIEW_TEAM = "accounts.view_team"
ADD_TEAM = "accounts.add_team"
CHANGE_TEAM = "accounts.change_team"

# with_perm needs the backend when more than one is configured (axes comes first).
PERMISSION_BACKEND = "dtv.accounts.backends.CachedPermissionsBackend"


def users_with_perm(perm: str):
    """The active users who hold `perm` through a group or on their own (not superusers
    merely for being one): whom to notify, whom to offer as an owner."""
    return get_user_model().objects.with_perm(
        perm, include_superusers=False, backend=PERMISSION_BACKEND
    )


def administers_site(user) -> bool:
    """Uses the admin site (/beheer/): Django's staff flag, which set_role derives."""
    return user.is_authenticated and user.is_staff
