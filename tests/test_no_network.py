"""Nothing leaves the machine: whole sessions with every network call refused and recorded.

Python's socket entry points are replaced (local AF_UNIX sockets stay allowed), an audit hook
records any socket use that slips past them, and on Linux the process's open Internet sockets
are compared before and after.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from csfacilitator.app import create_window
from csfacilitator.storage.encryption import ENV_PASSPHRASE

# Installed once per process (audit hooks cannot be removed); records only while armed.
_AUDIT = {"armed": False, "seen": []}
_NETWORK_EVENTS = {
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.sendto",
    "socket.sendmsg",
}


def _audit(event: str, args: tuple) -> None:
    if not _AUDIT["armed"] or event not in _NETWORK_EVENTS:
        return
    if args and getattr(args[0], "family", None) == socket.AF_UNIX:
        return  # a local socket (connect, sendto) is not the network
    _AUDIT["seen"].append((event, repr(args)[:200]))
    raise OSError(f"network use blocked by the test's audit hook: {event}")  # before the call


sys.addaudithook(_audit)


def _inet_socket_inodes() -> set[str]:
    """Inodes of this process's open TCP/UDP sockets (Linux; empty elsewhere)."""
    tables = [Path("/proc/net", name) for name in ("tcp", "tcp6", "udp", "udp6")]
    if not all(t.exists() for t in tables):
        return set()
    inet = set()
    for table in tables:
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            if len(fields) > 9:
                inet.add(fields[9])
    mine = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            mine.add(target[len("socket:[") : -1])
    return mine & inet


@pytest.fixture
def network_blocked(monkeypatch):
    """Every attempt to reach the network fails the call and is recorded for the test."""
    attempts: list[str] = []

    def refuse(name: str):
        def blocked(*args, **kwargs):
            attempts.append(f"{name}{args[:2]!r}")
            raise OSError(f"network use blocked by the test: {name}")

        return blocked

    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self, address):
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        return refuse("socket.connect")(self, address)

    def connect_ex(self, address):
        if self.family == socket.AF_UNIX:
            return real_connect_ex(self, address)
        return refuse("socket.connect_ex")(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse(f"socket.{name}"))
    before = _inet_socket_inodes()
    _AUDIT["seen"].clear()
    _AUDIT["armed"] = True
    try:
        yield attempts
    finally:
        _AUDIT["armed"] = False
    attempts.extend(f"audit {event} {args}" for event, args in _AUDIT["seen"])
    attempts.extend(f"open socket {inode}" for inode in _inet_socket_inodes() - before)


def test_the_guard_really_catches_a_connection(network_blocked):
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(OSError, match="blocked"),
    ):
        sock.connect(("192.0.2.1", 80))
    raw = socket._socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # under the patched class
    try:
        with pytest.raises(OSError, match="audit hook"):
            raw.connect(("192.0.2.1", 80))
    finally:
        raw.close()
    local = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # local sockets are not network
    try:
        with pytest.raises(FileNotFoundError):
            local.connect(str(Path("/nonexistent-dir/socket")))
    finally:
        local.close()
    assert _AUDIT["seen"] and len(network_blocked) == 2


def test_a_whole_gui_session_reaches_no_network(
    qtbot, paths, tmp_path, monkeypatch, network_blocked
):
    from csfacilitator.gui.documents import export_dialogs

    window = create_window(paths.root)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)

    window.open_example()
    window.tabs.setCurrentWidget(window.board)
    window.board.focus_entry("concerns")
    entry = window.board.panes["concerns"].entry
    qtbot.keyClicks(entry, "Lights out on the towpath after eight")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    window.present()
    assert window.projector.isVisible()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)

    target = tmp_path / "minutes.docx"
    monkeypatch.setattr(export_dialogs, "confirm_flags", lambda *a: True)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    from tests.test_sharing import answer_sharing  # issue 20: every export asks who and why

    answer_sharing(qtbot)
    window.document_actions["minutes"].trigger()
    assert target.exists()

    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    window.preferences_action.trigger()
    window.lock_action.trigger()
    window.locker.try_unlock()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())

    assert network_blocked == []


CLI_SESSION = textwrap.dedent(
    """
    import socket, sys

    attempts = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append(name)
            raise OSError("network use blocked by the test: " + name)
        return blocked

    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self, address):
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        return refuse("socket.connect")(self, address)

    def connect_ex(self, address):
        if self.family == socket.AF_UNIX:
            return real_connect_ex(self, address)
        return refuse("socket.connect_ex")(self, address)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        setattr(socket, name, refuse("socket." + name))

    def audit(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
            if not (event == "socket.connect" and args[0].family == socket.AF_UNIX):
                attempts.append("audit " + event)
                raise OSError("network use blocked by the test's audit hook: " + event)

    sys.addaudithook(audit)

    from csfacilitator.cli import main

    data, out = sys.argv[1], sys.argv[2]
    sessions = [
        ["example"],
        ["list", "--json"],
        ["export", "minutes", "1", "--out", out + "/minutes.docx"],
        ["bundle", "export", "1", "--out", out + "/handover.csfconf"],
        ["exports"],
        ["encrypt"],
        ["list"],
    ]
    codes = [main(["--data-dir", data, *argv]) for argv in sessions]
    print("CODES", codes)
    print("ATTEMPTS", attempts)
    """
)


@pytest.mark.slow
def test_a_command_line_session_reaches_no_network(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env[ENV_PASSPHRASE] = "blue kettle, quiet harbour"
    result = subprocess.run(
        [sys.executable, "-c", CLI_SESSION, str(tmp_path / "data"), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "CODES [0, 0, 0, 0, 0, 0, 0]" in result.stdout, result.stdout + result.stderr
    assert "ATTEMPTS []" in result.stdout
    assert (tmp_path / "minutes.docx").exists() and (tmp_path / "handover.csfconf").exists()
