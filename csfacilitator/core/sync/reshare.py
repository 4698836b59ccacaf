"""Sharing a conference again on a laptop that unshared it: a three-way merge (docs/sync.md).

Unsharing remembers how far this laptop had merged the team's changes to the conference (its
cursor then) and which of its fields were in conflict. What the team had then, rebuilt from
the team's own change history up to that point, is the *base*: what the laptop last had in
common with the team. At the first sync after sharing it again, before anything is pulled or
pushed, each row and field is settled against that base, in one transaction:

| the field (or row) … | result |
| --- | --- |
| the same here and on the team | nothing to do |
| changed only on the team (here it is still the base) | the team's value is taken |
| changed only here (the team's is still the base) | kept, and waits to be pushed |
| changed on both, differently (or in conflict when unshared) | a conflict for a person |
| an order field changed on both | the team's value, nobody asked |
| a row added on the team / here | added here / waits to be pushed |
| a row deleted on the team / here | deleted here / its delete waits to be pushed |

The whole copy that sharing queued (every row as an insert) is dropped in the same
transaction: only the changes found above wait. The team's changes after the cursor are then
pulled as usual, against those waiting changes. A conference the team no longer has is
pushed whole, as any newly shared one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, select, text

from csfacilitator.core import change_log
from csfacilitator.core.change_log import (
    ALSO_SHARED,
    Change,
    conference_uid_sql,
    decode,
    decode_stored,
    encode,
    is_order_field,
)
from csfacilitator.core.model import Base, TeamChange
from csfacilitator.core.sync import apply
from csfacilitator.core.sync.merge import Tally, queue_change, record_conflict
from csfacilitator.core.sync.merge import team_change as change_of

#: `setting` key (followed by the conference's uid) of what unsharing remembers: JSON
#: {"cursor": the laptop's cursor then, "conflicts": [[row uid, field], ...] open then}.
KEY = "sync.unshared."
T = TeamChange.__table__
_MISSING = object()


def remember(conn: Connection, conference_uid: str) -> None:
    """Unsharing: remember the base of a later three-way merge. Nothing when the team never
    had the conference (its first push still waits): sharing again pushes it whole."""
    first_push_waits = conn.execute(
        text(
            "SELECT 1 FROM change_log WHERE entity = 'conference' AND op = 'insert' AND row_uid = :u"
        ),
        {"u": conference_uid},
    ).first()
    if first_push_waits:
        return  # an earlier unshare's record, if any, still says what the team had
    cursor = int(conn.execute(text("SELECT cursor FROM sync_state WHERE id = 1")).scalar_one())
    held = [
        list(r)
        for r in conn.execute(
            text("SELECT row_uid, field FROM sync_conflict WHERE conference_uid = :u"),
            {"u": conference_uid},
        )
    ]
    conn.execute(
        text("INSERT OR REPLACE INTO setting (key, value) VALUES (:k, :v)"),
        {"k": KEY + conference_uid, "v": json.dumps({"cursor": cursor, "conflicts": held})},
    )


@dataclass(frozen=True)
class _Remembered:
    cursor: int
    conflicts: frozenset[tuple[str, str]]


def _remembered(conn: Connection) -> dict[str, _Remembered | None]:
    """{conference uid: what unsharing remembered, None where it cannot be read}."""
    found: dict[str, _Remembered | None] = {}
    for uid, value in conn.execute(
        text("SELECT substr(key, :n), value FROM setting WHERE key LIKE :p"),
        {"n": len(KEY) + 1, "p": KEY + "%"},
    ):
        try:
            stored = json.loads(value)
            held = frozenset((str(r[0]), str(r[1])) for r in stored.get("conflicts", ()))
            found[uid] = _Remembered(int(stored["cursor"]), held)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            found[uid] = None  # damaged: merged as if nothing were remembered
    return found


def merge_reshared(db, team: Engine, tally: Tally) -> int:  # noqa: ANN001 - Database
    """Run by the sync before its first pull: merge each conference shared again since it was
    unshared here (see the module). Returns the number of the team's values taken."""
    with db.read_session() as s:
        conn = s.connection()
        remembered = _remembered(conn)
        here = set(conn.execute(text("SELECT uid FROM conference")).scalars())
        shared = set(conn.execute(text("SELECT conference_uid FROM sync_share")).scalars())
    if not remembered:
        return 0
    stale = [uid for uid, kept in remembered.items() if uid not in here or kept is None]
    due = sorted(uid for uid in remembered if uid in here and uid in shared and uid not in stale)
    on_team: set[str] = set()
    if due:
        conference = Base.metadata.tables["conference"]
        with team.connect() as tc:
            on_team = set(
                tc.execute(select(conference.c.uid).where(conference.c.uid.in_(due))).scalars()
            )
    # Gone from here, or no longer on the team (it is pushed whole, as a newly shared one).
    stale += [uid for uid in due if uid not in on_team]
    if stale:
        with db.session() as s:
            for uid in stale:
                s.connection().execute(text("DELETE FROM setting WHERE key = :k"), {"k": KEY + uid})
    total = 0
    for uid in due:
        kept = remembered[uid]
        if uid in on_team and kept is not None:
            total += _merge_one(db, team, uid, kept, tally)
    return total


