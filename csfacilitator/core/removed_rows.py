"""What a delete removed, kept so that undo can put exactly those rows back, ids and all.

Undo used to re-import a whole conference, which gave every row a new id while the open tabs
(and other undo steps) still held the old ones; an edit could then land on another row. Here
a delete first captures the rows it is about to remove (following the database's ON DELETE
CASCADE foreign keys) and the links it will clear (ON DELETE SET NULL); putting them back
inserts the same rows with the same ids. Ids are never reused (AUTOINCREMENT, migration
0004), so a captured id can only belong to the row it was taken from.

The captured rows live in memory only, inside the undo step: deleting still means gone from
the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from csfacilitator.core.model import Base
from csfacilitator.core.rows import chunks, touch_conference
from csfacilitator.errors import UserError

if TYPE_CHECKING:
    from csfacilitator.storage.database import Database

Row = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class ClearedLink:
    """A row outside the removal whose link to a removed row the database set to NULL."""

    table: str
    key: Row  # primary-key column and value pairs
    column: str
    value: Any


@dataclass(frozen=True)
class RemovedRows:
    """Every row a delete removed, table by table, and every link it cleared."""

    rows: tuple[tuple[str, tuple[Row, ...]], ...]
    cleared: tuple[ClearedLink, ...] = ()

    def count(self, table: str) -> int:
        return sum(len(rows) for name, rows in self.rows if name == table)


def capture(s: Session, table: Table | type, ids: Iterable[Any]) -> RemovedRows:
    """The rows with `ids` in `table` and everything the database would delete with them.

    Call it in the same transaction as the delete, just before it.
    """
    table = _table(table)
    found: dict[str, dict[tuple, Row]] = {}
    cleared: list[ClearedLink] = []
    _collect(s, table, _pk_column(table), list(ids), found, cleared)
    captured_keys = {(name, key) for name, rows in found.items() for key in rows}
    links = tuple(
        link
        for link in cleared
        if (link.table, tuple(v for _c, v in link.key)) not in captured_keys
    )
    order = [t.name for t in Base.metadata.sorted_tables]
    return RemovedRows(
        rows=tuple((name, tuple(found[name].values())) for name in order if found.get(name)),
        cleared=links,
    )


def remove(s: Session, row: Any, conference_id: int) -> RemovedRows:
    """Delete one row (found in this session) and everything the database deletes with it,
    marking its conference changed; returns what went, for `restore` (undo)."""
    removed = capture(s, type(row), [row.id])
    touch_conference(s, conference_id)
    s.delete(row)
    return removed


def restore(db: Database, removed: RemovedRows) -> None:
    """Undo a `remove`: the same rows, ids and all, in one transaction."""
    with db.session() as s:
        put_back(s, removed)


def _collect(
    s: Session,
    table: Table,
    column_name: str,
    values: list[Any],
    found: dict[str, dict[tuple, Row]],
    cleared: list[ClearedLink],
) -> None:
    if not values:
        return
    key_columns = [c.name for c in table.primary_key.columns]
    new_keys: list[Any] = []
    bucket = found.setdefault(table.name, {})
    for chunk in chunks(values):
        for mapping in s.execute(select(table).where(table.c[column_name].in_(chunk))).mappings():
            key = tuple(mapping[c] for c in key_columns)
            if key in bucket:
                continue
            bucket[key] = tuple(dict(mapping).items())
            if len(key_columns) == 1:
                new_keys.append(key[0])
    if not new_keys:
        return
    for child in Base.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table:
                continue
            if fk.ondelete == "CASCADE":
                _collect(s, child, fk.parent.name, new_keys, found, cleared)
            elif fk.ondelete == "SET NULL":
                child_keys = [c.name for c in child.primary_key.columns]
                for chunk in chunks(new_keys):
                    rows = s.execute(select(child).where(child.c[fk.parent.name].in_(chunk)))
                    for mapping in rows.mappings():
                        cleared.append(
                            ClearedLink(
                                table=child.name,
                                key=tuple((c, mapping[c]) for c in child_keys),
                                column=fk.parent.name,
                                value=mapping[fk.parent.name],
                            )
                        )


def put_back(s: Session, removed: RemovedRows) -> None:
    """Insert the removed rows again with their ids, and restore the links a delete cleared.

    Parents go in before their children: tables in the models' order, and within a table
    that names its own rows (a board point's parent) each row after the one it names, so
    every foreign key holds at each insert on SQLite and on PostgreSQL alike (PostgreSQL's
    keys cannot be deferred; SQLite's `defer_foreign_keys` has no equal there). A row whose
    id is taken again means the undo step is stale: refused, nothing changed.
    """
    for name, rows in removed.rows:
        table = Base.metadata.tables[name]
        key_columns = [c.name for c in table.primary_key.columns]
        if len(key_columns) == 1:
            column = key_columns[0]
            wanted = [dict(row)[column] for row in rows]
            for chunk in chunks(wanted):
                taken = select(table.c[column]).where(table.c[column].in_(chunk)).limit(1)
                if s.scalar(taken) is not None:
                    raise UserError(
                        "This can no longer be undone: what it would bring back is already there."
                    )
        s.execute(table.insert(), _parents_first(table, [dict(row) for row in rows]))
    relink(s, removed.cleared)
    s.expire_all()


def relink(s: Session, cleared: Iterable[ClearedLink]) -> None:
    """Set again the links a delete cleared, where they are still empty: a link the person
    set to something else since then stays as they set it."""
    for link in cleared:
        table = Base.metadata.tables[link.table]
        condition = [table.c[c] == v for c, v in link.key]
        s.execute(
            update(table)
            .where(*condition, table.c[link.column].is_(None))
            .values({link.column: link.value})
        )


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` ordered so that a row naming another row of the same table (through a foreign
    key to itself) comes after it; the order is otherwise kept."""
    own = [
        (fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table
    ]
    if not own:
        return rows
    placed: set[tuple[str, Any]] = set()
    present = {(target, row[target]) for _column, target in own for row in rows}
    ordered: list[dict[str, Any]] = []
    waiting = rows
    while waiting:
        later = []
        for row in waiting:
            names = [(target, row[column]) for column, target in own if row[column] is not None]
            if all(name in placed or name not in present for name in names):
                ordered.append(row)
                placed.update((target, row[target]) for _column, target in own)
            else:
                later.append(row)
        if len(later) == len(waiting):  # a loop of rows naming each other: let the key refuse
            ordered.extend(later)
            break
        waiting = later
    return ordered


def _table(table: Table | type) -> Table:
    return table if isinstance(table, Table) else table.__table__  # type: ignore[attr-defined]


def _pk_column(table: Table) -> str:
    (column,) = table.primary_key.columns
    return column.name
