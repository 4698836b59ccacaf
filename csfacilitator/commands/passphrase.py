"""`csfacilitator passphrase change|remove`: a new passphrase, or none, for the database and
its backups.

The current passphrase comes from CSFACILITATOR_PASSPHRASE or the prompt (as for every
command); the new one from CSFACILITATOR_NEW_PASSPHRASE or is typed twice. The backups are
converted first and the database last, so an interrupted run leaves a database that still opens
with the current passphrase: running the same command again finishes the job.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from csfacilitator.errors import UserError


def register(commands, export_kinds) -> None:  # noqa: ANN001, ARG001 - argparse subparsers
    passphrase = commands.add_parser(
        "passphrase",
        help="change the passphrase of an encrypted database, or remove the encryption",
        description="Changes the passphrase of the database and its backups, or decrypts them. "
        "The current passphrase is read from CSFACILITATOR_PASSPHRASE or asked for; a new one "
        "from CSFACILITATOR_NEW_PASSPHRASE or asked for twice. If it is interrupted, run the "
        "same command again.",
    )
    actions = passphrase.add_subparsers(dest="passphrase_action", metavar="ACTION", required=True)
    change = actions.add_parser("change", help="choose a new passphrase")
    change.set_defaults(run=run_change, writes=True)
    remove = actions.add_parser(
        "remove", help="decrypt the database and its backups (anyone with the files can read them)"
    )
    remove.set_defaults(run=run_remove, writes=True)


def _not_encrypted() -> UserError:
    return UserError("The database is not encrypted. To protect it, use: csfacilitator encrypt")


def run_change(db, args: argparse.Namespace, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.commands.encrypt import new_passphrase
    from csfacilitator.storage.encryption import (
        ENV_NEW_PASSPHRASE,
        change_passphrase,
        normalize_passphrase,
    )

    if not db.encrypted:
        raise _not_encrypted()
    new = new_passphrase(ENV_NEW_PASSPHRASE)
    if new == normalize_passphrase(db.passphrase):
        raise UserError("The new passphrase is the same as the current one; nothing was changed.")
    return _convert(
        db,
        paths,
        lambda: change_passphrase(paths, db.passphrase, new),
        done=f"Changed the passphrase of the database {paths.database}.",
        backups="Re-keyed",
        left_why="the old passphrase does not open them",
        last="From now on, use the new passphrase.",
    )


def run_remove(db, args: argparse.Namespace, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage.encryption import remove_encryption

    if not db.encrypted:
        raise _not_encrypted()
    return _convert(
        db,
        paths,
        lambda: remove_encryption(paths, db.passphrase),
        done=f"Removed the encryption: the database {paths.database} is no longer encrypted.",
        backups="Decrypted",
        left_why="the passphrase does not open them",
        last="Anyone who can read this computer's files can now read the data.",
    )


def _convert(  # noqa: ANN001 - Database, DataPaths
    db, paths, convert: Callable[[], Any], *, done: str, backups: str, left_why: str, last: str
) -> int:
    """Finish what an interrupted run left, close the database (the conversion needs the only
    connection to the file), convert it and its backups, and say what was done."""
    from csfacilitator.commands.encrypt import merged, print_cleaning
    from csfacilitator.storage.encryption import take_finished

    opened = take_finished(paths)
    db.close()
    report = merged(opened, convert())
    print(done)
    if report.backups_encrypted:
        print(f"{backups} {report.backups_encrypted} backups too.")
    print_cleaning(report)
    _print_unconverted(report.left_plain, left_why)
    print(last)
    return 0


def _print_unconverted(files, why: str) -> None:  # noqa: ANN001
    if files:
        print(f"These backups were left as they were ({why}, or they are damaged):")
        for path in files:
            print(f"  {path}")
