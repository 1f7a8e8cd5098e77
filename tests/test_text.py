"""Remembered dates and choice labels read as Django writes them, in each language."""

from datetime import date

import pytest
from django.template import engines
from django.utils import translation

from cases.models import Case, Obstacle
from dtv.text import choice_label, date_text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_date_text_is_what_the_template_writes(language):
    days = [date(2026, 1, 1), date(2026, 3, 31), date(2027, 12, 5)]
    with translation.override(language):
        for day in days:
            assert date_text(day) == engines["django"].from_string("{{ d }}").render({"d": day})
    assert date_text(None) == ""


def test_date_text_keeps_languages_apart():
    day = date(2026, 10, 3)
    with translation.override("nl"):
        dutch = date_text(day)
    with translation.override("en"):
        english = date_text(day)
    assert dutch != english
    assert "okt" in dutch.lower()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_choice_label_is_the_display_value(language):
    with translation.override(language):
        for phase in Case.Phase:
            assert choice_label(Case.Phase, phase.value) == Case(phase=phase).get_phase_display()
        for category in Obstacle.Category:
            assert choice_label(Obstacle.Category, category) == str(category.label)
        assert choice_label(Case.Priority, 2) == str(Case.Priority.TOP_X.label)
        assert choice_label(Case.Phase, "unknown") == "unknown"
