"""Small helpers the operation modules share inside their sessions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from sqlalchemy import ColumnElement, ScalarResult, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ExecutableOption

from csfacilitator.core.model import Base, Conference, Setting, utcnow
from csfacilitator.errors import NotFound, UserError


def touch_conference(s: Session, conference_id: int) -> None:
    """Mark a conference as changed now (the list sorts by it)."""
    conference = s.get(Conference, conference_id)
    if conference is not None:
        conference.updated_at = utcnow()


_Row = TypeVar("_Row", bound=Base)
_T = TypeVar("_T")


def existing_row(s: Session, model: type[_Row], row_id: int, missing: str) -> _Row:
    """The row of `model` with `row_id`, or NotFound saying `missing` ("That goal is no longer
    there.") when it has gone."""
    row = s.get(model, row_id)
    if row is None:
        raise NotFound(missing)
    return row


def conference_in(s: Session, conference_id: int) -> Conference:
    """The conference with `conference_id`, or NotFound naming the id."""
    return existing_row(
        s, Conference, conference_id, f"There is no conference with id {conference_id}."
    )


def free_id(s: Session, model: type[Base], wanted: int) -> int | None:
    """The old id when no other row has taken it since, so references to it stay valid (None:
    the database gives a new one)."""
    return wanted if s.get(model, wanted) is None else None


def put_setting(s: Session, key: str, value: str) -> None:
    """Store one setting (a key and its text), adding it the first time; an equal value is left
    as it is."""
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    elif row.value != value:
        row.value = value


def in_order(
    s: Session,
    model: type[_Row],
    *conditions: ColumnElement[bool],
    options: Sequence[ExecutableOption] = (),
) -> ScalarResult[_Row]:
    """The rows of `model` that meet `conditions`, in their stored order (position, then id);
    `options` as a select takes them (selectinload of the rows' children)."""
    columns = model.__table__.c
    query = select(model).where(*conditions).order_by(columns.position, columns.id)
    return s.scalars(query.options(*options))


def renumber(rows: Sequence) -> None:
    """Give ordered rows dense positions 0..n-1, writing only those that move."""
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position


def move_by(rows: list, row, delta: int) -> int:
    """Move `row` up (negative delta) or down among `rows`, renumber, return its new position."""
    index = rows.index(row)
    target = max(0, min(len(rows) - 1, index + delta))
    rows.insert(target, rows.pop(index))
    renumber(rows)
    return target


def refuse_unknown_fields(changes: Iterable[str], allowed: Iterable[str], what: str) -> None:
    """UserError naming the fields `what` ("A goal") does not have, if `changes` names any."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise UserError(f"{what} has no {', '.join(sorted(unknown))}.")


def chunks(values: Sequence[_T], size: int = 500) -> Iterable[Sequence[_T]]:
    """`values` in runs of at most `size`: an IN (...) list SQLite and PostgreSQL both take."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
