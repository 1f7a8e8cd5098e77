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


# Where pycountry's Dutch catalog has no name, or only the register's own form ("Grieks,
# Modern (1453-)"): the name a Dutch reader uses. English names are tidied the same way.
# A test checks that every language and country offered has a Dutch name.
LANGUAGE_NAMES = {
    # code: (English, Dutch)
    "apc": ("Levantine Arabic", "Levantijns-Arabisch"),
    "ell": ("Greek", "Grieks"),
    "kmr": ("Kurmanji (Northern Kurdish)", "Kurmanji (Noord-Koerdisch)"),
    "ckb": ("Sorani (Central Kurdish)", "Sorani (Centraal-Koerdisch)"),
    "pbu": ("Pashto", "Pasjtoe"),
    "som": ("Somali", "Somalisch"),
    "tir": ("Tigrinya", "Tigrinya"),
    "prs": ("Dari", "Dari"),
    "urd": ("Urdu", "Urdu"),
    "hin": ("Hindi", "Hindi"),
    "pan": ("Punjabi", "Punjabi"),
    "guj": ("Gujarati", "Gujarati"),
    "tam": ("Tamil", "Tamil"),
    "sin": ("Sinhala", "Singalees"),
    "nep": ("Nepali", "Nepalees"),
    "msa": ("Malay", "Maleis"),
    "khm": ("Khmer", "Khmer"),
    "lao": ("Lao", "Laotiaans"),
    "swa": ("Swahili", "Swahili"),
    "swh": ("Swahili (Kiswahili)", "Swahili (Kiswahili)"),
    "hau": ("Hausa", "Hausa"),
    "yor": ("Yoruba", "Yoruba"),
    "ibo": ("Igbo", "Igbo"),
    "ful": ("Fula", "Fula"),
    "wol": ("Wolof", "Wolof"),
    "mnk": ("Mandinka", "Mandinka"),
    "lin": ("Lingala", "Lingala"),
    "kin": ("Kinyarwanda", "Kinyarwanda"),
    "run": ("Kirundi", "Kirundi"),
    "lug": ("Luganda", "Luganda"),
    "orm": ("Oromo", "Oromo"),
    "mfe": ("Mauritian Creole", "Mauritiaans Creools"),
    "hat": ("Haitian Creole", "Haïtiaans Creools"),
    "rmn": ("Balkan Romani", "Balkan-Romani"),
    "hbs": ("Serbo-Croatian", "Servo-Kroatisch"),
    "fry": ("Frisian", "Fries"),
    "lim": ("Limburgish", "Limburgs"),
    "ltz": ("Luxembourgish", "Luxemburgs"),
    "cym": ("Welsh", "Welsh"),
    "gla": ("Scottish Gaelic", "Schots-Gaelisch"),
    "slk": ("Slovak", "Slowaaks"),
    "uig": ("Uyghur", "Oeigoers"),
    "sme": ("Northern Sami", "Noord-Samisch"),
    "sot": ("Sotho", "Zuid-Sotho"),
    "oss": ("Ossetian", "Ossetisch"),
    "tat": ("Tatar", "Tataars"),
    "ori": ("Odia", "Odia"),
    "oci": ("Occitan", "Occitaans"),
    "ton": ("Tongan", "Tongaans"),
    "iii": ("Sichuan Yi", "Sichuan Yi"),
    "ina": ("Interlingua", "Interlingua"),
    "epo": ("Esperanto", "Esperanto"),
    "nya": ("Chichewa", "Chichewa"),
}
COUNTRY_NAMES_NL = {
    # Missing from pycountry's Dutch catalog, or written there in the register's long form.
    "GE": "Georgië",
    "BO": "Bolivia",
    "LA": "Laos",
    "VE": "Venezuela",
    "AQ": "Antarctica",
    "CY": "Cyprus",
    "MX": "Mexico",
    "TH": "Thailand",
    "FI": "Finland",
    "JP": "Japan",
    "CN": "China",
    "IN": "India",
    "CD": "Democratische Republiek Congo",
    "PS": "Palestina",
    "VA": "Vaticaanstad",
}
# Names that are the same in Dutch as in English (checked, not forgotten).
SAME_IN_DUTCH = frozenset(
    {
        "aar",
        "afr",
        "aym",
        "bam",
        "bis",
        "cha",
        "cor",
        "cre",
        "div",
        "dzo",
        "ewe",
        "glv",
        "her",
        "hmo",
        "ido",
        "iku",
        "ile",
        "kal",
        "kan",
        "kas",
        "kau",
        "kik",
        "kom",
        "kon",
        "kua",
        "lub",
        "mal",
        "mar",
        "mri",
        "nau",
        "nav",
        "ndo",
        "oji",
        "pli",
        "que",
        "sna",
        "snd",
        "ssw",
        "tel",
        "tgl",
        "tsn",
        "tso",
        "twi",
        "ven",
        "vol",
        "xho",
        "zha",
    }
)


def _language() -> str:
    return (get_language() or "nl").split("-")[0]


@cache
def _translation(domain: str, language: str):
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


def _local(domain: str, name: str) -> str:
    language = _language()
    if language == "en":
        return name
    return _translation(domain, language).gettext(name)


def has_local_name(domain: str, name: str) -> bool:
    """Whether pycountry's catalog of the active language names `name`."""
    language = _language()
    return language == "en" or _translation(domain, language).gettext(name) != name


def country_name(code: str) -> str:
    if code == STATELESS:
        return str(_("Stateless"))
    if code == UNKNOWN:
        return str(_("Unknown"))
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    if _language() == "nl" and code in COUNTRY_NAMES_NL:
        return COUNTRY_NAMES_NL[code]
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
    """A code the nationality lists know (the import of cases checks each one)."""
    return code in (STATELESS, UNKNOWN) or pycountry.countries.get(alpha_2=code) is not None


def language_name(code: str) -> str:
    """The language's name in the active language ("Turks", not "tur"): our own table first,
    then pycountry's catalog, by its name and then by its inverted name."""
    language = pycountry.languages.get(alpha_3=code)
    if language is None:
        return code
    if code in LANGUAGE_NAMES:
        english, dutch = LANGUAGE_NAMES[code]
        return english if _language() == "en" else dutch
    for name in (language.name, getattr(language, "inverted_name", None)):
        if name and has_local_name("iso639-3", name):
            return _local("iso639-3", name)
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
    # Names, not codes: an officer looks for "Turks", not "tur".
    choices = [(code, language_name(code)) for code in _language_codes()]
    choices.sort(key=lambda item: item[1].lower())
    return tuple(choices)


def is_language(code: str) -> bool:
    return len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None
