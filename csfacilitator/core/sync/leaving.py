"""Leaving the team (issue 18): conferences this laptop syncs that the team store no longer
shares with its login, and removing their copies here.

The team store decides who sees what (storage/team_security.py); a laptop only finds out at
its next sync, in one of two ways:
- its login still works, but a conference it syncs is one the team store knows (its audit
  trail names it) and this login may no longer read (`team unshare CONF --with NAME`): the
  pull simply stops seeing its changes, and a push to it would be refused;
- its login is refused although its password is right ("role ... is not permitted to log in",
  `team remove-user`): every conference it synced is no longer shared with it.
Either way the laptop stops syncing those conferences *before it pushes anything* (nothing
goes back to the team, nothing of the team's is taken for deleted data to put back), and marks
each as no longer shared, since that day: a setting `team.left.<uid>` (the one home of that
fact; "still syncing" is sync_share's). Its copy stays until the person decides: remove the
copies (`remove_copies`: the app's secure delete, then the file rebuilt so no trace is left)
or keep them for now (they no longer sync). Nothing is ever removed without asking.

A conference whose first push from this laptop is still waiting (never accepted by the team
from here) is left alone: it was never shared with this login, so it cannot be "no longer".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, text

from csfacilitator.errors import NotFound
from csfacilitator.storage.team_store import TeamStoreRefused

MARK_PREFIX = "team.left."

#: What PostgreSQL says when a login that authenticated may not come in: its LOGIN was taken
#: away (`team remove-user`), or it may no longer connect to the team's database. A wrong
#: password says something else ("password authentication failed"), so only a person the
#: server recognised is told they left the team. (The server's messages in English, as it
#: sends them unless its lc_messages says otherwise.)
REMOVED_MARKS = ("is not permitted to log in", "permission denied for database")


@dataclass(frozen=True)
class NoLongerShared:
    """A conference on this laptop that the team store no longer shares with this login."""

    conference_id: int
    uid: str
    title: str
    since: dt.date
    new: bool = False  # found by the sync that returned it


@dataclass(frozen=True)
class RemovedCopy:
    conference_id: int
    uid: str
    title: str


class AccessEnded(TeamStoreRefused):
    """The team store no longer lets this login in: every conference this laptop synced is no
    longer shared with it (listed in `conferences`, marked and out of sync already)."""

    def __init__(self, conferences: tuple[NoLongerShared, ...]):
        self.conferences = conferences
        if conferences:
            names = ", ".join(f"'{c.title}'" for c in conferences)
            what = (
                f"{len(conferences)} conference{'s' if len(conferences) != 1 else ''} on this "
                f"laptop {'are' if len(conferences) != 1 else 'is'} no longer shared with you "
                f"and no longer sync{'s' if len(conferences) == 1 else ''}: {names}. Remove "
                "the copies (csfacilitator team remove-copies), or keep them for now."
            )
        else:
            what = "Nothing on this laptop syncs with it any more."
        super().__init__(
            "The team store refused the connection: it no longer lets your login in (you were "
            f"taken out of the team, or your login was stopped). {what}"
        )


# --- Finding out ------------------------------------------------------------------------


def login_removed(exc: BaseException) -> bool:
    """True when the team store refused a login it recognised (not a wrong password): the
    error, or one it was raised from, says so."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 6:
        for candidate in (current, getattr(current, "orig", None)):
            if candidate is not None and any(m in str(candidate) for m in REMOVED_MARKS):
                return True
        current = current.__cause__ or current.__context__
        seen += 1
    return False


def refused(db, exc: BaseException) -> AccessEnded | None:  # noqa: ANN001 - Database
    """After the team store refused the connection: when it refused a login it recognised,
    stop syncing every conference (marking each as no longer shared) and return the error to
    raise; None for any other refusal (a wrong password, an unreachable server)."""
    if not login_removed(exc):
        return None
    with db.read_session() as s:
        uids = _synced_before(s.connection())
    stop_syncing(db, uids)
    new = set(uids)
    return AccessEnded(tuple(_with_new(no_longer_shared(db), new)))


def unreadable_on_team(db, team: Engine) -> list[str]:  # noqa: ANN001
    """The uids of conferences this laptop syncs that the team store knows and this login may
    no longer read. [] on a store without the team's security (the tests' stand-ins)."""
    with db.read_session() as s:
        uids = _synced_before(s.connection())
    if not uids or team.dialect.name != "postgresql":
        return []
    with team.connect() as tc:
        if tc.execute(text("SELECT to_regprocedure('team_can_read(varchar)')")).scalar() is None:
            return []
        return list(
            tc.execute(
                text(
                    "SELECT u FROM unnest(CAST(:uids AS varchar[])) AS u "
                    "WHERE NOT team_can_read(u) AND EXISTS (SELECT 1 FROM team_audit a "
                    "WHERE a.conference_uid = u AND a.entity <> 'team_share')"
                ),
                {"uids": uids},
            ).scalars()
        )


