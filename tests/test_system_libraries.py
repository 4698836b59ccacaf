"""Linux: a missing system library for Qt's X11 plugin ends in one plain message and exit 2,
never in Qt's abort (exit 134) -- checked before anything loads QtGui."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from csfacilitator import cli, system_check

X11_DESKTOP = {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11", "HOME": "/tmp"}


@pytest.fixture
def x11_session(monkeypatch):
    """The environment of an X11 desktop, without a real display."""
    for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(system_check.sys, "platform", "linux")


def test_missing_xcb_cursor_ends_in_one_message_and_exit_2(
    x11_session, monkeypatch, capsys, tmp_path
):
    loaded, notified = [], []
    monkeypatch.setattr(
        system_check,
        "library_present",
        lambda soname: loaded.append(soname) or soname != "libxcb-cursor.so.0",
    )
    monkeypatch.setattr(system_check, "notify", notified.append)

    def must_not_start(**_kwargs):
        raise AssertionError("the GUI was started although a library is missing")

    import csfacilitator.app

    monkeypatch.setattr(csfacilitator.app, "main", must_not_start)

    code = cli.main(["--data-dir", str(tmp_path / "data")])

    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "libxcb-cursor.so.0" in err
    assert "sudo apt install libxcb-cursor0 " in err  # Debian, Ubuntu
    assert "sudo dnf install xcb-util-cursor " in err  # Fedora
    assert notified == [err.removeprefix("csfacilitator: ")]
    assert "libxcb-icccm.so.4" in loaded  # the X11 plugin's whole list was checked


def test_every_missing_library_is_named_once_with_its_packages():
    missing = [lib for lib in system_check.FOR_XCB if lib.fedora == "libxcb"][:2]
    text = system_check.message(missing)
    assert f"{missing[0].soname} and {missing[1].soname}" in text
    assert f"sudo apt install {missing[0].debian} {missing[1].debian} " in text
    assert "sudo dnf install libxcb (Fedora)" in text  # one Fedora package holds both


@pytest.mark.parametrize(
    ("env", "xcb"),
    [
        ({"DISPLAY": ":0"}, True),
        ({}, True),  # nothing set: Qt tries X11
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "xcb:display=:1"}, True),
        ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, False),
        ({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, False),
    ],
)
def test_the_x11_libraries_are_checked_only_when_qt_will_use_x11(env, xcb):
    asked: list[str] = []
    system_check.missing_libraries(env, lambda s: asked.append(s) or True, platform="linux")
    assert ("libxcb-cursor.so.0" in asked) is xcb
    assert "libGL.so.1" in asked  # QtGui's own, on every platform


def test_nothing_is_checked_off_linux():
    assert system_check.missing_libraries({}, lambda s: False, platform="win32") == []
    assert system_check.missing_libraries({}, lambda s: False, platform="darwin") == []


def test_notify_is_optional(monkeypatch):
    monkeypatch.setattr(system_check.shutil, "which", lambda name: None)
    system_check.notify("nothing to show it with")  # no error


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux libraries")
def test_no_false_alarm_here_offscreen():
    # This machine runs the GUI tests offscreen: QtGui's own libraries are all here.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    assert system_check.missing_libraries(env) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux libraries")
def test_a_real_missing_x11_library_ends_in_the_message_not_an_abort(tmp_path):
    """Where this machine itself lacks an X11 library (a bare Debian does), the real program
    started as on a desktop says so and exits 2, where Qt used to abort with 134."""
    missing = system_check.missing_libraries({"DISPLAY": ":0"})
    if not missing:
        pytest.skip("every library of Qt's X11 plugin is installed here")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND", "XDG_"))}
    env |= {"DISPLAY": ":99", "PATH": "/usr/bin:/bin"}  # no notify-send call from a test
    result = subprocess.run(
        [sys.executable, "-m", "csfacilitator", "--data-dir", str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.strip().splitlines() == ["csfacilitator: " + system_check.message(missing)]
