"""One sync: pull what the team has that this laptop has not seen, push what waits here,
until both agree (docs/sync.md).

Cut off at any moment, both sides stay consistent: a pull batch is applied in one SQLite
transaction together with the cursor that says how far it got; a push is one PostgreSQL
transaction, and the laptop forgets its pushed changes (and moves its cursor) only after it
commits. A push committed on the team but not noted here is recognised at the next pull (the
change comes back with this laptop's device id) and a change id is never stored twice."""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy import Engine, select, text

from csfacilitator.core import change_log
from csfacilitator.core.change_log import Change
from csfacilitator.core.model import Base, ChangeLog, TeamChange, utcnow
from csfacilitator.core.rows import chunks
from csfacilitator.core.sync import apply, reshare
from csfacilitator.core.sync import push as push_mod
from csfacilitator.core.sync.merge import Tally, merge_remote, team_change
from csfacilitator.core.sync.records import SyncResult, SyncStatus, pulled_changes
from csfacilitator.errors import UserError

log = logging.getLogger(__name__)

PULL_BATCH = 2000
MAX_ROUNDS = 20
T = TeamChange.__table__
LOG = Base.metadata.tables[ChangeLog.__tablename__]


class SyncError(UserError):
    """The sync could not finish; the message is one line, and nothing half-done is kept."""


def _state(conn) -> tuple[str, int]:  # noqa: ANN001
    row = conn.execute(text("SELECT device, cursor FROM sync_state WHERE id = 1")).one()
    return row[0], int(row[1])


def _begin_team(team: Engine):  # noqa: ANN202
    from csfacilitator.storage.engine import IMMEDIATE_OPTION

    if team.dialect.name == "sqlite":  # the tests' stand-in for PostgreSQL
        return team.execution_options(**{IMMEDIATE_OPTION: True}).begin()
    return team.begin()


def pull(db, team: Engine, tally: Tally) -> int:  # noqa: ANN001 - Database
    """Apply the team's changes after this laptop's cursor, a batch per transaction."""
    total = 0
    while True:
        with db.read_session() as s:
            device, cursor = _state(s.connection())
        with team.connect() as tc:
            rows = (
                tc.execute(select(T).where(T.c.seq > cursor).order_by(T.c.seq).limit(PULL_BATCH))
                .mappings()
                .all()
            )
        if not rows:
            return total
        applied = _apply_rows(db, rows, tally, cursor=cursor)
        if applied is None:
            continue  # another sync moved on meanwhile: read again from its cursor
        total += applied


def _apply_rows(db, rows, tally: Tally, *, cursor: int | None, replay: bool = False) -> int | None:  # noqa: ANN001, E501
    """Merge team rows in one local transaction; with `cursor`, move the cursor past them in
    the same transaction (None returned when the cursor moved meanwhile: nothing applied)."""
    total = 0
    tally.forget()
    with db.session() as s:
        conn = s.connection()
        device, now = _state(conn)
        if cursor is not None and now != cursor:
            return None
        conn.execute(text("UPDATE sync_state SET applying = 1 WHERE id = 1"))
        new_rows = apply.NewRows(conn, tally.ids)
        new_rows.look_up(
            (r["entity"], r["row_uid"]) for r in rows if r["op"] == "insert" and not r["gone"]
        )
        top_hlc = 0
        for row in rows:
            top_hlc = max(top_hlc, int(row["hlc"]))
            if row["gone"]:
                continue  # a change to a row deleted since: none of its text is kept
            change = team_change(row)
            try:
                merge_remote(conn, change, device, tally, replay=replay, new_rows=new_rows)
            except (change_log.BadValue, ValueError, TypeError, KeyError) as exc:
                raise SyncError(
                    f"The team store holds a change this laptop cannot read (change "
                    f"{change.seq}: {exc}); nothing was changed here."
                ) from exc
            if change.device != device:
                total += 1
        new_rows.flush()
        conn.execute(
            text("UPDATE sync_state SET applying = 0, clock = max(clock, :h) WHERE id = 1"),
            {"h": top_hlc},
        )
        if cursor is not None:
            conn.execute(
                text("UPDATE sync_state SET cursor = :c WHERE id = 1"), {"c": int(rows[-1]["seq"])}
            )
    tally.forget()
    return total


