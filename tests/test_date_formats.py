"""One date format per kind, defined once (dtv/formats/), and one translated source for the
names of languages and countries (cases/reference.py)."""

import re
from datetime import date, datetime
from pathlib import Path

from django.utils import translation
from django.utils.formats import date_format, get_format

from cases import reference
from dtv.text import date_text

ROOT = Path(__file__).resolve().parent.parent
NAMED_FORMATS = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "TIME_FORMAT",
}


def _sources(pattern):
    for folder in ("templates", "cases", "interviews", "departure", "partners", "dtv"):
        for path in (ROOT / folder).rglob(pattern):
            if "migrations" not in path.parts and "formats" not in path.parts:
                yield path


def test_templates_and_code_name_a_format_instead_of_writing_one():
    # A "D j M" in one template and a "d-m-Y" in another is how three formats came about.
    own = []
    for path in _sources("*.html"):
        for match in re.finditer(r"\|(?:date|time):[\"']([^\"']+)[\"']", path.read_text()):
            # "D" is a weekday's abbreviation; "Y-m-d" the machine-readable <time datetime>.
            if match.group(1) not in NAMED_FORMATS and match.group(1) not in ("D", "Y-m-d"):
                own.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    for path in _sources("*.py"):
        for match in re.finditer(r"date_format\([^)]*?,\s*[\"']([^\"']+)[\"']", path.read_text()):
            if match.group(1) not in NAMED_FORMATS:
                own.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert own == []


def test_dutch_dates_one_format_per_kind():
    day = date(2026, 12, 3)
    with translation.override("nl"):
        # The month in the Associated Press style ("N"): "dec.", "mei", "mrt." come from the
        # Dutch catalog's "abbrev. month" entries.
        assert get_format("DATE_FORMAT") == "j N Y"
        assert get_format("DATETIME_FORMAT") == "j N Y H:i"
        assert date_text(day) == date_format(day, "DATE_FORMAT")
        assert date_format(day, "YEAR_MONTH_FORMAT") == "december 2026"
        assert date_format(day, "SHORT_DATE_FORMAT") == "03-12-2026"
    with translation.override("en"):
        assert date_text(day) == "3 Dec 2026"
        assert date_format(datetime(2026, 12, 3, 9, 5), "DATETIME_FORMAT") == "3 Dec 2026 09:05"


def test_language_names_are_dutch_not_english_or_codes():
    with translation.override("nl"):
        assert reference.language_name("apc") == "Levantijns-Arabisch"
        assert reference.language_name("ell") == "Grieks"
        assert reference.language_name("tur") == "Turks"
        labels = dict(reference.language_choices())
    assert labels["tur"] == "Turks"  # the name, without "(tur)"
    with translation.override("en"):
        assert reference.language_name("ell") == "Greek"  # not "Modern Greek (1453-)"


def test_every_language_offered_has_a_dutch_name():
    untranslated = []
    with translation.override("nl"):
        for code, label in reference.language_choices():
            if code in reference.LANGUAGE_NAMES or code in reference.SAME_IN_DUTCH:
                continue
            with translation.override("en"):
                english = reference.language_name(code)
            if label == english or "(" in label:
                untranslated.append((code, label))
    assert untranslated == []


def test_country_names_are_dutch():
    with translation.override("nl"):
        assert reference.country_name("GE") == "Georgië"
        assert reference.country_name("SY") == "Syrië"
        assert reference.country_name("CD") == "Democratische Republiek Congo"
        names = dict(reference.country_choices())
    assert names["GE"] == "Georgië"
    with translation.override("en"):
        assert reference.country_name("GE") == "Georgia"
