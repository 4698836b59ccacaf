"""A fork server for the command line: `python -m csfacilitator ARG...` in its own process,
without paying for the interpreter's start and the imports each time.

A fresh `python -m csfacilitator` spends some 0.65 s of CPU importing SQLAlchemy, Alembic,
python-docx, Pillow and the app before it reads its arguments, and the tests start it hundreds
of times. This server (one per pytest process, started by tests/harness/cli_runner.py on first
use) imports all of that once, then for each request forks a process that runs the real entry
point, as `python -m` would (runpy, `__main__`, sys.argv), with the request's arguments,
environment (os.environ replaced), working folder and standard streams (file descriptors passed
over the Unix socket). That process is a real separate one: its own pid, killable, holding only
its standard streams (as subprocess's close_fds leaves a child), ending through the interpreter's
own exit (SystemExit's code, atexit handlers, stdout flushed, exit 120 when that flush fails).

Forking is safe only from a process holding nothing that a fork copies badly, so after the
imports the server checks that it has one thread (a forked child gets only the forking one), no
log handlers, no Qt application, and no file descriptors but its sockets and standard streams;
it opens no database. What the interpreter fixes at its start (PYTHON* variables, locale, LD_*,
TZ) cannot change in a forked child: the client runs a fresh interpreter instead when a request's
environment differs there (cli_runner.START_VARIABLES).

Protocol (SOCK_SEQPACKET, one message each): the client sends a JSON request {"module",
"argv", "env", "cwd", "umask"} with three descriptors (stdin, stdout, stderr); the server
answers {"pid": N} as soon as the process runs, then {"status": wait status} when it ends.
Per request the server forks a watcher, which forks the command and waits for it, so the server
serves requests side by side (a test may hold one command open while it runs another); it reaps
the watchers that have ended, so that their CPU time and their commands' count in its own
children's time and its client's, as a fresh interpreter's would.

    python -m tests.harness.cli_server LISTENER_FD LIFELINE_FD EXPECTED_PACKAGE_FILE

LIFELINE_FD is the read end of a pipe the client holds open: at its end the server ends too.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import json
import os
import pkgutil
import select
import socket
import sys
from dataclasses import dataclass
from typing import TextIO

# Every module of the app a command can reach; not the GUI (a command does not start it), not
# `__main__` (it runs the command line on import), not Alembic's env.py (it migrates on import)
# nor the migration scripts (Alembic loads them by path).
SKIPPED = (
    "csfacilitator.__main__",
    "csfacilitator.app",
    "csfacilitator.gui",
    "csfacilitator.storage.migrations.env",
    "csfacilitator.storage.migrations.versions",
)
# What the commands import lazily from libraries (seen by listing sys.modules after `example`,
# `list`, `export ...`, `bundle export`, `backup`), so that no command pays for it. QtCore
# (QLockFile, for the writer lock) is safe: importing it starts no thread and makes no
# application object; the check below proves it each time.
LIBRARIES = (
    "_strptime",
    "alembic.command",
    "alembic.config",
    "alembic.operations",
    "alembic.runtime.migration",
    "alembic.script",
    "docx",
    "encodings.utf_8_sig",
    "jsonschema",
    "logging.handlers",
    "PIL.Image",
    "PIL.ImageDraw",
    "PIL.ImageFont",
    "PySide6.QtCore",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlcipher3.dbapi2",
)
MESSAGE_LIMIT = 1 << 20
REAP_EVERY = 0.5  # seconds


def preload() -> None:
    import csfacilitator

    for found in pkgutil.walk_packages(csfacilitator.__path__, "csfacilitator."):
        if not found.name.startswith(SKIPPED):
            importlib.import_module(found.name)
    for name in LIBRARIES:
        importlib.import_module(name)
    from PIL import Image
    from sqlalchemy.orm import configure_mappers

    Image.preinit()  # the PNG, JPEG, BMP, GIF and PPM plugins, as the first picture would
    configure_mappers()  # the models' relationships, as the first query would (0.2 s)
    gc.freeze()  # what is loaded now: never collected, so a child copies fewer pages


def check_fork_safe(keep: set[int]) -> None:
    """Refuse to serve from a process whose state a fork would copy badly."""
    import logging

    from PySide6.QtCore import QCoreApplication

    problems = []
    threads = os.listdir("/proc/self/task")
    if len(threads) != 1:
        problems.append(f"{len(threads)} threads (a forked child gets only one)")
    if logging.getLogger().handlers:
        problems.append(f"log handlers {logging.getLogger().handlers}")
    if QCoreApplication.instance() is not None:
        problems.append("a Qt application")
    extra = sorted(_open_fds() - keep - {0, 1, 2})
    if extra:
        problems.append(f"open file descriptors {[_describe(fd) for fd in extra]}")
    if problems:
        raise SystemExit("cli_server: cannot fork safely: " + "; ".join(problems))


def _describe(fd: int) -> str:
    try:
        return f"{fd}: {os.readlink(f'/proc/self/fd/{fd}')}"
    except OSError:
        return str(fd)


def _open_fds() -> set[int]:
    listed = {int(name) for name in os.listdir("/proc/self/fd")}
    return {fd for fd in listed if _is_open(fd)}  # not the one the listing used


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


@dataclass
class Job:
    """The command a forked process runs, as `python -m MODULE ARG...` would."""

    module: str
    argv: list[str]

    def run(self) -> None:
        import runpy

        sys.argv = ["-m", *self.argv]  # runpy puts the module's file first, as -m does
        runpy.run_module(self.module, run_name="__main__", alter_sys=True)


def serve(listener: socket.socket, lifeline: int) -> Job | None:
    """Serve until the client ends (returns None); in a forked command, return its Job."""
    while True:
        ready, _, _ = select.select([listener, lifeline], [], [], REAP_EVERY)
        _reap()
        if lifeline in ready:
            return None
        if not ready:
            continue
        connection, _ = listener.accept()
        try:
            message, fds, _flags, _address = socket.recv_fds(connection, MESSAGE_LIMIT, 3)
        except OSError:
            connection.close()
            continue
        if len(fds) != 3 or not message:
            for fd in fds:
                os.close(fd)
            connection.close()
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:
            return _watch(json.loads(message), fds, connection, listener, lifeline)
        for fd in fds:
            os.close(fd)
        connection.close()


def _reap() -> None:
    """Wait for the watchers that have ended: so their CPU time, with their commands', counts
    in this server's, and the client's (as a fresh interpreter's would)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _watch(request: dict, fds: list[int], connection, listener, lifeline: int) -> Job:
    """In the watcher: fork the command, report its pid, wait, report its status, end."""
    try:
        pid = os.fork()
        if pid == 0:
            return _become_command(request, fds, [connection, listener], lifeline)
        for fd in fds:
            os.close(fd)
        connection.send(json.dumps({"pid": pid}).encode())
        _, status = os.waitpid(pid, 0)
        connection.send(json.dumps({"status": status}).encode())
    except BaseException as exc:  # noqa: BLE001 - a watcher never returns into the server loop
        try:
            print(f"cli_server watcher: {exc!r}", file=sys.stderr, flush=True)
        finally:
            os._exit(1)
    os._exit(0)


def _become_command(request: dict, fds: list[int], sockets: list, lifeline: int) -> Job:
    """In the command's process: the request's streams, environment, folder and arguments."""
    for held in sockets:
        os.close(held.detach())
    os.close(lifeline)
    models = (sys.__stdin__, sys.__stdout__, sys.__stderr__)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in _open_fds() - {0, 1, 2}:  # as subprocess's close_fds: only the three streams
        with contextlib.suppress(OSError):
            os.close(fd)
    streams = [_standard_stream(fd, model) for fd, model in enumerate(models)]
    sys.stdin, sys.stdout, sys.stderr = streams
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = streams
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    os.umask(request["umask"])  # the client's, as a process it started would inherit
    sys.path[0] = os.getcwd()  # -m puts the working folder first
    import tempfile

    tempfile.tempdir = None  # chosen again from this environment's TMPDIR when first asked
    return Job(module=request["module"], argv=list(request["argv"]))


def _standard_stream(fd: int, model: TextIO | None) -> TextIO:
    """A standard stream as the interpreter makes one at start (pylifecycle.c create_stdio):
    the encoding and error handler it chose from the same environment, newline "\\n"; when
    buffered (no -u or PYTHONUNBUFFERED: the server's own streams tell), line-buffered on a
    terminal and for stderr; unbuffered, written through to an unbuffered file."""
    assert isinstance(model, io.TextIOWrapper)
    buffered = not model.write_through
    writing = fd != 0
    buffer = open(  # noqa: SIM115 - the process's stream for its life
        fd, "wb" if writing else "rb", buffering=-1 if buffered or not writing else 0, closefd=False
    )
    return io.TextIOWrapper(
        buffer,
        encoding=model.encoding,
        errors=model.errors,
        newline="\n",
        line_buffering=buffered and (fd == 2 or os.isatty(fd)),
        write_through=not buffered,
    )


def main(argv: list[str]) -> Job | None:
    listener = socket.socket(fileno=int(argv[0]))
    lifeline = int(argv[1])
    preload()
    import csfacilitator

    if os.path.realpath(csfacilitator.__file__) != os.path.realpath(argv[2]):
        raise SystemExit(f"cli_server: imported {csfacilitator.__file__}, the tests use {argv[2]}")
    check_fork_safe({listener.fileno(), lifeline})
    return serve(listener, lifeline)


if __name__ == "__main__":
    job = main(sys.argv[1:])
    if job is not None:
        # The command's own process: from here it is `python -m MODULE`, and its end (exit
        # code, atexit, flushing the streams) is the interpreter's, as in a fresh one.
        job.run()
