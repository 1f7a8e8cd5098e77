import re
import uuid
from contextvars import ContextVar

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from dtv.proxies import client_address, from_trusted_proxy

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_purpose: ContextVar[str] = ContextVar("audit_purpose", default="")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def get_request_id() -> str | None:
    """The id of the request being served; audit entries carry it as their correlation id."""
    return _request_id.get()


def get_purpose() -> str:
    """The feature (URL name) a request came through; audit entries carry it as their purpose."""
    return _purpose.get()


class RequestIdMiddleware:
    """Gives every request an id (or keeps a well-formed one set by a trusted proxy, never a
    client's own) and names its purpose after the URL it resolved to, for the audit log
    (Logboek Dataverwerkingen)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "") if from_trusted_proxy(request) else ""
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        id_token = _request_id.set(request_id)
        purpose_token = _purpose.set("")
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(id_token)
            _purpose.reset(purpose_token)
        response["X-Request-ID"] = request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None:
            _purpose.set(match.view_name or "")


class LanguageMiddleware:
    """Dutch unless the user chose otherwise with the language switch (a cookie). The browser's
    Accept-Language is ignored on purpose: the service works in Dutch by default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


def upload_view(*, max_bytes, too_large, max_file_bytes=None):
    """Decorator of a view that takes a file upload larger than MAX_REQUEST_BYTES: the one way
    a view declares its own limit. `max_bytes()` gives the largest request body the view
    takes (read at each request, from a setting); the decorated view carries it as
    `max_request_bytes`, by which RequestSizeLimitMiddleware lets such a body through.

    - A body declared larger (CONTENT_LENGTH) is answered by `too_large(request, *args,
      **kwargs)` before anything reads it.
    - A body without a declared length (chunked) is stopped while it arrives once its files
      pass `max_file_bytes()` (default `max_bytes()`): the view then finds
      `request.upload_too_large` set (also False otherwise) and answers.
    - CSRF is checked here, after the size handler is in place (Django's documentation on
      upload handlers: the CSRF check reads the body), so the view is exempt from the
      middleware's check, never from the check itself."""
    from functools import wraps

    from django.views.decorators.csrf import csrf_exempt, csrf_protect

    file_limit = max_file_bytes or max_bytes

    def decorate(view):
        protected = csrf_protect(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.upload_too_large = False
            if request.method == "POST":
                if _declared_length(request) > max_bytes():
                    request.upload_too_large = True
                    return too_large(request, *args, **kwargs)
                request.upload_handlers.insert(0, _SizeLimitHandler(request, file_limit()))
            return protected(request, *args, **kwargs)

        wrapper.max_request_bytes = max_bytes
        return csrf_exempt(wrapper)

    return decorate


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class _SizeLimitHandler(FileUploadHandler):
    """First of the upload handlers: counts the bytes of every file and stops the upload
    once they pass the limit, so the rest of the body is never read into memory or onto
    disk."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.total = 0

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        if self.total > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


class RequestSizeLimitMiddleware:
    """Refuses a request body over MAX_REQUEST_BYTES with 413 before anything reads it (Django's
    parsing limits do not cover a body no view parses). A view decorated with upload_view()
    takes more, up to its own limit, which it checks itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _declared_length(request)
        if length > settings.MAX_REQUEST_BYTES and not self._takes_uploads(request):
            return HttpResponse(
                _("The request is too large."),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _takes_uploads(request) -> bool:
        from django.urls import Resolver404, resolve

        try:
            func = resolve(request.path_info).func
        except Resolver404:
            return False
        return callable(getattr(func, "max_request_bytes", None))


class NoStoreMiddleware:
    """Pages and exports carry personal data: no browser or proxy keeps a copy of any answer
    that does not say otherwise itself (static files are served before this, by WhiteNoise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class AuditContextMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, but the address it records is the client's as the trusted
    proxies report it (dtv/proxies.py), not whatever a client writes in X-Forwarded-For."""

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request)

    @staticmethod
    def _get_remote_port(request):
        if not from_trusted_proxy(request):
            return None
        return AuditlogMiddleware._get_remote_port(request)
