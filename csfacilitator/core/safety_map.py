"""The safety map: where people feel safe or unsafe in the place, and when (issue 19).

The coordinator imports a picture of the area (a screenshot or a drawing; nothing is fetched
from the internet). It is checked, re-encoded and stored by core/safety_map_image.py, whose
names this module gives its callers too.

Young people or residents mark it in **mapping sessions** ("Year 9 group", "Residents"), each
on a date or for a meeting. A mark is a pin or an area (a polygon: from the keyboard a
rectangle from two corners, or corner by corner), rated safe / unsafe / mixed, with a time of
day and a note. Points are fractions of the picture's width and height, so a mark stays in its
place however large the map is drawn.

Sessions are grouped into **rounds** by the meeting they inform (`rounds`): the map at each
review can then be compared with the one before. Every mark has a code ("A3": session A, mark
3) that the map, its legend, the list beside it and the papers share, and `describe_mark` /
`map_alt_text` say in words what the picture shows (never colour alone).

Long because sessions and marks with their shared codes, rounds, and the words that say what
the map shows read each other's records; the picture, which they do not need, is apart.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from csfacilitator.core.dates import as_date, format_date
from csfacilitator.core.model import Meeting, SafetyMapSession, SafetyMark
from csfacilitator.core.removed_rows import RemovedRows, remove, restore
from csfacilitator.core.rows import (
    chunks,
    existing_row,
    in_order,
    refuse_unknown_fields,
    touch_conference,
)
from csfacilitator.core.safety_map_image import (  # noqa: F401 - the picture's names are the map's too
    MAX_FILE_BYTES,
    MAX_LABEL,
    MAX_PIXELS,
    MAX_SIDE,
    MAX_STORED_BYTES,
    MapImage,
    PreparedImage,
    get_map_image,
    image_record,
    import_map_file,
    map_row,
    prepare_image,
    read_image_file,
    restore_map_image,
    set_caption,
    set_map_image,
)
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import NotFound, UserError
from csfacilitator.storage.database import Database

#: (key, label) of each rating, in the order the screen offers them.
RATINGS: tuple[tuple[str, str], ...] = (
    ("unsafe", "Unsafe"),
    ("mixed", "Mixed"),
    ("safe", "Safe"),
)
RATING_LABELS = dict(RATINGS)
#: What each rating means, for the legend and the papers.
RATING_MEANINGS = {
    "unsafe": "people feel unsafe here",
    "mixed": "safe at some times or for some people, not others",
    "safe": "people feel safe here",
}
TIMES: tuple[tuple[str, str], ...] = (
    ("any", "Any time"),
    ("morning", "Morning"),
    ("school_day", "School day"),
    ("after_school", "After school (3–6 pm)"),
    ("evening", "Evening"),
    ("night", "Night"),
)
TIME_LABELS = dict(TIMES)
SHAPES: tuple[tuple[str, str], ...] = (("pin", "Pin"), ("area", "Area"))
SHAPE_LABELS = dict(SHAPES)

MAX_TEXT = 2000
MAX_POINTS = 200
MAX_MARKS = 500  # per session
MAX_SESSIONS = 50
#: Meetings a dated session can inform (a pre-meeting does not look at the map).
ROUND_KINDS = ("conference", "review")


# -- records ------------------------------------------------------------------------------------


Point = tuple[float, float]


@dataclass(frozen=True)
class MarkRecord:
    id: int
    uid: str
    session_id: int
    position: int
    code: str  # "A3": the session's letter and the mark's number in it
    shape: str  # pin | area
    points: tuple[Point, ...]
    rating: str
    time_of_day: str
    label: str
    note: str

    @property
    def rating_label(self) -> str:
        return RATING_LABELS.get(self.rating, self.rating)

    @property
    def time_label(self) -> str:
        return TIME_LABELS.get(self.time_of_day, self.time_of_day)

    @property
    def shape_label(self) -> str:
        return SHAPE_LABELS.get(self.shape, self.shape)

    @property
    def centre(self) -> Point:
        return centroid(self.points)


@dataclass(frozen=True)
class SessionRecord:
    id: int
    uid: str
    conference_id: int
    position: int
    letter: str  # "A", "B", … by position: the marks' codes start with it
    name: str
    held_on: dt.date | None
    meeting_id: int | None
    meeting_label: str  # "Review 1 · 4 Feb 2027", "" when none
    marks: tuple[MarkRecord, ...] = ()

    @property
    def title(self) -> str:
        """'Year 9 group, 3 Oct 2026' (the meeting's name when it has no date of its own)."""
        when = format_date(self.held_on) if self.held_on else self.meeting_label
        return f"{self.name}, {when}" if when else self.name

    def counts(self) -> dict[str, int]:
        return {key: sum(1 for m in self.marks if m.rating == key) for key, _ in RATINGS}


@dataclass(frozen=True)
class Round:
    """The sessions that inform one meeting (the map "at" that meeting), or those linked to
    no meeting (`meeting_id` None)."""

    meeting_id: int | None
    label: str  # "Conference · 10 Oct 2026", "Review 1 · 4 Feb 2027", "Not linked to a meeting"
    session_ids: tuple[int, ...]


@dataclass(frozen=True)
class SafetyMapView:
    conference_id: int
    image: MapImage | None
    sessions: tuple[SessionRecord, ...] = ()
    rounds: tuple[Round, ...] = field(default_factory=tuple)

    def session(self, session_id: int) -> SessionRecord:
        for session in self.sessions:
            if session.id == session_id:
                return session
        raise NotFound("That mapping session is no longer there.")

    def marks(self, session_ids=None) -> list[tuple[SessionRecord, MarkRecord]]:  # noqa: ANN001
        """(session, mark) of the chosen sessions (all when None), in order."""
        return [
            (session, mark)
            for session in self.sessions
            if session_ids is None or session.id in session_ids
            for mark in session.marks
        ]

    def comparison(self) -> tuple[Round, Round] | None:
        """The latest round and the one before it: the default comparison."""
        dated = [r for r in self.rounds if r.meeting_id is not None]
        return (dated[-2], dated[-1]) if len(dated) >= 2 else None


def letter_for(position: int) -> str:
    """A, B, … Z, AA, AB …"""
    letters = ""
    n = position
    while True:
        letters = chr(ord("A") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            return letters


def _parse_points(raw: str) -> tuple[Point, ...]:
    try:
        value = json.loads(raw or "[]")
        return tuple((float(x), float(y)) for x, y in value)
    except (ValueError, TypeError):
        return ()


def _mark_record(row: SafetyMark, letter: str, number: int) -> MarkRecord:
    return MarkRecord(
        id=row.id,
        uid=row.uid,
        session_id=row.session_id,
        position=row.position,
        code=f"{letter}{number}",
        shape=row.shape,
        points=_parse_points(row.points),
        rating=row.rating,
        time_of_day=row.time_of_day,
        label=row.label,
        note=row.note,
    )


def _sessions_in(s: Session, conference_id: int, meetings: list) -> list[SessionRecord]:
    from csfacilitator.core.meetings import meeting_label

    by_id = {m.id: m for m in meetings}
    rows = in_order(s, SafetyMapSession, SafetyMapSession.conference_id == conference_id).all()
    # Every session's marks in one query (a session's in their stored order), not one a session.
    marks_of: dict[int, list[SafetyMark]] = {row.id: [] for row in rows}
    for ids in chunks(list(marks_of)):
        for mark in in_order(s, SafetyMark, SafetyMark.session_id.in_(ids)):
            marks_of[mark.session_id].append(mark)
    out = []
    for index, row in enumerate(rows):
        letter = letter_for(index)
        marks = marks_of[row.id]
        meeting = by_id.get(row.meeting_id) if row.meeting_id is not None else None
        out.append(
            SessionRecord(
                id=row.id,
                uid=row.uid,
                conference_id=row.conference_id,
                position=row.position,
                letter=letter,
                name=row.name,
                held_on=row.held_on,
                meeting_id=row.meeting_id,
                meeting_label=meeting_label(meeting, meetings) if meeting else "",
                marks=tuple(_mark_record(m, letter, n) for n, m in enumerate(marks, start=1)),
            )
        )
    return out


def _rounds(sessions: list[SessionRecord], meetings: list) -> tuple[Round, ...]:
    """A session belongs to its meeting; one with only a date informs the first conference or
    review on or after that date (the conference after an assessment's mapping, a review after
    a repeat)."""
    from csfacilitator.core.meetings import meeting_label

    owner: dict[int, int | None] = {}
    for session in sessions:
        if session.meeting_id is not None:
            owner[session.id] = session.meeting_id
            continue
        found = None
        if session.held_on is not None:
            found = next(
                (
                    m.id
                    for m in meetings
                    if m.kind in ROUND_KINDS and m.date is not None and m.date >= session.held_on
                ),
                None,
            )
        owner[session.id] = found
    rounds = []
    for meeting in meetings:
        ids = tuple(s.id for s in sessions if owner[s.id] == meeting.id)
        if ids:
            rounds.append(Round(meeting.id, meeting_label(meeting, meetings), ids))
    loose = tuple(s.id for s in sessions if owner[s.id] is None)
    if loose:
        rounds.append(Round(None, "Not linked to a meeting", loose))
    return tuple(rounds)


def get_safety_map(db: Database, conference_id: int) -> SafetyMapView:
    """The map picture (or None), every session with its marks, and the rounds."""
    with db.read_session() as s:
        return safety_map_in(s, conference_id)


def safety_map_in(s: Session, conference_id: int) -> SafetyMapView:
    from csfacilitator.core.reviews import _ordered_meetings

    row = map_row(s, conference_id)
    meetings = _ordered_meetings(s, conference_id)
    sessions = _sessions_in(s, conference_id, meetings)
    return SafetyMapView(
        conference_id,
        image_record(row) if row is not None else None,
        tuple(sessions),
        _rounds(sessions, meetings),
    )


def has_safety_map(db: Database, conference_id: int) -> bool:
    with db.read_session() as s:
        return map_row(s, conference_id) is not None


# -- sessions -----------------------------------------------------------------------------------


def _session_row(s: Session, session_id: int) -> SafetyMapSession:
    return existing_row(s, SafetyMapSession, session_id, "That mapping session is no longer there.")


def _session_name(value: object) -> str:
    name = clean_text(value, multiline=False).strip()
    if not name:
        raise UserError("Name the mapping session: who marked the map (e.g. “Year 9 group”).")
    if len(name) > MAX_LABEL:
        raise UserError(f"Keep the session's name to {MAX_LABEL} characters.")
    return name


def _check_meeting(s: Session, conference_id: int, meeting_id: object) -> int | None:
    if meeting_id is None:
        return None
    if isinstance(meeting_id, bool) or not isinstance(meeting_id, int):
        raise UserError("Choose the meeting from the list.")
    meeting = s.get(Meeting, meeting_id)
    if meeting is None or meeting.conference_id != conference_id:
        raise UserError("That meeting is not one of this conference's.")
    return meeting_id


def _session_record(s: Session, row: SafetyMapSession) -> SessionRecord:
    view = safety_map_in(s, row.conference_id)
    return view.session(row.id)


def add_session(
    db: Database,
    conference_id: int,
    name: str,
    *,
    held_on: object = None,
    meeting_id: int | None = None,
) -> SessionRecord:
    """A mapping session at the end of the conference's list."""
    name = _session_name(name)
    held = as_date(held_on)
    with db.session() as s:
        count = s.scalar(
            select(func.count())
            .select_from(SafetyMapSession)
            .where(SafetyMapSession.conference_id == conference_id)
        )
        if (count or 0) >= MAX_SESSIONS:
            raise UserError(f"A map holds at most {MAX_SESSIONS} sessions.")
        meeting = _check_meeting(s, conference_id, meeting_id)
        last = s.scalar(
            select(func.max(SafetyMapSession.position)).where(
                SafetyMapSession.conference_id == conference_id
            )
        )
        row = SafetyMapSession(
            conference_id=conference_id,
            name=name,
            held_on=held,
            meeting_id=meeting,
            position=(last if last is not None else -1) + 1,
        )
        s.add(row)
        touch_conference(s, conference_id)
        s.flush()
        return _session_record(s, row)


def update_session(db: Database, session_id: int, **changes: object) -> SessionRecord:
    """Change a session's name, held_on or meeting_id."""
    refuse_unknown_fields(changes, {"name", "held_on", "meeting_id"}, "A mapping session")
    with db.session() as s:
        row = _session_row(s, session_id)
        if "name" in changes:
            row.name = _session_name(changes["name"])
        if "held_on" in changes:
            row.held_on = as_date(changes["held_on"])
        if "meeting_id" in changes:
            row.meeting_id = _check_meeting(s, row.conference_id, changes["meeting_id"])
        touch_conference(s, row.conference_id)
        s.flush()
        return _session_record(s, row)


def delete_session(db: Database, session_id: int) -> RemovedRows:
    """Remove a session with its marks; returns them for `restore_rows`."""
    with db.session() as s:
        row = _session_row(s, session_id)
        return remove(s, row, row.conference_id)


#: Undo a delete_session or delete_mark: the same rows, ids and all.
restore_rows = restore


# -- marks --------------------------------------------------------------------------------------


def _mark_row(s: Session, mark_id: int) -> SafetyMark:
    return existing_row(s, SafetyMark, mark_id, "That mark is no longer there.")


def polygon_area(points) -> float:  # noqa: ANN001
    """The area of a polygon (fractions of the map: 1.0 is the whole map)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def centroid(points) -> Point:  # noqa: ANN001
    if not points:
        return (0.5, 0.5)
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


def check_points(shape: str, points: object) -> tuple[Point, ...]:
    """Points as fractions of the map (0–1), rounded; a pin has one, an area 3 or more."""
    if shape not in SHAPE_LABELS:
        raise UserError("A mark is a pin or an area.")
    if not isinstance(points, list | tuple):
        raise UserError("A mark's place must be pairs of numbers.")
    try:
        pairs = [(float(x), float(y)) for x, y in points]
    except (TypeError, ValueError):
        raise UserError("A mark's place must be pairs of numbers.") from None
    if not all(math.isfinite(v) for p in pairs for v in p):
        raise UserError("A mark's place must be pairs of numbers.")
    pairs = [(round(min(1.0, max(0.0, x)), 4), round(min(1.0, max(0.0, y)), 4)) for x, y in pairs]
    if shape == "pin":
        if len(pairs) != 1:
            raise UserError("A pin has one place.")
        return tuple(pairs)
    kept: list[Point] = []
    for p in pairs:
        if not kept or p != kept[-1]:
            kept.append(p)
    if len(kept) > 1 and kept[0] == kept[-1]:
        kept.pop()
    if len(kept) < 3:
        raise UserError("An area needs at least three corners (or two opposite corners).")
    if len(kept) > MAX_POINTS:
        raise UserError(f"An area has at most {MAX_POINTS} corners.")
    if polygon_area(kept) < 1e-5:
        raise UserError("That area is too small to see on the map; draw it larger.")
    return tuple(kept)


def rectangle(corner: Point, opposite: Point) -> tuple[Point, ...]:
    """The four corners of the rectangle two opposite corners span (clockwise from top left)."""
    (x1, y1), (x2, y2) = corner, opposite
    left, right, top, bottom = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
    return ((left, top), (right, top), (right, bottom), (left, bottom))


def _choice(value: object, choices: dict, what: str) -> str:
    if value not in choices:
        raise UserError(f"Choose the {what}: {', '.join(choices.values())}.")
    return str(value)


def _mark_fields(shape: str, changes: dict) -> dict:
    out: dict = {}
    if "points" in changes:
        out["points"] = json.dumps([list(p) for p in check_points(shape, changes["points"])])
    if "rating" in changes:
        out["rating"] = _choice(changes["rating"], RATING_LABELS, "rating")
    if "time_of_day" in changes:
        out["time_of_day"] = _choice(changes["time_of_day"], TIME_LABELS, "time of day")
    if "label" in changes:
        label = clean_text(changes["label"], multiline=False).strip()
        if len(label) > MAX_LABEL:
            raise UserError(f"Keep the place's name to {MAX_LABEL} characters.")
        out["label"] = label
    if "note" in changes:
        note = clean_text(changes["note"], multiline=True).strip()
        if len(note) > MAX_TEXT:
            raise UserError(f"Keep the note to {MAX_TEXT} characters.")
        out["note"] = note
    return out


def _mark_out(s: Session, row: SafetyMark) -> MarkRecord:
    session = _session_row(s, row.session_id)
    view = safety_map_in(s, session.conference_id)
    return next(m for m in view.session(session.id).marks if m.id == row.id)


def add_mark(
    db: Database,
    session_id: int,
    shape: str,
    points: object,
    rating: str,
    *,
    time_of_day: str = "any",
    label: str = "",
    note: str = "",
) -> MarkRecord:
    """A pin or an area at the end of the session's marks."""
    fields = _mark_fields(
        shape,
        {"points": points, "rating": rating, "time_of_day": time_of_day, "label": label,
         "note": note},
    )  # fmt: skip
    with db.session() as s:
        session = _session_row(s, session_id)
        count = s.scalar(
            select(func.count()).select_from(SafetyMark).where(SafetyMark.session_id == session_id)
        )
        if (count or 0) >= MAX_MARKS:
            raise UserError(f"A session holds at most {MAX_MARKS} marks.")
        last = s.scalar(
            select(func.max(SafetyMark.position)).where(SafetyMark.session_id == session_id)
        )
        row = SafetyMark(
            session_id=session_id,
            shape=shape,
            position=(last if last is not None else -1) + 1,
            **fields,
        )
        s.add(row)
        touch_conference(s, session.conference_id)
        s.flush()
        return _mark_out(s, row)


def update_mark(db: Database, mark_id: int, **changes: object) -> MarkRecord:
    """Change a mark's points, rating, time_of_day, label or note (its shape stays)."""
    refuse_unknown_fields(changes, {"points", "rating", "time_of_day", "label", "note"}, "A mark")
    with db.session() as s:
        row = _mark_row(s, mark_id)
        for key, value in _mark_fields(row.shape, changes).items():
            setattr(row, key, value)
        session = _session_row(s, row.session_id)
        touch_conference(s, session.conference_id)
        s.flush()
        return _mark_out(s, row)


def delete_mark(db: Database, mark_id: int) -> RemovedRows:
    with db.session() as s:
        row = _mark_row(s, mark_id)
        return remove(s, row, _session_row(s, row.session_id).conference_id)


# -- in words -----------------------------------------------------------------------------------


def where_words(point: Point) -> str:
    """'top left', 'centre', 'bottom right': where on the map a point is, in thirds."""
    x, y = point
    col = 0 if x < 1 / 3 else 1 if x < 2 / 3 else 2
    row = 0 if y < 1 / 3 else 1 if y < 2 / 3 else 2
    if (col, row) == (1, 1):
        return "centre"
    vertical = ("top", "middle", "bottom")[row]
    horizontal = ("left", "centre", "right")[col]
    if row == 1:
        return f"middle {horizontal}"
    if col == 1:
        return f"{vertical} centre"
    return f"{vertical} {horizontal}"


def describe_mark(mark: MarkRecord, *, with_note: bool = True) -> str:
    """'A3: Unsafe area, “Underpass”, evening, bottom left. Poorly lit, no one around.'"""
    parts = [f"{mark.rating_label} {mark.shape_label.lower()}"]
    if mark.label:
        parts.append(f"“{mark.label}”")
    parts.append(mark.time_label.lower() if mark.time_of_day != "any" else "any time")
    parts.append(f"{where_words(mark.centre)} of the map")
    text = f"{mark.code}: " + ", ".join(parts) + "."
    if with_note and mark.note:
        text += f" {' '.join(mark.note.split())}"
    return text


def counts_words(marks) -> str:  # noqa: ANN001
    """'3 unsafe, 1 mixed, 2 safe' (or 'no marks')."""
    if not marks:
        return "no marks"
    parts = []
    for key, label in RATINGS:
        n = sum(1 for m in marks if m.rating == key)
        if n:
            parts.append(f"{n} {label.lower()}")
    return ", ".join(parts)


def map_alt_text(view: SafetyMapView, session_ids=None) -> str:  # noqa: ANN001
    """What the drawn map shows, for screen readers and the papers' alt text."""
    chosen = [s for s in view.sessions if session_ids is None or s.id in session_ids]
    caption = view.image.caption if view.image and view.image.caption else "the area"
    if not chosen:
        return f"Safety map of {caption}: no mapping session shown."
    who = "; ".join(f"{s.letter}: {s.title}" for s in chosen)
    marks = [m for s in chosen for m in s.marks]
    head = (
        f"Safety map of {caption}, marks from {who}. {len(marks)} "
        f"mark{'s' if len(marks) != 1 else ''}: {counts_words(marks)}."
    )
    return " ".join([head, *(describe_mark(m, with_note=False) for m in marks)])


def _place_key(mark: MarkRecord) -> str:
    return " ".join(mark.label.casefold().split())


def changes_between(earlier, later) -> list[str]:  # noqa: ANN001 - sequences of MarkRecord
    """What changed from one map to the next, place by place (marks matched by their place's
    name): 'Mill Road underpass: unsafe → mixed (A1 → C1)', 'New: …', 'Not marked again: …'.
    Marks without a place's name are counted, not matched."""
    before: dict[str, MarkRecord] = {}
    for mark in earlier:
        if _place_key(mark):
            before.setdefault(_place_key(mark), mark)
    after: dict[str, MarkRecord] = {}
    for mark in later:
        if _place_key(mark):
            after.setdefault(_place_key(mark), mark)
    lines = []
    for key, new in after.items():
        old = before.get(key)
        if old is None:
            lines.append(f"New: {new.label}, {new.rating_label.lower()} ({new.code}).")
        elif old.rating != new.rating:
            arrow = "safer" if _order(new.rating) > _order(old.rating) else "less safe"
            lines.append(
                f"{new.label}: {old.rating_label.lower()} → {new.rating_label.lower()}, "
                f"{arrow} ({old.code} → {new.code})."
            )
        else:
            lines.append(
                f"{new.label}: still {new.rating_label.lower()} ({old.code} → {new.code})."
            )
    for key, old in before.items():
        if key not in after:
            lines.append(
                f"Not marked again: {old.label}, was {old.rating_label.lower()} ({old.code})."
            )
    unnamed = sum(1 for m in later if not _place_key(m))
    if unnamed:
        lines.append(f"{unnamed} later mark{'s' if unnamed != 1 else ''} without a place's name.")
    return lines


def _order(rating: str) -> int:
    return {"unsafe": 0, "mixed": 1, "safe": 2}.get(rating, 1)
