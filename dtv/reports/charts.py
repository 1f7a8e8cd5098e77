"""Server-side SVG bar charts: every bar carries its label and value as text, so the chart
reads without colour; the table behind it is always shown too.

Each label sits on its own line(s) above its bar, across the chart's whole width and wrapped
by words, so no label is clipped however long it is or in which language (a column of labels
left of the bars cut off "Zelfstandig vertrek (aantoonbaar)" and most measure names)."""

import textwrap

WIDTH = 640
FONT_SIZE = 13
LINE_HEIGHT = 17
BAR_HEIGHT = 18
GAP = 10
LABEL_X = 2  # a glyph such as "T" reaches a little left of its x
VALUE_ROOM = 80  # room right of the longest bar for its value
# Characters per label line: the widest glyphs of a 13 px sans-serif average under 8 px.
LINE_CHARS = (WIDTH - 8) // 8


def label_lines(label: str) -> list[str]:
    return textwrap.wrap(str(label), LINE_CHARS, break_long_words=True) or [""]


def bar_chart(items: list[tuple], *, title: str, unit: str = "", chart_id: str = "chart") -> dict:
    """The chart's geometry for templates/reports/_chart.svg (the template writes and
    escapes the text): `{% include "reports/_chart.svg" with chart=chart %}`. Items are
    (label, value) or (label, value, text): the text is printed beside the bar instead of the
    value (a published figure such as "< 5", whose bar has no length)."""
    peak = max((item[1] for item in items), default=0) or 1
    bars = []
    y = GAP
    for index, (label, value, *text) in enumerate(items):
        lines = label_lines(label)
        bar_y = y + len(lines) * LINE_HEIGHT
        length = (WIDTH - VALUE_ROOM) * (value / peak) if value else 0
        bars.append(
            {
                "lines": [(0 if n == 0 else LINE_HEIGHT, line) for n, line in enumerate(lines)],
                "label_y": y + FONT_SIZE,
                "bar_y": bar_y,
                "length": f"{length:.1f}",
                "shade": "#154273" if index % 2 == 0 else "#01689b",
                "value_x": f"{length + 6:.1f}",
                "value_y": bar_y + FONT_SIZE + 1,
                "value": text[0] if text else f"{_fmt(value)}{unit}",
            }
        )
        y += len(lines) * LINE_HEIGHT + BAR_HEIGHT + GAP
    return {
        "id": chart_id,
        "title": title,
        "width": WIDTH,
        "height": max(y, GAP + BAR_HEIGHT),
        "font_size": FONT_SIZE,
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_X,
        "bars": bars,
    }


def _fmt(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))
