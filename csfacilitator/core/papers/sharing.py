"""What the information-sharing record document holds: the record's entries (core/export_log.py)
for one conference, or for every conference, in words, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from csfacilitator.core.export_log import COLUMNS, list_exports, row_texts
from csfacilitator.storage.database import Database


@dataclass(frozen=True)
class SharingPaper:
    title: str  # the conference's title, or "All conferences"
    made_on: dt.date
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # cells in COLUMNS order
    not_recorded: int  # entries written before the basis was asked (or by other routes)


def gather(db: Database, conference_id: int | None, meeting_id: int | None = None) -> SharingPaper:
    """The record of one conference (None: all of them). `meeting_id` is not used: the record
    covers every meeting."""
    title = "All conferences"
    if conference_id is not None:
        from csfacilitator.core.conferences import get_conference

        title = get_conference(db, conference_id).title or "Untitled conference"
    entries = list_exports(db, conference_id)
    return SharingPaper(
        title=title,
        made_on=dt.date.today(),
        columns=COLUMNS,
        rows=tuple(row_texts(entry) for entry in entries),
        not_recorded=sum(1 for entry in entries if not entry.basis),
    )
