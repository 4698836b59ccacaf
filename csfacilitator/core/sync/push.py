"""The team store's side: a push writes the laptop's waiting changes into `team_change` (one
global order, each change id once) and applies them to the team's tables, in ONE transaction
that first takes an advisory lock, so changes get their sequence numbers in commit order and a
pull cursor never skips one. The push is refused (and the laptop pulls again) when the team
has changes the laptop has not pulled yet: merging is the laptop's job, never the server's."""

from __future__ import annotations

from sqlalchemy import Connection, func, select, update

from csfacilitator.core import change_log
from csfacilitator.core.change_log import Change, decode
from csfacilitator.core.model import Base, TeamChange, utcnow
from csfacilitator.core.rows import chunks
from csfacilitator.core.sync import apply

#: pg_advisory_xact_lock key every writer of team_change takes first.
PUSH_LOCK_KEY = 7271720017

T = Base.metadata.tables[TeamChange.__tablename__]


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
    sequence). Raises Behind when the team has changes after `cursor`. Inside a transaction."""
    lock(tc)
    if top(tc) > cursor:
        raise Behind
    known: set[str] = set()
    ids = [c.change_id for c in changes]
    for chunk in chunks(ids):
        known.update(tc.execute(select(T.c.change_id).where(T.c.change_id.in_(chunk))).scalars())
    records: list[dict] = []
    written = 0
    for change in changes:
        if change.change_id in known:
            continue  # exactly once: pushed before by a sync cut off after its commit
        known.add(change.change_id)
        if change.op == "delete":
            _flush(tc, records)  # the delete blanks the values recorded before it
        gone = not server_apply(tc, change)
        records.append(
            {
                "change_id": change.change_id,
                "entity": change.entity,
                "row_uid": change.row_uid,
                "conference_uid": change.conference_uid,
                "op": change.op,
                "field": change.field,
                "old_value": None if gone else change.old_value,
                "new_value": None if gone else change.new_value,
                "hlc": change.hlc,
                "device": change.device,
                "person": change.person,
                "gone": gone,
                "received_at": utcnow(),
            }
        )
        written += 1
    _flush(tc, records)
    return written, top(tc)


def _flush(tc: Connection, records: list[dict]) -> None:
    """Insert the gathered change records in one statement (in order: seq follows it)."""
    if records:
        tc.execute(T.insert(), records)
        records.clear()


def server_apply(tc: Connection, change: Change) -> bool:
    """Apply one change to the team's tables; False when its row is gone there (then none of
    its text is kept)."""
    entity, uid = change.entity, change.row_uid
    if change.op == "insert":
        fields = change.fields()
        if apply.row_exists(tc, entity, uid):
            for name, value in fields.items():
                apply.set_field(tc, entity, uid, name, value)
            return True
        return apply.insert_row(tc, entity, uid, fields)
    if change.op == "update":
        if change.field is None:
            raise change_log.BadValue(f"{entity}: an update names no field")
        value = decode(entity, change.field, change.new_value)
        return apply.set_field(tc, entity, uid, change.field, value)
    if change.op == "delete":
        gone = apply.descendants(tc, entity, uid)
        for chunk in chunks(gone):
            tc.execute(
                update(T)
                .where(T.c.row_uid.in_(chunk), T.c.op != "delete")
                .values(old_value=None, new_value=None, gone=True)
            )
        apply.delete_row(tc, entity, uid)
        return True
    raise change_log.BadValue(f"'{change.op}' is not a kind of change")
