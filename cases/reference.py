"""Country and language lists from pycountry (ISO 3166-1 and ISO 639-3), named in the active
language where pycountry has a translation."""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

STATELESS = "STATELESS"
UNKNOWN = "UNKNOWN"

# Languages interpreters are most often booked for in this work, beyond those with a
# two-letter code: regional Arabic, Kurdish, Dari and others (ISO 639-3).
EXTRA_LANGUAGES = [
    "ary",
    "arq",
    "apc",
    "arz",
    "ayl",
    "acm",
    "kmr",
    "ckb",
    "prs",
    "pbu",
    "tir",
    "amh",
    "som",
    "orm",
    "hau",
    "yor",
    "ibo",
    "pcm",
    "bcc",
    "urd",
    "pan",
    "tgl",
    "mnk",
    "wol",
    "ful",
    "lin",
    "kin",
    "swh",
    "mfe",
    "ron",
    "mol",
    "sqi",
    "srp",
    "bos",
    "hrv",
    "rmn",
]


@cache
def _translation(domain: str, language: str):
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


def _local(domain: str, name: str) -> str:
    language = (get_language() or "nl").split("-")[0]
    if language == "en":
        return name
    return _translation(domain, language).gettext(name)


def country_name(code: str) -> str:
    if code == STATELESS:
        return str(_("Stateless"))
    if code == UNKNOWN:
        return str(_("Unknown"))
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return _local("iso3166-1", getattr(country, "common_name", None) or country.name)


def country_choices():
    # The same list for every request in a language: built once per language and process.
    return list(_country_choices(get_language() or "nl"))


@cache
def _country_choices(language: str) -> tuple:
    # Called with the active language, which country_name() and _() then use.
    choices = [(c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries]
    choices.sort(key=lambda item: item[1])
    return ((STATELESS, str(_("Stateless"))), (UNKNOWN, str(_("Unknown"))), *choices)


def is_country(code: str) -> bool:
    return code in (STATELESS, UNKNOWN) or pycountry.countries.get(alpha_2=code) is not None


def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_3=code)
    if language is None:
        return code
    return _local("iso639-3", language.name)


@cache
def _language_codes() -> tuple[str, ...]:
    codes = {lang.alpha_3 for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    codes.update(EXTRA_LANGUAGES)
    return tuple(code for code in codes if pycountry.languages.get(alpha_3=code) is not None)


def language_choices():
    return list(_language_choices(get_language() or "nl"))


@cache
def _language_choices(language: str) -> tuple:
    choices = [(code, f"{language_name(code)} ({code})") for code in _language_codes()]
    choices.sort(key=lambda item: item[1].lower())
    return tuple(choices)


def is_language(code: str) -> bool:
    return len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None
