"""One writer at a time: while the app holds the data folder's lock, commands that change data
are refused with a clear message and commands that read still work; a crashed holder's lock is
taken over."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from csfacilitator.cli import build_parser
from csfacilitator.paths import prepare, resolve
from csfacilitator.writer_lock import APP_IS_OPEN, WriterLock
from tests.harness.cli_runner import run_cli

WRITING = [
    ["example"],
    ["bundle", "import", "x.csfconf"],
    ["restore", "--latest"],
    ["restore", "some-backup.sqlite3"],
    ["delete", "1"],
    ["invitees", "import", "1", "people.csv"],
    ["encrypt"],
    ["passphrase", "change"],
    ["passphrase", "remove"],
    ["related", "1", "--link", "2"],  # issue 20: the context register and links
    # The team store: these change this laptop's database (its share state, settings, merges).
    ["sync"],
    ["conflicts", "resolve", "1", "--take", "mine"],
    ["team", "connect", "postgresql://host/team"],
    ["team", "share", "1"],
    ["team", "unshare", "1"],
    ["team", "remove-copies", "--yes"],  # issue 18: copies no longer shared with you
    ["team", "retention", "delete", "x", "--yes"],  # its delete removes the copy here too
    ["voices", "1", "--add", "It's dark"],  # issue 19: young people's voice
    ["safety-map", "1", "--import", "map.png"],  # issue 19: the safety map
]
READING = [
    ["calendar", "1", "--out", "x"],
    ["deadlines"],
    # These act on the team store's server only, never on this laptop's database.
    ["team", "init", "postgresql://host/team"],
    ["team", "upgrade", "postgresql://host/team"],
    ["team", "add-user", "bob", "--role", "coordinator"],
    ["team", "remove-user", "bob"],
    ["team", "users"],
    ["team", "audit", "1"],
    ["team", "verify-audit"],
    ["team", "status"],
    ["invitees", "export", "1", "--out", "x"],
    ["export", "plan", "1", "--out", "x"],
    ["export", "review", "1", "--out", "x"],
    ["export", "actions", "1", "--out", "x"],
    ["export", "report", "1", "--out", "x"],
    ["export", "agenda", "1", "--out", "x"],
    ["export", "invitations", "1", "--out", "x"],
    ["export", "signin", "1", "--out", "x"],
    ["export", "closing", "1", "--out", "x"],
    ["list"],
    ["meetings", "1"],
    ["sharing"],  # issue 20: the information-sharing record (was "exports")
    ["exports"],  # the old name, kept as an alias of "sharing"
    ["export", "sharing_record", "1", "--out", "x"],
    ["export", "dpia", "1", "--out", "x"],
    ["export", "you-said-we-did", "1", "--out", "x"],  # issue 19: the handout
    ["subject-access", "Nobody"],
    ["bundle", "export", "1", "--out", "x"],
    ["export", "minutes", "1", "--out", "x"],
    ["backup"],
    ["backup", "--list"],
]


def _leaf_commands(parser, prefix=()):
    import argparse

    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield prefix
        return
    for name, child in subparsers[0].choices.items():
        yield from _leaf_commands(child, (*prefix, name))


def test_every_command_is_classed_as_writing_or_reading():
    """A new command must be added to one of the lists, so nobody forgets writes=True."""
    classed = {tuple(a for a in argv if not a.startswith("-")) for argv in WRITING + READING}
    leaves = set(_leaf_commands(build_parser()))
    unclassed = [
        " ".join(leaf) for leaf in leaves if not any(c[: len(leaf)] == leaf for c in classed)
    ]
    assert not unclassed


@pytest.mark.parametrize("argv", WRITING, ids=" ".join)
def test_commands_that_change_data_are_marked(argv):
    assert build_parser().parse_args(argv).writes is True


@pytest.mark.parametrize("argv", READING, ids=" ".join)
def test_commands_that_only_read_are_not(argv):
    assert getattr(build_parser().parse_args(argv), "writes", False) is False


def test_while_the_app_is_open_writes_are_refused_and_reads_work(tmp_path):
    paths = prepare(resolve(tmp_path / "d"))
    assert run_cli("example", data_dir=paths.root).returncode == 0
    app_lock = WriterLock(paths)  # what the running app holds
    assert app_lock.try_acquire()
    try:
        refused = run_cli("delete", "1", "--yes", data_dir=paths.root)
        assert refused.returncode == 2
        assert refused.stderr.strip() == f"csfacilitator: {APP_IS_OPEN}"
        assert "is open on this data folder; close it first or use the app" in refused.stderr
        listed = run_cli("list", data_dir=paths.root)
        assert listed.returncode == 0 and "Example:" in listed.stdout
        backed_up = run_cli("backup", data_dir=paths.root)
        assert backed_up.returncode == 0 and Path(backed_up.stdout.strip()).exists()
    finally:
        app_lock.release()
    assert run_cli("delete", "1", "--yes", data_dir=paths.root).returncode == 0
    assert not paths.lock_file.exists()  # released when the command ends


CRASH = textwrap.dedent(
    """
    import os, sys
    from PySide6.QtCore import QLockFile
    lock = QLockFile(sys.argv[1])
    assert lock.tryLock(0)
    os._exit(0)  # like a crash: no unlock, no clean-up
    """
)


def test_a_lock_left_by_a_crashed_process_is_taken_over(tmp_path):
    paths = prepare(resolve(tmp_path / "d"))
    subprocess.run([sys.executable, "-c", CRASH, str(paths.lock_file)], check=True, timeout=60)
    dead_pid = int(paths.lock_file.read_text().split()[0])
    assert dead_pid != os.getpid()
    added = run_cli("example", data_dir=paths.root)
    assert added.returncode == 0, added.stderr
    lock = WriterLock(paths)
    assert lock.try_acquire()  # the app too
    assert int(paths.lock_file.read_text().split()[0]) == os.getpid()
    assert paths.lock_file.stat().st_mode & 0o077 == 0
    lock.release()


def test_the_app_refuses_to_start_while_a_command_holds_the_lock(qtbot, paths, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from csfacilitator import app

    prepare(paths)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from PySide6.QtCore import QLockFile; l = QLockFile(sys.argv[1]); "
            "print(l.tryLock(0), flush=True); sys.stdin.read()",
            str(paths.lock_file),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "True"
        shown = []
        monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
        assert app.main(paths=paths) == 2
    finally:
        holder.communicate("", timeout=60)
    assert "already open on this data folder" in shown[0]
