"""The local change log: every change to a shared conference, recorded by SQLite triggers in
the transaction of the change itself (docs/sync.md).

Why triggers rather than ORM events: the core changes rows through the ORM *and* through bulk
`update()`/`delete()` statements (core/board.py, core/bundle.py), and SQLite deletes children
through ON DELETE CASCADE, which the ORM never sees. A trigger sees every one of them, on every
connection (the app, the command line, a migration), without registering anything: the
device, the person, the clock and the "applying pulled changes" switch live in the
`sync_state` row, which the triggers read and tick in plain SQL (core/hlc.py: TICK_SQL).

What is recorded, per row of a synced table whose conference is shared (`sync_share`):
- insert: one entry, the new row as a JSON object of its synced fields;
- update: one entry per changed field (`OLD.f IS NOT NEW.f`), old and new value as JSON;
- delete: a tombstone with no values, and every waiting entry and open conflict about the
  row is removed with it, so no text of a deleted row stays in the log ("deleting means gone";
  storage/purge.py then finds nothing of it left in the database).
Foreign keys are written as the parent's uid; integer ids never leave the laptop.

Triggers are generated from the tables' actual columns (PRAGMA table_info), so a migration
that rebuilds a synced table re-installs them by calling `install_triggers` (the migrations'
env.py does so after every upgrade on SQLite).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass

from sqlalchemy import Connection, LargeBinary, text
from sqlalchemy.dialects import sqlite as sqlite_dialect

from csfacilitator.core.hlc import TICK_SQL
from csfacilitator.core.model import Base

#: Each synced table and how its rows reach their conference: (foreign key, parent table).
#: Parents come before children (the order a whole conference is pushed in).
SYNCED: dict[str, tuple[str, str] | None] = {
    "conference": None,
    "meeting": ("conference_id", "conference"),
    "agenda_item": ("meeting_id", "meeting"),
    "assessment_section": ("conference_id", "conference"),
    "invitee": ("conference_id", "conference"),
    "attendance": ("invitee_id", "invitee"),
    "board_point": ("meeting_id", "meeting"),
    "referral": ("meeting_id", "meeting"),
    "dissent": ("meeting_id", "meeting"),  # after invitee and agenda_item, which it names
    "priority": ("conference_id", "conference"),
    "context_weighting": ("conference_id", "conference"),
    "need": ("conference_id", "conference"),
    "intervention": ("need_id", "need"),
    "action_update": ("intervention_id", "intervention"),
    # Outcome goals and measures (issue 19): after priority, need and meeting, which they name.
    "outcome_goal": ("conference_id", "conference"),
    "outcome_measure": ("goal_id", "outcome_goal"),
    "measure_value": ("measure_id", "outcome_measure"),
    # The context register (issue 20): a conference's entry, and links between conferences,
    # each belonging to the conference it names first (for a link, the smaller uid's).
    "context_entry": ("conference_id", "conference"),
    "conference_link": ("conference_id", "conference"),
    # Young people's voice (issue 19): after need and intervention, which it names.
    "young_voice": ("conference_id", "conference"),
    # The safety map (issue 19): the picture, then sessions (after meeting), then their marks.
    "safety_map": ("conference_id", "conference"),
    "safety_map_session": ("conference_id", "conference"),
    "safety_mark": ("session_id", "safety_map_session"),
}

#: Synced tables whose rows name a second conference ({table: its column}): a row is recorded
#: only while both conferences are shared, since the team store (and a colleague's laptop)
#: cannot hold a link to a conference it does not have. Sharing the second one later queues
#: the links that waited for it (record_conference).
ALSO_SHARED: dict[str, str] = {"conference_link": "related_id"}

#: Tables that never sync: the laptop's settings, drafts being typed, its export log (what
#: this laptop wrote where), the sync bookkeeping itself and the team store's change table.
LOCAL_ONLY_TABLES = (
    "setting",
    "draft",
    "export_log",
    "change_log",
    "sync_state",
    "sync_share",
    "sync_conflict",
    "team_change",
    "alembic_version",
)

#: Fields of synced tables that stay on the laptop: its row id, and the agenda item this
#: laptop's board is showing during a meeting (an id, not a fact about the meeting).
LOCAL_FIELDS = {"id", "uid", "meeting.current_item_id"}

#: Fields merged without asking anyone: the highest clock wins (docs/sync.md). Positions are
#: an order on the screen, and timestamps are bookkeeping; neither is worth a person's time.
ORDER_FIELDS = ("position", "updated_at", "created_at")

UUID_SQL = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) "
    "|| substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
)
RECORDING_SQL = "(SELECT applying FROM sync_state WHERE id = 1) = 0"

LOG_COLUMNS = (
    "change_id, entity, row_uid, conference_uid, op, field, old_value, new_value, hlc, device, "
    "person"
)


def is_order_field(field: str | None) -> bool:
    return field in ORDER_FIELDS


def synced_fields(connection: Connection, table: str) -> list[str]:
    """The table's columns that sync, as the database has them now."""
    columns = [row[1] for row in connection.exec_driver_sql(f"PRAGMA table_info({table})")]
    return [c for c in columns if c not in LOCAL_FIELDS and f"{table}.{c}" not in LOCAL_FIELDS]


