"""The command line. `csfacilitator` alone starts the GUI; subcommands use the same core.

Errors end with one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from csfacilitator import APP_NAME, __version__
from csfacilitator.errors import UserError

log = logging.getLogger(__name__)

EXIT_USER_ERROR = 2
EXIT_BUG = 1

# Modules that add commands: each has `register(commands, export_kinds)`, which adds its
# parsers with `set_defaults(run=handler)`; `handler(db, args, paths) -> int` runs the command.
# They must import only argparse-level things at the top, so `--help` stays fast.
# ONE WRITER AT A TIME: a command that changes the database (adds, imports, deletes, restores,
# encrypts...) MUST also `set_defaults(writes=True)`; it is then refused while the app is open
# on the data folder (see csfacilitator/writer_lock.py). Commands that only read (list,
# sharing, export ..., bundle export, backup) leave it out and still work alongside the app.
COMMAND_MODULES: tuple[str, ...] = (
    "csfacilitator.commands.backup",
    "csfacilitator.commands.invitees",
    "csfacilitator.commands.documents",
    "csfacilitator.commands.encrypt",
    "csfacilitator.commands.passphrase",
    "csfacilitator.commands.meetings",
    "csfacilitator.commands.team",
    "csfacilitator.commands.sync",
    "csfacilitator.commands.conflicts",
    "csfacilitator.commands.deadlines",  # issue 20
    "csfacilitator.commands.calendar",  # issue 20
    "csfacilitator.commands.sharing",  # issue 20: the information-sharing record
    "csfacilitator.commands.subject_access",  # issue 20
    "csfacilitator.commands.related",  # issue 20: related conferences
    "csfacilitator.commands.voices",  # issue 19: young people's voice
    "csfacilitator.commands.safety_map",  # issue 19: the safety map
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csfacilitator",
        description=f"{APP_NAME}: run contextual safeguarding conferences offline. "
        "Without a command, the app opens.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep the database, backups and logs in DIR (default: your user data folder; "
        "or set CSFACILITATOR_DATA_DIR)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    from csfacilitator.commands.common import add_conference, add_json

    add_json(commands.add_parser("list", help="list conferences"))

    commands.add_parser("example", help="add the fictional example conference").set_defaults(
        writes=True
    )

    bundle = commands.add_parser("bundle", help="hand a conference over as one file")
    bundle_commands = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    bundle_export = bundle_commands.add_parser("export", help="write a conference to a file")
    add_conference(bundle_export)
    bundle_export.add_argument("--out", required=True, metavar="FILE")
    from csfacilitator.commands.documents import add_sharing_arguments

    add_sharing_arguments(bundle_export)  # issue 20: every export is a sharing decision
    bundle_import = bundle_commands.add_parser("import", help="read a conference from a file")
    bundle_import.add_argument("file", metavar="FILE")
    bundle_import.set_defaults(writes=True)
    how = bundle_import.add_mutually_exclusive_group()
    how.add_argument("--as-copy", action="store_true", help="if it is already here, add a copy")
    how.add_argument("--replace", action="store_true", help="if it is already here, replace it")

    export = commands.add_parser("export", help="write a document (Word, or CSV for actions)")
    export_kinds = export.add_subparsers(dest="kind", metavar="KIND", required=True)

    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands, export_kinds)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)
    # A windowed build (the GUI entry point on Windows, a frozen bundle) has no console.
    for stream in ("stdout", "stderr"):
        if getattr(sys, stream) is None:
            setattr(sys, stream, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    # A log file on a full disk must not print "--- Logging error ---" and a traceback: the
    # promise is one line on stderr.
    logging.raiseExceptions = False
    parser = build_parser()
    args = parser.parse_args(argv)
    from csfacilitator.paths import resolve

    paths = resolve(args.data_dir)
    if args.command is None:
        from csfacilitator.system_check import check_gui_libraries

        if check_gui_libraries() is not None:  # Linux: a missing X11 library, before Qt aborts
            return EXIT_USER_ERROR
        from csfacilitator import app

        return app.main(paths=paths)
    try:
        from csfacilitator.logs import setup_logging
        from csfacilitator.paths import prepare
        from csfacilitator.writer_lock import command_guard

        prepare(paths)
        setup_logging(paths)
        with command_guard(args, paths):  # the writer lock; a damaged database set aside
            return run_command(args, paths)
    except UserError as exc:
        print(f"csfacilitator: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        # The reader went away (`csfacilitator list | head`): nothing is wrong.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        log.exception("Command failed")
        print(
            f"csfacilitator: unexpected error ({type(exc).__name__}: {exc}). "
            f"Details are in {paths.logs}.",
            file=sys.stderr,
        )
        return EXIT_BUG


def run_command(args: argparse.Namespace, paths) -> int:
    from csfacilitator.commands.encrypt import passphrase_for
    from csfacilitator.core import conferences
    from csfacilitator.storage import open_database

    if getattr(args, "replaces_database", False):
        # restore: never open what it replaces (a damaged file would fail the same way again).
        return args.run(None, args, paths)
    db = open_database(paths, passphrase_for(paths))  # asks only for an encrypted database
    try:
        handler = getattr(args, "run", None)
        if handler is not None:
            return handler(db, args, paths)
        if args.command == "list":
            return _list(db, as_json=args.json)
        if args.command == "example":
            from csfacilitator.core.example import add_example
            from csfacilitator.core.related import list_links

            conference_id = add_example(db, joined_up=True)
            title = conferences.get_conference(db, conference_id).title
            print(f"Added the example conference {conference_id}: {title}")
            for link in list_links(db, conference_id):
                print(f"  related: conference {link.conference_id}, {link.text}")
            return 0
        if args.command == "bundle":
            return _bundle(db, args)
    finally:
        db.close()
    raise UserError(f"Unknown command {args.command!r}.")


def _list(db, *, as_json: bool) -> int:
    from csfacilitator.commands.common import iso, listed
    from csfacilitator.core import conferences, vocab

    rows = conferences.list_conferences(db)
    if listed(
        rows,
        as_json=as_json,
        to_json=lambda r: {
            "id": r.id,
            "title": r.title,
            "context": r.context_name,
            "context_type": r.context_type,
            "conference_date": iso(r.conference_date),
            "status": r.status,
            "archived": r.archived,
        },
        empty="No conferences yet. Add the example with: csfacilitator example",
    ):
        return 0
    print(f"{'ID':>4}  {'DATE':<10}  {'STATUS':<15}  TITLE (CONTEXT)")
    for r in rows:
        date = r.conference_date.isoformat() if r.conference_date else "-"
        archived = " [archived]" if r.archived else ""
        context = f" ({r.context_name})" if r.context_name else ""
        status = vocab.label(vocab.STATUSES, r.status)
        print(f"{r.id:>4}  {date:<10}  {status:<15}  {r.title}{context}{archived}")
    return 0


def _bundle(db, args) -> int:
    from csfacilitator.core import bundle, conferences

    if args.bundle_command == "export":
        from csfacilitator.commands.documents import report_export, sharing_answer

        conference_id = conferences.find_conference(db, args.conference)
        sharing = sharing_answer(db, conference_id, args)  # refused before anything is written
        written = bundle.write_bundle(db, conference_id, Path(args.out))
        return report_export(db, conference_id, "bundle", written, sharing=sharing)
    data = bundle.read_checked(Path(args.file))
    mode = "copy" if args.as_copy else "replace" if args.replace else "refuse"
    conference_id = bundle.import_conference(db, data, on_conflict=mode)
    title = conferences.get_conference(db, conference_id).title
    print(f"Imported conference {conference_id}: {title}")
    return 0
