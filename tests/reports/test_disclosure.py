"""Disclosure control of the public figures: the rules, and properties (hypothesis) that no
published table lets a reader narrow a suppressed cell down to one value."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given, settings
from hypothesis import strategies as st

from departure.models import Departure
from dtv.reports import disclosure
from dtv.reports.disclosure import SUPPRESSED, WITHHELD
from tests.cases.factories import CaseFactory, ObstacleFactory

# Small counts are where suppression bites; larger ones check the rounding.
COUNTS = st.one_of(st.integers(0, 6), st.integers(0, 60), st.integers(0, 5000))


@pytest.mark.parametrize(
    ("true", "published"),
    [(0, "0"), (1, SUPPRESSED), (4, SUPPRESSED), (5, "10"), (14, "10"), (15, "20"), (25, "30")]
    + [(1234, "1230"), (1235, "1240")],
)
def test_counts_are_suppressed_under_five_and_rounded_half_up_to_tens(true, published):
    assert str(disclosure.count(true)) == published


def test_a_total_of_five_is_not_printed_as_zero():
    cells, total = disclosure.table_row([3, 2], 5)
    assert [str(c) for c in cells] == [SUPPRESSED, SUPPRESSED]
    assert str(total) == "10"


def test_four_rows_under_five_do_not_reveal_they_are_all_one():
    # 1 + 1 + 1 + 1 = 4 would print "< 5" and pin every row to 1; the total is withheld.
    _cells, total = disclosure.table_row([1, 1, 1, 1], 4)
    assert str(total) == WITHHELD
    # Whatever the true rows, the same published rows get the same answer.
    _cells, total = disclosure.table_row([4, 4, 4, 4], 16)
    assert str(total) == WITHHELD


def test_percentages_come_from_published_numbers():
    # True 6 of 9 is 67%; published 10 of 10 is 100%, and 3 of 9 ("< 5") shows nothing.
    part, base = disclosure.count(6), disclosure.count(9)
    assert disclosure.share(part, base) == "100%"
    assert disclosure.share(disclosure.count(3), base) == ""
    assert disclosure.share(part, disclosure.count(0)) == ""


def _range(text: str) -> range | None:
    """The true counts a reader infers from one published text (None: no bound)."""
    if text == WITHHELD:
        return None
    if text == "0":
        return range(0, 1)
    if text == SUPPRESSED:
        return range(1, 5)
    value = int(text)
    return range(max(5, value - 5), value + 5)


def _reader_options(cells: list[str], total_text: str) -> list[set[int]]:
    """For each cell, every true value a reader who knows the rules cannot rule out: cell
    values within their published ranges whose sum, published by the rules, gives the total
    that was published."""
    ranges = [_range(text) for text in cells]
    lowest = sum(r.start for r in ranges)
    highest = sum(r.stop - 1 for r in ranges)
    parts = [
        disclosure.count(r.start if t != SUPPRESSED else 1)
        for r, t in zip(ranges, cells, strict=True)
    ]
    # The total's rule reads only the published parts, so any stand-ins with the same text do.
    assert [str(p) for p in parts] == cells
    totals = [
        t for t in range(lowest, highest + 1) if str(disclosure.total(t, parts)) == total_text
    ]
    options = []
    for own in ranges:
        others_low = lowest - own.start
        others_high = highest - (own.stop - 1)
        options.append({v for v in own if any(others_low <= t - v <= others_high for t in totals)})
    return options


@settings(max_examples=400, deadline=None)
@given(values=st.lists(COUNTS, min_size=1, max_size=7))
@example(values=[1, 1, 1, 1])
@example(values=[3, 2])
@example(values=[1, 13])
@example(values=[4, 0, 0])
@example(values=[1] * 14)
def test_no_suppressed_cell_can_be_recomputed_from_a_row_and_its_total(values):
    cells, total = disclosure.table_row(values, sum(values))
    texts = [str(c) for c in cells]
    options = _reader_options(texts, str(total))
    for value, text, possible in zip(values, texts, options, strict=True):
        assert value in possible  # the reader's reasoning is sound
        if text == SUPPRESSED:
            assert len(possible) >= 2, (values, texts, str(total), possible)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(COUNTS, min_size=1, max_size=7))
def test_every_published_figure_follows_the_rules(values):
    cells, total = disclosure.table_row(values, sum(values))
    for value, cell in zip([*values, sum(values)], [*cells, total], strict=True):
        text = str(cell)
        assert text != "0" or value == 0  # a positive count never prints as 0
        if text not in (SUPPRESSED, WITHHELD, "0"):
            assert int(text) % 10 == 0
            assert abs(int(text) - value) <= 5
        if 0 < value < 5:
            assert text in (SUPPRESSED, WITHHELD)


@settings(max_examples=300, deadline=None)
@given(part=COUNTS, extra=COUNTS)
def test_a_percentage_tells_nothing_the_published_counts_do_not(part, extra):
    # A resolution rate: resolved (part) of all (part + extra).
    published_part, published_base = disclosure.count(part), disclosure.count(part + extra)
    rate = disclosure.share(published_part, published_base)
    if published_part.value is None or published_base.value is None:
        assert rate == ""
    elif rate:
        assert rate == f"{published_part.value / published_base.value * 100:.0f}%"


def _public_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.django_db
def test_public_departures_export_rounds_and_shares_from_published(
    client, team, officer, team_lead
):
    day = timezone.localdate() - timedelta(days=3)
    for type_, n in (("independent_proven", 3), ("forced", 2)):
        for _ in range(n):
            case = CaseFactory(team=team, officer=officer, opened_on=day - timedelta(days=100))
            Departure.objects.create(case=case, type=type_, departed_on=day)
    client.force_login(team_lead)
    url = reverse("reports:report", args=["departures"])
    rows = _public_rows(client.get(url, {"export": "csv-public"}))
    row = rows[1]
    assert row[-2] == "10"  # the total of 5, not "0"
    assert SUPPRESSED in row
    assert row[-1] == ""  # the share's part is suppressed, so is the share
    exact = _public_rows(client.get(url, {"export": "csv"}))[1]
    assert exact[-2] == "5"
    assert exact[-1] == "60%"


@pytest.mark.django_db
def test_public_obstacle_rates_come_from_the_published_counts(client, team, officer, team_lead):
    today = timezone.localdate()
    for index in range(9):
        ObstacleFactory(
            case=CaseFactory(team=team, officer=officer),
            identified_on=today - timedelta(days=30),
            status="resolved" if index < 6 else "open",
            resolved_on=today - timedelta(days=2) if index < 6 else None,
        )
    client.force_login(team_lead)
    url = reverse("reports:report", args=["obstacles"])
    row = _public_rows(client.get(url, {"export": "csv-public"}))[1]
    # True: 6 resolved of 9 (67%). Published: 10 of 10, so 100%, computed from what is shown.
    assert row[2:] == ["10", "10", "100%"]
