"""The issues the assessment identified, in the lead practitioner's order, and which one or two
of them the conference will focus on. Needs in the intervention plan may point at a priority
(Need.priority_id); deleting a priority leaves those needs unlinked, and restoring it (undo)
links them again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from csfacilitator.core.model import Need, Priority
from csfacilitator.core.rows import (
    conference_in,
    existing_row,
    in_order,
    move_by,
    renumber,
    touch_conference,
)
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

#: Conferences work best on one or two priorities; past this the app warns (gently).
FOCUS_ADVICE = 2
MAX_PRIORITY_CHARS = 1_000


@dataclass(frozen=True)
class PriorityRecord:
    id: int
    position: int
    text: str
    focus: bool


@dataclass(frozen=True)
class PrioritySnapshot:
    """Everything needed to put a deleted priority back where it was, needs linked again."""

    id: int
    conference_id: int
    position: int
    text: str
    focus: bool
    need_ids: tuple[int, ...]


def _record(row: Priority) -> PriorityRecord:
    return PriorityRecord(row.id, row.position, row.text, bool(row.focus))


def clean_priority_text(text: object) -> str:
    value = clean_text(text, multiline=False)
    if not value:
        raise UserError("Write the issue first: a priority cannot be empty.")
    if len(value) > MAX_PRIORITY_CHARS:
        raise UserError(
            f"That issue is {len(value):,} characters long; keep a priority under "
            f"{MAX_PRIORITY_CHARS:,} characters and put the detail in the report."
        )
    return value


def too_many_in_focus(priorities: list[PriorityRecord]) -> bool:
    return sum(p.focus for p in priorities) > FOCUS_ADVICE


def _siblings(s: Session, conference_id: int) -> list[Priority]:
    return list(in_order(s, Priority, Priority.conference_id == conference_id))


def _get(s: Session, priority_id: int) -> Priority:
    return existing_row(s, Priority, priority_id, "That priority has been deleted.")


def list_priorities(db: Database, conference_id: int) -> list[PriorityRecord]:
    with db.read_session() as s:
        return [_record(row) for row in _siblings(s, conference_id)]


def add_priority(
    db: Database,
    conference_id: int,
    text: object,
    *,
    focus: bool = False,
    position: int | None = None,
) -> PriorityRecord:
    """A new priority at the end (or at `position`)."""
    value = clean_priority_text(text)
    with db.session() as s:
        conference_in(s, conference_id)
        rows = _siblings(s, conference_id)
        row = Priority(conference_id=conference_id, text=value, focus=bool(focus))
        s.add(row)
        at = len(rows) if position is None else max(0, min(len(rows), position))
        rows.insert(at, row)
        row.position = -1
        renumber(rows)
        touch_conference(s, conference_id)
        s.flush()
        return _record(row)


def update_priority(
    db: Database, priority_id: int, *, text: object = None, focus: bool | None = None
) -> PriorityRecord:
    """Change a priority's wording, whether it is a focus of the conference, or both."""
    value = clean_priority_text(text) if text is not None else None
    with db.session() as s:
        row = _get(s, priority_id)
        if value is not None:
            row.text = value
        if focus is not None:
            row.focus = bool(focus)
        touch_conference(s, row.conference_id)
        return _record(row)


def delete_priority(db: Database, priority_id: int) -> PrioritySnapshot:
    with db.session() as s:
        row = _get(s, priority_id)
        need_ids = tuple(s.scalars(select(Need.id).where(Need.priority_id == priority_id)))
        snapshot = PrioritySnapshot(
            row.id, row.conference_id, row.position, row.text, bool(row.focus), need_ids
        )
        for need in s.scalars(select(Need).where(Need.priority_id == priority_id)):
            need.priority_id = None
        s.delete(row)
        s.flush()
        renumber(_siblings(s, snapshot.conference_id))
        touch_conference(s, snapshot.conference_id)
        return snapshot


def restore_priority(db: Database, snapshot: PrioritySnapshot) -> PriorityRecord:
    """Put a deleted priority back at its place, with its old id when that is still free, and
    link again the needs that pointed at it (those not linked to something else since)."""
    with db.session() as s:
        conference_in(s, snapshot.conference_id)
        rows = _siblings(s, snapshot.conference_id)
        free = s.get(Priority, snapshot.id) is None
        row = Priority(
            conference_id=snapshot.conference_id, text=snapshot.text, focus=snapshot.focus
        )
        if free:
            row.id = snapshot.id
        s.add(row)
        rows.insert(max(0, min(len(rows), snapshot.position)), row)
        row.position = -1
        renumber(rows)
        s.flush()
        if snapshot.need_ids:
            needs = s.scalars(
                select(Need).where(
                    Need.id.in_(snapshot.need_ids),
                    Need.conference_id == snapshot.conference_id,
                    Need.priority_id.is_(None),
                )
            )
            for need in needs:
                need.priority_id = row.id
        touch_conference(s, snapshot.conference_id)
        return _record(row)


def move_priority(db: Database, priority_id: int, delta: int) -> PriorityRecord:
    """Move a priority up (negative delta) or down the list."""
    with db.session() as s:
        row = _get(s, priority_id)
        move_by(_siblings(s, row.conference_id), row, delta)
        touch_conference(s, row.conference_id)
        return _record(row)
