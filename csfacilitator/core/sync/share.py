"""Which conferences sync: only those shared with the team. Sharing one queues it whole (every
row as an insert, parents first) for the next push; from then on its changes are recorded.
Unsharing stops that here and forgets what was waiting; the laptop's copy stays, and what the
laptop last had in common with the team is remembered, so that sharing it again merges three
ways (sync/reshare.py) instead of pushing the copy whole."""

from __future__ import annotations

import getpass

from sqlalchemy import text

from csfacilitator.core.change_log import record_conference
from csfacilitator.core.model import utcnow
from csfacilitator.core.rows import conference_in
from csfacilitator.core.sync import reshare
from csfacilitator.core.sync.records import ShareResult


def _conference_uid(s, conference_id: int) -> str:  # noqa: ANN001
    row = conference_in(s, conference_id)
    return row.uid


def is_shared(db, conference_id: int) -> bool:  # noqa: ANN001
    with db.read_session() as s:
        uid = _conference_uid(s, conference_id)
        return (
            s.execute(
                text("SELECT 1 FROM sync_share WHERE conference_uid = :u"), {"u": uid}
            ).first()
            is not None
        )


def shared_conference_ids(db) -> frozenset[int]:  # noqa: ANN001
    with db.read_session() as s:
        return frozenset(
            s.execute(
                text("SELECT c.id FROM conference c JOIN sync_share s ON s.conference_uid = c.uid")
            ).scalars()
        )


def share_conference(db, conference_id: int) -> ShareResult:  # noqa: ANN001
    """Share a conference with the team: its changes sync from now on, and all of it waits
    to be pushed at the next sync. Sharing it again changes nothing."""
    with db.session() as s:
        uid = _conference_uid(s, conference_id)
        conn = s.connection()
        if conn.execute(
            text("SELECT 1 FROM sync_share WHERE conference_uid = :u"), {"u": uid}
        ).first():
            return ShareResult(conference_id, uid, 0, True)
        conn.execute(
            text("UPDATE sync_state SET person = :p WHERE id = 1 AND person = ''"),
            {"p": _default_person()},
        )
        conn.execute(
            text("INSERT INTO sync_share (conference_uid, shared_at) VALUES (:u, :t)"),
            {"u": uid, "t": utcnow()},
        )
        queued = record_conference(conn, uid)
    return ShareResult(conference_id, uid, queued, False)


def unshare_conference(db, conference_id: int) -> int:  # noqa: ANN001
    """Stop syncing a conference on this laptop (its copy here stays; the team's is not
    touched). Returns how many waiting changes were dropped."""
    with db.session() as s:
        uid = _conference_uid(s, conference_id)
        conn = s.connection()
        if conn.execute(
            text("SELECT 1 FROM sync_share WHERE conference_uid = :u"), {"u": uid}
        ).first():
            reshare.remember(conn, uid)  # the base of a merge if it is shared again
        dropped = conn.execute(
            text("DELETE FROM change_log WHERE conference_uid = :u"), {"u": uid}
        ).rowcount
        conn.execute(text("DELETE FROM sync_conflict WHERE conference_uid = :u"), {"u": uid})
        conn.execute(text("DELETE FROM sync_share WHERE conference_uid = :u"), {"u": uid})
    return dropped


def _default_person() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
