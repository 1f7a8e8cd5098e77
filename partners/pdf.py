"""The agenda PDF, rendered by WeasyPrint from the same need-to-know rows as the print page.

WeasyPrint may not fetch anything while rendering: the stylesheet is read from this app's
static folder and every URL in the document is refused (no server-side requests whatever the
agenda contains). WeasyPrint is imported on first use: importing it parses its own stylesheets,
which no other page needs."""

import logging
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


def render_pdf(html: str, *, base_url: str) -> bytes:
    import weasyprint

    fetcher = _fetcher()
    stylesheet = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])
