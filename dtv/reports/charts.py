"""Server-side SVG bar charts: every bar carries its label and value as text, so the chart
reads without colour; the table behind it is always shown too.

Each label sits on its own line(s) above its bar, across the chart's whole width and wrapped
by words, so no label is clipped however long it is or in which language (a column of labels
left of the bars cut off "Zelfstandig vertrek (aantoonbaar)" and most measure names)."""

import textwrap

from django.utils.html import escape

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


def bar_chart(items: list[tuple], *, title: str, unit: str = "", chart_id: str = "chart") -> str:
    """Items are (label, value) or (label, value, text): the text is printed beside the bar
    instead of the value (a published figure such as "< 5", whose bar has no length)."""
    peak = max((item[1] for item in items), default=0) or 1
    rows = []
    y = GAP
    for index, (label, value, *text) in enumerate(items):
        lines = label_lines(label)
        shown = text[0] if text else f"{_fmt(value)}{unit}"
        rows.append((index, lines, value, y, shown))
        y += len(lines) * LINE_HEIGHT + BAR_HEIGHT + GAP
    height = max(y, GAP + BAR_HEIGHT)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="report-chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-labelledby="{chart_id}-title">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for index, lines, value, top, shown in rows:
        text = "".join(
            f'<tspan x="{LABEL_X}" dy="{0 if n == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        bar_y = top + len(lines) * LINE_HEIGHT
        length = (WIDTH - VALUE_ROOM) * (value / peak) if value else 0
        shade = "#154273" if index % 2 == 0 else "#01689b"
        parts.append(
            f'<text x="{LABEL_X}" y="{top + FONT_SIZE}" font-size="{FONT_SIZE}" fill="#000">'
            f"{text}</text>"
            f'<rect x="0" y="{bar_y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{shade}"></rect>'
            f'<text x="{length + 6:.1f}" y="{bar_y + FONT_SIZE + 1}" font-size="{FONT_SIZE}" '
            f'fill="#000">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _fmt(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))
