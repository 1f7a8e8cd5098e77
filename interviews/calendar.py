"""The iCalendar feed: case reference and stage only, never names or personal details."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event


def feed(interviews, *, host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Terugkeer//Gesprekken//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Terugkeer – gesprekken")
    now = timezone.now()
    for interview in interviews:
        event = Event()
        event.add("uid", f"interview-{interview.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", interview.planned_at)
        event.add("dtend", interview.planned_at + timedelta(hours=1))
        event.add("summary", f"{interview.case.reference} · {interview.get_stage_display()}")
        if interview.location:
            event.add("location", interview.location)
        calendar.add_component(event)
    return calendar.to_ical()
