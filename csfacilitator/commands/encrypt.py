"""`csfacilitator encrypt`, and the passphrase every command needs for an encrypted database.

The passphrase comes from CSFACILITATOR_PASSPHRASE (for scripts) or is typed at a prompt that
does not echo it; it is never taken from the command line, where other users could see it.
"""

from __future__ import annotations

import argparse
import sys

from csfacilitator.errors import UserError

PROMPT_TRIES = 3


def register(commands, export_kinds) -> None:  # noqa: ANN001, ARG001 - argparse subparsers
    encrypt = commands.add_parser(
        "encrypt",
        help="protect the database and its backups with a passphrase (SQLCipher)",
        description="Encrypts the database and its backups in place. The passphrase is asked "
        "for twice, or read from CSFACILITATOR_PASSPHRASE. Without it nobody, you included, "
        "can open the data again: keep it safe.",
    )
    encrypt.add_argument(
        "--purge-damaged",
        action="store_true",
        help="also remove the damaged copies kept aside for recovery (*.wal-damaged-*, "
        "*.corrupt-*): they are not encrypted",
    )
    encrypt.set_defaults(run=run_encrypt, writes=True)


def _can_prompt() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def passphrase_for(paths) -> str | None:  # noqa: ANN001 - DataPaths
    """The passphrase for the data folder's database: None when it is not encrypted."""
    from csfacilitator.storage.encryption import (
        ENV_PASSPHRASE,
        WrongPassphrase,
        check_passphrase,
        is_encrypted,
        passphrase_from_environment,
    )

    if not is_encrypted(paths.database):
        return None
    from_env = passphrase_from_environment()
    if from_env is not None:
        return from_env
    if not _can_prompt():
        raise UserError(
            f"The database is encrypted: set {ENV_PASSPHRASE}, or run the command in a terminal "
            "to type the passphrase."
        )
    import getpass

    for attempt in range(PROMPT_TRIES):
        typed = getpass.getpass("Passphrase: ")
        try:
            check_passphrase(paths.database, typed)
        except WrongPassphrase:
            if attempt == PROMPT_TRIES - 1:
                raise
            print("That passphrase is not right. Try again.", file=sys.stderr)
            continue
        return typed
    return None  # not reached


def new_passphrase(env_name: str | None = None) -> str:
    """A new passphrase from `env_name` (default CSFACILITATOR_PASSPHRASE) or typed twice."""
    import os

    from csfacilitator.storage.encryption import (
        ENV_PASSPHRASE,
        MIN_PASSPHRASE_LENGTH,
        validate_new_passphrase,
    )

    env_name = env_name or ENV_PASSPHRASE
    from_env = os.environ.get(env_name)
    if from_env:
        return validate_new_passphrase(from_env)
    if not _can_prompt():
        raise UserError(f"Set {env_name}, or run the command in a terminal to type the passphrase.")
    import getpass

    print(
        f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters. Without it "
        "nobody, you included, can open the data again: keep it somewhere safe."
    )
    first = getpass.getpass("New passphrase: ")
    validate_new_passphrase(first)
    return validate_new_passphrase(first, getpass.getpass("Type it again: "))


def print_cleaning(report) -> None:  # noqa: ANN001 - EncryptionReport
    """A line per temporary copy removed."""
    for path in report.removed:
        print(f"Removed the leftover temporary copy {path}")


def merged(first, second):  # noqa: ANN001, ANN201 - EncryptionReport
    from csfacilitator.storage.encryption import EncryptionReport

    return EncryptionReport(
        first.backups_encrypted + second.backups_encrypted,
        second.left_plain,
        removed=first.removed + second.removed,
        resumed=first.resumed or second.resumed,
    )


def run_encrypt(db, args: argparse.Namespace, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage.encryption import (
        encrypt_database,
        finish_encrypting,
        plain_copies,
        take_finished,
    )

    opened = take_finished(paths)  # what opening the database already finished
    if db.encrypted:
        # Run again after an interruption: finish encrypting the backups, remove leftovers.
        db.close()
        report = merged(opened, finish_encrypting(paths, db.passphrase))
        left = plain_copies(paths)
        removed, copies = _plain_copies_of_the_log(paths, args.purge_damaged)
        if not (report.backups_encrypted or report.removed or left or removed):
            print("The database is already encrypted; nothing was left to do.")
            _print_lines(copies)
            return 0
        print("The database was already encrypted; finished what an earlier run left:")
        if report.backups_encrypted:
            print(f"Encrypted {report.backups_encrypted} backups that were still plain.")
        print_cleaning(report)
        _print_left_plain(left)
        _print_lines(copies)
        return 0
    passphrase = new_passphrase()
    db.close()  # the conversion needs the only connection to the file
    report = merged(opened, encrypt_database(paths, passphrase))
    print(f"Encrypted the database {paths.database}.")
    if report.backups_encrypted:
        print(f"Encrypted {report.backups_encrypted} backups too.")
    print_cleaning(report)
    _print_left_plain(report.left_plain)
    _print_lines(_plain_copies_of_the_log(paths, args.purge_damaged)[1])
    print("From now on, CS Facilitator asks for the passphrase when it starts.")
    return 0


def _plain_copies_of_the_log(paths, purge_damaged: bool) -> tuple[int, list[str]]:  # noqa: ANN001
    """Once the database is encrypted (and so consistent): remove the plain WAL copies kept
    after a crash; remove the damaged sets with --purge-damaged, else name them. Returns how
    many files went, and the lines saying so."""
    from csfacilitator.storage import purge

    lines = []
    wal = purge.remove_wal_copies(paths)
    damaged = purge.remove_damaged_sets(paths) if purge_damaged else []
    if wal:
        lines.append(
            f"Removed {len(wal)} copies of the database's log of recent changes kept after a "
            f"crash (in {wal[0].parent}): they were not encrypted."
        )
    lines += [f"Removed the damaged copy {path}" for path in damaged]
    lines += purge.describe_damaged_kept(purge.damaged_sets(paths), "are not encrypted")
    return len(wal) + len(damaged), lines


def _print_lines(lines: list[str]) -> None:
    for line in lines:
        print(line)


def _print_left_plain(left) -> None:  # noqa: ANN001
    if left:
        print("These files still hold unencrypted data (they could not be read to convert):")
        for path in left:
            print(f"  {path}")
        print("Delete them when you no longer need them.")
