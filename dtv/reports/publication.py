"""Figures in DT&V's own publication categories (DOMAIN.md §8; dienstterugkeerenvertrek.nl,
"Instroom- en vertrekcijfers"): intake by source, departures in three kinds, the top five
nationalities of intake; per quarter of a year and per team, published by DT&V's rules
(dtv/reports/disclosure.py) and beside DT&V's own national figures.

How the application's records map onto DT&V's categories (one table each, below):

- Intake is a case opened in the period, by the case's source: IND -> IND; police (AVIM,
  and the seaport police, which DT&V counts under the police) -> Nationale Politie; KMar ->
  KMar; other (self-reported, entered by DT&V itself) -> Overige.
- A departure is a recorded Departure in the period, by its type: independent departure,
  proven -> zelfstandig aantoonbaar; forced -> gedwongen; without supervision (destination
  unknown, formerly MOB) -> zelfstandig zonder toezicht. A Dublin transfer is a departure
  DT&V carries out: with a KMar escort it is forced (gedwongen), without one the person
  travelled to the responsible Member State on their own and the transfer was confirmed
  (zelfstandig aantoonbaar). DT&V does not publish this split for Dublin transfers
  [UNCONFIRMED]; the rule is this table, so a different reading is one edit here.
- The nationality of intake is the person's first nationality (established before presumed,
  then by country code), as the obstacle report reads it.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case as CaseWhen
from django.db.models import CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import ExtractQuarter
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Nationality
from departure.models import Departure
from dtv.reports import disclosure

SOURCE_URL = "https://www.dienstterugkeerenvertrek.nl/over-dtv/cijfers"

# DT&V's intake categories and the case sources each takes.
INTAKE = [
    ("ind", _("IND"), [Case.Source.IND]),
    ("np", _("National Police"), [Case.Source.POLICE]),
    ("kmar", _("KMar"), [Case.Source.KMAR]),
    ("other", _("Other sources"), [Case.Source.OTHER]),
]

# DT&V's departure categories and the departures each takes (see the module's docstring).
DEPARTURES = [
    (
        "independent",
        _("Independent, proven"),
        Q(type=Departure.Type.INDEPENDENT_PROVEN)
        | Q(type=Departure.Type.DUBLIN_TRANSFER, escort=False),
    ),
    (
        "forced",
        _("Forced"),
        Q(type=Departure.Type.FORCED) | Q(type=Departure.Type.DUBLIN_TRANSFER, escort=True),
    ),
    (
        "unsupervised",
        _("Independent without supervision"),
        Q(type=Departure.Type.WITHOUT_SUPERVISION),
    ),
]

# DT&V's published national figures (rounded to tens as published), by year; `partial` names
# a year published for part of it only. Source: SOURCE_URL (retrieved 2025), DOMAIN.md §8.
NATIONAL = {
    2018: {
        "intake": {"ind": 13000, "np": 3160, "kmar": 1080, "other": 1770},
        "departures": {"independent": 3610, "forced": 2650, "unsupervised": 8620},
    },
    2019: {
        "intake": {"ind": 15640, "np": 3080, "kmar": 1260, "other": 2570},
        "departures": {"independent": 4460, "forced": 2760, "unsupervised": 9660},
    },
    2020: {
        "intake": {"ind": 9780, "np": 2350, "kmar": 720, "other": 1820},
        "departures": {"independent": 2630, "forced": 1650, "unsupervised": 6880},
    },
    2021: {
        "intake": {"ind": 9200, "np": 2320, "kmar": 880, "other": 1440},
        "departures": {"independent": 2100, "forced": 1630, "unsupervised": 5600},
    },
    2022: {
        "intake": {"ind": 6590, "np": 2450, "kmar": 840, "other": 2740},
        "departures": {"independent": 2450, "forced": 1850, "unsupervised": 4310},
    },
    2023: {
        "intake": {"ind": 11670, "np": 2740, "kmar": 940, "other": 2320},
        "departures": {"independent": 2820, "forced": 1990, "unsupervised": 3960},
        "partial": {"departures": _("January to October")},
    },
    2024: {
        "intake": {"ind": 11180, "np": 2860, "kmar": 880, "other": 2480},
        "departures": {},
    },
}

# DT&V's own notes to its figures, in its words, and the application's notes on how its
# records are counted.
FOOTNOTES = [
    _(
        "Figures rounded to tens. Numbers under 5 are not shown, so that no individual foreign "
        "national can be traced."
    ),
    _(
        "Because of the rounding, the sum of the parts may differ from the total. This is the "
        "case, for example, for a list of less common nationalities."
    ),
    _(
        "‘Other sources’ are files DTenV enters itself, for example when a foreign national "
        "asks DTenV for help with their return."
    ),
    _("A total is left out (x) when, with the rounded parts, it would reveal a number under 5."),
    _(
        "A Dublin transfer with a KMar escort counts as forced, without an escort as "
        "independent and proven."
    ),
]

QUARTERS = [1, 2, 3, 4]


@dataclass
class Table:
    rows: list  # (label, [quarter cells], year cell)
    total: tuple  # ([quarter cells], year cell)
    exact: dict  # key -> year count (for the comparison and the tests)


def _grid(counts: dict, keys: list[str]) -> tuple[list, tuple]:
    """counts: (key, quarter) -> n. Published rows per key and the total row, every total
    through disclosure.total with its parts."""
    rows = []
    for key in keys:
        values = [counts.get((key, q), 0) for q in QUARTERS]
        cells = [disclosure.count(v) for v in values]
        rows.append((key, cells, disclosure.total(sum(values), cells)))
    quarter_totals = []
    for index, q in enumerate(QUARTERS):
        parts = [row[1][index] for row in rows]
        quarter_totals.append(disclosure.total(sum(counts.get((k, q), 0) for k in keys), parts))
    # The grand total's parts are the published quarter cells (counts, never withheld): a
    # row's year total may itself be withheld.
    grand = sum(counts.values())
    year_total = disclosure.total(grand, [cell for row in rows for cell in row[1]])
    return rows, (quarter_totals, year_total)


def _cases(team):
    queryset = Case.objects.all()
    return queryset if team is None else queryset.filter(team=team)


def intake(year: int, *, team=None) -> Table:
    sources = {source: key for key, _label, values in INTAKE for source in values}
    grouped = (
        _cases(team)
        .filter(opened_on__year=year)
        .annotate(quarter=ExtractQuarter("opened_on"))
        .values("source", "quarter")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict = {}
    for item in grouped:
        key = (sources.get(item["source"], "other"), item["quarter"])
        counts[key] = counts.get(key, 0) + item["n"]
    keys = [key for key, _label, _values in INTAKE]
    rows, total = _grid(counts, keys)
    labels = {key: label for key, label, _values in INTAKE}
    exact = {key: sum(counts.get((key, q), 0) for q in QUARTERS) for key in keys}
    return Table([(labels[k], cells, y) for k, cells, y in rows], total, exact)


def departure_category():
    """The DT&V category of a departure, as a database expression."""
    return CaseWhen(
        *[When(q, then=Value(key)) for key, _label, q in DEPARTURES],
        default=Value(""),
        output_field=CharField(),
    )


def departures(year: int, *, team=None) -> Table:
    queryset = Departure.objects.filter(departed_on__year=year)
    if team is not None:
        queryset = queryset.filter(case__team=team)
    grouped = (
        queryset.annotate(category=departure_category(), quarter=ExtractQuarter("departed_on"))
        .values("category", "quarter")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(i["category"], i["quarter"]): i["n"] for i in grouped if i["category"]}
    keys = [key for key, _label, _q in DEPARTURES]
    rows, total = _grid(counts, keys)
    labels = {key: label for key, label, _q in DEPARTURES}
    exact = {key: sum(counts.get((key, q), 0) for q in QUARTERS) for key in keys}
    return Table([(labels[k], cells, y) for k, cells, y in rows], total, exact)


def top_nationalities(year: int, *, team=None, size: int = 5) -> list[tuple[str, object]]:
    """The most frequent first nationalities of the year's intake: (country code, published
    count), ranked by the true counts (ties by country code)."""
    first = (
        Nationality.objects.filter(person=OuterRef("person"))
        .order_by("-status", "country")
        .values("country")[:1]
    )
    grouped = (
        _cases(team)
        .filter(opened_on__year=year)
        .filter(Exists(Nationality.objects.filter(person=OuterRef("person"))))
        .annotate(country=Subquery(first))
        .values("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")[:size]
    )
    return [(item["country"], disclosure.count(item["n"])) for item in grouped]


def per_team(year: int, teams) -> list[tuple[object, object, list]]:
    """Per team: the published intake of the year and its departures per category."""
    from django.db.models import Count as C

    intake_by_team = dict(
        Case.objects.filter(opened_on__year=year)
        .values("team")
        .annotate(n=C("pk"))
        .values_list("team", "n")
    )
    departed = (
        Departure.objects.filter(departed_on__year=year)
        .annotate(category=departure_category())
        .values("case__team", "category")
        .annotate(n=C("pk"))
        .order_by()
    )
    by_team: dict = {}
    for item in departed:
        by_team.setdefault(item["case__team"], {})[item["category"]] = item["n"]
    rows = []
    for team in teams:
        cells = [
            disclosure.count(by_team.get(team.pk, {}).get(key, 0)) for key, _l, _q in DEPARTURES
        ]
        rows.append((team, disclosure.count(intake_by_team.get(team.pk, 0)), cells))
    return rows


def published_years() -> list[int]:
    return sorted(NATIONAL)


def comparison_year(year: int, requested: int | None = None) -> int:
    """The published year to compare with: the one asked for, else the same year when DT&V
    published it, else the latest it did publish."""
    years = published_years()
    if requested in NATIONAL:
        return requested
    if year in NATIONAL:
        return year
    return max(y for y in years if y <= year) if any(y <= year for y in years) else years[-1]


def _national_figure(value: int) -> disclosure.Figure:
    return disclosure.Figure(number_format(value, force_grouping=True), value)


def share_text(part, national: int | None) -> str:
    """The team's published figure as a share of DT&V's national one (one decimal), left out
    when the team's figure is 0, suppressed or withheld, or there is no national one."""
    if not isinstance(part, disclosure.Figure) or not part.value or not national:
        return ""
    return number_format(round(part.value / national * 100, 1), decimal_pos=1) + "%"


def comparison(year: int, *, team=None, against: int) -> list[dict]:
    """The team's published figures of `year` beside DT&V's national figures of `against`."""
    national = NATIONAL[against]
    rows = []
    tables = (
        ("intake", INTAKE, intake(year, team=team)),
        ("departures", DEPARTURES, departures(year, team=team)),
    )
    for section, categories, table in tables:
        for (key, label, _rule), (_label, _cells, published) in zip(
            categories, table.rows, strict=True
        ):
            value = national[section].get(key)
            rows.append(
                {
                    "section": section,
                    "label": label,
                    "ours": published,
                    "national": _national_figure(value) if value is not None else "",
                    "share": share_text(published, value),
                    "partial": national.get("partial", {}).get(section, ""),
                }
            )
    return rows


def default_year(today: date) -> int:
    return today.year
