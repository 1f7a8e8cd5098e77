"""Disclosure control: the one place that turns a true count into a published figure.

DT&V publishes counts rounded to tens and suppresses counts under 5 (DOMAIN.md §8). Every
public figure of the reports goes through this module, by these rules:

1. A count of 0 is published as "0"; 1 to 4 as "< 5" (suppressed); 5 and more rounded half
   up to tens, so 5 to 14 print as "10" (never "0": 5 / 10 rounds up, not to the even 0).
2. A total is the rounded true total (rule 1 applied to it), not the sum of the published
   rows, and it is shown even when some of its rows are suppressed, with one exception
   (rule 3). Summing published rows would add the rounding errors up and invite subtracting;
   an independently rounded total carries an uncertainty of ten values on its own.
3. A total is withheld ("x", as CBS writes "geheim") when its published rows admit a true
   total that, published, would pin a suppressed row to one value: four rows "< 5" under a
   total "< 5" can only be 1 + 1 + 1 + 1. The test looks at the published rows only, not at
   the true total (withholding just when the pin happens would itself reveal it). Without the
   total every suppressed row keeps its four possible values.
4. A percentage is computed from the published numbers, never the true ones, and is left
   out when its part or its base is suppressed, withheld or 0; so it tells a reader nothing
   the published counts do not.

tests/reports/test_disclosure.py checks with hypothesis that no published table lets a reader
narrow a suppressed cell down to one value, whatever the true counts."""

from dataclasses import dataclass

SUPPRESSED = "< 5"
WITHHELD = "x"
THRESHOLD = 5
BASE = 10


@dataclass(frozen=True)
class Figure:
    """A published count: its text, and the number printed (None when suppressed)."""

    text: str
    value: int | None

    def __str__(self) -> str:
        return self.text

    def export_value(self) -> int | str:
        """The cell of an export: the number printed, or the text that stands for none."""
        return self.text if self.value is None else self.value

    @property
    def low(self) -> int:
        """The smallest true count a reader can infer from the text."""
        if self.text == WITHHELD:
            return 0
        if self.value is None:
            return 1
        return 0 if self.value == 0 else max(THRESHOLD, self.value - BASE // 2)

    @property
    def high(self) -> int | None:
        """The largest true count a reader can infer (None: unbounded)."""
        if self.text == WITHHELD:
            return None
        if self.value is None:
            return THRESHOLD - 1
        return 0 if self.value == 0 else self.value + BASE // 2 - 1


def count(value: int | None) -> Figure | str:
    """One published count (rule 1)."""
    if value is None:
        return ""
    value = int(value)
    if value <= 0:
        return Figure("0", 0)
    if value < THRESHOLD:
        return Figure(SUPPRESSED, None)
    rounded = (value + BASE // 2) // BASE * BASE
    return Figure(str(rounded), rounded)


def total(value: int | None, parts: list[Figure]) -> Figure | str:
    """A published total of `parts` (rules 2 and 3)."""
    published = count(value)
    if not isinstance(published, Figure) or not any(p.value is None for p in parts):
        return published
    # The true total lies between these, as far as a reader of the rows can tell.
    lowest = sum(p.low for p in parts)
    highest = sum(p.high for p in parts)
    # A suppressed part is pinned when the total leaves no room above the parts' least (every
    # part at its least) or below their most. Whether that can happen is decided from the
    # published parts alone, never from the true total: withholding only when it does happen
    # would itself tell the reader that it did.
    at_least, at_most = count(lowest), count(highest)
    if at_least.high == lowest or at_most.low == highest:
        return Figure(WITHHELD, None)
    return published


def share(part, base) -> str:
    """A percentage from published figures (rule 4)."""
    if not (isinstance(part, Figure) and isinstance(base, Figure)):
        return ""
    if part.value is None or not base.value:
        return ""
    return f"{part.value / base.value * 100:.0f}%"


def table_row(values: list[int], row_total: int) -> tuple[list[Figure], Figure]:
    """The published cells of one row of counts and its total."""
    cells = [count(v) for v in values]
    return cells, total(row_total, cells)