def foreign_keys(connection: Connection, table: str) -> dict[str, str]:
    """{column: parent table} of the table's foreign keys (to parents' `id`)."""
    return {
        row[3]: row[2] for row in connection.exec_driver_sql(f"PRAGMA foreign_key_list({table})")
    }


def model_foreign_keys(table: str) -> dict[str, str]:
    """The same, from the models (for code that runs on any engine)."""
    found = {}
    for fk in Base.metadata.tables[table].foreign_keys:
        found[fk.parent.name] = fk.column.table.name
    return found


# -- SQL pieces --------------------------------------------------------------------------------


def is_blob(table: str, field: str) -> bool:
    """A bytes column (the safety map's picture): JSON cannot hold a BLOB, so the log, the wire
    and the team store's change table carry it as hex text (`decode_stored` turns it back)."""
    found = Base.metadata.tables.get(table)
    return found is not None and field in found.c and isinstance(found.c[field].type, LargeBinary)


def _value_sql(column: str, ref: str, fks: dict[str, str], table: str = "") -> str:
    if column in fks:
        return f"(SELECT uid FROM {fks[column]} WHERE id = {ref}.{column})"
    if is_blob(table, column):
        return f"hex({ref}.{column})"
    return f"{ref}.{column}"


def conference_uid_sql(table: str, ref: str, depth: int = 0) -> str:
    """SQL for the uid of the conference a row (`ref`: NEW, OLD or an alias) belongs to."""
    path = SYNCED[table]
    if path is None:
        return f"{ref}.uid"
    column, parent = path
    alias = f"p{depth}"
    return (
        f"(SELECT {conference_uid_sql(parent, alias, depth + 1)} FROM {parent} AS {alias} "
        f"WHERE {alias}.id = {ref}.{column})"
    )


def _shared_sql(table: str, ref: str) -> str:
    both = ""
    if table in ALSO_SHARED:
        other = f"(SELECT uid FROM conference WHERE id = {ref}.{ALSO_SHARED[table]})"
        both = f" AND EXISTS (SELECT 1 FROM sync_share WHERE conference_uid = {other})"
    return (
        f"{RECORDING_SQL} AND EXISTS (SELECT 1 FROM sync_share "
        f"WHERE conference_uid = {conference_uid_sql(table, ref)}){both}"
    )


def row_json_sql(table: str, ref: str, fields: list[str], fks: dict[str, str]) -> str:
    pairs = ", ".join(f"'{f}', {_value_sql(f, ref, fks, table)}" for f in fields)
    return f"json_object({pairs})"


