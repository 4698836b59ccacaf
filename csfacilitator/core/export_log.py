"""The export log: which document about which conference was written where, and when.

It is the coordinator's record of what information left the app (an information-sharing
record). Deleting a conference deletes its entries, as it deletes everything else about it.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sqlalchemy import select

from csfacilitator.core import documents
from csfacilitator.core.model import Conference, ExportLog, utcnow
from csfacilitator.storage.database import Database


@dataclass(frozen=True)
class ExportEntry:
    id: int
    at: dt.datetime  # UTC
    conference_id: int | None
    conference_title: str
    kind: str
    path: str
    flags_allowed: bool = False

    @property
    def label(self) -> str:
        return documents.label(self.kind)


def record_export(
    db: Database,
    conference_id: int | None,
    kind: str,
    path: str | os.PathLike[str],
    *,
    flags_allowed: bool = False,
) -> None:
    with db.session() as s:
        s.add(
            ExportLog(
                conference_id=conference_id,
                kind=kind,
                path=str(path),
                at=utcnow(),
                flags_allowed=flags_allowed,
            )
        )


def list_exports(db: Database, conference_id: int | None = None) -> list[ExportEntry]:
    """Newest first; all conferences unless one is named."""
    query = (
        select(ExportLog, Conference.title)
        .outerjoin(Conference, Conference.id == ExportLog.conference_id)
        .order_by(ExportLog.at.desc(), ExportLog.id.desc())
    )
    if conference_id is not None:
        query = query.where(ExportLog.conference_id == conference_id)
    with db.session() as s:
        return [
            ExportEntry(
                row.id,
                row.at,
                row.conference_id,
                title or "",
                row.kind,
                row.path,
                row.flags_allowed,
            )
            for row, title in s.execute(query)
        ]
