"""Leftover lock files never lock the user out for ever: an empty or garbled lock, a pid now used
by another Python, a lock from before a restart are taken over; a live holder is respected; a
lock from another computer is refused with the computer, the time and the file to delete."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from csfacilitator import stale_lock
from csfacilitator.paths import prepare, resolve
from csfacilitator.writer_lock import APP_IS_OPEN, WriterLock
from tests.harness.cli_runner import run_cli

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the proof of a live lock reads /proc"
)


def _qt_lock_text(pid: int, host: str | None = None, boot: str | None = None) -> str:
    """What QLockFile writes: pid, app name, host, machine id, boot id."""
    host = socket.gethostname() if host is None else host
    boot = stale_lock.boot_id() if boot is None else boot
    machine = stale_lock.machine_id() if host == socket.gethostname() else "0" * 32
    return f"{pid}\npython3\n{host}\n{machine}\n{boot}\n"


@pytest.fixture
def folder(tmp_path):
    return prepare(resolve(tmp_path / "d"))


def _acquire(paths) -> WriterLock:
    lock = WriterLock(paths)
    assert lock.try_acquire(), lock.refusal()
    assert int(paths.lock_file.read_text().split()[0]) == os.getpid()
    return lock


@pytest.mark.parametrize("content", [b"", b"\x00\x00\x00garbage\xff", b"not a pid\n"])
def test_an_empty_or_garbled_lock_file_is_taken_over(folder, content):
    folder.lock_file.write_bytes(content)
    _acquire(folder).release()
    assert not folder.lock_file.exists()


def test_the_command_line_takes_over_an_empty_lock_after_a_power_cut(folder):
    folder.lock_file.write_bytes(b"")
    added = run_cli("example", data_dir=folder.root)
    assert added.returncode == 0, added.stderr
    assert not folder.lock_file.exists()


@pytest.fixture
def other_python():
    """A live process with a Python name: what a reused pid looks like to QLockFile."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    time.sleep(0.2)
    yield process
    process.kill()
    process.wait(30)


def test_a_lock_whose_pid_is_now_another_python_is_taken_over(folder, other_python):
    folder.lock_file.write_text(_qt_lock_text(other_python.pid))
    _acquire(folder).release()


def test_without_flock_a_reused_pid_is_told_by_its_start_time(folder, other_python):
    folder.lock_file.write_text(_qt_lock_text(other_python.pid))
    then = time.time() - 3600  # the lock was written an hour before that process started
    os.utime(folder.lock_file, (then, then))
    verdict = stale_lock.judge(folder.lock_file, flock=lambda _p: None)
    assert verdict.kind == stale_lock.STALE and "started after" in verdict.reason
    os.utime(folder.lock_file, None)  # written after it started: it may be the holder
    assert stale_lock.judge(folder.lock_file, flock=lambda _p: None).kind == stale_lock.LIVE


def test_a_lock_from_before_a_restart_is_taken_over(folder, other_python):
    folder.lock_file.write_text(_qt_lock_text(other_python.pid, boot="another-boot"))
    assert stale_lock.judge(folder.lock_file, flock=lambda _p: None).kind == stale_lock.STALE
    _acquire(folder).release()


HOLDER = (
    "import sys; from PySide6.QtCore import QLockFile; l = QLockFile(sys.argv[1]); "
    "print(l.tryLock(0), flush=True); sys.stdin.read()"
)


def test_a_live_holder_is_respected_and_its_lock_kept(folder):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder.lock_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "True"
        before = folder.lock_file.read_bytes()
        lock = WriterLock(folder)
        assert not lock.try_acquire()
        assert lock.verdict.kind == stale_lock.LIVE
        assert lock.refusal() == APP_IS_OPEN
        assert folder.lock_file.read_bytes() == before
        refused = run_cli("example", data_dir=folder.root)
        assert refused.returncode == 2
        assert refused.stderr.strip() == f"csfacilitator: {APP_IS_OPEN}"
    finally:
        holder.communicate("", timeout=60)


def test_a_lock_from_another_computer_is_refused_with_how_to_clear_it(folder):
    folder.lock_file.write_text(_qt_lock_text(4242, host="front-desk-laptop"))
    refused = run_cli("example", data_dir=folder.root)
    assert refused.returncode == 2
    message = refused.stderr.strip()
    assert "locked by front-desk-laptop since " in message
    assert f"if that computer is not using it, delete {folder.lock_file}" in message
    assert len(message.splitlines()) == 1
    assert folder.lock_file.exists()  # never taken over
    folder.lock_file.unlink()  # what the message tells the user to do
    assert run_cli("example", data_dir=folder.root).returncode == 0


def test_the_app_names_the_other_computer_too(qtbot, paths, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from csfacilitator import app

    prepare(paths)
    paths.lock_file.write_text(_qt_lock_text(4242, host="front-desk-laptop"))
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    assert app.main(paths=paths) == 2
    assert "locked by front-desk-laptop" in shown[0] and str(paths.lock_file) in shown[0]
