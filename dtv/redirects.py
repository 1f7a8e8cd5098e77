"""The one place that turns a redirect target someone could have chosen (a `next` field or
parameter, a stored link) into a redirect.

Only a path on this site passes: it starts with one slash, holds no backslash, control
character or whitespace, carries no scheme or host, and Django's own host-and-scheme check
accepts it for this request. Anything else (`https://evil.example/x`, `//evil.example`,
`/\\evil`, `javascript:…`, a NUL byte, or a bare word such as `2026-02-30` that `redirect()`
would try as a URL name) gives the fallback. The target never reaches `redirect()`, so it is
never taken for a URL name or a model.
"""

from urllib.parse import urlsplit

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

MAX_LENGTH = 2000


def same_site_path(request, target) -> str | None:
    """`target` when it is a path on this site, else None."""
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target


def redirect_to(request, target, fallback: str, *args, **kwargs) -> HttpResponseRedirect:
    """Redirect to `target` when it is a same-site path, else to `fallback` (a URL name,
    resolved with `args`/`kwargs`, or a path of our own)."""
    path = same_site_path(request, target)
    if path is None:
        path = resolve_url(fallback, *args, **kwargs)
    return HttpResponseRedirect(path)


class SameSiteRedirectMixin:
    """For Django's auth views (login, logout): their `next` passes the same check."""

    def get_redirect_url(self):
        name = self.redirect_field_name
        target = self.request.POST.get(name) or self.request.GET.get(name)
        return same_site_path(self.request, target) or ""


def checked_redirect(request, response, fallback: str = "/"):
    """A redirect made by third-party code from a user's value (Django's set_language reads
    `next` and the Referer): its Location passes the same check, or becomes the fallback."""
    if (
        isinstance(response, HttpResponseRedirect)
        and same_site_path(request, response["Location"]) is None
    ):
        response["Location"] = resolve_url(fallback)
    return response
