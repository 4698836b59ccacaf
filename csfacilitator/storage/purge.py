"""`delete --purge-backups` made resumable, and the other copies of conference text removed.

A purge is: a fresh backup of the database (which no longer holds the deleted conference),
then every older backup, every WAL copy ('wal-copies/') and every half-written temporary copy
removed securely. Damaged sets kept aside for recovery ('<name>.wal-damaged-<time>' with its
-wal and -shm, '<name>.corrupt-<time>') are kept unless asked (`--purge-damaged`), and named.

Resumable: before deleting, `delete --purge-backups` writes a small private note
('pending-purge.json': the conference's uid, id and title) and removes it once the purge is
done. A process killed in between leaves the note, and the next `open_database` (every
command, the app's start) finishes the purge when the conference is gone, or drops the note
when it is still there (the delete never happened). `take_finished` hands what was finished to
whoever reports it. A conference deleted earlier without the purge can be purged later the same
way: `delete CONF --yes --purge-backups` looks for it in the backups (`backups_holding`).

One purge at a time in a data folder: the command holds encryption.conversion_lock from the
note to the end, and the finishing at open skips when it cannot take that lock.
"""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from csfacilitator.errors import UserError
from csfacilitator.paths import DataPaths
from csfacilitator.storage import encryption
from csfacilitator.storage.backup import (
    backup_database,
    database_errors,
    key_for,
    list_backups,
    open_file,
)
from csfacilitator.storage.leftovers import (
    REMOVING_PREFIX,
    WAL_COPIES_FOLDER,
    data_folders,
    remove_leftovers,
)
from csfacilitator.storage.notes import read_note

log = logging.getLogger(__name__)

NOTE_NAME = "pending-purge.json"
#: recovery.WAL_DAMAGED and recovery.set_aside's suffix: sets kept for recovery.
DAMAGED_MARKS = (".wal-damaged-", ".corrupt-")


@dataclass(frozen=True)
class PendingPurge:
    """The conference a purge is for (as it was before its delete)."""

    uid: str
    title: str
    conference_id: int
    purge_damaged: bool = False

    def named_by(self, ref: str) -> bool:
        """True when `ref` (what the user typed: id, exact title or uid) names it."""
        ref = ref.strip()
        return ref in (str(self.conference_id), self.title, self.uid)


@dataclass(frozen=True)
class Purged:
    """What a purge removed, and the damaged sets it kept."""

    conference: PendingPurge
    fresh: Path
    backups: tuple[Path, ...]
    wal_copies: tuple[Path, ...]
    leftovers: tuple[Path, ...]
    damaged_removed: tuple[Path, ...]
    damaged_kept: tuple[Path, ...]
    resumed: bool = False


# -- the note ----------------------------------------------------------------------------------


def note_pending(paths: DataPaths, pending: PendingPurge) -> None:
    """Write the note (atomically, private) before anything is deleted."""
    from csfacilitator.atomic_file import write_atomic

    write_atomic(json.dumps(asdict(pending)).encode("utf-8"), paths.root / NOTE_NAME)


def read_pending(paths: DataPaths) -> PendingPurge | None:
    def build(payload: Any) -> PendingPurge:
        return PendingPurge(
            uid=str(payload["uid"]),
            title=str(payload["title"]),
            conference_id=int(payload["conference_id"]),
            purge_damaged=bool(payload.get("purge_damaged", False)),
        )

    return read_note(
        paths.root / NOTE_NAME,
        build,
        about="a purge",
        clear=lambda: clear_pending(paths),
        log=log,
    )


def clear_pending(paths: DataPaths) -> None:
    """Remove the note (it names the conference: overwritten first)."""
    with contextlib.suppress(OSError):
        encryption.secure_remove(paths.root / NOTE_NAME)


# -- what holds conference text ---------------------------------------------------------------


def damaged_sets(paths: DataPaths) -> list[Path]:
    """The damaged sets kept aside for recovery: '<name>.wal-damaged-*', '<name>.corrupt-*'
    (each with its -wal and -shm)."""
    prefix = paths.database.name
    try:
        entries = list(paths.root.iterdir())
    except OSError:
        return []
    return sorted(
        p
        for p in entries
        if p.is_file()
        and p.name.startswith(prefix)
        and any(p.name.startswith(prefix + mark) for mark in DAMAGED_MARKS)
    )


def wal_copy_files(paths: DataPaths) -> list[Path]:
    folder = paths.root / WAL_COPIES_FOLDER
    try:
        return sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return []


def remove_wal_copies(paths: DataPaths) -> list[Path]:
    """Securely remove every copy of a WAL in 'wal-copies/' (copies of the live database's log,
    kept after a crash: once the database is consistent they are no longer needed)."""
    # A name starting REMOVING_PREFIX is a removal cut short: remove_leftovers finishes it, and
    # says so.
    copies = [p for p in wal_copy_files(paths) if not p.name.startswith(REMOVING_PREFIX)]
    return _secure_remove_each(copies, "the WAL copy")


def remove_damaged_sets(paths: DataPaths) -> list[Path]:
    return _secure_remove_each(damaged_sets(paths), "the damaged copy")


def _secure_remove_each(files: list[Path], what: str) -> list[Path]:
    """Overwrite and remove each file; those that could not be removed are logged and kept."""
    removed = []
    for path in files:
        try:
            encryption.secure_remove(path)
        except OSError as exc:
            log.warning("Could not remove %s %s: %s", what, path, exc)
            continue
        removed.append(path)
    return removed


