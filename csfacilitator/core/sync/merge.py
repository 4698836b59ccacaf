"""Three-way merge of one pulled change into the laptop (docs/sync.md).

The base is what the laptop last had from the team; a field the laptop has not changed since
(no waiting change for it) simply takes the team's value. A field changed on both sides:
- to the same value: nothing to do, the laptop's waiting change is dropped;
- an order field (positions, timestamps): the later clock wins, no person is asked;
- otherwise a conflict: the laptop keeps its value, the conflict is recorded, and the laptop's
  change for that field is held back from the push until a person resolves it.
A delete from the team wins ("deleting means gone"): the row goes with its waiting changes.
Runs inside the pull's transaction with recording switched off (sync_state.applying).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, text

from csfacilitator.core import change_log
from csfacilitator.core.change_log import (
    LOG_COLUMNS,
    UUID_SQL,
    Change,
    decode,
    encode,
    is_order_field,
)
from csfacilitator.core.model import utcnow
from csfacilitator.core.sync import apply


@dataclass
class Tally:
    """What a pull did, gathered as it goes."""

    applied: int = 0
    entities: set[str] = field(default_factory=set)
    conference_uids: set[str] = field(default_factory=set)
    removed_conference_ids: set[int] = field(default_factory=set)
    new_conflicts: int = 0
    conflicts_changed: bool = False
    #: Within one transaction: {(entity, uid): id} and {conference uid: (exists, shared)};
    #: cleared at each delete and at the end of each transaction.
    ids: dict = field(default_factory=dict)
    conferences: dict = field(default_factory=dict)

    def forget(self) -> None:
        self.ids.clear()
        self.conferences.clear()

    def touch(self, change: Change) -> None:
        self.note(change.entity, change.conference_uid)

    def note(self, entity: str, conference_uid: str | None) -> None:
        self.applied += 1
        self.entities.add(entity)
        if conference_uid:
            self.conference_uids.add(conference_uid)


def team_change(row) -> Change:  # noqa: ANN001 - a row mapping of team_change
    return Change(
        change_id=row["change_id"],
        entity=row["entity"],
        row_uid=row["row_uid"],
        conference_uid=row["conference_uid"],
        op=row["op"],
        field=row["field"],
        old_value=row["old_value"],
        new_value=row["new_value"],
        hlc=int(row["hlc"]),
        device=row["device"],
        person=row["person"] or "",
        seq=int(row["seq"]),
    )


def _shared(conn: Connection, conference_uid: str | None) -> bool:
    return (
        conn.execute(
            text("SELECT 1 FROM sync_share WHERE conference_uid = :u"), {"u": conference_uid}
        ).first()
        is not None
    )


def _conference_exists(conn: Connection, conference_uid: str | None) -> bool:
    return apply.row_exists(conn, "conference", conference_uid) if conference_uid else False


def merge_remote(
    conn: Connection,
    change: Change,
    device: str,
    tally: Tally,
    *,
    replay: bool = False,
    new_rows: apply.NewRows | None = None,
) -> None:
    """Merge one team change. `replay`: the team's history of a conference shared again
    (engine.backfill), where this laptop's own old changes count like anyone's. `new_rows`:
    inserts of rows never seen here wait there to be written together; anything else writes
    them first, so every change still applies in the team's order."""
    if (
        change.op == "insert"
        and new_rows is not None
        and _add_new(change, device, tally, new_rows, replay=replay)
    ):
        return
    if new_rows is not None:
        new_rows.flush()
    if change.device == device and not replay:
        # Our own change, pushed by a sync cut off before it could note it: already here.
        # The older updates of the same field it stood for (engine.collapse) go with it.
        conn.execute(
            text(
                "DELETE FROM change_log WHERE change_id = :c OR (op = 'update' "
                "AND :op = 'update' AND row_uid = :u AND field = :f AND hlc <= :h)"
            ),
            {
                "c": change.change_id,
                "op": change.op,
                "u": change.row_uid,
                "f": change.field,
                "h": change.hlc,
            },
        )
        return
    conference_uid = change.row_uid if change.entity == "conference" else change.conference_uid
    if conference_uid not in tally.conferences:
        exists = _conference_exists(conn, conference_uid)
        tally.conferences[conference_uid] = (exists, exists and _shared(conn, conference_uid))
    exists, shared = tally.conferences[conference_uid]
    if exists:
        if not shared:
            return  # a conference this laptop stopped sharing: its copy here is left alone
    elif change.entity == "conference" and change.op == "insert":
        _share_here(conn, change.row_uid, tally)
    if change.op == "delete":
        _delete(conn, change, tally)
    elif change.op == "insert":
        _insert(conn, change, device, tally)
    elif change.op == "update":
        if change.field is None:
            raise change_log.BadValue(f"{change.entity}: an update names no field")
        decode(change.entity, change.field, change.new_value)  # refuse what does not fit
        if apply.row_exists(conn, change.entity, change.row_uid):
            _merge_field(conn, change, change.field, change.new_value, device, tally)
    else:
        raise change_log.BadValue(f"'{change.op}' is not a kind of change")


