"""Retention across the team (issue 18): a team manager lists the team store's conferences
past their retention date (and not on legal hold) and deletes one; each laptop that has it
removes it at its next sync, and says so.

The rule is the laptop's own (core/retention.py: `due_for_deletion` lists, `deletion_due_on`
answers for one conference), run on the team store through the manager's login
(team_store.TeamReader), with the retention period of the manager's laptop (Preferences:
"List closed conferences for deletion after"; the team store keeps no settings).

Deleting goes through the sync machinery: one `delete` change of the conference (marked
`field = "retention"`) written by push.push_changes under the push lock, so the team's tables
lose the conference and its rows (every earlier change's text blanked, "deleting means gone"),
the audit trail records who deleted what and when (never the text), and every laptop that
syncs it pulls the delete. The manager takes the conference on (a share with their own login,
removed again in the same transaction) because the team's policies let a login write only
the conferences shared with it. Legal hold and the due date are checked again inside that
transaction, under the push lock, so a hold set a moment before wins."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Engine, select, text

from csfacilitator.core import retention
from csfacilitator.errors import NotFound, UserError

#: The `field` of a conference's delete change written for retention (read back by laptops
#: to say why a conference went).
RETENTION = "retention"


@dataclass(frozen=True)
class TeamDue:
    """A conference on the team store whose retention period has run out."""

    uid: str
    title: str
    closed_on: dt.date
    due_on: dt.date
    archived: bool
    shared_with: tuple[str, ...]


@dataclass(frozen=True)
class TeamDeleted:
    uid: str
    title: str
    removed_here: bool  # this laptop's copy went too


@dataclass(frozen=True)
class RemovedByTeam:
    """A conference a pull deleted from this laptop, and why (for the words after a sync)."""

    conference_id: int
    title: str
    by: str  # the person named on the delete
    retention: bool  # deleted by a manager because its retention period ended

    def sentence(self) -> str:
        who = f" by {self.by}" if self.by else ""
        if self.retention:
            return (
                f"Removed '{self.title}' from this laptop: its retention period has ended and "
                f"it was deleted from the team store{who}."
            )
        return f"Removed '{self.title}' from this laptop: it was deleted on the team store{who}."


def _require_manager(conn) -> str:  # noqa: ANN001
    from csfacilitator.storage import team_security

    login = str(conn.execute(text("SELECT session_user")).scalar() or "")
    if team_security.role_of(conn) != "manager":
        raise UserError(
            "Only a team manager sees and deletes conferences past their retention date "
            "across the team (your own are on the home page's list)."
        )
    return login


def due_across_team(engine: Engine, months: int, today: dt.date | None = None) -> list[TeamDue]:
    """The team store's conferences due for deletion on or before `today` (closed, with a
    closing date, past `months`, not on legal hold), oldest first. Managers only."""
    from csfacilitator.storage import team_store

    today = today or dt.date.today()
    with team_store.classified(engine), engine.connect() as conn:
        _require_manager(conn)
    reader = team_store.TeamReader(engine)
    # TeamReader is shaped like the laptop's Database for the core's read-only rules.
    due = retention.due_for_deletion(reader, today, months)  # type: ignore[arg-type]
    if not due:
        return []
    with reader.read_session() as s:
        conn = s.connection()
        uids: dict[int, str] = dict(conn.execute(text("SELECT id, uid FROM conference")).all())
        shares: dict[str, list[str]] = {}
        for uid, login in conn.execute(
            text("SELECT conference_uid, login::text FROM team_share ORDER BY login")
        ):
            shares.setdefault(uid, []).append(login)
    return [
        TeamDue(
            uid=uids[d.conference_id],
            title=d.title,
            closed_on=d.closed_on,
            due_on=d.due_on,
            archived=d.archived,
            shared_with=tuple(shares.get(uids[d.conference_id], ())),
        )
        for d in due
        if d.conference_id in uids
    ]


def _find(conn, ref: str):  # noqa: ANN001, ANN202 - a Row of the conference
    from csfacilitator.core.model import Conference

    t = Conference.__table__
    columns = (t.c.uid, t.c.title, t.c.status, t.c.closed_on, t.c.legal_hold)
    ref = ref.strip()
    rows = conn.execute(select(*columns).where((t.c.uid == ref) | (t.c.title == ref))).all()
    if not rows:
        raise NotFound(f"The team store has no conference with the uid or title '{ref}'.")
    if len(rows) > 1:
        raise UserError(
            f"{len(rows)} conferences on the team store are called '{ref}': name it by its uid "
            "(team retention lists them)."
        )
    return rows[0]


def delete_due(
    db,  # noqa: ANN001 - the manager's laptop (its clock, device and name stamp the delete)
    engine: Engine,
    ref: str,
    months: int,
    today: dt.date | None = None,
) -> TeamDeleted:
    """Delete one conference past its retention date from the team store (uid or exact
    title), through the change log, and this laptop's copy if it has one. Refused, changing
    nothing, when it is on legal hold, not closed, or not yet due, or for anyone but a
    manager."""
    from csfacilitator.core import change_log
    from csfacilitator.core.change_log import Change
    from csfacilitator.core.sync import push as push_mod
    from csfacilitator.storage import team_security, team_store

    today = today or dt.date.today()
    with db.session() as s:  # the laptop's clock, so the change sorts after what it saw
        stamp, device, person = change_log.tick(s.connection())
    with team_store.classified(engine), engine.begin() as tc:
        login = _require_manager(tc)
        # Every push takes this lock first: none changes the conference (a legal hold set on
        # a laptop, say) between the check below and the delete.
        push_mod.lock(tc)
        row = _find(tc, ref)
        title = row.title or "(untitled)"
        if row.legal_hold:
            raise UserError(
                f"'{title}' is on legal hold: it cannot be deleted until the hold is lifted "
                "(Overview → Legal hold)."
            )
        due_on = retention.deletion_due_on(row, months)
        if due_on is None:
            raise UserError(
                f"'{title}' is not due for deletion: only a closed conference with a closing "
                "date falls due, and only when a retention period is set."
            )
        if due_on > today:
            raise UserError(f"'{title}' is not due for deletion until {due_on:%d/%m/%Y}.")
        taken_on = team_security.share(tc, row.uid, login)
        change = Change(
            change_id=str(uuid.uuid4()),
            entity="conference",
            row_uid=row.uid,
            conference_uid=row.uid,
            op="delete",
            field=RETENTION,
            old_value=None,
            new_value=None,
            hlc=stamp,
            device=device,
            person=person,
        )
        push_mod.push_changes(tc, [change], push_mod.top(tc))
        if taken_on:
            team_security.unshare(tc, row.uid, login)
    removed_here = _remove_here(db, row.uid)
    return TeamDeleted(row.uid, title, removed_here)


def _remove_here(db, uid: str) -> bool:  # noqa: ANN001
    """The manager's own copy goes now: its pull would skip the delete (this laptop's own
    change). As a pull deletes: not recorded, then no trace left in the file."""
    from csfacilitator.core.sync import apply
    from csfacilitator.storage.reclaim import reclaim_space

    with db.session() as s:
        conn = s.connection()
        conn.execute(text("UPDATE sync_state SET applying = 1 WHERE id = 1"))
        gone = apply.delete_row(conn, "conference", uid)
        conn.execute(text("UPDATE sync_state SET applying = 0 WHERE id = 1"))
    if gone:
        reclaim_space(db)
    return gone


# --- The laptop's side: what a pull deleted, in words --------------------------------------


def local_conferences(db) -> dict[int, tuple[str, str]]:  # noqa: ANN001
    """{id: (uid, title)} of this laptop's conferences (taken before a pull, to name what it
    deletes)."""
    with db.read_session() as s:
        return {
            int(r[0]): (r[1], r[2] or "(untitled)")
            for r in s.execute(text("SELECT id, uid, title FROM conference"))
        }


def removed_by_team(
    team: Engine, before: dict[int, tuple[str, str]], removed_ids: frozenset[int] | set[int]
) -> tuple[RemovedByTeam, ...]:
    """The conferences a pull deleted, named, with who deleted them and whether for
    retention (read from the team store's delete change)."""
    if not removed_ids:
        return ()
    gone = {cid: before[cid] for cid in removed_ids if cid in before}
    why: dict[str, tuple[str, bool]] = {}
    from csfacilitator.core.model import TeamChange

    t = TeamChange.__table__
    uids = [uid for uid, _title in gone.values()]
    from sqlalchemy.exc import DBAPIError

    try:
        with team.connect() as tc:
            for uid, person, field in tc.execute(
                select(t.c.row_uid, t.c.person, t.c.field)
                .where(t.c.entity == "conference", t.c.op == "delete", t.c.row_uid.in_(uids))
                .order_by(t.c.seq)
            ):
                why[uid] = (person or "", field == RETENTION)
    except DBAPIError:  # the sync is done: name them without the why rather than fail it
        why.clear()
    return tuple(
        RemovedByTeam(cid, title, *why.get(uid, ("", False)))
        for cid, (uid, title) in sorted(gone.items(), key=lambda item: item[1][1].casefold())
    )


DUE_COLUMNS = ("Conference", "Closed", "Due for deletion", "Shared with")


def due_rows(due: list[TeamDue] | tuple[TeamDue, ...]) -> list[tuple]:
    """The manager's list as table rows (the Team page, and its CSV)."""
    return [
        (d.title, f"{d.closed_on:%d/%m/%Y}", f"{d.due_on:%d/%m/%Y}", ", ".join(d.shared_with))
        for d in due
    ]
