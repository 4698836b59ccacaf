"""`csfacilitator backup`, `restore` and `delete`: the backup area and deleting for good."""

from __future__ import annotations

import argparse
from pathlib import Path

from csfacilitator.errors import UserError


def register(commands, export_kinds) -> None:  # noqa: ANN001, ARG001 - argparse subparsers
    backup = commands.add_parser(
        "backup", help="make a backup of the database now (or list the backups)"
    )
    backup.add_argument(
        "--list", action="store_true", help="list the backups: when, why, size, what they hold"
    )
    backup.set_defaults(run=run_backup)

    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup (what is there now is backed up first)",
    )
    which = restore.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "backup",
        nargs="?",
        metavar="BACKUP",
        help="a backup file, or its name in the backup folder",
    )
    which.add_argument(
        "--latest",
        action="store_true",
        help="the newest backup that passes its check and holds at least one conference",
    )
    restore.set_defaults(run=run_restore, writes=True, replaces_database=True)

    delete = commands.add_parser(
        "delete", help="delete a conference for good, leaving no trace in the database file"
    )
    delete.add_argument("conference", metavar="CONF", help="conference id or exact title")
    delete.add_argument("--yes", action="store_true", help="really delete it")
    delete.add_argument(
        "--purge-backups",
        action="store_true",
        help="also remove the older backups (which still hold it), after making a fresh one, "
        "and the copies of the database's log kept after a crash; run again for a conference "
        "already deleted, removes the backups that still hold it",
    )
    delete.add_argument(
        "--purge-damaged",
        action="store_true",
        help="with --purge-backups: also remove the damaged copies kept aside for recovery "
        "(*.wal-damaged-*, *.corrupt-*)",
    )
    delete.set_defaults(run=run_delete, writes=True)


def run_backup(db, args: argparse.Namespace, paths) -> int:  # noqa: ANN001
    from csfacilitator.storage.backup import backup_database, list_backups
    from csfacilitator.storage.recovery import (
        contents_text,
        describe_backup,
        local_text,
        size_text,
    )

    if args.list:
        backups = list_backups(paths.backups)
        if not backups:
            print(f"No backups yet in {paths.backups}.")
        for b in backups:
            holds = contents_text(describe_backup(b.path, db.passphrase))
            print(
                f"{local_text(b.taken_at):<18}  {b.reason_label:<28}  {size_text(b.size):>8}  "
                f"{holds}  [{b.path.name}]"
            )
        return 0
    db.close()  # nothing is pending; the copy reads the file through its own connection
    print(backup_database(paths.database, paths.backups, "manual", passphrase=db.passphrase))
    return 0


def run_restore(db, args: argparse.Namespace, paths) -> int:  # noqa: ANN001
    """Without opening the database (db is None from the command line): a damaged one must
    not stop its own restore. Its passphrase is asked only when it is encrypted."""
    from csfacilitator.commands.encrypt import passphrase_for
    from csfacilitator.storage.backup import parse_name
    from csfacilitator.storage.recovery import (
        contents_text,
        describe_backup,
        local_text,
        newest_good_backup,
        restore_backup,
    )

    passphrase = passphrase_for(paths) if db is None else db.passphrase
    if args.latest:
        found = newest_good_backup(paths, passphrase)
        if found is None:
            raise UserError(f"There is no usable backup in {paths.backups}.")
        chosen = found[0].path
    else:
        chosen = _find_backup(paths, args.backup)
    parsed = parse_name(chosen)
    made = f" made {local_text(parsed[0])}" if parsed else ""
    holds = contents_text(describe_backup(chosen, passphrase))
    if db is not None:
        db.close()
    result = restore_backup(paths, chosen, passphrase)
    print(f"Restored the backup{made}: {holds}.")
    if result.before is not None:
        print(f"What was there before is backed up as {result.before}.")
    if result.set_aside is not None:
        print(f"The unreadable database that was there is kept as {result.set_aside}.")
    return 0


def _find_backup(paths, ref: str) -> Path:  # noqa: ANN001
    for candidate in (Path(ref).expanduser(), paths.backups / ref):
        if candidate.is_file():
            return candidate
    raise UserError(
        f"There is no backup called '{ref}'. See the list with: csfacilitator backup --list"
    )