def backfill(db, team: Engine, tally: Tally) -> int:  # noqa: ANN001
    """Conferences whose history this laptop has not merged, fetched up to the cursor in one
    transaction each:
    - ones the team shows this login that the laptop never received, because they became
      visible (shared with this person) after the cursor had passed their changes;
    - ones shared again here after being unshared: the team's history is replayed against
      the laptop's copy (which waits whole as inserts), so every field that differs becomes
      a conflict for a person instead of the laptop's copy overwriting the team's."""
    conference = Base.metadata.tables["conference"]
    with team.connect() as tc:
        on_team = set(tc.execute(select(conference.c.uid)).scalars())
    with db.read_session() as s:
        here = set(s.execute(select(conference.c.uid)).scalars())
        reshared = set(
            s.execute(
                text("SELECT row_uid FROM change_log WHERE entity = 'conference' AND op = 'insert'")
            ).scalars()
        )
        _device, cursor = _state(s.connection())
    reshared &= on_team
    total = 0
    for uid in sorted((on_team - here) | reshared):
        with team.connect() as tc:
            rows = (
                tc.execute(
                    select(T).where(T.c.conference_uid == uid, T.c.seq <= cursor).order_by(T.c.seq)
                )
                .mappings()
                .all()
            )
        if rows:
            total += _apply_rows(db, rows, tally, cursor=None, replay=uid in reshared) or 0
    return total


def push(db, team: Engine) -> int:  # noqa: ANN001
    """Push the waiting changes (except those held back by an open conflict). Raises
    push.Behind when the team moved on since the last pull."""
    with db.read_session() as s:
        conn = s.connection()
        device, cursor = _state(conn)
        held = {
            (r[0], r[1]) for r in conn.execute(text("SELECT row_uid, field FROM sync_conflict"))
        }
        waiting = [
            c
            for c in change_log.pending(conn)
            if not (c.op == "update" and (c.row_uid, c.field) in held)
        ]
    if not waiting:
        return 0
    with _begin_team(team) as tc:
        written, new_top = push_mod.push_changes(tc, collapse(waiting), cursor)
    with db.session() as s:
        conn = s.connection()
        for chunk in chunks([c.change_id for c in waiting]):
            conn.execute(LOG.delete().where(LOG.c.change_id.in_(chunk)))
        # Nothing else reached the team between the pull and this push (the push checked
        # under its lock), so the cursor may skip over this laptop's own changes.
        conn.execute(
            text("UPDATE sync_state SET cursor = :t WHERE id = 1 AND cursor = :c"),
            {"t": new_top, "c": cursor},
        )
    return written


def collapse(waiting: list[Change]) -> list[Change]:
    """One change per field: several waiting updates of the same field (text saved as it is
    typed, a conference's updated_at) go as one, with the first one's old value and the last
    one's new value and id, at the last one's place in the order (later is always safe: what
    it refers to exists by then). Nobody saw the steps in between. A row's delete removes its
    earlier waiting entries, so all the updates of a field follow the row's insert."""
    last: dict[tuple[str, str | None], int] = {}
    first_old: dict[tuple[str, str | None], str | None] = {}
    for index, change in enumerate(waiting):
        if change.op == "update":
            key = (change.row_uid, change.field)
            last[key] = index
            first_old.setdefault(key, change.old_value)
    sent = []
    for index, change in enumerate(waiting):
        if change.op != "update":
            sent.append(change)
            continue
        key = (change.row_uid, change.field)
        if last[key] == index:
            sent.append(replace(change, old_value=first_old[key]))
    return sent


def check_team_schema(team: Engine) -> None:
    """Refuse, in one line and before anything changes, a team store whose schema is not
    this version's: none yet, older (not upgraded) or newer."""
    if team.dialect.name != "postgresql":
        return  # the tests' SQLite stand-in is made from the same template
    from csfacilitator.storage import team_store
    from csfacilitator.storage.schema_version import HEAD

    with team.connect() as c:
        revision = team_store.stored_revision(c)
    team_store.check_revision(revision)
    if revision is None:
        raise SyncError("The team store has no tables yet: run `csfacilitator team init URL`.")
    if revision != HEAD:
        raise SyncError(
            f"The team store is at an older schema ({revision}) than this laptop ({HEAD}): "
            "upgrade it first (`csfacilitator team upgrade`)."
        )


