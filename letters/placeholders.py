"""The placeholders a letter text may use, and how they are filled.

No template language is exposed to the people who write letter texts: a text is plain text in
which `{name}` is replaced by a value from the fixed list below, in one pass, by plain string
substitution. Nothing else in the text is interpreted (`{{ ... }}`, `{% ... %}` and the like
stay literal), a value is never scanned for placeholders again, and every value is
HTML-escaped before it goes into the letter's HTML. A `{word}` that is not on the list is
refused when the text is saved, so a typo never reaches a letter."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# name -> what it is filled with (shown to the functional administrator beside the editor).
PLACEHOLDERS = {
    "naam": _("the person's full name"),
    "v_nummer": _("the person's V-number"),
    "kenmerk": _("the case reference"),
    "briefdatum": _("the date of the letter"),
    "regievoerder": _("the departure officer's name"),
    "datum": _("the date of the interview"),
    "tijd": _("the time of the interview"),
    "plaats": _("the place of the interview"),
    "tolk_taal": _("the interpreter's language (or: no interpreter)"),
    "afspraken": _("the agreements made in the interview"),
    "besluitdatum": _("the date from which the departure term runs"),
    "vertrektermijn": _("the departure term in days"),
    "termijn_einde": _("the last day of the departure term"),
}

# Anything that looks like a placeholder: braces around a word without spaces or braces.
# "{naam}" and "{0.__class__}" match (the second is refused); "{{ x }}" and "{% load %}"
# contain spaces, so they are not placeholders at all and stay literal text.
TOKEN = re.compile(r"\{([^{}\s]+)\}")


def unknown_placeholders(text: str) -> list[str]:
    """The `{...}` tokens in `text` that are not on the list, in order, each once."""
    found = []
    for match in TOKEN.finditer(text or ""):
        token = match.group(0)
        if match.group(1) not in PLACEHOLDERS and token not in found:
            found.append(token)
    return found


def used_placeholders(text: str) -> list[str]:
    return [m.group(1) for m in TOKEN.finditer(text or "") if m.group(1) in PLACEHOLDERS]


def fill(text: str, values: dict) -> str:
    """Plain text with the placeholders replaced (for a subject line or a file name)."""

    def replace(match):
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        return str(values.get(name, ""))

    return TOKEN.sub(replace, text or "")


def fill_html(text: str, values: dict) -> SafeString:
    """The text as HTML paragraphs: escaped, then the placeholders replaced by their escaped
    values (line breaks within a value, e.g. the agreements, kept as <br>). One pass over the
    letter text: a value that itself contains "{naam}" is printed as it is."""

    def replace(match):
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        return escape(str(values.get(name, ""))).replace("\n", "<br>")

    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))]
    html = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        filled = TOKEN.sub(replace, str(escape(paragraph)))
        html.append("<p>" + filled.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - every piece above is escaped
