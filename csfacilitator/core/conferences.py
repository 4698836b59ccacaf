"""What a user can do with conferences as a whole: create, find, edit, archive, delete."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import object_session, selectinload

from csfacilitator.core import vocab
from csfacilitator.core.dates import as_date, as_time
from csfacilitator.core.key_meetings import (
    MEETING_FIELDS,
    KeyDates,
    conference_date_sql,
    held_among,
    key_dates,
    key_dates_among,
    meeting_in_focus,
    next_review_date_sql,
    set_meeting_field,
)
from csfacilitator.core.model import Conference, Meeting, Setting, utcnow
from csfacilitator.core.records import ConferenceDetails, ConferenceSummary, MeetingRecord
from csfacilitator.core.removed_rows import RemovedRows, capture, put_back
from csfacilitator.core.rows import conference_in, put_setting
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import NotFound, UserError
from csfacilitator.storage.database import Database, ReadsRows

TEXT_FIELDS = frozenset(
    {
        "title",
        "context_name",
        "area",
        "referral_source",
        "chair",
        "lead_practitioner",
        "coordinator_1",
        "coordinator_2",
        "place_manager",
        "venue",
        "assessment_period",
    }
)
MULTILINE_FIELDS = frozenset(
    {
        "notes",
        "coordinator_contact",
        "threshold_rationale",
        "names_to_keep_out",
        "invitation_template",
        "outcome_summary",
        "outcome_measures",
        "partner_feedback",
    }
)
DATE_FIELDS = frozenset(
    {"referral_date", "pre_meeting_date", "conference_date", "next_review_date", "closed_on"}
)
CHOICE_FIELDS: dict[str, dict[str, str]] = {
    "status": vocab.STATUSES,
    "context_type": vocab.CONTEXT_TYPES,
    "threshold": vocab.THRESHOLDS,
    "report_structure": vocab.REPORT_STRUCTURES,
}
TIME_FIELDS = frozenset({"conference_time"})
EDITABLE_FIELDS = (
    TEXT_FIELDS
    | MULTILINE_FIELDS
    | DATE_FIELDS
    | TIME_FIELDS
    | set(CHOICE_FIELDS)
    | {"archived", "legal_hold"}
)

LAST_OPENED = "last_opened_conference"


def _values(row: Conference, record: type, dates: KeyDates) -> dict[str, Any]:
    return {
        f.name: dates.value(f.name) if f.name in MEETING_FIELDS else getattr(row, f.name)
        for f in fields(record)
    }


def details_of(row: Conference, dates: KeyDates | None = None) -> ConferenceDetails:
    """The conference as stored, with the dates and venue of the meetings that own them."""
    if dates is None:
        s = object_session(row)
        if s is None:
            raise ValueError("details_of needs a conference read in an open session")
        dates = key_dates(s, row.id)
    return ConferenceDetails(**_values(row, ConferenceDetails, dates))


def clean_value(name: str, value: object) -> object:
    """Check and normalise one field's value; raise UserError with a plain message if it is wrong."""
    if name not in EDITABLE_FIELDS:
        raise UserError(f"'{name}' is not a conference detail that can be changed.")
    if name in TEXT_FIELDS:
        return clean_text(value, multiline=False)
    if name in MULTILINE_FIELDS:
        return clean_text(value)
    if name in DATE_FIELDS:
        return as_date(value)
    if name in TIME_FIELDS:
        return as_time(value)
    if name in CHOICE_FIELDS:
        return vocab.choice(CHOICE_FIELDS[name], value, f"a valid {name.replace('_', ' ')}")
    return bool(value)


def create_conference(db: Database, title: str = "", **details: object) -> int:
    """A new conference, with an empty conference meeting carrying the suggested agenda."""
    from csfacilitator.core.meetings import add_meeting_rows

    values = {name: clean_value(name, value) for name, value in details.items()}
    title = clean_text(title, multiline=False) or "New conference"
    own = {k: v for k, v in values.items() if k not in MEETING_FIELDS}
    with db.session() as s:
        row = Conference(title=title, **own)
        s.add(row)
        s.flush()
        add_meeting_rows(s, row.id, "conference")
        for name, value in values.items():
            if name in MEETING_FIELDS:
                set_meeting_field(s, row.id, name, value)
        return row.id


def list_conferences(
    db: ReadsRows,
    *,
    search: str = "",
    include_archived: bool = True,
    first: int | None = None,
    after: ConferenceSummary | None = None,
) -> list[ConferenceSummary]:
    """Conferences, most recently changed first, filtered by title, context or area.

    One query of plain columns, the dates read from the meetings in the same query. `first`
    gives only that many and `after` only those that come after that conference in this order:
    a list can show its first screenful at once and read the rest later."""
    conditions: list[ColumnElement[bool]] = []
    if not include_archived:
        conditions.append(Conference.archived.is_(False))
    if after is not None:
        conditions.append(
            or_(
                Conference.updated_at < after.updated_at,
                and_(Conference.updated_at == after.updated_at, Conference.id < after.id),
            )
        )
    needle = clean_text(search, multiline=False).casefold()
    query = select(
        *_SUMMARY_COLUMNS,
        conference_date_sql(Conference.id).label("conference_date"),
        next_review_date_sql(Conference.id).label("next_review_date"),
    ).order_by(*_NEWEST_FIRST)
    if first is not None and not needle:
        # The first ids are put in order on their own: sorting whole rows costs five times
        # as much.
        page = select(Conference.id).where(*conditions).order_by(*_NEWEST_FIRST).limit(first)
        query = query.where(Conference.id.in_(page))
    else:
        query = query.where(*conditions)
    with db.read_session() as s:
        rows = [ConferenceSummary(**row._mapping) for row in s.execute(query)]
    if needle:
        rows = [
            r
            for r in rows
            if needle in r.title.casefold()
            or needle in r.context_name.casefold()
            or needle in r.area.casefold()
        ]
        if first is not None:
            rows = rows[:first]
    return rows


