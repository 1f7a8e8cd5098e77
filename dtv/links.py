"""Links to the rows of a page, reversed once per process and URL name.

reverse() costs some 20-30 µs; a page that links every row of its tables (the documents,
the meetings of a case) paid that once per row. A reference (letters, digits, hyphens) is
put into the reversed pattern as text instead, as cases/templatetags/case_rows.py does for
the case tables."""

import re
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

PLACEHOLDER = "REFERENCE0PLACEHOLDER"
# What reverse() would leave as it is in a path: anything else goes through reverse().
_PLAIN = re.compile(r"[A-Za-z0-9-]+\Z")


@lru_cache(maxsize=128)
def _pattern(name: str, prefix: str, urlconf) -> str:
    # `prefix` and `urlconf` are part of the key only: reverse() reads them itself.
    return reverse(name, args=[PLACEHOLDER])


def reference_url(name: str, reference: str) -> str:
    """`reverse(name, args=[reference])` for a URL whose one argument is a reference."""
    if not _PLAIN.match(reference):
        return reverse(name, args=[reference])
    return _pattern(name, get_script_prefix(), get_urlconf()).replace(PLACEHOLDER, reference)