def _share_here(conn: Connection, conference_uid: str, tally: Tally) -> None:
    """A conference the team shares that this laptop is receiving for the first time."""
    conn.execute(
        text("INSERT INTO sync_share (conference_uid, shared_at) VALUES (:u, :t)"),
        {"u": conference_uid, "t": utcnow()},
    )
    tally.conferences[conference_uid] = (True, True)


def _add_new(
    change: Change, device: str, tally: Tally, new_rows: apply.NewRows, *, replay: bool
) -> bool:
    """An insert of a row never seen here (a conference new here, or a row of one this
    laptop has and shares), queued in `new_rows`, with the same outcome as `merge_remote`;
    False when it is anything else (then merged the usual way)."""
    if change.device == device and not replay:
        return False
    conference_uid = change.row_uid if change.entity == "conference" else change.conference_uid
    fields = change.fields()
    if change.entity == "conference" and new_rows.is_new("conference", change.row_uid):
        _share_here(new_rows.conn, change.row_uid, tally)
    elif tally.conferences.get(conference_uid) != (True, True):
        return False  # looked up (after writing what waits) the usual way
    added = new_rows.add(change.entity, change.row_uid, fields)
    if added is None:
        return False
    if added:
        tally.touch(change)
    return True


def _delete(conn: Connection, change: Change, tally: Tally) -> None:
    conference_id = None
    if change.entity == "conference":
        conference_id = apply.id_of(conn, "conference", change.row_uid)
    # The row's triggers remove its waiting changes and conflicts (and its children's).
    had_conflicts = conn.execute(
        text("SELECT count(*) FROM sync_conflict WHERE conference_uid = :c"),
        {"c": change.conference_uid},
    ).scalar()
    tally.forget()  # ids of deleted rows must not be handed to new children
    if apply.delete_row(conn, change.entity, change.row_uid):
        tally.touch(change)
        if conference_id is not None:
            tally.removed_conference_ids.add(conference_id)
        if had_conflicts:
            tally.conflicts_changed = True


def _insert(conn: Connection, change: Change, device: str, tally: Tally) -> None:
    fields = change.fields()
    if not apply.row_exists(conn, change.entity, change.row_uid):
        if apply.insert_row(conn, change.entity, change.row_uid, fields, tally.ids):
            tally.touch(change)
        return
    # The same row made on both sides (a section or an attendance, named by its parents and
    # key), or an insert seen again: merge it field by field, with a waiting insert here
    # counting as a change of every field.
    mine_inserted = conn.execute(
        text("SELECT hlc FROM change_log WHERE row_uid = :u AND op = 'insert'"),
        {"u": change.row_uid},
    ).scalar()
    # What the fields' merges look at, read once for the row rather than field by field (each
    # merge changes only its own field's value, waiting updates and conflict).
    values = apply.current_values(conn, change.entity, change.row_uid, fields)
    logged = conn.execute(
        text(
            "SELECT hlc, device, person, op, field FROM change_log WHERE row_uid = :u "
            "AND op IN ('insert', 'update') ORDER BY seq"
        ),
        {"u": change.row_uid},
    ).all()
    conflicts: dict[str, int] = dict(
        conn.execute(
            text("SELECT field, id FROM sync_conflict WHERE row_uid = :u"), {"u": change.row_uid}
        ).all()
    )
    for name in fields:
        here = _Here(
            values.get(name),
            [r[:3] for r in logged if r[3] == "insert" or r[4] == name],
            conflicts.get(name),
            any(r[3] == "update" and r[4] == name for r in logged),
        )
        _merge_field(
            conn, change, name, encode(change.entity, name, fields[name]), device, tally, here
        )
    conn.execute(
        text("DELETE FROM change_log WHERE row_uid = :u AND op = 'insert'"),
        {"u": change.row_uid},
    )
    if mine_inserted is None:
        return
    # An order field where this laptop's later value won (no person asked) still has to reach
    # the team: it waits as an update, with the insert's stamp, instead of the insert.
    for name in fields:
        if not is_order_field(name):
            continue
        mine = apply.current_value(conn, change.entity, change.row_uid, name)
        if mine != fields[name]:
            queue_update(
                conn,
                change,
                name,
                encode(change.entity, name, fields[name]),
                encode(change.entity, name, mine),
                int(mine_inserted),
            )


def queue_update(
    conn: Connection, row: Change, name: str, old_json: str | None, new_json: str, hlc: int
) -> None:
    """Record, as this laptop's change waiting to be pushed, that field `name` of `row`'s
    row went from `old_json` to `new_json` (stamped `hlc`)."""
    queue_change(
        conn,
        replace(row, op="update", field=name, old_value=old_json, new_value=new_json, hlc=hlc),
    )


