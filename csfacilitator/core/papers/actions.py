"""What the actions CSV holds, read from the record: one row per intervention, in plan order,
with its latest recorded update."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from csfacilitator.core import vocab
from csfacilitator.core.meetings import KIND_ORDER
from csfacilitator.core.model import ActionUpdate, Meeting
from csfacilitator.core.plan import get_plan, is_overdue
from csfacilitator.core.rows import conference_in
from csfacilitator.storage.database import Database

COLUMNS = (
    "Need",
    "Intervention",
    "Agency / team",
    "Owner",
    "Timescale",
    "Due date",
    "Status",
    "Overdue",
    "Progress",
    "Last update",
)


@dataclass(frozen=True)
class ActionsData:
    conference_id: int
    title: str
    rows: tuple[tuple[str, ...], ...]  # cells in COLUMNS order, not yet made formula-safe


def uk_date(value: dt.date | None) -> str:
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _title_and_updates(
    db: Database, conference_id: int
) -> tuple[str, dict[int, tuple[dt.date | None, str, str]]]:
    """The conference title; intervention id -> (meeting date, status, note) of its latest
    recorded update."""
    with db.session() as s:
        conference = conference_in(s, conference_id)
        rows = s.execute(
            select(ActionUpdate, Meeting)
            .join(Meeting, Meeting.id == ActionUpdate.meeting_id)
            .where(Meeting.conference_id == conference_id)
        ).all()
        ordered = sorted(
            rows,
            key=lambda r: (
                r[1].date or dt.date.max,
                KIND_ORDER.get(r[1].kind, 9),
                r[1].id,
                r[0].id,
            ),
        )
        return conference.title, {u.intervention_id: (m.date, u.status, u.note) for u, m in ordered}


def gather(
    db: Database, conference_id: int, meeting_id: int | None = None, today: dt.date | None = None
) -> ActionsData:
    """One row of cells per intervention, in plan order (`meeting_id` is not used)."""
    today = today or dt.date.today()
    title, updates = _title_and_updates(db, conference_id)
    rows = []
    for need in get_plan(db, conference_id):
        for action in need.interventions:
            last = ""
            if action.id in updates:
                when, status, note = updates[action.id]
                words = note or vocab.label(vocab.ACTION_STATUSES, status)
                last = f"{uk_date(when)}: {words}" if when else words
            rows.append(
                (
                    need.text,
                    action.text,
                    action.agency,
                    action.owner,
                    action.timescale,
                    uk_date(action.due_date),
                    vocab.label(vocab.ACTION_STATUSES, action.status),
                    "Yes" if is_overdue(action, today) else "No",
                    action.progress,
                    last,
                )
            )
    return ActionsData(conference_id, title, tuple(rows))
