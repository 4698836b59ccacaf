"""Writing changes into a set of tables: the laptop's when it pulls, the team store's when a
laptop pushes. Plain SQLAlchemy Core on the models' tables, so it runs on SQLite and on
PostgreSQL alike. Rows are found by uid; foreign keys arrive as the parent's uid and are
turned into this side's integer id."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, func, select, update

from csfacilitator.core.change_log import SYNCED, column, model_foreign_keys
from csfacilitator.core.model import Base
from csfacilitator.core.rows import chunks


def table(name: str):  # noqa: ANN201 - a Table
    if name not in SYNCED:
        from csfacilitator.core.change_log import BadValue

        raise BadValue(f"'{name}' is not a table that syncs")
    return Base.metadata.tables[name]


def row_exists(conn: Connection, entity: str, uid: str) -> bool:
    t = table(entity)
    return conn.execute(select(t.c.uid).where(t.c.uid == uid)).first() is not None


def id_of(conn: Connection, entity: str, uid: str, cache: dict | None = None) -> int | None:
    """The row's id here. `cache` ({(entity, uid): id}, one transaction's, cleared by whoever
    deletes) saves looking a parent up again for each of its children."""
    if cache is not None and (entity, uid) in cache:
        return cache[(entity, uid)]
    t = table(entity)
    found = conn.execute(select(t.c.id).where(t.c.uid == uid)).scalar()
    if cache is not None and found is not None:
        cache[(entity, uid)] = found
    return found


def uid_of(conn: Connection, entity: str, row_id: int | None) -> str | None:
    if row_id is None:
        return None
    t = table(entity)
    return conn.execute(select(t.c.uid).where(t.c.id == row_id)).scalar()


def _local_value(conn: Connection, entity: str, field: str, value, cache=None):  # noqa: ANN001, ANN202
    """(ok, value for this side): a reference's uid becomes the parent's id here; a parent
    that is gone gives (False, None)."""
    parents = model_foreign_keys(entity)
    if field not in parents or value is None:
        return True, value
    parent_id = id_of(conn, parents[field], value, cache)
    return parent_id is not None, parent_id


def current_value(conn: Connection, entity: str, uid: str, field: str):  # noqa: ANN201
    """A field's value here (a reference as the parent's uid)."""
    t = table(entity)
    column(entity, field)
    value = conn.execute(select(t.c[field]).where(t.c.uid == uid)).scalar()
    parents = model_foreign_keys(entity)
    if field in parents:
        return uid_of(conn, parents[field], value)
    return value


def current_values(conn: Connection, entity: str, uid: str, fields: Iterable[str]) -> dict:
    """Several fields of one row here, read at once ({} when the row is not here); each as
    `current_value` gives it (a reference as the parent's uid)."""
    t = table(entity)
    names = list(fields)
    for name in names:
        column(entity, name)
    if not names:
        return {}
    row = conn.execute(select(*(t.c[name] for name in names)).where(t.c.uid == uid)).first()
    if row is None:
        return {}
    parents = model_foreign_keys(entity)
    return {
        name: uid_of(conn, parents[name], value) if name in parents else value
        for name, value in zip(names, row, strict=True)
    }


def _may_lose_parent(entity: str, field: str) -> bool:
    """A reference whose parent is gone becomes NULL (ON DELETE SET NULL); a row whose
    parent owns it (CASCADE, or required) goes with the parent."""
    col = table(entity).c[field]
    return col.nullable and all(
        (fk.ondelete or "").upper() == "SET NULL" for fk in col.foreign_keys
    )


def insert_row(
    conn: Connection, entity: str, uid: str, fields: dict, cache: dict | None = None
) -> bool:
    """Add a row; False when a parent it needs is gone (deleted here: it stays gone)."""
    values = {"uid": uid}
    for field, value in fields.items():
        ok, local = _local_value(conn, entity, field, value, cache)
        if not ok:
            if not _may_lose_parent(entity, field):
                return False
            local = None
        values[field] = local
    result = conn.execute(table(entity).insert().values(**values))
    key = result.inserted_primary_key  # a Row for a one-row insert, never None
    if cache is not None and key is not None and "id" in table(entity).c:
        cache[(entity, uid)] = key[0]
    return True


class NewRows:
    """Rows a pull brings that this laptop has never had (a first pull is nothing else),
    gathered and written a table at a time (one executemany per table, parents' tables
    first) instead of a statement each, with the same outcome as `insert_row` in the same
    order. Each row gets its id here as SQLite would give it (one more than the highest the
    table ever had), so a child names its parent before either is written. They are written
    when something other than a new row comes (the caller flushes first) and at the end.

    `look_up` first: only rows it found absent are taken (`add` answers None for the rest,
    which go the row-at-a-time way). `cache` is the transaction's {(entity, uid): id}."""

    def __init__(self, conn: Connection, cache: dict) -> None:
        self.conn = conn
        self.cache = cache
        self.absent: set[tuple[str, str]] = set()
        self.waiting: dict[str, list[dict]] = {}  # {table: rows, in the order they came}
        self.next_ids: dict[str, int] = {}

    def look_up(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Note which of these (entity, uid) rows this laptop does not have."""
        by_entity: dict[str, set[str]] = {}
        for entity, uid in pairs:
            if entity in SYNCED:  # anything else is refused when its turn comes
                by_entity.setdefault(entity, set()).add(uid)
        for entity, uids in by_entity.items():
            t = table(entity)
            here: set[str] = set()
            for chunk in chunks(sorted(uids)):
                here.update(self.conn.execute(select(t.c.uid).where(t.c.uid.in_(chunk))).scalars())
            self.absent.update((entity, uid) for uid in uids - here)

    def is_new(self, entity: str, uid: str) -> bool:
        return (entity, uid) in self.absent

    def add(self, entity: str, uid: str, fields: dict) -> bool | None:
        """Queue a new row: True, or False when a parent it needs is gone here (as
        `insert_row`); None when the row may be here already (insert it the usual way)."""
        key = (entity, uid)
        if key not in self.absent:
            return None
        parents = model_foreign_keys(entity)
        values: dict = {"uid": uid}
        for field, value in fields.items():
            if field in parents and value is not None:
                value = id_of(self.conn, parents[field], value, self.cache)
                if value is None and not _may_lose_parent(entity, field):
                    return False
            values[field] = value
        if "id" in table(entity).c:
            values["id"] = self.cache[key] = self._next_id(entity)
        self.absent.discard(key)
        self.waiting.setdefault(entity, []).append(values)
        return True

    def _next_id(self, entity: str) -> int:
        if entity not in self.next_ids:
            self.next_ids[entity] = _first_free_id(self.conn, entity)
        found = self.next_ids[entity]
        self.next_ids[entity] = found + 1
        return found

    def flush(self) -> None:
        """Write the queued rows, parents' tables before their children's."""
        for entity in INSERT_ORDER:
            for run in _same_fields(self.waiting.get(entity, ())):
                self.conn.execute(table(entity).insert(), run)
        self.waiting.clear()
        self.next_ids.clear()  # whatever is written next takes ids the usual way


def _first_free_id(conn: Connection, entity: str) -> int:
    """SQLite: the id the table's next row would get (one more than the highest it ever
    had). The caller holds the only write lock."""
    t = table(entity)
    top = conn.execute(select(func.max(t.c.id))).scalar() or 0
    if conn.dialect.name == "sqlite" and _has_sequence(conn):
        used = conn.exec_driver_sql(
            "SELECT seq FROM sqlite_sequence WHERE name = ?", (entity,)
        ).scalar()
        top = max(top, used or 0)  # AUTOINCREMENT never gives an id twice
    return top + 1


def reserve_ids(conn: Connection, wanted: dict[str, int]) -> dict[str, list[int]]:
    """`wanted[entity]` new row ids for each table, in ascending order, so rows can name their
    parents before either is written. PostgreSQL: taken from the tables' own sequences in one
    query (never given twice, whoever else writes); SQLite: counted on from the highest id
    (the caller holds the only write lock)."""
    wanted = {entity: n for entity, n in wanted.items() if n > 0 and "id" in table(entity).c}
    if not wanted:
        return {}
    if conn.dialect.name != "postgresql":
        starts = {entity: _first_free_id(conn, entity) for entity in wanted}
        return {e: list(range(starts[e], starts[e] + n)) for e, n in wanted.items()}
    parts = [
        f"SELECT '{entity}', nextval(pg_get_serial_sequence('\"{entity}\"', 'id')) "
        f"FROM generate_series(1, {int(n)})"
        for entity, n in wanted.items()
    ]
    found: dict[str, list[int]] = {entity: [] for entity in wanted}
    for entity, value in conn.exec_driver_sql(" UNION ALL ".join(parts)):
        found[entity].append(int(value))
    return {entity: sorted(ids) for entity, ids in found.items()}


def _has_sequence(conn: Connection) -> bool:
    return (
        conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
        ).first()
        is not None
    )


#: The synced tables, each after every table it names (for writing rows in bulk).
INSERT_ORDER = [t.name for t in Base.metadata.sorted_tables if t.name in SYNCED]


def _same_fields(rows: Iterable[dict]) -> Iterable[list[dict]]:
    """Consecutive runs of rows with the same fields (one executemany each, order kept)."""
    run: list[dict] = []
    for row in rows:
        if run and row.keys() != run[0].keys():
            yield run
            run = []
        run.append(row)
    if run:
        yield run


def set_field(conn: Connection, entity: str, uid: str, field: str, value, cache=None) -> bool:  # noqa: ANN001
    """Change one field of a row; False when the row (or a required parent) is gone."""
    t = table(entity)
    ok, local = _local_value(conn, entity, field, value, cache)
    if not ok:
        if not _may_lose_parent(entity, field):
            return False
        local = None
    result = conn.execute(update(t).where(t.c.uid == uid).values({field: local}))
    return result.rowcount > 0


def _children() -> dict[str, list[tuple[str, str]]]:
    """{parent table: [(child table, foreign key)]} of the synced tables' cascading keys."""
    found: dict[str, list[tuple[str, str]]] = {}
    for name in SYNCED:
        for fk in Base.metadata.tables[name].foreign_keys:
            if (fk.ondelete or "").upper() == "CASCADE":
                found.setdefault(fk.column.table.name, []).append((name, fk.parent.name))
    return found


CHILDREN = _children()


def descendants(conn: Connection, entity: str, uid: str) -> list[tuple[str, str]]:
    """(table, uid) of the row and of every row its delete takes with it (ON DELETE
    CASCADE)."""
    t = table(entity)
    row = conn.execute(select(t.c.uid).where(t.c.uid == uid)).first()
    if row is None:
        return []
    found = [(entity, uid)]
    level: dict[str, list[int]] = {}
    if "id" in t.c:
        level[entity] = list(conn.execute(select(t.c.id).where(t.c.uid == uid)).scalars())
    while level:
        following: dict[str, list[int]] = {}
        for parent, ids in level.items():
            for child, key in CHILDREN.get(parent, ()):
                c = Base.metadata.tables[child]
                for chunk in chunks(ids):
                    columns = [c.c.uid] + ([c.c.id] if "id" in c.c else [])
                    for r in conn.execute(select(*columns).where(c.c[key].in_(chunk))):
                        found.append((child, r[0]))
                        if len(r) > 1:
                            following.setdefault(child, []).append(r[1])
        level = following
    return found


def delete_row(conn: Connection, entity: str, uid: str) -> bool:
    t = table(entity)
    return conn.execute(t.delete().where(t.c.uid == uid)).rowcount > 0
