"""Calendar arithmetic the departure app needs beside the deadline engine: calendar months,
Dutch working days, and the inverse questions the SQL-sized reminder sweep asks ("which start
dates put a deadline inside this window?"). Plain Python, no database."""

import calendar
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb).
    Negative `months` go back."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> frozenset[date]:
    """The Dutch national public holidays on which the civil service does not work. Liberation
    Day (5 May) is left out: it is a day off only in some years under the collective
    agreement, so counting it would delay an escalation that is due."""
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it moves to the Saturday before
        kings_day = date(year, 4, 26)
    return frozenset(
        {
            date(year, 1, 1),
            easter + timedelta(days=1),  # Easter Monday
            kings_day,
            easter + timedelta(days=39),  # Ascension Day
            easter + timedelta(days=50),  # Whit Monday
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (0 gives `start` itself)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def latest_start(today: date, due_after) -> date:
    """The last start date whose deadline `due_after(start)` falls on or before `today`.
    `due_after` must be non-decreasing (calendar months and working days are)."""
    day = today
    while due_after(day) > today:
        day -= timedelta(days=1)
    while due_after(day + timedelta(days=1)) <= today:
        day += timedelta(days=1)
    return day
