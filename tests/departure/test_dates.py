from datetime import date

import pytest

from departure.dates import (
    add_months,
    add_working_days,
    easter_sunday,
    is_working_day,
    latest_start,
    public_holidays,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # into a leap year
        (date(2026, 11, 28), -5, date(2026, 6, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_calendar_months_clamp_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28))],
)
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_dutch_public_holidays_2026():
    assert public_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 6),  # Easter Monday
        date(2026, 4, 27),  # King's Day
        date(2026, 5, 14),  # Ascension Day
        date(2026, 5, 25),  # Whit Monday
        date(2026, 12, 25),
        date(2026, 12, 26),
    }


def test_kings_day_on_a_sunday_moves_to_saturday():
    assert date(2025, 4, 26) in public_holidays(2025)  # 27 April 2025 is a Sunday
    assert date(2025, 4, 27) not in public_holidays(2025)


def test_working_days_skip_weekends_and_holidays():
    assert add_working_days(date(2026, 11, 27), 3) == date(2026, 12, 2)  # Friday -> Wednesday
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 29)  # over Christmas
    assert add_working_days(date(2026, 11, 28), 0) == date(2026, 11, 28)
    assert not is_working_day(date(2026, 5, 14))


def test_latest_start_inverts_a_deadline():
    today = date(2026, 11, 30)
    assert latest_start(today, lambda d: add_months(d, 5)) == date(2026, 6, 30)
    assert latest_start(date(2026, 12, 2), lambda d: add_working_days(d, 3)) == date(2026, 11, 29)
    assert latest_start(today, lambda d: d) == today