def check_before_push(db, team: Engine) -> list[str]:  # noqa: ANN001
    """Run by the sync after its first pull and before any push: stop syncing the conferences
    the team no longer shares with this login. Returns their uids."""
    gone = unreadable_on_team(db, team)
    if gone:
        stop_syncing(db, gone)
    return gone


def _synced_before(conn) -> list[str]:  # noqa: ANN001
    """Conferences this laptop syncs whose first push from here is not still waiting."""
    return list(
        conn.execute(
            text(
                "SELECT conference_uid FROM sync_share WHERE conference_uid NOT IN ("
                "SELECT row_uid FROM change_log WHERE entity = 'conference' AND op = 'insert') "
                "ORDER BY conference_uid"
            )
        ).scalars()
    )


def stop_syncing(db, uids: Iterable[str], today: dt.date | None = None) -> None:  # noqa: ANN001
    """Mark each conference as no longer shared (since today) and stop syncing it here: its
    waiting changes and conflicts are dropped (the team would refuse them), its copy stays.
    One transaction, so a sync cut off here leaves either all of it or none."""
    uids = list(uids)
    if not uids:
        return
    today = today or dt.date.today()
    with db.session() as s:
        conn = s.connection()
        for uid in uids:
            conn.execute(
                text("INSERT OR IGNORE INTO setting (key, value) VALUES (:k, :v)"),
                {"k": MARK_PREFIX + uid, "v": today.isoformat()},
            )
            for table in ("change_log", "sync_conflict", "sync_share"):
                conn.execute(text(f"DELETE FROM {table} WHERE conference_uid = :u"), {"u": uid})
        # Marks of conferences no longer here (deleted some other way) go too.
        conn.execute(
            text(
                "DELETE FROM setting WHERE key LIKE :p AND substr(key, :n) NOT IN "
                "(SELECT uid FROM conference)"
            ),
            {"p": MARK_PREFIX + "%", "n": len(MARK_PREFIX) + 1},
        )


# --- Reading and removing ----------------------------------------------------------------


def no_longer_shared(db) -> list[NoLongerShared]:  # noqa: ANN001
    """The conferences on this laptop marked as no longer shared with this login that do not
    sync (shared again from here, a conference is not listed), by title."""
    with db.read_session() as s:
        rows = s.execute(
            text(
                "SELECT c.id, c.uid, c.title, s.value FROM setting s "
                "JOIN conference c ON s.key = :p || c.uid "
                "WHERE c.uid NOT IN (SELECT conference_uid FROM sync_share)"
            ),
            {"p": MARK_PREFIX},
        ).all()
    found = []
    for conference_id, uid, title, since in rows:
        try:
            day = dt.date.fromisoformat(since)
        except (TypeError, ValueError):
            day = dt.date.today()
        found.append(NoLongerShared(int(conference_id), uid, title or "(untitled)", day))
    return sorted(found, key=lambda c: (c.title.casefold(), c.conference_id))


def _with_new(found: list[NoLongerShared], new: set[str]) -> list[NoLongerShared]:
    from dataclasses import replace

    return [replace(c, new=c.uid in new) for c in found]


def listed(db, new: Iterable[str]) -> tuple[NoLongerShared, ...]:  # noqa: ANN001
    """no_longer_shared, with those whose uid is in `new` flagged as found just now."""
    return tuple(_with_new(no_longer_shared(db), set(new)))


def remove_copies(db, conference_ids: Iterable[int] | None = None) -> list[RemovedCopy]:  # noqa: ANN001
    """Remove this laptop's copies of conferences no longer shared with it (all of them, or
    those named): the app's secure delete (every connection overwrites what it frees), then
    the file is rebuilt and its log emptied, so no trace of them is left in it. Refuses a
    conference that still syncs or that the team still shares with this login. The team
    store is not touched (the conference is not synced, so nothing is recorded to push)."""
    from csfacilitator.core.conferences import delete_conference
    from csfacilitator.storage.reclaim import reclaim_space

    candidates = {c.conference_id: c for c in no_longer_shared(db)}
    if conference_ids is None:
        chosen = list(candidates.values())
    else:
        chosen = []
        for conference_id in conference_ids:
            if conference_id not in candidates:
                raise NotFound(
                    f"Conference {conference_id} is not one that is no longer shared with you; "
                    "only those copies are removed here (delete others with `delete`)."
                )
            chosen.append(candidates[conference_id])
    removed = []
    for conference in chosen:
        delete_conference(db, conference.conference_id)
        with db.session() as s:
            s.connection().execute(
                text("DELETE FROM setting WHERE key = :k"), {"k": MARK_PREFIX + conference.uid}
            )
        removed.append(RemovedCopy(conference.conference_id, conference.uid, conference.title))
    if removed:
        reclaim_space(db)
    return removed