def trigger_sql(connection: Connection, table: str) -> list[str]:
    """The CREATE TRIGGER statements for one synced table (insert, update, delete)."""
    fields = synced_fields(connection, table)
    fks = foreign_keys(connection, table)
    tick = f"UPDATE sync_state SET clock = {TICK_SQL} WHERE id = 1"
    conf_new = conference_uid_sql(table, "NEW")
    conf_old = conference_uid_sql(table, "OLD")
    insert = (
        f"CREATE TRIGGER cs_sync_{table}_insert AFTER INSERT ON {table} "
        f"WHEN {_shared_sql(table, 'NEW')} BEGIN {tick}; "
        f"INSERT INTO change_log ({LOG_COLUMNS}) SELECT {UUID_SQL}, '{table}', NEW.uid, "
        f"{conf_new}, 'insert', NULL, NULL, {row_json_sql(table, 'NEW', fields, fks)}, "
        "s.clock, s.device, s.person FROM sync_state AS s WHERE s.id = 1; END"
    )
    changed = " UNION ALL ".join(
        f"SELECT '{f}' AS f, json_quote({_value_sql(f, 'OLD', fks, table)}) AS o, "
        f"json_quote({_value_sql(f, 'NEW', fks, table)}) AS n WHERE OLD.{f} IS NOT NEW.{f}"
        for f in fields
    )
    update = (
        f"CREATE TRIGGER cs_sync_{table}_update AFTER UPDATE ON {table} "
        f"WHEN {_shared_sql(table, 'NEW')} BEGIN {tick}; "
        f"INSERT INTO change_log ({LOG_COLUMNS}) SELECT {UUID_SQL}, '{table}', NEW.uid, "
        f"{conf_new}, 'update', d.f, d.o, d.n, s.clock, s.device, s.person "
        f"FROM ({changed}) AS d, sync_state AS s WHERE s.id = 1; END"
    )
    # The waiting entries and conflicts about the row go whether or not it is being recorded
    # (a delete pulled from the team removes them too); the tombstone only when recording.
    # A row deleted with its parent (ON DELETE CASCADE) finds no conference any more: the
    # parent's tombstone stands for it, on the team store as here.
    forget_share = (
        "DELETE FROM sync_share WHERE conference_uid = OLD.uid; " if table == "conference" else ""
    )
    delete = (
        f"CREATE TRIGGER cs_sync_{table}_delete AFTER DELETE ON {table} BEGIN "
        "DELETE FROM change_log WHERE row_uid = OLD.uid; "
        "DELETE FROM sync_conflict WHERE row_uid = OLD.uid; "
        f"UPDATE sync_state SET clock = {TICK_SQL} WHERE id = 1 AND {_shared_sql(table, 'OLD')}; "
        f"INSERT INTO change_log ({LOG_COLUMNS}) SELECT {UUID_SQL}, '{table}', OLD.uid, "
        f"{conf_old}, 'delete', NULL, NULL, NULL, s.clock, s.device, s.person "
        f"FROM sync_state AS s WHERE s.id = 1 AND {_shared_sql(table, 'OLD')}; "
        f"{forget_share}END"
    )
    return [insert, update, delete]


def trigger_names(table: str) -> list[str]:
    return [f"cs_sync_{table}_{kind}" for kind in ("insert", "update", "delete")]


def install_triggers(connection: Connection) -> None:
    """(Re)create the change-log triggers of every synced table, from its current columns.
    SQLite only; a no-op before the sync tables exist (an upgrade to an older schema)."""
    if connection.dialect.name != "sqlite":
        return
    tables = {
        row[0]
        for row in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
    }
    if "change_log" not in tables or "sync_state" not in tables:
        return
    for table in SYNCED:
        if table not in tables:  # a table a later migration adds (an upgrade in steps)
            continue
        if "uid" not in {r[1] for r in connection.exec_driver_sql(f"PRAGMA table_info({table})")}:
            continue  # a table that syncs once a later migration gives it uids (0014)
        for name in trigger_names(table):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        for statement in trigger_sql(connection, table):
            connection.exec_driver_sql(statement)