def queue_change(conn: Connection, change: Change) -> None:
    """Add `change` to this laptop's waiting changes, with a new change id and this laptop's
    device and person (its own id, device and person are not used)."""
    conn.execute(
        text(
            f"INSERT INTO change_log ({LOG_COLUMNS}) SELECT {UUID_SQL}, :e, :u, :c, :op, "
            ":f, :o, :n, :h, s.device, s.person FROM sync_state AS s WHERE s.id = 1"
        ),
        {
            "e": change.entity,
            "u": change.row_uid,
            "c": change.conference_uid,
            "op": change.op,
            "f": change.field,
            "o": change.old_value,
            "n": change.new_value,
            "h": change.hlc,
        },
    )


def _waiting(conn: Connection, uid: str, name: str) -> Sequence[Any]:
    return conn.execute(
        text(
            "SELECT hlc, device, person FROM change_log WHERE row_uid = :u "
            "AND ((op = 'update' AND field = :f) OR op = 'insert') ORDER BY seq"
        ),
        {"u": uid, "f": name},
    ).all()


def _drop_waiting(conn: Connection, uid: str, name: str) -> None:
    conn.execute(
        text("DELETE FROM change_log WHERE row_uid = :u AND op = 'update' AND field = :f"),
        {"u": uid, "f": name},
    )


@dataclass(frozen=True)
class _Here:
    """What _merge_field reads about one field here, when its caller read it already: the
    value, the waiting entries (hlc, device, person) that touch it (its updates and the row's
    insert, oldest first), its open conflict's id, and whether any of those entries is an
    update (else dropping them has nothing to drop)."""

    mine: Any
    waiting: Sequence[Any]
    conflict: int | None
    updates_waiting: bool = True


def _merge_field(
    conn: Connection,
    change: Change,
    name: str,
    theirs_json: str | None,
    device: str,
    tally: Tally,
    here: _Here | None = None,
) -> None:
    entity, uid = change.entity, change.row_uid
    theirs = decode(entity, name, theirs_json)
    if here is None:
        conflict = conn.execute(
            text("SELECT id FROM sync_conflict WHERE row_uid = :u AND field = :f"),
            {"u": uid, "f": name},
        ).scalar()
        here = _Here(
            apply.current_value(conn, entity, uid, name), _waiting(conn, uid, name), conflict
        )
    mine, waiting, conflict = here.mine, here.waiting, here.conflict
    if is_order_field(name):
        latest = max(((w[0], w[1]) for w in waiting), default=None)
        if latest is None or (change.hlc, change.device) > latest:
            if mine != theirs and apply.set_field(conn, entity, uid, name, theirs, tally.ids):
                tally.touch(change)
            if here.updates_waiting:
                _drop_waiting(conn, uid, name)
        return
    if conflict is not None:
        if mine == theirs:  # the team came round to the laptop's value
            conn.execute(text("DELETE FROM sync_conflict WHERE id = :i"), {"i": conflict})
            if here.updates_waiting:
                _drop_waiting(conn, uid, name)
        else:
            conn.execute(
                text(
                    "UPDATE sync_conflict SET theirs_value = :v, theirs_person = :p, "
                    "theirs_hlc = :h WHERE id = :i"
                ),
                {"v": theirs_json, "p": change.person, "h": change.hlc, "i": conflict},
            )
        tally.conflicts_changed = True
        return
    if not waiting:
        if mine != theirs and apply.set_field(conn, entity, uid, name, theirs, tally.ids):
            tally.touch(change)
        return
    if mine == theirs:
        if here.updates_waiting:
            _drop_waiting(conn, uid, name)
        return
    last = waiting[-1]
    base = change.old_value if change.op == "update" else None
    record_conflict(conn, change, name, base, theirs_json, (last[2], last[0]), tally)


def record_conflict(
    conn: Connection,
    theirs: Change,
    name: str,
    base_json: str | None,
    theirs_json: str | None,
    mine: tuple[str, int],
    tally: Tally,
) -> None:
    """Field `name` of `theirs`' row was changed here and on the team to different values:
    the laptop keeps its value until a person chooses. `mine`: (who, when) of the laptop's."""
    conn.execute(
        text(
            "INSERT INTO sync_conflict (entity, row_uid, conference_uid, field, base_value, "
            "theirs_value, theirs_person, theirs_hlc, mine_person, mine_hlc, found_at) "
            "VALUES (:e, :u, :c, :f, :b, :t, :tp, :th, :mp, :mh, :at)"
        ),
        {
            "e": theirs.entity,
            "u": theirs.row_uid,
            "c": theirs.conference_uid,
            "f": name,
            "b": base_json,
            "t": theirs_json,
            "tp": theirs.person,
            "th": theirs.hlc,
            "mp": mine[0],
            "mh": mine[1],
            "at": utcnow(),
        },
    )
    tally.new_conflicts += 1
    tally.conflicts_changed = True
    tally.entities.add(theirs.entity)
    if theirs.conference_uid:
        tally.conference_uids.add(theirs.conference_uid)
