"""Performs one operation on a prepared data folder until it is killed or done
(tests/test_crash_operations.py).

    op_driver.py DATA_DIR cli ARG...                  csfacilitator --data-dir DATA_DIR ARG...
    op_driver.py DATA_DIR undo-delete CONF SAVED      delete the conference as the window does,
                                                      keep what went in the file SAVED, then undo
    op_driver.py DATA_DIR undo-remove-meeting CONF KIND SAVED
                                                      remove the conference's meeting of KIND as
                                                      the Meetings panel does, then undo
    op_driver.py DATA_DIR put-back conference|meeting SAVED
                                                      undo again from SAVED (after a kill)

    op_driver.py --serve                              a fork server for the tests (see serve())

CONF is a conference id or exact title. Everything is imported first; the kill window is the
operation alone. Protocol on stdout, one line each, flushed: "READY" once everything is imported
and any preparatory step (the delete an undo undoes) is done; "START" just before the operation;
"DONE <exit code>" after it (2 when refused, as the CLI). A CLI command runs in this process
through csfacilitator.cli.main, exactly as `python -m csfacilitator` runs it.
"""

from __future__ import annotations

import functools
import pickle
import sys
from pathlib import Path


def say(line: str) -> None:
    """One write for the line and its end, so that a kill (under PYTHONUNBUFFERED too, where
    print writes them apart) cannot leave "DONE 0" glued to the server's "EXIT -9"."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run_cli(data_dir: str, argv: list[str], *, dry: bool = False) -> int:
    from csfacilitator import cli

    preload()  # the command modules are imported now, not inside the kill window
    say("READY")
    if dry:
        return 0
    say("START")
    return cli.main(["--data-dir", data_dir, *argv])


def _save(removed: object, target: str) -> None:
    """Keep what the delete removed (the undo step's memory) in a file, so a test can try the
    undo again after a kill."""
    Path(target).write_bytes(pickle.dumps(removed))


def run_undo(data_dir: str, op: str, args: list[str], *, dry: bool = False) -> int:
    from csfacilitator.core import conferences, meetings
    from csfacilitator.errors import UserError
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database
    from csfacilitator.storage.reclaim import reclaim_space

    db = open_database(resolve(data_dir))
    try:
        if op == "put-back":
            kind, saved = args
            removed = pickle.loads(Path(saved).read_bytes())  # noqa: S301 - our own file
        elif op == "undo-delete":
            # As gui/home/list_commands.DeleteConference does.
            kind, saved = "conference", args[1]
            removed = conferences.delete_conference(db, conferences.find_conference(db, args[0]))
            reclaim_space(db)
            _save(removed, saved)
        elif op == "undo-remove-meeting":
            # As meetings_panel._RemoveMeeting does.
            kind, saved = "meeting", args[2]
            conference_id = conferences.find_conference(db, args[0])
            meeting = next(
                m for m in meetings.list_meetings(db, conference_id) if m.kind == args[1]
            )
            removed = meetings.delete_meeting(db, meeting.id)
            _save(removed, saved)
        else:
            raise SystemExit(f"unknown operation {op!r}")
        say("READY")
        if dry:
            return 0
        say("START")
        try:
            if kind == "conference":
                conferences.restore_conference(db, removed)
            else:
                meetings.restore_meeting(db, removed)
        except UserError as exc:  # as the undo step shows it
            say(f"REFUSED {exc}")
            return 2
    finally:
        db.close()
    return 0


def main(argv: list[str], *, dry: bool = False) -> int:
    data_dir, op, *args = argv
    if op == "cli":
        return run_cli(data_dir, args, dry=dry)
    return run_undo(data_dir, op, args, dry=dry)


@functools.cache
def preload() -> None:
    """Do once, before any operation, what every run would otherwise redo first, so a forked
    child starts at once and spends its CPU on the operation itself: the command line's fork
    server's preload (every module a command reaches and the libraries they import lazily,
    the ORM's mappers configured, what is loaded frozen; tests/harness/cli_server.py, beside
    this file), then the bundle schema's validator (cached by bundle_format) and the CLI's
    argument parser, built once: cli.main builds a new one on each call, the same every time,
    and parsing changes nothing in it.

    Nothing here opens a file of a data folder, a connection, a thread or a lock.
    """
    import cli_server  # this folder is the script's first path

    from csfacilitator import cli
    from csfacilitator.core import bundle_format

    cli_server.preload()
    bundle_format._validator()
    parser = cli.build_parser()
    cli.build_parser = lambda: parser


def serve() -> None:
    """A fork server, so each of the many runs a test makes costs a fork, not a Python start.

    Reads JSON requests on stdin, one a line: {"argv": [DATA_DIR, OP, ARG...], "dry": bool}
    ("dry": prepare, say READY, and stop before the operation). For each it forks a child that
    says "PID <pid>", then the protocol above, and ends; while the child runs, the line "KILL"
    SIGKILLs it. When the child is gone: "EXIT <status>" (minus the signal number when killed).
    The server sleeps in select() on stdin and the child's pidfd (Linux): it wakes for a line or
    the child's end, not every 10 ms to look.
    Nothing is imported or opened before a fork but modules: no connection, thread or lock.
    """
    import json
    import os
    import select
    import signal

    preload()  # and frozen: the children's collections skip (and so do not copy) it
    say("READY")
    pending = b""

    def next_line(child: int | None = None, timeout: float | None = None) -> str | None:
        """The next line from the test; None as soon as `child` (a pidfd) has ended first, or
        after `timeout` seconds without one."""
        nonlocal pending
        watched = [0] if child is None else [0, child]
        while b"\n" not in pending:
            ready, _, _ = select.select(watched, [], [], timeout)
            if 0 not in ready:
                return None
            chunk = os.read(0, 65536)
            if not chunk:
                raise SystemExit(0)  # the test went away
            pending += chunk
        line, pending = pending.split(b"\n", 1)
        return line.decode("utf-8")

    while True:
        line = next_line()
        if line == "KILL":  # came after the child had ended by itself
            continue
        request = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.dup2(1, 2)  # the child's messages, e.g. the CLI's one line, among its lines
                say(f"PID {os.getpid()}")
                code = main(request["argv"], dry=request.get("dry", False))
                say(f"DONE {code}")
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException as exc:  # noqa: BLE001 - reported, then the child ends
                say(f"ERROR {type(exc).__name__}: {exc}")
            finally:
                sys.stdout.flush()
                os._exit(code)
        # Readable when the child ends: waited on with the test's lines, no polling (where
        # there are no pidfds, outside Linux, the child is looked at every 10 ms instead).
        child = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None
        try:
            while True:
                line = next_line(child, None if child is not None else 0.01)
                if line == "KILL":
                    os.kill(pid, signal.SIGKILL)  # our own child, not yet reaped: still ours
                    break
                if line is None and (
                    child is not None
                    or os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
                ):
                    break  # it ended by itself
        finally:
            if child is not None:
                os.close(child)
        _, status = os.waitpid(pid, 0)
        say(f"EXIT {os.waitstatus_to_exitcode(status)}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        code = main(sys.argv[1:])
        say(f"DONE {code}")
        raise SystemExit(code)
