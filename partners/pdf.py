"""The agenda PDF, rendered by WeasyPrint from the same need-to-know rows as the print page.

WeasyPrint may not fetch anything while rendering: the stylesheet is read from this app's
static folder and every URL in the document is refused (no server-side requests whatever the
agenda contains). WeasyPrint is imported on first use: importing it parses its own stylesheets,
which no other page needs."""

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

STYLESHEET = Path(__file__).resolve().parent / "static" / "partners" / "agenda-document.css"

# WeasyPrint reports every rendering step at INFO level; only its warnings matter here.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _fetcher():
    try:  # WeasyPrint 66 and later: fetchers are URLFetcher subclasses.
        from weasyprint.urls import URLFetcher
    except ImportError:  # pragma: no cover - older WeasyPrint: a plain function

        def refuse(url, *args, **kwargs):
            raise ValueError(f"The agenda PDF fetches no resources ({url[:80]}).")

        return refuse

    class RefuseFetching(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"The agenda PDF fetches no resources ({url[:80]}).")

    return RefuseFetching()


# Rendered PDFs by the hash of their HTML, in the shared cache (Redis in production, so every
# web process finds what another rendered; nothing stays in a process between requests). A
# chair and the partners fetch the same agenda many times, and the HTML changes with every
# edit and with the minute of its "printed" line, so a hit is always the document this very
# request would render (about 150 ms of CPU saved per hit). The entries hold personal data:
# they expire after AGENDA_PDF_CACHE_SECONDS (0 turns the cache off; docs/deployment.md).
CACHE_PREFIX = "partners:agenda-pdf:"


def render_pdf(html: str, *, base_url: str) -> bytes:
    seconds = settings.AGENDA_PDF_CACHE_SECONDS
    key = CACHE_PREFIX + hashlib.sha256(f"{base_url}\0{html}".encode()).hexdigest()
    if seconds > 0:
        hit = cache.get(key)
        if hit is not None:
            return hit
    document = _render(html, base_url=base_url)
    if seconds > 0:
        cache.set(key, document, seconds)
    return document


def _render(html: str, *, base_url: str) -> bytes:
    import weasyprint

    fetcher = _fetcher()
    stylesheet = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])
