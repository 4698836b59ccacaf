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
        help="also remove the older backups (which still hold it), after making a fresh one",
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
    from csfacilitator.core import conferences

    conference_id = conferences.find_conference(db, args.conference)
    title = conferences.get_conference(db, conference_id).title or "(untitled)"
    if not args.yes:
        count = len(conferences.conference_meetings(db, conference_id))
        raise UserError(
            f"This would delete conference {conference_id} '{title}', its {count} "
            f"meeting{'' if count == 1 else 's'} and everything recorded for it, for good. "
            "Run again with --yes to delete it."
        )
    from csfacilitator.storage.backup import backup_database, list_backups
    from csfacilitator.storage.encryption import secure_remove, take_finished
    from csfacilitator.storage.leftovers import data_folders, remove_leftovers
    from csfacilitator.storage.reclaim import reclaim_space

    conferences.delete_conference(db, conference_id)
    reclaim_space(db)
    print(f"Deleted conference {conference_id} '{title}'; the database file keeps no trace of it.")
    if not args.purge_backups:
        print(
            "Older backups still hold it until they are thinned out (within about a year); "
            "add --purge-backups to remove them now."
        )
        return 0
    db.close()
    fresh = backup_database(
        paths.database, paths.backups, "after-delete", thin=False, passphrase=db.passphrase
    )
    older = [b.path for b in list_backups(paths.backups) if b.path != fresh]
    for path in older:
        secure_remove(path)
    print(f"Removed {len(older)} older backups; {fresh.name} holds everything else.")
    # Half-written copies hold it too (opening the database may have removed some already).
    for path in (*take_finished(paths).removed, *remove_leftovers(data_folders(paths))):
        print(f"Removed the leftover temporary copy {path}")
    kept = sorted(paths.root.glob(f"{paths.database.name}.corrupt-*"))
    if kept:
        print(
            f"{len(kept)} damaged copies kept aside may still hold it; delete them yourself "
            f"if you do not need them: {', '.join(str(p) for p in kept)}"
        )
    return 0
