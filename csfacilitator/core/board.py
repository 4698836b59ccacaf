"""The four-column flipchart board of one meeting: points with nested sub-points."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from csfacilitator.core import vocab
from csfacilitator.core.model import BoardPoint
from csfacilitator.storage.database import Database


@dataclass(frozen=True)
class PointRecord:
    id: int
    meeting_id: int
    column: str
    parent_id: int | None
    position: int
    text: str
    children: tuple[PointRecord, ...] = field(default_factory=tuple)


def _tree(rows: list[BoardPoint]) -> dict[str, tuple[PointRecord, ...]]:
    by_parent: dict[int | None, list[BoardPoint]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)

    def build(parent_id: int | None, column: str | None) -> tuple[PointRecord, ...]:
        children = sorted(by_parent.get(parent_id, []), key=lambda r: (r.position, r.id))
        return tuple(
            PointRecord(
                r.id, r.meeting_id, r.column, r.parent_id, r.position, r.text, build(r.id, None)
            )
            for r in children
            if column is None or r.column == column
        )

    return {key: build(None, key) for key in vocab.BOARD_COLUMNS}


def board_tree(db: Database, meeting_id: int) -> dict[str, tuple[PointRecord, ...]]:
    """Every point of a meeting: column key -> top-level points in order, each with children."""
    with db.session() as s:
        rows = list(s.scalars(select(BoardPoint).where(BoardPoint.meeting_id == meeting_id)))
        return _tree(rows)
