"""A conference's calendar as an iCalendar file (RFC 5545) that Outlook and others open.

Events: every dated meeting (with its time and venue when set), each deadline not yet done
(papers and reviews, core/deadlines.py) and each open action's due date. What an event says
is kept to what may leave the app: the conference's title, the meeting's kind, time and venue,
a deadline's name and an action's title (its first line). Never board text, owners, invitees
or notes.

Every event has a stable UID made from its row's uid (meetings, actions) or from the uid of the
meeting a deadline follows from, so importing a newer file updates the same events rather than
adding copies. Times are Europe/London (a VTIMEZONE is included); dates without a time are
all-day events. Text is escaped and lines folded at 75 octets, as RFC 5545 section 3.1 asks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from csfacilitator.core import deadlines as dl
from csfacilitator.core import vocab
from csfacilitator.core.model import Meeting
from csfacilitator.core.rows import conference_in
from csfacilitator.storage.database import Database

PRODID = "-//CS Facilitator//Conference calendar//EN"
UID_DOMAIN = "csfacilitator"
TZID = "Europe/London"
MEETING_LENGTH = dt.timedelta(hours=2)

# Europe/London since 1996: summer time from the last Sunday of March at 01:00 UTC to the last
# Sunday of October at 01:00 UTC.
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    day: dt.date
    time: dt.time | None = None
    location: str = ""
    description: str = ""


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets split with CRLF and a space, never inside a character."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines start with the space
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def events(db: Database, conference_id: int, today: dt.date | None = None) -> list[CalendarEvent]:
    today = today or dt.date.today()
    with db.session() as s:
        conference = conference_in(s, conference_id)
        title = _one_line(conference.title) or "Untitled conference"
        meetings = list(
            s.scalars(
                select(Meeting)
                .where(Meeting.conference_id == conference_id, Meeting.date.is_not(None))
                .order_by(Meeting.date, Meeting.id)
            )
        )
        found = [
            CalendarEvent(
                uid=f"meeting-{m.uid}@{UID_DOMAIN}",
                summary=f"{vocab.label(vocab.MEETING_KINDS, m.kind)}: {title}",
                day=m.date,
                time=m.time,
                location=_one_line(m.venue),
                description=f"Contextual safeguarding {m.kind.replace('_', '-')}.",
            )
            for m in meetings
            if m.date is not None  # the query asks for dated meetings only
        ]
    for item in dl.conference_deadlines(db, conference_id, today):
        if item.state == dl.DONE:
            continue
        if item.kind == dl.ACTION:
            summary = f"Action due: {_one_line(item.title)} ({title})"
        elif item.kind in (dl.FIRST_REVIEW, dl.NEXT_REVIEW):
            summary = f"{item.title} due by: {title}"
        else:
            summary = f"{item.title} due: {title}"
        found.append(
            CalendarEvent(
                uid=f"{item.kind}-{item.row_uid}@{UID_DOMAIN}", summary=summary, day=item.due
            )
        )
    return sorted(found, key=lambda e: (e.day, e.time or dt.time.min, e.summary))


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def to_ics(items: list[CalendarEvent], *, now: dt.datetime | None = None, name: str = "") -> bytes:
    now = now or dt.datetime.now(dt.timezone.utc)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:  # the calendar's name in Outlook and others (a common extension)
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    if any(e.time is not None for e in items):
        lines.extend(VTIMEZONE)
    for event in items:
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{_stamp(now)}"]
        if event.time is None:
            end = event.day + dt.timedelta(days=1)
            lines += [
                f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{end:%Y%m%d}",
                "TRANSP:TRANSPARENT",
            ]
        else:
            start = dt.datetime.combine(event.day, event.time.replace(tzinfo=None))
            end = start + MEETING_LENGTH
            lines += [
                f"DTSTART;TZID={TZID}:{start:%Y%m%dT%H%M%S}",
                f"DTEND;TZID={TZID}:{end:%Y%m%dT%H%M%S}",
            ]
        lines.append(f"SUMMARY:{escape(event.summary)}")
        if event.location:
            lines.append(f"LOCATION:{escape(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def default_filename(db: Database, conference_id: int) -> str:
    from csfacilitator.core.conferences import get_conference
    from csfacilitator.core.textclean import safe_file_stem

    return f"{safe_file_stem(get_conference(db, conference_id).title)} - calendar.ics"


def write_calendar(db: Database, conference_id: int, path, *, now: dt.datetime | None = None):
    """Write the conference's calendar to `path` (atomically, private); returns the path."""
    from csfacilitator.atomic_file import write_atomic
    from csfacilitator.core.conferences import get_conference

    title = _one_line(get_conference(db, conference_id).title) or "Untitled conference"
    data = to_ics(events(db, conference_id), now=now, name=f"Conference: {title}")
    return write_atomic(data, path, kind="calendar")
