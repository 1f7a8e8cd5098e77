"""The beat schedule's crontab hours are Amsterdam time: the digest goes out at 07:00 local
time in winter (UTC+1) and in summer (UTC+2) alike."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from dtv.celery import app


def _due(entry: str, now_utc: datetime) -> bool:
    schedule = app.conf.beat_schedule[entry]["schedule"]
    with time_machine.travel(now_utc, tick=False):
        # Beat last looked 50 minutes ago: is a run due between then and now?
        is_due, _next = schedule.is_due(now_utc - timedelta(minutes=50))
    return is_due


def test_celery_keeps_amsterdam_time():
    assert str(app.timezone) == "Europe/Amsterdam"


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        # Winter: 07:00 CET is 06:00 UTC.
        (datetime(2026, 1, 15, tzinfo=UTC), 6),
        # Summer: 07:00 CEST is 05:00 UTC.
        (datetime(2026, 7, 15, tzinfo=UTC), 5),
    ],
)
def test_daily_digest_goes_out_at_seven_local_time(day, utc_hour):
    seven_local = day.replace(hour=utc_hour, minute=0, second=30)
    assert _due("send-daily-digests", seven_local)
    # An hour before, it is 06:00 in Amsterdam: not yet.
    assert not _due("send-daily-digests", seven_local - timedelta(hours=1))


def test_daily_digest_across_the_spring_change():
    # 29 March 2026: clocks go from 02:00 to 03:00; 07:00 that day is already CEST (05:00 UTC).
    assert _due("send-daily-digests", datetime(2026, 3, 29, 5, 0, 30, tzinfo=UTC))
    assert not _due("send-daily-digests", datetime(2026, 3, 29, 4, 0, 30, tzinfo=UTC))
