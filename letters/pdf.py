"""A letter as PDF, rendered by WeasyPrint as the agenda PDF is (partners/pdf.py): the
stylesheet is read from this app's static folder and every URL in the document is refused,
so a letter text or a value in it can never make the server fetch anything."""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

STYLESHEET = Path(__file__).resolve().parent / "static" / "letters" / "letter.css"

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Part:
    """The letter in one language: a letter in a language without its own text has two, the
    Dutch letter and its English translation."""

    lang: str  # the HTML language code (nl, en, fr, ar, ...)
    dir: str  # "ltr" or "rtl"
    date_line: str
    subject: str
    body: SafeString
    note: str = ""  # above the part, e.g. "English translation of the letter above"


def _fetcher():
    try:  # WeasyPrint 66 and later: fetchers are URLFetcher subclasses.
        from weasyprint.urls import URLFetcher
    except ImportError:  # pragma: no cover - older WeasyPrint: a plain function

        def refuse(url, *args, **kwargs):
            raise ValueError(f"A letter fetches no resources ({url[:80]}).")

        return refuse

    class RefuseFetching(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"A letter fetches no resources ({url[:80]}).")

    return RefuseFetching()


def letter_html(parts: list[Part], *, preview_note: str = "") -> str:
    return render_to_string(
        "letters/letter_pdf.html",
        {"parts": parts, "first": parts[0], "preview_note": preview_note},
    )


def render_letter(parts: list[Part], *, preview_note: str = "") -> bytes:
    import weasyprint

    fetcher = _fetcher()
    html = letter_html(parts, preview_note=preview_note)
    stylesheet = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])
