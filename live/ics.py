"""Live sessions as iCalendar (RFC 5545), written with the `icalendar` package.

Each event keeps its UID for the life of the session and raises its SEQUENCE on every change,
so a calendar app that fetched it before updates it in place; a cancelled session stays in the
feed with STATUS:CANCELLED, which removes it from the person's calendar. Times are written in the
session's own time zone (TZID, with its VTIMEZONE), DTSTAMP in UTC.
"""

from collections.abc import Iterable
from datetime import UTC
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from live.models import LiveSession

PRODID = "-//Lentera//Sesi langsung//ID"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def event_uid(session: LiveSession) -> str:
    """The event's UID: random (a UUID), so it names no one, and never changes."""
    return f"{session.uid}@lentera"


def _description(session: LiveSession, page_url: str) -> str:
    lines = [session.cohort.name]
    if session.url:
        lines.append(_("Virtual classroom: %(url)s") % {"url": session.url})
    if session.place:
        lines.append(_("Place: %(place)s") % {"place": session.place})
    if session.notes:
        lines += ["", session.notes]
    if page_url:
        lines += ["", page_url]
    return "\n".join(lines)


def session_event(session: LiveSession, *, page_url: str = "") -> Event:
    """One session as a VEVENT (its `cohort` loaded); `page_url` is the cohort's sessions page."""
    zone = ZoneInfo(session.time_zone)
    event = Event()
    event.add("uid", event_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", session.updated_at.astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", session.title)
    event.add("description", _description(session, page_url))
    event.add("location", session.place or session.url)
    if session.url:
        event.add("url", session.url)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return event


def calendar(sessions: Iterable[LiveSession], *, name: str, page_url_of=None) -> bytes:
    """`sessions` as one calendar named `name`; `page_url_of(session)` gives each event's link
    back to its cohort's page (an absolute URL)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for session in sessions:
        cal.add_component(
            session_event(session, page_url=page_url_of(session) if page_url_of else "")
        )
    cal.add_missing_timezones()
    return cal.to_ical()
