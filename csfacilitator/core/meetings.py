"""Meetings of a conference (pre-meeting, conference, reviews) and their ordered agendas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from csfacilitator.core import vocab
from csfacilitator.core.dates import as_date, as_time, format_date, format_time
from csfacilitator.core.model import AgendaItem, Conference, Meeting, utcnow
from csfacilitator.core.records import AgendaItemRecord, MeetingRecord
from csfacilitator.core.removed_rows import RemovedRows, put_back, remove
from csfacilitator.core.rows import conference_in, existing_row, move_by, renumber, touch_conference
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import NotFound, UserError
from csfacilitator.storage.database import Database

KIND_ORDER = {"pre_meeting": 0, "conference": 1, "review": 2}


def default_agenda(kind: str) -> tuple[tuple[str, str], ...]:
    if kind == "review":
        return vocab.REVIEW_AGENDA
    if kind == "pre_meeting":
        return ()
    return vocab.DEFAULT_AGENDA


def add_meeting_rows(
    s: Session,
    conference_id: int,
    kind: str,
    *,
    date: dt.date | None = None,
    time: dt.time | None = None,
    venue: str = "",
) -> Meeting:
    if kind not in vocab.MEETING_KINDS:
        raise UserError(f"'{kind}' is not a kind of meeting.")
    meeting = Meeting(conference_id=conference_id, kind=kind, date=date, time=time, venue=venue)
    s.add(meeting)
    s.flush()
    for position, (title, lead) in enumerate(default_agenda(kind)):
        s.add(AgendaItem(meeting_id=meeting.id, position=position, title=title, lead=lead))
    s.flush()
    return meeting


def no_meeting(meeting_id: int) -> str:
    """What NotFound says for a meeting that is not there."""
    return f"There is no meeting with id {meeting_id}."


def meeting_row(s: Session, meeting_id: int) -> Meeting:
    """The meeting with this id, or NotFound."""
    return existing_row(s, Meeting, meeting_id, no_meeting(meeting_id))


def record_of(meeting: Meeting) -> MeetingRecord:
    return MeetingRecord(
        id=meeting.id,
        conference_id=meeting.conference_id,
        kind=meeting.kind,
        date=meeting.date,
        time=meeting.time,
        venue=meeting.venue,
        started_at=meeting.started_at,
        current_item_id=meeting.current_item_id,
        purpose=meeting.purpose,
        decisions=meeting.decisions,
        agenda=tuple(
            AgendaItemRecord(a.id, a.meeting_id, a.position, a.title, a.lead, a.started_at)
            for a in meeting.agenda
        ),
    )


def meeting_label(
    meeting: MeetingRecord, meetings: Iterable[MeetingRecord] = (), *, detailed: bool = False
) -> str:
    """'Conference · 5 Nov 2026', or 'Review 2 · …' when several reviews are in `meetings`;
    `detailed` adds the weekday and the time ('Review · Thu 4 Feb 2027 · 15:30')."""
    name = vocab.label(vocab.MEETING_KINDS, meeting.kind)
    same_kind = [m for m in meetings if m.kind == meeting.kind]
    if len(same_kind) > 1 and meeting.kind == "review":
        ids = [m.id for m in same_kind]
        if meeting.id in ids:
            name = f"{name} {ids.index(meeting.id) + 1}"
    parts = [name]
    if meeting.date:
        parts.append(format_date(meeting.date, weekday=detailed))
    if detailed and meeting.time:
        parts.append(format_time(meeting.time))
    return " · ".join(parts)


def place_of(context_name: str, title: str) -> str:
    """The context in a few words, as the papers name it: its name, else the conference title."""
    return clean_text(context_name, multiline=False) or clean_text(title, multiline=False)


def default_purpose(kind: str, place: str = "") -> str:
    """What a meeting of this kind is for, in plain words, when the coordinator wrote nothing."""
    where = place or "the context"
    if kind == "review":
        return (
            f"To look at how each action agreed for {where} is going, hear what has changed "
            "there, and agree what happens next: further actions, a new review date, or "
            "closing the case because the context is now safer."
        )
    if kind == "pre_meeting":
        return (
            f"To prepare the conference about {where}: go through the assessment, agree who is "
            "invited and who will meet each person beforehand, and settle the agenda."
        )
    return (
        f"To bring together everyone who can help make {where} safer for young people, share "
        "what the assessment found, and agree a plan of practical actions that change the "
        "place, not the young people who spend time there."
    )


def purpose_text(purpose: str, kind: str, place: str) -> str:
    """A meeting's purpose as the agenda prints it (and the Overview shows it): as typed, else
    the standard wording for its kind, naming the place (`place_of`)."""
    return clean_text(purpose) or default_purpose(kind, place)


def _sort_key(m: MeetingRecord) -> tuple:
    return (m.date or dt.date.max, KIND_ORDER.get(m.kind, 9), m.id)


def list_meetings(db: Database, conference_id: int) -> list[MeetingRecord]:
    """A conference's meetings in the order they happen (undated ones last)."""
    with db.read_session() as s:
        rows = s.scalars(
            select(Meeting)
            .where(Meeting.conference_id == conference_id)
            .options(selectinload(Meeting.agenda))  # one query for every agenda, not one each
        )
        return ordered_records(rows)