def sync_now(db, team: Engine) -> SyncResult:  # noqa: ANN001
    """Pull, push, and pull again until the team store and the laptop agree."""
    from sqlalchemy.exc import DBAPIError

    from csfacilitator.core.sync import leaving, team_retention

    try:
        check_team_schema(team)
    except DBAPIError as exc:  # a login the team store no longer lets in: leaving.py
        ended = leaving.refused(db, exc)
        if ended is not None:
            raise ended from exc
        raise
    tally = Tally()
    pulled = pushed = 0
    before = team_retention.local_conferences(db)
    stopped: list[str] = []
    try:  # before anything is pulled: conferences shared again here (sync/reshare.py)
        pulled += reshare.merge_reshared(db, team, tally)
    except (change_log.BadValue, ValueError, TypeError, KeyError) as exc:
        raise SyncError(
            f"The team store holds a change this laptop cannot read ({exc}); nothing was "
            "changed here."
        ) from exc
    for _round in range(MAX_ROUNDS):
        pulled += pull(db, team, tally)
        if _round == 0:
            pulled += backfill(db, team, tally)
            # Before anything is pushed: conferences no longer shared with this login stop
            # syncing (a push to them would be refused, and must not put them back).
            stopped = leaving.check_before_push(db, team)
        try:
            pushed += push(db, team)
        except push_mod.Behind:
            continue
        except change_log.BadValue as exc:
            raise SyncError(f"A change waiting here could not be pushed: {exc}") from exc
        break
    else:
        raise SyncError(
            "The team store kept changing while this laptop synced; try again in a moment."
        )
    with db.session() as s:
        conn = s.connection()
        conn.execute(text("UPDATE sync_state SET last_sync_at = :t WHERE id = 1"), {"t": utcnow()})
        open_conflicts = int(conn.execute(text("SELECT count(*) FROM sync_conflict")).scalar())
        ids = set()
        for uid in tally.conference_uids:
            found = conn.execute(
                text("SELECT id FROM conference WHERE uid = :u"), {"u": uid}
            ).scalar()
            if found is not None:
                ids.add(int(found))
    changed = pulled_changes(
        set(tally.entities), ids, set(tally.removed_conference_ids), tally.conflicts_changed
    )
    removed = team_retention.removed_by_team(team, before, tally.removed_conference_ids)
    if tally.removed_conference_ids:
        from csfacilitator.storage.reclaim import reclaim_space

        reclaim_space(db)  # what the pull deleted leaves no trace in the file or its log
    return SyncResult(
        pushed,
        pulled,
        open_conflicts,
        tally.new_conflicts,
        changed,
        no_longer_shared=leaving.listed(db, stopped),
        removed_by_team=removed,
    )


def sync_status(db) -> SyncStatus:  # noqa: ANN001
    with db.read_session() as s:
        conn = s.connection()
        row = conn.execute(
            text("SELECT last_sync_at, device, person FROM sync_state WHERE id = 1")
        ).one()
        waiting = change_log.waiting_count(conn)
        conflicts = int(conn.execute(text("SELECT count(*) FROM sync_conflict")).scalar())
        shared = int(conn.execute(text("SELECT count(*) FROM sync_share")).scalar())
    last = row[0]
    if isinstance(last, str):
        import datetime as dt

        last = dt.datetime.fromisoformat(last)
    return SyncStatus(last, waiting, conflicts, shared, row[1], row[2])


def status_parts(db, _team_status=None) -> list[tuple[str, str]]:  # noqa: ANN001
    """Lines for `team status` (team_store.STATUS_PARTS): last synced, waiting, conflicts."""
    if db is None:
        return []
    status = sync_status(db)
    when = status.last_sync_at.strftime("%Y-%m-%d %H:%M UTC") if status.last_sync_at else "never"
    return [
        ("Last synced", when),
        ("Changes waiting", str(status.waiting)),
        ("Conflicts", str(status.conflicts)),
        ("Conferences shared", str(status.shared)),
    ]


def set_person(db, person: str) -> None:  # noqa: ANN001
    """The name stamped on this laptop's changes ("who made it" in a conflict)."""
    from csfacilitator.core.textclean import clean_text

    with db.session() as s:
        s.connection().execute(
            text("UPDATE sync_state SET person = :p WHERE id = 1"),
            {"p": clean_text(person, multiline=False)},
        )
