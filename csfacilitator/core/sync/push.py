"""The team store's side: a push writes the laptop's waiting changes into `team_change` (one
global order, each change id once) and applies them to the team's tables, in ONE transaction
that first takes an advisory lock, so changes get their sequence numbers in commit order and a
pull cursor never skips one. The push is refused (and the laptop pulls again) when the team
has changes the laptop has not pulled yet: merging is the laptop's job, never the server's."""

from __future__ import annotations

from sqlalchemy import Connection, Executable, bindparam, func, select, update

from csfacilitator.core import change_log
from csfacilitator.core.change_log import SYNCED, Change, decode, model_foreign_keys
from csfacilitator.core.model import Base, TeamChange, utcnow
from csfacilitator.core.rows import chunks
from csfacilitator.core.sync import apply

#: pg_advisory_xact_lock key every writer of team_change takes first.
PUSH_LOCK_KEY = 7271720017

T = Base.metadata.tables[TeamChange.__tablename__]

#: A queued write: (statement, parameters, the change record to mark gone when it matches no
#: row; None when nothing depends on whether it matched).
_Queued = tuple["Executable", dict, "dict | None"]


class Behind(Exception):
    """The team store has changes this laptop has not pulled: pull, then push again."""


def lock(tc: Connection) -> None:
    if tc.dialect.name == "postgresql":
        tc.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PUSH_LOCK_KEY})")
    # SQLite (tests): the transaction began IMMEDIATE and holds the only write lock.


def top(tc: Connection) -> int:
    return int(tc.execute(select(func.coalesce(func.max(T.c.seq), 0))).scalar_one())


def push_changes(tc: Connection, changes: list[Change], cursor: int) -> tuple[int, int]:
    """Write `changes` (in order) to the team store; (number new to it, the new top of the
    sequence). Raises Behind when the team has changes after `cursor`. Inside a transaction.

    The writes go in batches (TeamWrites), not a round trip each: what the team's tables
    hold of the rows the changes name is read first, a query per table; then each change is
    decided in order against that picture, and its statements queued, and consecutive
    statements of one shape sent as one executemany (psycopg pipelines it). A delete is
    written on its own, after everything queued before it."""
    lock(tc)
    if top(tc) > cursor:
        raise Behind
    known: set[str] = set()
    ids = [c.change_id for c in changes]
    for chunk in chunks(ids):
        known.update(tc.execute(select(T.c.change_id).where(T.c.change_id.in_(chunk))).scalars())
    fresh = []
    for change in changes:
        if change.change_id in known:
            continue  # exactly once: pushed before by a sync cut off after its commit
        known.add(change.change_id)
        fresh.append(change)
    writes = TeamWrites(tc, fresh)
    records: list[dict] = []
    for change in fresh:
        record = {
            "change_id": change.change_id,
            "entity": change.entity,
            "row_uid": change.row_uid,
            "conference_uid": change.conference_uid,
            "op": change.op,
            "field": change.field,
            "old_value": change.old_value,
            "new_value": change.new_value,
            "hlc": change.hlc,
            "device": change.device,
            "person": change.person,
            "gone": False,
            "received_at": utcnow(),
        }
        if change.op == "delete":
            writes.flush()
            _flush(tc, records)  # the delete blanks the values recorded before it
            writes.delete(change)
        else:
            writes.apply(change, record)
        records.append(record)
    writes.flush()
    _flush(tc, records)
    return len(fresh), top(tc)


def _flush(tc: Connection, records: list[dict]) -> None:
    """Insert the gathered change records in one statement (in order: seq follows it)."""
    if records:
        tc.execute(T.insert(), records)
        records.clear()


def _gone(record: dict) -> None:
    """A change to a row gone from the team (or whose required parent is): none of its text
    is kept."""
    record.update(gone=True, old_value=None, new_value=None)