def backups_holding(paths: DataPaths, ref: str, passphrase: str | None, live_uids: set[str]):
    """The conferences named by `ref` (id, exact title, uid) that backups hold and the
    database no longer does: [(PendingPurge, backup path)]."""
    ref = ref.strip()
    found = []
    for backup in list_backups(paths.backups):
        try:
            conn = open_file(backup.path, key_for(backup.path, passphrase), read_only=True)
            try:
                rows = conn.execute(
                    "SELECT uid, title, id FROM conference WHERE title = ? OR uid = ? "
                    "OR CAST(id AS TEXT) = ?",
                    (ref, ref, ref),
                ).fetchall()
            finally:
                conn.close()
        except database_errors() + (UserError,) as exc:
            log.info("Could not look into the backup %s: %s", backup.path, exc)
            continue
        found += [
            (PendingPurge(uid=uid, title=title or "(untitled)", conference_id=cid), backup.path)
            for uid, title, cid in rows
            if uid not in live_uids
        ]
    return found


# -- purging -----------------------------------------------------------------------------------


def purge(db, pending: PendingPurge, *, reclaim: bool, resumed: bool = False) -> Purged:  # noqa: ANN001
    """Make a fresh backup, then remove the older backups, the WAL copies, the leftovers (and
    the damaged sets when `pending.purge_damaged`); clear the note. The caller holds the
    conversion lock and has written the note. `reclaim`: VACUUM first (a delete cut short may
    have left the deleted text in free pages, which a backup would copy)."""
    from csfacilitator.storage.reclaim import reclaim_space

    paths = db.paths
    if reclaim:
        reclaim_space(db)
    db.close()  # the copy reads the file through its own connection; the engine reconnects
    fresh = backup_database(
        paths.database, paths.backups, "after-delete", thin=False, passphrase=db.passphrase
    )
    older = [b.path for b in list_backups(paths.backups) if b.path != fresh]
    for path in older:
        encryption.secure_remove(path)
    wal = remove_wal_copies(paths)
    leftovers = remove_leftovers(data_folders(paths))
    removed_damaged = remove_damaged_sets(paths) if pending.purge_damaged else []
    clear_pending(paths)
    purged = Purged(
        conference=pending,
        fresh=fresh,
        backups=tuple(older),
        wal_copies=tuple(wal),
        leftovers=tuple(leftovers),
        damaged_removed=tuple(removed_damaged),
        damaged_kept=tuple(damaged_sets(paths)),
        resumed=resumed,
    )
    log.info(
        "Purged after deleting conference %s: %d backups, %d WAL copies, %d leftovers, "
        "%d damaged copies removed; %s holds everything else",
        pending.uid,
        len(older),
        len(wal),
        len(leftovers),
        len(removed_damaged),
        fresh.name,
    )
    return purged


#: Purges finished by open_database in this process, per database, until reported.
_finished: dict[Path, Purged] = {}


def take_finished(paths: DataPaths) -> Purged | None:
    """The purge open_database finished in this process (since last asked), if any."""
    return _finished.pop(paths.database, None)


def finish_pending(db) -> Purged | None:  # noqa: ANN001 - Database
    """Called by open_database: finish a purge a killed `delete --purge-backups` left.

    Nothing to do (one stat) without a note. Skipped while another process holds the
    conversion lock (a purge or a conversion running now).
    """
    paths = db.paths
    if not (paths.root / NOTE_NAME).exists():
        return None
    with encryption.conversion_lock(paths, wait=False) as ours:
        if not ours:
            return None
        pending = read_pending(paths)
        if pending is None:
            return None
        from sqlalchemy import text

        with db.read_session() as s:
            still_there = s.execute(
                text("SELECT count(*) FROM conference WHERE uid = :uid"), {"uid": pending.uid}
            ).scalar_one()
        if still_there:
            log.warning(
                "A delete of conference %s was interrupted before it deleted anything; "
                "nothing to purge",
                pending.uid,
            )
            clear_pending(paths)
            return None
        log.warning("Finishing the purge an interrupted delete of %s left", pending.uid)
        try:
            purged = purge(db, pending, reclaim=True, resumed=True)
        except (UserError, OSError) as exc:  # e.g. a full disk: never block the start
            log.error("Could not finish the purge yet (the note stays): %s", exc)
            return None
    _finished[paths.database] = purged
    return purged


def describe(purged: Purged) -> list[str]:
    """The lines a command prints about a purge."""
    lines = []
    if purged.resumed:
        lines.append(
            f"Finished the purge an interrupted delete of conference '{purged.conference.title}' "
            "left:"
        )
    lines.append(
        f"Removed {len(purged.backups)} older backups; {purged.fresh.name} holds everything else."
    )
    if purged.wal_copies:
        lines.append(
            f"Removed {len(purged.wal_copies)} copies of the database's log of recent changes "
            f"kept after a crash (in {purged.wal_copies[0].parent})."
        )
    lines += [f"Removed the leftover temporary copy {path}" for path in purged.leftovers]
    lines += [f"Removed the damaged copy {path}" for path in purged.damaged_removed]
    lines += describe_damaged_kept(purged.damaged_kept, "may still hold it")
    return lines


def describe_damaged_kept(kept: tuple[Path, ...] | list[Path], what: str) -> list[str]:
    """Name the damaged sets a command kept, and how to remove them (`--purge-damaged`)."""
    if not kept:
        return []
    return [
        f"{len(kept)} damaged copies kept aside for recovery {what}: "
        f"{', '.join(str(p) for p in kept)}. Run again with --purge-damaged to remove them "
        "too, or delete them yourself when you no longer need them."
    ]
