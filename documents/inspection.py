"""What an uploaded file really is, from its bytes: the detected type (libmagic, through
python-magic), size and SHA-256, and whether it is one of the types a dossier takes.

Allowed: PDF, JPEG, PNG, TIFF, DOCX, ODT and plain text. Refused: everything else, including
archives and documents with macros (a .docm, or a .docx/.odt that carries a macro project
inside its zip), and a file whose extension names another type than its bytes."""

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import magic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

# Detected type -> the extensions a file of that type may carry.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/tiff": (".tif", ".tiff"),
    DOCX: (".docx",),
    ODT: (".odt",),
    "text/plain": (".txt", ".text"),
}
# What libmagic may call a DOCX or ODT file it cannot look into deeply enough.
_ZIP_TYPES = {"application/zip", "application/octet-stream", "application/x-zip-compressed"}
_MACRO_MARKERS = ("vbaproject.bin", "vbadata.xml", "basic/", "scripts/")
# How many bytes libmagic reads: the start of the file tells its type.
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Inspected:
    content_type: str
    size: int
    sha256: str


def safe_display_name(name: str) -> str:
    """The uploader's file name as it may be shown: the last path part only, without control
    characters, at most 255 characters (the file itself is stored under a generated key)."""
    name = (name or "").replace("\\", "/")
    name = PurePosixPath(name).name
    name = "".join(ch for ch in name if ch.isprintable())
    name = name.strip().strip(".") or _("unnamed")
    return name[-255:]


def _extension(name: str) -> str:
    return PurePosixPath(name.lower()).suffix


def detect_type(head: bytes, opened=None) -> str:
    detected = magic.from_buffer(head, mime=True)
    if detected in _ZIP_TYPES and opened is not None:
        detected = _office_type(opened) or detected
    return detected


def _office_type(opened) -> str | None:
    """A zip whose content says it is a DOCX or an ODT (libmagic's small buffer may not)."""
    try:
        opened.seek(0)
        with zipfile.ZipFile(opened) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared == ODT:
                    return ODT
            if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        opened.seek(0)
    return None


def _has_macros(opened) -> bool:
    try:
        opened.seek(0)
        with zipfile.ZipFile(opened) as archive:
            names = [n.lower() for n in archive.namelist()]
            if any(marker in n for n in names for marker in _MACRO_MARKERS):
                return True
            types = archive.read("[Content_Types].xml") if "[content_types].xml" in names else b""
            return b"macroEnabled" in types or b"vbaProject" in types
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        # Not even a readable zip, while its start says it is one: refused as unreadable.
        return True
    finally:
        opened.seek(0)


def inspect(opened, *, name: str, max_bytes: int) -> Inspected:
    """Check an open binary file (an UploadedFile or BytesIO): raise a ValidationError a case
    worker can read, or return its detected type, size and SHA-256."""
    opened.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""
    while chunk := opened.read(64 * 1024):
        if len(head) < _SNIFF_BYTES:
            head += chunk[: _SNIFF_BYTES - len(head)]
        size += len(chunk)
        if size > max_bytes:
            raise ValidationError(too_large_message(max_bytes), code="too_large")
        digest.update(chunk)
    opened.seek(0)
    if size == 0:
        raise ValidationError(_("The file is empty. Choose a file with content."), code="empty")
    content_type = detect_type(head, opened)
    if content_type in (DOCX, ODT) and _has_macros(opened):
        raise ValidationError(
            _(
                "The document contains macros. Documents with macros are not accepted: save it "
                "without macros (as .docx or .odt) or as PDF."
            ),
            code="macros",
        )
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "This type of file (%(type)s) is not accepted. Accepted are PDF, JPEG, PNG, "
                "TIFF, Word (.docx), OpenDocument text (.odt) and plain text."
            )
            % {"type": content_type},
            code="type",
        )
    extension = _extension(name)
    if extension not in ALLOWED_TYPES[content_type]:
        raise ValidationError(
            _(
                "The file name ends in “%(ext)s”, but the file is a %(type)s file. Rename it "
                "to the right extension (%(expected)s) or choose another file."
            )
            % {
                "ext": extension or _("(no extension)"),
                "type": content_type,
                "expected": ", ".join(ALLOWED_TYPES[content_type]),
            },
            code="extension",
        )
    return Inspected(content_type=content_type, size=size, sha256=digest.hexdigest())


def too_large_message(max_bytes: int) -> str:
    return _("The file is larger than %(mb)s MB. Choose a smaller file or split it.") % {
        "mb": max_bytes // (1024 * 1024)
    }
