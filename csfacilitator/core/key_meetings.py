"""The meetings a conference's dates come from, and the one rule for "which meeting is this
about?".

A meeting owns its date, time and venue; nothing else stores them. The conference's date,
time and venue are its conference meeting's; the pre-meeting date is its pre-meeting's; the
next review date is the date of the next review meeting that has not been held yet (held:
started on the board, or its review recorded progress on the actions). The Overview, the
header, the conference list, the dashboard and every paper read them from here, and the
Overview's date fields write to those meetings (creating the pre-meeting or the review when
a date is first given).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, exists, func, select
from sqlalchemy.orm import Session

from csfacilitator.core.model import ActionUpdate, Meeting, Setting
from csfacilitator.core.rows import put_setting
from csfacilitator.storage.database import Database

#: The conference details that are really their meetings' (names as the Overview uses them).
MEETING_FIELDS = frozenset(
    {"venue", "conference_time", "pre_meeting_date", "conference_date", "next_review_date"}
)

FOCUS_KEY = "focus_meeting:{}"


@dataclass(frozen=True)
class KeyDates:
    conference_meeting_id: int | None = None
    conference_date: dt.date | None = None
    conference_time: dt.time | None = None
    venue: str = ""
    pre_meeting_id: int | None = None
    pre_meeting_date: dt.date | None = None
    next_review_id: int | None = None
    next_review_date: dt.date | None = None

    def value(self, name: str) -> object:
        return getattr(self, name)


class _HeldFacts(Protocol):
    """What `held_among` reads of a meeting: a Meeting, or a row of those columns."""

    @property
    def id(self) -> int: ...

    @property
    def kind(self) -> str: ...

    @property
    def started_at(self) -> dt.datetime | None: ...


def held_among(s: Session, meetings: Sequence[_HeldFacts]) -> set[int]:
    """Which of these meetings have happened (the one rule): started on the board, or a
    review that recorded progress."""
    held = {m.id for m in meetings if m.started_at is not None}
    review_ids = [m.id for m in meetings if m.kind == "review" and m.id not in held]
    for start in range(0, len(review_ids), 500):
        chunk = review_ids[start : start + 500]
        held.update(
            s.scalars(select(ActionUpdate.meeting_id).where(ActionUpdate.meeting_id.in_(chunk)))
        )
    return held


def held_meetings(s: Session, conference_id: int) -> set[int]:
    """Ids of the conference's meetings that have been held."""
    return held_among(
        s, list(s.scalars(select(Meeting).where(Meeting.conference_id == conference_id)))
    )


def _first(meetings: Iterable[Meeting], kind: str) -> Meeting | None:
    return min((m for m in meetings if m.kind == kind), key=lambda m: m.id, default=None)


def _next_review(meetings: list[Meeting], held: set[int]) -> Meeting | None:
    waiting = [m for m in meetings if m.kind == "review" and m.id not in held]
    dated = [m for m in waiting if m.date is not None]
    if dated:
        return min(dated, key=lambda m: (m.date, m.id))
    return min(waiting, key=lambda m: m.id, default=None)


def key_dates_among(meetings: list[Meeting], held: set[int]) -> KeyDates:
    """The KeyDates of one conference from all its meetings and those of them held."""
    main = _first(meetings, "conference")
    pre = _first(meetings, "pre_meeting")
    review = _next_review(meetings, held)
    return KeyDates(
        conference_meeting_id=main.id if main else None,
        conference_date=main.date if main else None,
        conference_time=main.time if main else None,
        venue=main.venue if main else "",
        pre_meeting_id=pre.id if pre else None,
        pre_meeting_date=pre.date if pre else None,
        next_review_id=review.id if review else None,
        next_review_date=review.date if review else None,
    )


def key_dates_for(s: Session, conference_ids: Iterable[int] | None = None) -> dict[int, KeyDates]:
    """KeyDates of many conferences (all when None) in two queries."""
    query = select(Meeting)
    if conference_ids is not None:
        ids = list(conference_ids)
        if not ids:
            return {}
        query = query.where(Meeting.conference_id.in_(ids))
    meetings = list(s.scalars(query))
    held = held_among(s, meetings)
    by_conference: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_conference[meeting.conference_id].append(meeting)
    return defaultdict(
        KeyDates, {cid: key_dates_among(rows, held) for cid, rows in by_conference.items()}
    )


# The same rule as SQL, for lists of thousands of conferences (one query, no ORM objects):
# tests/test_speed_conference_list.py checks that the two agree.


def conference_date_sql(conference_id: SQLColumnExpression[int]) -> ColumnElement[dt.date | None]:
    """The conference's date (its first conference meeting's), correlated to `conference_id`."""
    return (
        select(Meeting.date)
        .where(Meeting.conference_id == conference_id, Meeting.kind == "conference")
        .order_by(Meeting.id)
        .limit(1)
        .scalar_subquery()
    )