_SUMMARY_COLUMNS = (
    Conference.id,
    Conference.title,
    Conference.context_type,
    Conference.context_name,
    Conference.area,
    Conference.status,
    Conference.archived,
    Conference.updated_at,
)
_NEWEST_FIRST = (Conference.updated_at.desc(), Conference.id.desc())


def conference_counts(db: Database) -> tuple[int, int]:
    """(all conferences, how many of them are archived), in one short read."""
    with db.read_session() as s:
        total, archived = s.execute(
            select(func.count(Conference.id), func.count(Conference.id).filter(Conference.archived))
        ).one()
    return total or 0, archived or 0


def count_conferences(db: Database) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count(Conference.id))) or 0


def get_conference(db: Database, conference_id: int) -> ConferenceDetails:
    with db.read_session() as s:
        row = conference_in(s, conference_id)
        return details_of(row)


def conference_and_meetings(
    db: Database, conference_id: int
) -> tuple[ConferenceDetails, list[MeetingRecord], int | None]:
    """In one read, what the board opens with: the details (get_conference), the meetings in
    order with their agendas (meetings.list_meetings) and the meeting in focus
    (key_meetings.meeting_in_focus). The meetings are read once for all three (before: three
    reads in three transactions, eight statements)."""
    from csfacilitator.core.meetings import ordered_records

    with db.read_session() as s:
        row = conference_in(s, conference_id)
        meetings = list(
            s.scalars(
                select(Meeting)
                .where(Meeting.conference_id == conference_id)
                .options(selectinload(Meeting.agenda))
            )
        )
        held = held_among(s, meetings)
        details = details_of(row, key_dates_among(meetings, held))
        focus = meeting_in_focus(s, conference_id, meetings=meetings, held=held)
        return details, ordered_records(meetings), focus


def find_conference(db: Database, ref: str) -> int:
    """The id of the conference named by an id or by its exact (unique) title."""
    ref = ref.strip()
    with db.read_session() as s:
        if ref.isdigit() and s.get(Conference, int(ref)) is not None:
            return int(ref)
        ids = list(s.scalars(select(Conference.id).where(Conference.title == ref)))
    if len(ids) == 1:
        return ids[0]
    if len(ids) > 1:
        raise UserError(
            f"{len(ids)} conferences are called '{ref}'; use the id instead (see 'list')."
        )
    raise NotFound(f"No conference has the id or title '{ref}' (see 'csfacilitator list').")


def update_conference(db: Database, conference_id: int, **changes: object) -> ConferenceDetails:
    """Change some details; returns the conference as now stored."""
    values = {name: clean_value(name, value) for name, value in changes.items()}
    if "title" in values and not values["title"]:
        raise UserError("A conference needs a title.")
    with db.session() as s:
        row = conference_in(s, conference_id)
        changed = False
        dates = key_dates(s, conference_id) if MEETING_FIELDS & values.keys() else KeyDates()
        for name, value in values.items():
            if name in MEETING_FIELDS:
                if dates.value(name) != value:
                    set_meeting_field(s, conference_id, name, value)
                    changed = True
            elif getattr(row, name) != value:
                setattr(row, name, value)
                changed = True
        if values.get("status") == "closed" and row.closed_on is None:
            # Closed from the status list rather than the closing dialog: without a date the
            # conference would never fall due under the retention period.
            row.closed_on = dt.date.today()
            changed = True
        if changed:
            row.updated_at = utcnow()
            s.flush()
        return details_of(row)


def set_archived(db: Database, conference_id: int, archived: bool) -> ConferenceDetails:
    return update_conference(db, conference_id, archived=archived)


def delete_conference(db: Database, conference_id: int) -> RemovedRows:
    """Delete a conference and everything under it (secure_delete overwrites the freed pages).

    Returns what went, held in memory by the caller for restore_conference (undo).
    """
    with db.session() as s:
        row = conference_in(s, conference_id)
        removed = capture(s, Conference, [conference_id])
        s.delete(row)
        setting = s.get(Setting, LAST_OPENED)
        if setting is not None and setting.value == str(conference_id):
            s.delete(setting)
        return removed


def restore_conference(db: Database, removed: RemovedRows) -> int:
    """Put a deleted conference back with every id it had; returns its id."""
    (conference,) = dict(removed.rows)["conference"]
    with db.session() as s:
        put_back(s, removed)
    return dict(conference)["id"]


def conference_meetings(db: Database, conference_id: int) -> list[int]:
    with db.session() as s:
        return list(
            s.scalars(
                select(Meeting.id)
                .where(Meeting.conference_id == conference_id)
                .order_by(Meeting.id)
            )
        )


def remember_last_opened(db: Database, conference_id: int | None) -> None:
    with db.session() as s:
        setting = s.get(Setting, LAST_OPENED)
        if conference_id is None:
            if setting is not None:
                s.delete(setting)
            return
        put_setting(s, LAST_OPENED, str(conference_id))


def last_opened(db: Database) -> int | None:
    """The conference open when the app last closed, if it still exists."""
    with db.read_session() as s:  # a read: no write lock at start
        setting = s.get(Setting, LAST_OPENED)
        if setting is None or not setting.value.isdigit():
            return None
        conference_id = int(setting.value)
        return conference_id if s.get(Conference, conference_id) is not None else None