class TeamWrites:
    """The team's tables as the changes of one push leave them, decided change by change in
    the push's order, with the writes queued and sent in batches.

    `rows` holds, for every (table, uid) the changes name (their rows and the parents their
    references name), the row's id on the team (None for a table without one), read in one
    query per table; a key looked up and absent is in `looked` only. A new row's id is taken
    before it is written (apply.reserve_ids), so its children can name it. An update's row is
    known to be there only when its statement matched: the team store's row-level security
    may let a login read a row it may not change (a manager), so a batch of updates whose
    counted rows fall short is sent again a statement at a time to tell which (sending the
    same value again changes nothing, and the audit trail records no change)."""

    def __init__(self, conn: Connection, changes: list[Change]) -> None:
        self.conn = conn
        self.rows: dict[tuple[str, str], int | None] = {}
        self.looked: set[tuple[str, str]] = set()
        self.queue: list[_Queued] = []
        self.new_ids: dict[str, list[int]] = {}
        self._statements: dict[tuple, Executable] = {}
        self._look_up(changes)

    # -- reading first ---------------------------------------------------------------------

    def _look_up(self, changes: list[Change]) -> None:
        wanted: dict[str, set[str]] = {}
        for change in changes:
            if change.entity not in SYNCED:
                continue  # refused when its turn comes
            wanted.setdefault(change.entity, set()).add(change.row_uid)
            parents = model_foreign_keys(change.entity)
            try:
                if change.op == "insert":
                    named = list(change.fields().items())
                elif change.op == "update" and change.field in parents:
                    named = [(change.field, decode(change.entity, change.field, change.new_value))]
                else:
                    continue
            except (change_log.BadValue, ValueError, TypeError, KeyError):
                continue  # refused when its turn comes
            for name, value in named:
                if name in parents and value is not None:
                    wanted.setdefault(parents[name], set()).add(value)
        for entity, uids in wanted.items():
            self._read(entity, sorted(uids))
        new: dict[str, set[str]] = {}
        for change in changes:
            key = (change.entity, change.row_uid)
            if change.op == "insert" and change.entity in SYNCED and key not in self.rows:
                new.setdefault(change.entity, set()).add(change.row_uid)
        self.new_ids = apply.reserve_ids(self.conn, {e: len(u) for e, u in new.items()})

    def _read(self, entity: str, uids: list[str]) -> None:
        """Note which of these rows the team has (as this login may read them), and their ids."""
        t = apply.table(entity)
        columns = [t.c.uid] + ([t.c.id] if "id" in t.c else [])
        for chunk in chunks(uids):
            for row in self.conn.execute(select(*columns).where(t.c.uid.in_(chunk))):
                self.rows[(entity, row[0])] = row[1] if len(row) > 1 else None
        self.looked.update((entity, uid) for uid in uids)

    def _exists(self, entity: str, uid: str) -> bool:
        # _look_up read every row the changes name and their parents; a uid it missed is
        # read here rather than taken as gone.
        if (entity, uid) not in self.looked:
            self._read(entity, [uid])
        return (entity, uid) in self.rows

    def _new_id(self, entity: str) -> int:
        if not self.new_ids.get(entity):  # a row deleted and made again in one push
            self.flush()  # on SQLite the next free id is counted from the rows written
            self.new_ids.update(apply.reserve_ids(self.conn, {entity: 1}))
        return self.new_ids[entity].pop(0)

    def _local(self, entity: str, field: str, value) -> tuple[bool, object]:  # noqa: ANN001
        """(ok, value for the team): a reference's uid becomes the parent's id there; a
        parent that is gone gives (False, None) (apply._local_value's rule)."""
        parents = model_foreign_keys(entity)
        if field not in parents or value is None:
            return True, value
        if not self._exists(parents[field], value):
            return False, None
        return True, self.rows[(parents[field], value)]

    # -- deciding each change --------------------------------------------------------------

    def apply(self, change: Change, record: dict) -> None:
        """Queue an insert's or an update's writes, in order (the writes applying it alone made);
        `record` is marked gone when its row (or a parent it needs) is."""
        entity, uid = change.entity, change.row_uid
        apply.table(entity)  # refuses a table that does not sync
        if change.op == "insert":
            fields = change.fields()
            if self._exists(entity, uid):
                for name, value in fields.items():
                    self._set(entity, uid, name, value, None)
            elif not self._insert(entity, uid, fields):
                _gone(record)
            return
        if change.op == "update":
            if change.field is None:
                raise change_log.BadValue(f"{entity}: an update names no field")
            value = decode(entity, change.field, change.new_value)
            if not self._exists(entity, uid) or not self._set(
                entity, uid, change.field, value, record
            ):
                _gone(record)
            return
        raise change_log.BadValue(f"'{change.op}' is not a kind of change")

    def _insert(self, entity: str, uid: str, fields: dict) -> bool:
        values: dict = {"uid": uid}
        for name, value in fields.items():
            ok, local = self._local(entity, name, value)
            if not ok:
                if not apply._may_lose_parent(entity, name):
                    return False
                local = None
            values[name] = local
        row_id = None
        if "id" in apply.table(entity).c:
            row_id = values["id"] = self._new_id(entity)
        self.rows[(entity, uid)] = row_id
        self.looked.add((entity, uid))
        self._queue(("insert", entity, tuple(values)), values, None)
        return True

    def _set(self, entity: str, uid: str, field: str, value, record: dict | None) -> bool:  # noqa: ANN001
        """Queue one field's update (apply.set_field); False when a parent it needs is gone."""
        apply.column(entity, field)
        ok, local = self._local(entity, field, value)
        if not ok:
            if not apply._may_lose_parent(entity, field):
                return False
            local = None
        self._queue(("update", entity, field), {"b_uid": uid, "b_value": local}, record)
        return True

    def _queue(self, shape: tuple, params: dict, record: dict | None) -> None:
        statement = self._statements.get(shape)
        if statement is None:
            kind, entity, what = shape
            t = apply.table(entity)
            if kind == "insert":
                statement = t.insert()
            else:
                statement = (
                    update(t)
                    .where(t.c.uid == bindparam("b_uid"))
                    .values({what: bindparam("b_value")})
                )
            self._statements[shape] = statement
        self.queue.append((statement, params, record))

    def delete(self, change: Change) -> None:
        """Delete the row and what its delete takes with it; every change recorded about
        them loses its text (written at once: the queue must be flushed first)."""
        gone = apply.descendants(self.conn, change.entity, change.row_uid)
        uids = [uid for _entity, uid in gone]
        for chunk in chunks(uids):
            self.conn.execute(
                update(T)
                .where(T.c.row_uid.in_(chunk), T.c.op != "delete")
                .values(old_value=None, new_value=None, gone=True)
            )
        apply.delete_row(self.conn, change.entity, change.row_uid)
        for key in gone:
            self.rows.pop(key, None)
            self.looked.add(key)

    # -- writing ---------------------------------------------------------------------------

    def flush(self) -> None:
        """Send the queued statements, in order, each run of one shape as one executemany.
        An update naming a row its run already updates starts a new run, so a run sent again
        a statement at a time (_send) means the same."""
        run: list[_Queued] = []
        named: set[str] = set()
        for item in self.queue:
            uid = item[1].get("b_uid")
            if run and (item[0] is not run[0][0] or uid in named):
                self._send(run)
                run, named = [], set()
            run.append(item)
            if uid is not None:
                named.add(uid)
        if run:
            self._send(run)
        self.queue.clear()

    def _send(self, run: list[_Queued]) -> None:
        statement = run[0][0]
        result = self.conn.execute(statement, [params for _s, params, _r in run])
        if all(record is None for _s, _p, record in run):
            return
        if result.rowcount == len(run):
            return  # each update names one row by its uid: every one of them matched
        for _s, params, record in run:
            if record is not None and (
                len(run) == 1 or self.conn.execute(statement, params).rowcount == 0
            ):
                _gone(record)