def ordered_records(meetings: Iterable[Meeting]) -> list[MeetingRecord]:
    """Meetings (their agendas loaded) as records, in the order they happen (undated last)."""
    return sorted((record_of(m) for m in meetings), key=_sort_key)


def get_meeting(db: Database, meeting_id: int) -> MeetingRecord:
    with db.read_session() as s:
        meeting = meeting_row(s, meeting_id)
        return record_of(meeting)


def add_meeting(
    db: Database,
    conference_id: int,
    kind: str,
    *,
    date: dt.date | None = None,
    time: dt.time | None = None,
    venue: str = "",
) -> MeetingRecord:
    with db.session() as s:
        conference_in(s, conference_id)
        meeting = add_meeting_rows(
            s, conference_id, kind, date=date, time=time, venue=clean_text(venue, multiline=False)
        )
        touch_conference(s, conference_id)
        return record_of(meeting)


def update_meeting(db: Database, meeting_id: int, **changes: object) -> MeetingRecord:
    """Change a meeting's kind, date, time, venue, purpose or decisions."""
    with db.session() as s:
        meeting = meeting_row(s, meeting_id)
        for name, value in changes.items():
            if name == "kind":
                if value not in vocab.MEETING_KINDS:
                    raise UserError(f"'{value}' is not a kind of meeting.")
            elif name == "venue":
                value = clean_text(value, multiline=False)
            elif name in ("purpose", "decisions"):
                value = clean_text(value)
            elif name == "date":
                value = as_date(value)
            elif name == "time":
                value = as_time(value)
            else:
                raise UserError(f"'{name}' is not a meeting detail that can be changed.")
            setattr(meeting, name, value)
        touch_conference(s, meeting.conference_id)
        return record_of(meeting)


def delete_meeting(db: Database, meeting_id: int) -> RemovedRows:
    """Delete a meeting with its agenda, board, referrals and attendance; returns what went,
    for restore_meeting (undo)."""
    with db.session() as s:
        meeting = meeting_row(s, meeting_id)
        return remove(s, meeting, meeting.conference_id)


def restore_meeting(db: Database, removed: RemovedRows) -> int:
    """Put a deleted meeting back with the same ids it had; returns the meeting's id."""
    (meeting,) = dict(removed.rows)["meeting"]
    values = dict(meeting)
    with db.session() as s:
        existing_row(
            s, Conference, values["conference_id"], "The meeting's conference is no longer there."
        )
        put_back(s, removed)
        touch_conference(s, values["conference_id"])
    return values["id"]


def add_agenda_item(
    db: Database, meeting_id: int, title: str, lead: str = "", *, position: int | None = None
) -> AgendaItemRecord:
    """Add an item at `position` (default: the end), shifting later items down."""
    title = clean_text(title, multiline=False)
    if not title:
        raise UserError("An agenda item needs a title.")
    with db.session() as s:
        meeting = meeting_row(s, meeting_id)
        items = list(meeting.agenda)
        position = len(items) if position is None else max(0, min(position, len(items)))
        item = AgendaItem(
            meeting_id=meeting_id, title=title, lead=clean_text(lead, multiline=False)
        )
        items.insert(position, item)
        s.add(item)
        renumber(items)
        s.flush()
        touch_conference(s, meeting.conference_id)
        return AgendaItemRecord(item.id, meeting_id, item.position, item.title, item.lead)


def _agenda_item_row(s: Session, item_id: int) -> AgendaItem:
    return existing_row(s, AgendaItem, item_id, f"There is no agenda item with id {item_id}.")


def update_agenda_item(
    db: Database, item_id: int, *, title: str | None = None, lead: str | None = None
) -> None:
    with db.session() as s:
        item = _agenda_item_row(s, item_id)
        if title is not None:
            title = clean_text(title, multiline=False)
            if not title:
                raise UserError("An agenda item needs a title.")
            item.title = title
        if lead is not None:
            item.lead = clean_text(lead, multiline=False)


def delete_agenda_item(db: Database, item_id: int) -> AgendaItemRecord:
    """Remove an item; returns it as it was, so the caller can put it back (undo)."""
    with db.session() as s:
        item = _agenda_item_row(s, item_id)
        meeting = meeting_row(s, item.meeting_id)
        record = AgendaItemRecord(item.id, item.meeting_id, item.position, item.title, item.lead)
        if meeting.current_item_id == item.id:
            meeting.current_item_id = None
        items = [a for a in meeting.agenda if a.id != item_id]
        s.delete(item)
        renumber(items)
        return record


def move_agenda_item(db: Database, item_id: int, delta: int) -> int:
    """Move an item up (negative) or down; returns its new position."""
    with db.session() as s:
        item = _agenda_item_row(s, item_id)
        meeting = meeting_row(s, item.meeting_id)
        return move_by(list(meeting.agenda), item, delta)


def set_current_item(db: Database, meeting_id: int, item_id: int | None) -> MeetingRecord:
    """Mark the agenda item under discussion; starts the meeting's clock on first use."""
    now = utcnow()
    with db.session() as s:
        meeting = meeting_row(s, meeting_id)
        if item_id is not None:
            item = s.get(AgendaItem, item_id)
            if item is None or item.meeting_id != meeting_id:
                raise NotFound("That agenda item is not part of this meeting.")
            if meeting.current_item_id != item_id:
                item.started_at = now
            if meeting.started_at is None:
                meeting.started_at = now
        meeting.current_item_id = item_id
        return record_of(meeting)