# -- recording from Python (sharing a conference, resolving a conflict) -----------------------


def tick(connection: Connection) -> tuple[int, str, str]:
    """Advance the clock for a change recorded from Python: (stamp, device, person)."""
    connection.exec_driver_sql(f"UPDATE sync_state SET clock = {TICK_SQL} WHERE id = 1")
    row = connection.exec_driver_sql(
        "SELECT clock, device, person FROM sync_state WHERE id = 1"
    ).one()
    return int(row[0]), row[1], row[2]


def _rows_sql(connection: Connection, table: str, *, owned: bool = False) -> tuple[str, str, str]:
    """(row JSON, WHERE, ORDER BY) over `{table} AS r`, for the rows of the conference `:conf`
    that sync, parents first. A table naming a second conference (ALSO_SHARED) gives the rows
    naming `:conf` from either end once both ends are shared, or with `owned` only those that
    belong to `:conf`."""
    fields = synced_fields(connection, table)
    fks = foreign_keys(connection, table)
    order = "r.rowid"
    if "parent_id" in fks and fks["parent_id"] == table:
        # Points under points: a parent before its children, however they were moved.
        order = (
            f"(WITH RECURSIVE up(id, parent_id, depth) AS (SELECT r.id, r.parent_id, 0 "
            f"UNION ALL SELECT t.id, t.parent_id, up.depth + 1 FROM {table} AS t "
            f"JOIN up ON t.id = up.parent_id) SELECT max(depth) FROM up), r.rowid"
        )
    owner = conference_uid_sql(table, "r")
    where = f"{owner} = :conf"
    if table in ALSO_SHARED:
        # Links naming this conference from either end, once both ends are shared; each
        # belongs to its first conference.
        other = f"(SELECT uid FROM conference WHERE id = r.{ALSO_SHARED[table]})"
        shared = "(SELECT conference_uid FROM sync_share)"
        ends = f"{owner} = :conf" if owned else f":conf IN ({owner}, {other})"
        where = f"{ends} AND {owner} IN {shared} AND {other} IN {shared}"
    return row_json_sql(table, "r", fields, fks), where, order


def record_conference(connection: Connection, conference_uid: str) -> int:
    """Record the whole conference as inserts, parents first (the first push of a newly
    shared conference). Returns the number of entries written."""
    total = 0
    for table in SYNCED:
        payload, where, order = _rows_sql(connection, table)
        stamp, _device, _person = tick(connection)
        owner = conference_uid_sql(table, "r")
        result = connection.execute(
            text(
                f"INSERT INTO change_log ({LOG_COLUMNS}) SELECT {UUID_SQL}, '{table}', r.uid, "
                f"{owner}, 'insert', NULL, NULL, {payload}, "
                f":hlc, s.device, s.person FROM {table} AS r, sync_state AS s "
                f"WHERE s.id = 1 AND {where} ORDER BY {order}"
            ),
            {"conf": conference_uid, "hlc": stamp},
        )
        total += result.rowcount
    return total


def conference_rows(connection: Connection, conference_uid: str) -> list[tuple[str, str, str]]:
    """[(table, uid, the row as the JSON an insert carries)] of every row that belongs to the
    conference and syncs, parents first (what sharing it would queue, without the links that
    belong to the conference at their other end)."""
    found: list[tuple[str, str, str]] = []
    for table in SYNCED:
        payload, where, order = _rows_sql(connection, table, owned=True)
        found.extend(
            (table, r[0], r[1])
            for r in connection.execute(
                text(f"SELECT r.uid, {payload} FROM {table} AS r WHERE {where} ORDER BY {order}"),
                {"conf": conference_uid},
            )
        )
    return found


# -- values ------------------------------------------------------------------------------------

_SQLITE = sqlite_dialect.dialect()


