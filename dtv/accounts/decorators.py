from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404


def require_perm(perm: str, *, hide_without: str | None = None):
    """Refuse a view without `perm`: with 404 for users who may not even know such pages or
    objects exist (they lack `hide_without`, e.g. partners on the officers' side), with 403 for
    those who may see but not do (e.g. the auditor on an edit page)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if user.has_perm(perm):
                return view(request, *args, **kwargs)
            if hide_without is not None and not user.has_perm(hide_without):
                raise Http404
            raise PermissionDenied

        return wrapper

    return decorator
