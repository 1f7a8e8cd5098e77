"""Uploads larger than DOCUMENTS_MAX_UPLOAD_BYTES are refused before their body is read: the
upload views (dtv.middleware.upload_view) answer from the declared length (CONTENT_LENGTH)
without parsing the body, and stop a body without a declared length (chunked) as soon as its
file passes the limit."""

from django.conf import settings

# What a multipart body carries besides the file (the other fields, the boundaries).
FORM_OVERHEAD = 64 * 1024


def max_request_bytes() -> int:
    return settings.DOCUMENTS_MAX_UPLOAD_BYTES + FORM_OVERHEAD