def waiting_review_sql() -> ColumnElement[bool]:
    """A review meeting not held yet (not started, and no progress recorded at it)."""
    return and_(
        Meeting.kind == "review",
        Meeting.started_at.is_(None),
        ~exists().where(ActionUpdate.meeting_id == Meeting.id),
    )


def next_review_date_sql(conference_id: SQLColumnExpression[int]) -> ColumnElement[dt.date | None]:
    """The next review date: the earliest date among the reviews not held yet (none dated:
    None), correlated to `conference_id`."""
    return (
        select(func.min(Meeting.date))
        .where(Meeting.conference_id == conference_id, waiting_review_sql())
        .scalar_subquery()
    )


def key_dates(s: Session, conference_id: int) -> KeyDates:
    return key_dates_for(s, [conference_id])[conference_id]


def set_meeting_field(s: Session, conference_id: int, name: str, value: object) -> None:
    """Store one of MEETING_FIELDS on the meeting that owns it (value already cleaned).

    The pre-meeting and the next review are created when a date is first given; clearing a
    date clears the meeting's date and keeps the meeting.
    """
    from csfacilitator.core.meetings import add_meeting_rows

    meetings = list(s.scalars(select(Meeting).where(Meeting.conference_id == conference_id)))
    if name in ("conference_date", "conference_time", "venue"):
        meeting = _first(meetings, "conference")
        if meeting is None:
            meeting = add_meeting_rows(s, conference_id, "conference")
        column = {"conference_date": "date", "conference_time": "time"}.get(name, name)
        setattr(meeting, column, value)
        return
    if name == "pre_meeting_date":
        meeting = _first(meetings, "pre_meeting")
        kind = "pre_meeting"
    elif name == "next_review_date":
        meeting = _next_review(meetings, held_among(s, meetings))
        kind = "review"
    else:
        raise ValueError(name)
    if value is not None and not isinstance(value, dt.date):
        raise TypeError(f"{name} takes a date or None, not {value!r}")
    if meeting is None:
        if value is None:
            return
        main = _first(meetings, "conference")
        meeting = add_meeting_rows(s, conference_id, kind, venue=main.venue if main else "")
    meeting.date = value


# ---------------------------------------------------------------- which meeting is this about?


def remember_focus(s: Session, conference_id: int, meeting_id: int) -> None:
    """The meeting the board last showed: papers and the board default to it from now on."""
    put_setting(s, FOCUS_KEY.format(conference_id), str(meeting_id))


def meeting_in_focus(
    s: Session,
    conference_id: int,
    today: dt.date | None = None,
    *,
    meetings: Sequence[Meeting] | None = None,
    held: set[int] | None = None,
) -> int | None:
    """The one answer to "which meeting is this about?" for the board, the minutes, the agenda,
    the invitations, the sign-in sheet and the review record: the meeting the board last
    showed; else the latest meeting held (dated today or before; a review only once it was
    held); else the next one scheduled; else the conference meeting. Pre-meetings count only
    when a conference has no other meeting.

    `meetings` (all of the conference's) and `held` (`held_among` them), when the caller has
    read them in this session already, are not read again."""
    if meetings is None:
        meetings = list(s.scalars(select(Meeting).where(Meeting.conference_id == conference_id)))
    if not meetings:
        return None
    setting = s.get(Setting, FOCUS_KEY.format(conference_id))
    if setting is not None and setting.value.isdigit():
        chosen = int(setting.value)
        if any(m.id == chosen for m in meetings):
            return chosen
    today = today or dt.date.today()
    if held is None:
        held = held_among(s, meetings)
    # A pre-meeting prepares the conference; it is the answer only when there is nothing else.
    candidates = [m for m in meetings if m.kind != "pre_meeting"] or meetings
    past = [
        m
        for m in candidates
        if m.date is not None and m.date <= today and (m.kind != "review" or m.id in held)
    ]
    if past:
        return max(past, key=lambda m: (m.date, m.id)).id
    coming = [m for m in candidates if m.date is not None]
    if coming:
        return min(coming, key=lambda m: (m.date, m.id)).id
    main = _first(meetings, "conference")
    return (main or min(meetings, key=lambda m: m.id)).id


def focus_meeting(db: Database, conference_id: int) -> int | None:
    """meeting_in_focus in its own transaction."""
    with db.read_session() as s:
        return meeting_in_focus(s, conference_id)


def choose_focus(db: Database, conference_id: int, meeting_id: int) -> None:
    """The user chose this meeting on the board: the papers follow it."""
    with db.session() as s:
        remember_focus(s, conference_id, meeting_id)