class BadValue(ValueError):
    """A value on the wire that does not fit its field."""


def column(table: str, field: str):  # noqa: ANN201 - a Column
    try:
        return Base.metadata.tables[table].c[field]
    except KeyError:
        raise BadValue(f"{table}.{field} is not a field this version knows") from None


def decode(table: str, field: str, raw: str | None):  # noqa: ANN201 - any column's value
    """A field's value from its JSON (as the triggers write it: SQLite's stored form; a
    foreign key stays its parent's uid)."""
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise BadValue(f"{table}.{field}: not JSON") from exc
    return decode_stored(table, field, value)


def decode_stored(table: str, field: str, value):  # noqa: ANN001, ANN201
    reference, blob, processor, python_type = _decoding(table, field)
    if value is None or reference:
        if value is not None and not isinstance(value, str):
            raise BadValue(f"{table}.{field}: a reference must be a uid")
        return value
    if blob:
        if not isinstance(value, str):
            raise BadValue(f"{table}.{field}: bytes must come as hex")
        try:
            return bytes.fromhex(value)
        except ValueError as exc:
            raise BadValue(f"{table}.{field}: not hex") from exc
    try:
        result = processor(value) if processor else value
    except (TypeError, ValueError) as exc:
        raise BadValue(f"{table}.{field}: {value!r} does not fit") from exc
    if python_type is bool:
        return bool(result)
    if python_type is not None and not isinstance(result, python_type):
        raise BadValue(f"{table}.{field}: {value!r} is not a {python_type.__name__}")
    return result


@functools.cache
def _decoding(table: str, field: str) -> tuple:
    """(a reference?, bytes?, SQLite's result processor, Python type) of a field, worked out
    once per field rather than for every value a pull decodes (an unknown field raises, and
    is not remembered)."""
    col = column(table, field)
    processor = col.type.dialect_impl(_SQLITE).result_processor(_SQLITE, None)
    return bool(col.foreign_keys), isinstance(col.type, LargeBinary), processor, _python_type(col)


def _python_type(col) -> type | None:  # noqa: ANN001
    try:
        return col.type.python_type
    except NotImplementedError:
        return None


def encode(table: str, field: str, value) -> str:  # noqa: ANN001
    """The JSON of a Python value, in the triggers' form (SQLite's stored form)."""
    col = column(table, field)
    if value is None or col.foreign_keys:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(col.type, LargeBinary):
        return json.dumps(bytes(value).hex().upper())
    processor = col.type.dialect_impl(_SQLITE).bind_processor(_SQLITE)
    stored = processor(value) if processor else value
    if isinstance(stored, (dt.date, dt.datetime, dt.time)):
        stored = stored.isoformat()
    return json.dumps(stored, ensure_ascii=False)


@dataclass(frozen=True)
class Change:
    """One change, as the log, the wire and the team store's change table hold it."""

    change_id: str
    entity: str
    row_uid: str
    conference_uid: str | None
    op: str  # insert | update | delete
    field: str | None
    old_value: str | None
    new_value: str | None
    hlc: int
    device: str
    person: str
    seq: int = 0  # the team store's order (0 while waiting on the laptop)

    def fields(self) -> dict:
        """An insert's fields, decoded (foreign keys as uids); unknown fields are refused."""
        payload = json.loads(self.new_value or "{}")
        if not isinstance(payload, dict):
            raise BadValue(f"{self.entity}: an insert must carry an object")
        return {k: decode_stored(self.entity, k, v) for k, v in payload.items()}


def pending(connection: Connection) -> list[Change]:
    """The changes waiting to be pushed, oldest first."""
    rows = connection.exec_driver_sql(f"SELECT {LOG_COLUMNS} FROM change_log ORDER BY seq").all()
    return [Change(*row) for row in rows]


def waiting_count(connection: Connection) -> int:
    return int(connection.exec_driver_sql("SELECT count(*) FROM change_log").scalar_one())
