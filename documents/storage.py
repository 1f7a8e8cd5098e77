"""Where document files live: Django's storage named "documents" (settings.STORAGES), a
private directory on disk by default (DOCUMENTS_ROOT, never under a static or media URL), an
S3-compatible bucket when DOCUMENTS_S3_BUCKET is set (django-storages with boto3). Everything
goes through Django's storage API, so the code is the same for both."""

from django.core.files.base import ContentFile, File
from django.core.files.storage import storages


def document_storage():
    return storages["documents"]


def save(key: str, content: bytes | File) -> None:
    """Write a file under its generated key. The storage must not rename it: a key is random
    and unique, so a name taken means a bug, and the row would point at another file."""
    storage = document_storage()
    if isinstance(content, bytes):
        content = ContentFile(content)
    saved = storage.save(key, content)
    if saved != key:
        storage.delete(saved)
        raise RuntimeError(f"document storage renamed {key!r} to {saved!r}")


def open_file(key: str):
    return document_storage().open(key, "rb")


def delete(key: str) -> None:
    storage = document_storage()
    storage.delete(key)


def exists(key: str) -> bool:
    return document_storage().exists(key)


def open_stream(key: str):
    """The file to hand out in chunks, never read whole: (a file object with read(n) and
    close(), its size in bytes or None). On disk that is the storage's own file. On S3,
    django-storages' S3File downloads the whole object on its first read (into memory, by
    default), so the object's body is read instead, as it arrives. A missing file raises
    FileNotFoundError, as open_file() does."""
    storage = document_storage()
    opened = storage.open(key, "rb")
    s3_object = getattr(opened, "obj", None)
    if s3_object is None or getattr(storage, "gzip", False):
        return opened, None
    body = s3_object.get()["Body"]
    opened.close()
    return body, s3_object.content_length
