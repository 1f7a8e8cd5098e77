"""The iCalendar feed (RFC 5545) of an officer's planned interviews.

An event carries the case reference and the stage, nothing else: no names, no V-number, no
location (free text that may hold an address). Calendar programs copy events to phones and
cloud services, so what is here leaves the dossier's protection.
"""

from datetime import UTC, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

DURATION = timedelta(hours=1)


def summary(interview) -> str:
    return f"{interview.case.reference} · {interview.get_stage_display()}"


def feed(interviews, *, host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Terugkeer//Interviews//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Terugkeer – interviews"))
    now = timezone.now().astimezone(UTC)
    for interview in interviews:
        start = interview.planned_at.astimezone(UTC)
        event = Event()
        # Stable per interview, so a moved interview moves in the calendar instead of doubling.
        event.add("uid", f"interview-{interview.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", start + DURATION)
        event.add("summary", summary(interview))
        event.add("sequence", interview.version)
        calendar.add_component(event)
    return calendar.to_ical()