def _merge_one(db, team: Engine, conference_uid: str, kept: _Remembered, tally: Tally) -> int:  # noqa: ANN001
    while True:
        with db.read_session() as s:
            cursor = int(
                s.connection()
                .execute(text("SELECT cursor FROM sync_state WHERE id = 1"))
                .scalar_one()
            )
        with team.connect() as tc:
            rows = (
                tc.execute(
                    select(T)
                    .where(T.c.conference_uid == conference_uid, T.c.seq <= cursor)
                    .order_by(T.c.seq)
                )
                .mappings()
                .all()
            )
        with db.session() as s:
            conn = s.connection()
            now = int(conn.execute(text("SELECT cursor FROM sync_state WHERE id = 1")).scalar_one())
            if now != cursor:
                continue  # another sync pulled meanwhile: read the team's history again
            settled = _settle(conn, conference_uid, kept, rows, tally)
            conn.execute(text("DELETE FROM setting WHERE key = :k"), {"k": KEY + conference_uid})
        tally.forget()
        return settled


@dataclass
class _Team:
    """The team's history of one conference, folded: its rows now and at the base."""

    base_cursor: int
    now: dict[tuple[str, str], dict] = field(default_factory=dict)
    base: dict[tuple[str, str], dict] = field(default_factory=dict)
    #: Rows the team had at the base (their insert is at or before it, even if since gone).
    known: set[tuple[str, str]] = field(default_factory=set)
    #: The last change to each row and field ((row uid, field) -> Change), for a conflict.
    last: dict[tuple[str, str], Change] = field(default_factory=dict)
    deleted_since: list[Change] = field(default_factory=list)

    def add(self, change: Change, gone: bool) -> None:
        key = (change.entity, change.row_uid)
        at_base = change.seq <= self.base_cursor
        if change.op == "insert":
            if at_base:
                self.known.add(key)
            if gone:
                return  # deleted since: none of its text was kept
            fields = change.fields()
            self.now[key] = dict(fields)
            if at_base:
                self.base[key] = dict(fields)
            for name in fields:
                self.last[(change.row_uid, name)] = change
        elif change.op == "update" and not gone and change.field is not None:
            value = decode(change.entity, change.field, change.new_value)
            if key in self.now:
                self.now[key][change.field] = value
            if at_base and key in self.base:
                self.base[key][change.field] = value
            self.last[(change.row_uid, change.field)] = change
        elif change.op == "delete":
            self.now.pop(key, None)
            self.known.discard(key)  # a row named again later (a uid from its key) is new
            if at_base:
                self.base.pop(key, None)
            else:
                self.deleted_since.append(change)


def _local_rows(conn: Connection, conference_uid: str) -> tuple[dict, dict, set]:
    """({(table, uid): fields}, {(table, uid): the row's insert JSON}, rows here that belong
    to the conference but do not sync: a link whose other conference is not shared)."""
    fields: dict[tuple[str, str], dict] = {}
    payloads: dict[tuple[str, str], str] = {}
    for table, uid, payload in change_log.conference_rows(conn, conference_uid):
        raw = json.loads(payload)
        fields[(table, uid)] = {k: decode_stored(table, k, v) for k, v in raw.items()}
        payloads[(table, uid)] = payload
    not_synced = set()
    for table in ALSO_SHARED:
        owner = conference_uid_sql(table, "r")
        for uid in conn.execute(
            text(f"SELECT r.uid FROM {table} AS r WHERE {owner} = :c"), {"c": conference_uid}
        ).scalars():
            if (table, uid) not in fields:
                not_synced.add((table, uid))
    return fields, payloads, not_synced


@dataclass
class _Settling:
    """One conference being settled: what this laptop takes, and what comes to wait."""

    conn: Connection
    conference_uid: str
    stamp: int
    person: str
    tally: Tally
    taken: int = 0
    inserts: list[Change] = field(default_factory=list)
    updates: list[Change] = field(default_factory=list)
    deletes: list[Change] = field(default_factory=list)

    def took(self, entity: str) -> None:
        self.tally.note(entity, self.conference_uid)
        self.taken += 1

    def waiting(
        self,
        key: tuple[str, str],
        op: str,
        name: str | None = None,
        old_value: str | None = None,
        new_value: str | None = None,
    ) -> Change:
        """A change of this laptop's to wait for the push (its id, device and person are
        given when it is queued)."""
        entity, uid = key
        return Change(
            "", entity, uid, self.conference_uid, op, name, old_value, new_value, self.stamp, "", ""
        )


