"""The reports' charts in Chromium: every label and value lies inside the chart, in Dutch and
in English (labels left of the bars were clipped in three of the four reports)."""

import pytest

from tests.e2e.conftest import login

REPORTS = ["departures", "obstacles", "compliance", "outcomes"]

OUTSIDE = """() => {
    const svg = document.querySelector('svg.report-chart');
    const width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
    const texts = [...svg.querySelectorAll('text')];
    return {
        count: texts.length,
        outside: texts.map(t => ({box: t.getBBox(), text: t.textContent}))
            .filter(({box}) => box.x < -0.5 || box.y < -0.5 || box.x + box.width > width + 0.5
                    || box.y + box.height > height + 0.5)
            .map(({text, box}) => `${text}: ${box.x},${box.y} ${box.width}x${box.height}`),
    };
}"""


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_chart_label_is_clipped(page, demo, language):
    login(page, "teamlead", language=language)
    for name in REPORTS:
        page.goto(f"{page.base_url}/reports/rapportages/{name}/?since=2020-01-01")
        found = page.evaluate(OUTSIDE)
        assert found["count"] > 0, name
        assert found["outside"] == [], name
