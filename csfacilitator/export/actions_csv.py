"""The plan's actions as a CSV file for spreadsheets.

UTF-8 with a byte-order mark and CRLF line ends, which is what Excel needs to read accents,
emoji and right-to-left text correctly when the file is double-clicked. Coordinators open it in
Excel, so any cell that starts like a formula gets a leading apostrophe (core.formula_guard,
shared with the invite list): the text shows, nothing runs. Dates are DD/MM/YYYY.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select

from csfacilitator.core import vocab
from csfacilitator.core.formula_guard import guard_formula
from csfacilitator.core.meetings import KIND_ORDER
from csfacilitator.core.model import ActionUpdate, Conference, Meeting
from csfacilitator.core.plan import get_plan, is_overdue
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import NotFound
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


def spreadsheet_safe(value: object) -> str:
    """Clean text that a spreadsheet will show as text, never run as a formula."""
    return guard_formula(clean_text(value))


def uk_date(value: dt.date | None) -> str:
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _last_updates(db: Database, conference_id: int) -> dict[int, tuple[dt.date | None, str, str]]:
    """intervention id -> (meeting date, status, note) of its latest recorded update."""
    with db.session() as s:
        if s.get(Conference, conference_id) is None:
            raise NotFound(f"There is no conference with id {conference_id}.")
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
        return {u.intervention_id: (m.date, u.status, u.note) for u, m in ordered}


def action_rows(
    db: Database, conference_id: int, today: dt.date | None = None
) -> list[tuple[str, ...]]:
    """One row of cells per intervention, in plan order (cells not yet made formula-safe)."""
    today = today or dt.date.today()
    updates = _last_updates(db, conference_id)
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
    return rows


def to_csv_bytes(rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def suggested_filename(title: str) -> str:
    from csfacilitator.core.textclean import safe_file_stem

    return f"Actions - {safe_file_stem(title)}.csv"


def export_actions(
    db: Database,
    conference_id: int,
    path: str | os.PathLike[str],
    *,
    today: dt.date | None = None,
) -> Path:
    """Write the actions to `path` (".csv" added if missing), atomically and private (0600)."""
    from csfacilitator.atomic_file import write_atomic

    data = to_csv_bytes(action_rows(db, conference_id, today))
    target = Path(path)
    if target.suffix.lower() != ".csv":
        target = target.with_name(target.name + ".csv")
    return write_atomic(data, target, kind="CSV file")
