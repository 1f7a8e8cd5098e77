"""The agenda PDF, rendered by WeasyPrint from the same need-to-know rows as the print page.

WeasyPrint may not fetch anything while rendering: the stylesheet is read from this app's
static folder and every URL in the document is refused (no server-side requests whatever the
agenda contains). WeasyPrint is imported on first use: importing it parses its own stylesheets,
which no other page needs."""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from pathlib import Path

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


# Rendered PDFs by the hash of their HTML, in this process only (never a shared cache: they
# hold personal data). A chair and the partners fetch the same agenda many times, and the HTML
# changes with every edit and with the minute of its "printed" line, so a hit is always the
# document this very request would render (about 150 ms of CPU saved per hit).
CACHE_SIZE = 32
CACHE_SECONDS = 300
_rendered: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
_lock = threading.Lock()


def render_pdf(html: str, *, base_url: str) -> bytes:
    key = hashlib.sha256(f"{base_url}\0{html}".encode()).hexdigest()
    now = time.monotonic()
    with _lock:
        hit = _rendered.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            _rendered.move_to_end(key)
            return hit[1]
    document = _render(html, base_url=base_url)
    with _lock:
        _rendered[key] = (now, document)
        _rendered.move_to_end(key)
        while len(_rendered) > CACHE_SIZE:
            _rendered.popitem(last=False)
    return document


def _render(html: str, *, base_url: str) -> bytes:
    import weasyprint

    fetcher = _fetcher()
    stylesheet = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])
