"""The first page of a PDF as a PNG, for the preview on the document page: browsers do not
show a PDF inside a sandboxed frame (Chromium's viewer is a plugin, which the sandbox blocks),
and an image is what a person would rather look at than open the file.

Rendered by poppler's pdftoppm (Debian's poppler-utils) in a subprocess with a time limit, from
a file the virus scanner has released; without pdftoppm there is no preview (None)."""

import shutil
import subprocess

from django.core.cache import cache

PDFTOPPM = "pdftoppm"
TIMEOUT_SECONDS = 10
WIDTH = 900


def first_page_png(content, *, cache_key: str) -> bytes | None:
    """`content`: the PDF's bytes, or a function that reads them (called only when the page
    is not in the cache)."""
    key = f"documents:preview:{cache_key}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    binary = shutil.which(PDFTOPPM)
    if binary is None:
        return None
    if callable(content):
        content = content()
    try:
        result = subprocess.run(  # noqa: S603 - a fixed program, the file on stdin
            [binary, "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to", str(WIDTH), "-"],
            input=content,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    png = result.stdout if result.returncode == 0 and result.stdout else b""
    # Keyed by the file's SHA-256: the same bytes give the same page.
    cache.set(key, png, 24 * 60 * 60)
    return png or None
