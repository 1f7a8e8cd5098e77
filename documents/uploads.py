"""Uploads larger than DOCUMENTS_MAX_UPLOAD_BYTES are refused before their body is read: the
upload views say so from the declared length (CONTENT_LENGTH) without parsing the body, and
this handler stops a body without a declared length (chunked) as soon as it passes the limit."""

from functools import wraps

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# What a multipart body carries besides the file (the other fields, the boundaries).
FORM_OVERHEAD = 64 * 1024


def max_request_bytes() -> int:
    return settings.DOCUMENTS_MAX_UPLOAD_BYTES + FORM_OVERHEAD


def declared_too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_request_bytes()


class SizeLimitHandler(FileUploadHandler):
    """First of the handlers: counts the bytes of every file and stops the upload once they
    pass the limit, so the rest of the body is never read into memory or onto disk."""

    def __init__(self, request=None):
        super().__init__(request)
        self.total = 0

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        if self.total > settings.DOCUMENTS_MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def accepts_upload(view):
    """Marks an upload view: the request size middleware lets its body be as large as a
    document may be (dtv.middleware.RequestSizeLimitMiddleware reads `max_request_bytes`), and
    the size-limit handler goes first."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_too_large = False
        if request.method == "POST":
            request.upload_handlers.insert(0, SizeLimitHandler(request))
        return view(request, *args, **kwargs)

    wrapper.max_request_bytes = max_request_bytes
    return wrapper