def _settle(conn: Connection, conference_uid: str, kept: _Remembered, rows, tally: Tally) -> int:  # noqa: ANN001
    team = _Team(kept.cursor)
    held = kept.conflicts
    for row in rows:
        team.add(change_of(row), bool(row["gone"]))
    stamp, _device, person = change_log.tick(conn)
    settling = _Settling(conn, conference_uid, stamp, person, tally)
    # What sharing queued (the whole copy) and anything recorded since: replaced by what
    # differs from the team, found below.
    conn.execute(text("DELETE FROM change_log WHERE conference_uid = :c"), {"c": conference_uid})
    conn.execute(text("UPDATE sync_state SET applying = 1 WHERE id = 1"))
    # Rows deleted on the team since: deleted here too (deleting means gone), with their
    # children, before anything else is compared.
    for change in team.deleted_since:
        if apply.delete_row(conn, change.entity, change.row_uid):
            settling.took(change.entity)
    tally.forget()
    mine, payloads, not_synced = _local_rows(conn, conference_uid)
    _rows_only_there(settling, team, [k for k in team.now if k not in mine and k not in not_synced])
    _rows_only_here(settling, team, {k: v for k, v in payloads.items() if k not in team.now})
    for key, values in mine.items():
        if key in team.now:
            _fields(settling, team, key, values, held)
    # Added rows first (an update may name one), parents first; deletes last.
    for change in settling.inserts + settling.updates + settling.deletes:
        queue_change(conn, change)
    conn.execute(text("UPDATE sync_state SET applying = 0 WHERE id = 1"))
    return settling.taken


def _rows_only_there(settling: _Settling, team: _Team, keys: list[tuple[str, str]]) -> None:
    """The team's rows this laptop lacks, in the order the team added them (parents first):
    deleted here while unshared (the delete waits), or added on the team (added here)."""
    conn, ids = settling.conn, settling.tally.ids
    for key in keys:
        if key in team.known:
            settling.deletes.append(settling.waiting(key, "delete"))
        elif apply.insert_row(conn, key[0], key[1], team.now[key], ids):
            settling.took(key[0])
    # References to rows the team added after the row that names them.
    for key in keys:
        if key in team.known:
            continue
        for name in change_log.model_foreign_keys(key[0]):
            value = team.now[key].get(name)
            if name in team.now[key] and apply.current_value(conn, key[0], key[1], name) != value:
                apply.set_field(conn, key[0], key[1], name, value, ids)


def _rows_only_here(settling: _Settling, team: _Team, payloads: dict) -> None:
    """This laptop's rows the team lacks: deleted on the team (deleted here, with their
    children), or added here (the insert waits)."""
    for key in payloads:
        if key in team.known and apply.delete_row(settling.conn, key[0], key[1]):
            settling.took(key[0])
            settling.tally.forget()
    for key, payload in payloads.items():
        if key not in team.known and apply.row_exists(settling.conn, key[0], key[1]):
            settling.inserts.append(settling.waiting(key, "insert", new_value=payload))


def _fields(
    settling: _Settling,
    team: _Team,
    key: tuple[str, str],
    values: dict,
    held: frozenset[tuple[str, str]],
) -> None:
    """A row on both sides, field by field against the base."""
    entity, uid = key
    theirs_row, base_row = team.now[key], team.base.get(key, {})
    for name, value in values.items():
        if name not in theirs_row or value == theirs_row[name]:
            continue
        theirs = theirs_row[name]
        base = _MISSING if (uid, name) in held else base_row.get(name, _MISSING)
        if base is not _MISSING and value == base:  # only the team changed it
            apply.set_field(settling.conn, entity, uid, name, theirs, settling.tally.ids)
            settling.took(entity)
        elif base is not _MISSING and theirs == base:  # only this laptop changed it
            old, new = encode(entity, name, base), encode(entity, name, value)
            settling.updates.append(settling.waiting(key, "update", name, old, new))
        elif is_order_field(name):  # both changed an order: the team's, nobody asked
            apply.set_field(settling.conn, entity, uid, name, theirs, settling.tally.ids)
            settling.took(entity)
        else:
            record_conflict(
                settling.conn,
                team.last.get((uid, name)) or settling.waiting(key, "update"),
                name,
                None if base is _MISSING else encode(entity, name, base),
                encode(entity, name, theirs),
                (settling.person, settling.stamp),
                settling.tally,
            )
