"""`csfacilitator passphrase change|remove`: a new passphrase, or none, for the database and
its backups.

The current passphrase comes from CSFACILITATOR_PASSPHRASE or the prompt (as for every
command); the new one from CSFACILITATOR_NEW_PASSPHRASE or is typed twice. The backups are
converted first and the database last, so an interrupted run leaves a database that still opens
with the current passphrase: running the same command again finishes the job.
"""

from __future__ import annotations

import argparse

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
    from csfacilitator.commands.encrypt import merged, new_passphrase, print_cleaning
    from csfacilitator.storage.encryption import (
        ENV_NEW_PASSPHRASE,
        change_passphrase,
        normalize_passphrase,
        take_finished,
    )

    if not db.encrypted:
        raise _not_encrypted()
    new = new_passphrase(ENV_NEW_PASSPHRASE)
    if new == normalize_passphrase(db.passphrase):
        raise UserError("The new passphrase is the same as the current one; nothing was changed.")
    opened = take_finished(paths)
    db.close()  # the conversion needs the only connection to the file
    report = merged(opened, change_passphrase(paths, db.passphrase, new))
    print(f"Changed the passphrase of the database {paths.database}.")
    if report.backups_encrypted:
        print(f"Re-keyed {report.backups_encrypted} backups too.")
    print_cleaning(report)
    _print_unconverted(report.left_plain, "the old passphrase does not open them")
    print("From now on, use the new passphrase.")
    return 0


def run_remove(db, args: argparse.Namespace, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.commands.encrypt import merged, print_cleaning
    from csfacilitator.storage.encryption import remove_encryption, take_finished

    if not db.encrypted:
        raise _not_encrypted()
    opened = take_finished(paths)
    db.close()
    report = merged(opened, remove_encryption(paths, db.passphrase))
    print(f"Removed the encryption: the database {paths.database} is no longer encrypted.")
    if report.backups_encrypted:
        print(f"Decrypted {report.backups_encrypted} backups too.")
    print_cleaning(report)
    _print_unconverted(report.left_plain, "the passphrase does not open them")
    print("Anyone who can read this computer's files can now read the data.")
    return 0


def _print_unconverted(files, why: str) -> None:  # noqa: ANN001
    if files:
        print(f"These backups were left as they were ({why}, or they are damaged):")
        for path in files:
            print(f"  {path}")
