"""Server-side SVG bar charts: every bar carries its label and value as text, so the chart
reads without colour; the table behind it is always shown too."""

from django.utils.html import escape


def bar_chart(items: list[tuple[str, float]], *, title: str, unit: str = "") -> str:
    width, bar_height, gap, label_width = 640, 22, 8, 230
    height = max(1, len(items)) * (bar_height + gap) + gap
    peak = max((value for _label, value in items), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="report-chart" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for index, (label, value) in enumerate(items):
        y = gap + index * (bar_height + gap)
        length = (width - label_width - 80) * (value / peak) if value else 0
        shade = "#154273" if index % 2 == 0 else "#01689b"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" font-size="13" '
            f'fill="#000">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{shade}"></rect>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}" font-size="13" '
            f'fill="#000">{escape(_fmt(value))}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _fmt(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))