def run_delete(db, args: argparse.Namespace, paths) -> int:  # noqa: ANN001
    """Delete a conference; with --purge-backups, then remove every copy that still holds it.

    Resumable: a note is written before the delete and removed after the purge, so a run
    killed in between is finished by the next start (storage/purge.py). Run again for a
    conference already deleted, it purges the backups that still hold it.
    """
    from csfacilitator.core import conferences
    from csfacilitator.errors import NotFound
    from csfacilitator.storage import purge

    if args.purge_damaged and not args.purge_backups:
        raise UserError(
            "--purge-damaged removes the damaged copies along with the older backups: "
            "add --purge-backups."
        )
    finished = purge.take_finished(paths)  # what opening the database just finished
    try:
        conference_id = conferences.find_conference(db, args.conference)
    except NotFound:
        if finished is not None:
            _print_lines(purge.describe(finished))
            if finished.conference.named_by(args.conference):
                return 0
        if not args.purge_backups:
            raise
        return _purge_deleted(db, args, paths)
    if finished is not None:
        _print_lines(purge.describe(finished))
    details = conferences.get_conference(db, conference_id)
    title = details.title or "(untitled)"
    if not args.yes:
        count = len(conferences.conference_meetings(db, conference_id))
        raise UserError(
            f"This would delete conference {conference_id} '{title}', its {count} "
            f"meeting{'' if count == 1 else 's'} and everything recorded for it, for good. "
            "Run again with --yes to delete it."
        )
    from csfacilitator.storage.encryption import conversion_lock
    from csfacilitator.storage.reclaim import reclaim_space

    if not args.purge_backups:
        conferences.delete_conference(db, conference_id)
        reclaim_space(db)
        print(
            f"Deleted conference {conference_id} '{title}'; the database file keeps no trace of it."
        )
        print(
            "Older backups still hold it until they are thinned out (within about a year); "
            "add --purge-backups to remove them now."
        )
        return 0
    pending = purge.PendingPurge(
        uid=_uid_of(db, conference_id),
        title=title,
        conference_id=conference_id,
        purge_damaged=args.purge_damaged,
    )
    with conversion_lock(paths):  # nobody finishes this purge while it runs
        purge.note_pending(paths, pending)  # first: a kill from here on is finished later
        conferences.delete_conference(db, conference_id)
        reclaim_space(db)
        print(
            f"Deleted conference {conference_id} '{title}'; the database file keeps no trace of it."
        )
        purged = purge.purge(db, pending, reclaim=False)
    _print_purged(paths, purged)
    return 0


def _purge_deleted(db, args: argparse.Namespace, paths) -> int:  # noqa: ANN001
    """`delete CONF --purge-backups` for a conference the database no longer holds: purge the
    backups that still do (after a delete without --purge-backups, or one cut short)."""
    from sqlalchemy import text

    from csfacilitator.storage import purge
    from csfacilitator.storage.encryption import conversion_lock

    with db.read_session() as s:
        live = set(s.execute(text("SELECT uid FROM conference")).scalars())
    holding = purge.backups_holding(paths, args.conference, db.passphrase, live)
    if not holding:
        raise UserError(
            f"No conference has the id or title '{args.conference}', and no backup holds one "
            "(see 'csfacilitator list')."
        )
    pending = holding[0][0]
    count = len({path for _, path in holding})
    if not args.yes:
        raise UserError(
            f"Conference '{pending.title}' is already deleted, but {count} backups still hold "
            "it. Run again with --yes --purge-backups to remove every older backup."
        )
    pending = purge.PendingPurge(
        uid=pending.uid,
        title=pending.title,
        conference_id=pending.conference_id,
        purge_damaged=args.purge_damaged,
    )
    with conversion_lock(paths):
        purge.note_pending(paths, pending)
        purged = purge.purge(db, pending, reclaim=True)
    print(
        f"Conference '{pending.title}' was already deleted from the database; {count} backups "
        "still held it."
    )
    _print_purged(paths, purged)
    return 0


def _print_purged(paths, purged) -> None:  # noqa: ANN001
    from csfacilitator.storage import purge
    from csfacilitator.storage.encryption import take_finished

    _print_lines(purge.describe(purged))
    # Opening the database may have removed half-written copies already: they are said too.
    for path in take_finished(paths).removed:
        print(f"Removed the leftover temporary copy {path}")


def _print_lines(lines: list[str]) -> None:
    for line in lines:
        print(line)


def _uid_of(db, conference_id: int) -> str:  # noqa: ANN001
    from sqlalchemy import text

    with db.read_session() as s:
        return s.execute(
            text("SELECT uid FROM conference WHERE id = :id"), {"id": conference_id}
        ).scalar_one()
