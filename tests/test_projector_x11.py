"""The projector's keys and screens on a real X server (Xvfb, the openbox window manager and
xdotool, from Debian): key presses go through the X keyboard layout (US and UK), the window manager
gives focus and full screen, and a second monitor is plugged and unplugged with xrandr.

Skipped where those programs are not installed (apt-get install xvfb openbox xdotool
x11-xkb-utils x11-xserver-utils).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

from csfacilitator.paths import resolve

PROGRAMS = ("Xvfb", "openbox", "xdotool", "setxkbmap", "xrandr")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        any(shutil.which(p) is None for p in PROGRAMS),
        reason="needs Xvfb, openbox, xdotool, setxkbmap and xrandr",
    ),
]

COMMON = textwrap.dedent(
    """
    import os, subprocess, sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from csfacilitator.app import create_window
    # The test's own copy of the example database (see x_server).
    data, cid = os.environ["CSF_X11_DATA"], int(os.environ["CSF_X11_CONFERENCE"])
    window = create_window(data, cid)
    told = []
    window.statusBar().messageChanged.connect(lambda m: m and told.append(m))

    def key(*keys):
        subprocess.run(["xdotool", "key", "--clearmodifiers", *keys], check=True)

    def focus_in_projector():
        return window.projector is not None and QApplication.focusWidget() is window.projector

    def wait(name, condition, timeout=10.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            app.processEvents()
            if condition():
                print("PASS", name, flush=True)
                return
            time.sleep(0.02)
        p = window.projector
        print("FAIL", name, p and p.mode, p and p.user_scale,
              type(QApplication.focusWidget()).__name__, flush=True)
        os._exit(1)
    """
)

KEYS_SCRIPT = COMMON + textwrap.dedent(
    """
    subprocess.run(["setxkbmap", sys.argv[1]], check=True)
    window.resize(1366, 740); window.show()
    window.tabs.setCurrentWidget(window.board)
    wait("window shown", lambda: window.isActiveWindow() or window.activateWindow())
    window.board.focus_entry("concerns")
    entry = window.board.panes["concerns"].entry
    wait("entry focused", lambda: QApplication.focusWidget() is entry)
    mode = lambda: window.projector.mode
    scale = lambda: window.projector.user_scale
    key("F5")
    wait("F5: a preview beside the board, the keyboard stays in the entry",
         lambda: window.projector is not None and mode() == "preview"
         and QApplication.focusWidget() is entry)
    subprocess.run(["xdotool", "type", "--delay", "5", "Typed while previewing"], check=True)
    key("Return")
    wait("typing reaches the board and the projector", lambda: "Typed while previewing"
         in [e.text for e in window.projector.content.column("concerns")])
    key("F5")
    wait("F5 again: full screen, the projector has the keyboard",
         lambda: mode() == "full screen here" and window.projector.isFullScreen()
         and focus_in_projector())
    for keys in (["ctrl+plus"], ["ctrl+shift+equal"], ["ctrl+equal"], ["ctrl+KP_Add"]):
        key(*keys)
        wait(f"{keys[0]} zooms in", lambda: scale() > 1)
        key("ctrl+0")
        wait("ctrl+0 back to the fitted size", lambda: scale() == 1)
    key("ctrl+plus"); key("ctrl+minus")
    wait("ctrl+minus zooms out", lambda: scale() == 1)
    key("F11")
    wait("F11: back to the preview, the keyboard back in the entry",
         lambda: mode() == "preview" and QApplication.focusWidget() is entry)
    key("shift+F5")
    wait("Shift+F5 from the main window closes it", lambda: mode() == "closed")
    for close in ("Escape", "shift+F5"):
        key("F5"); key("F5")
        wait("full screen again", lambda: mode() == "full screen here" and focus_in_projector())
        key(close)
        wait(f"{close} with the projector focused closes it, the keyboard back in the entry",
             lambda: mode() == "closed" and QApplication.focusWidget() is entry)
    key("F5")
    wait("preview again", lambda: mode() == "preview")
    window.projector.setFocus()
    wait("the preview focused", focus_in_projector)
    key("Escape")
    wait("Escape in the focused preview closes it", lambda: mode() == "closed"
         and QApplication.focusWidget() is entry)
    print("DONE", flush=True)
    os._exit(0)
    """
)

UNPLUG_SCRIPT = COMMON + textwrap.dedent(
    """
    screens = {s.name(): s for s in QGuiApplication.screens()}
    window.setScreen(screens["Laptop"]); window.setGeometry(0, 0, 1366, 740); window.show()
    window.tabs.setCurrentWidget(window.board)
    wait("window shown", lambda: window.isVisible())
    window.activateWindow()
    window.board.focus_entry("concerns")
    window.present()
    p = window.projector
    wait("full screen on the projector screen", lambda: p.mode == "on the projector"
         and p.screen().name() == "Projector" and p.geometry().getRect() == (1366, 0, 1920, 1080))
    wait("the room's text is readable from the back (24 px capitals at 1080)",
         lambda: p._measure.font(p.point_px)[1].capHeight() >= 24)
    subprocess.run(["xrandr", "--delmonitor", "Projector"], check=True)
    # Docked beside the board, or floating on the laptop's screen when the main window
    # leaves no room beside it.
    wait("unplugged: back in the preview on the laptop", lambda: p.mode == "preview"
         and p.isVisible() and (p.window() is window or (p.window() is p.dock
         and screens["Laptop"].availableGeometry().contains(p.dock.frameGeometry()))))
    wait("and the chair is told", lambda: any("disconnected" in m for m in told))
    print("DONE", flush=True)
    os._exit(0)
    """
)


@pytest.fixture
def x_server(tmp_path, templates):
    """A fresh Xvfb (3286x1080, one screen) with openbox; yields the environment for a script
    run on it: its DISPLAY, and a data folder holding a copy of the example database (made once
    per session by add_example, tests/conftest.py) with the example conference's id."""
    data = resolve(tmp_path / "data")
    conference_id = templates.seed(data, example=True)
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "3286x1080x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        display = f":{pipe.readline().strip()}"
    env = dict(os.environ, DISPLAY=display, CSF_X11_DATA=str(data.root))
    env["CSF_X11_CONFERENCE"] = str(conference_id)
    # openbox runs its --startup command once it manages the screen: wait for that, not a guess.
    ready = tmp_path / "openbox-ready"
    openbox = subprocess.Popen(
        ["openbox", "--startup", f"touch {shlex.quote(str(ready))}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and openbox.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert ready.exists(), "openbox did not start"
        yield env
    finally:
        for process in (openbox, xvfb):
            process.terminate()
            process.wait(timeout=10)


def run_script(tmp_path, env, script: str, *args: str) -> str:
    path = tmp_path / "x11_script.py"
    path.write_text(script)
    env = dict(env, QT_QPA_PLATFORM="xcb")
    env.pop("QT_QPA_PLATFORMTHEME", None)
    done = subprocess.run(
        [sys.executable, str(path), *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "DONE" in done.stdout, done.stdout + done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize("layout", ["us", "gb"])
def test_the_projector_keys_on_a_real_x_server(tmp_path, x_server, layout):
    """Ctrl++ as typed on US and UK keyboards, F5/F11 full screen and back, and Esc and Shift+F5
    closing it wherever the keyboard is, each checked through X key events."""
    out = run_script(tmp_path, x_server, KEYS_SCRIPT, layout)
    assert out.count("PASS") >= 20


def test_unplugging_the_projector_screen_on_a_real_x_server(tmp_path, x_server):
    for name, geometry in (
        ("Laptop", "1366/340x768/190+0+0"),
        ("Projector", "1920/500x1080/280+1366+0"),
    ):
        subprocess.run(["xrandr", "--setmonitor", name, geometry, "none"], env=x_server, check=True)
    run_script(tmp_path, x_server, UNPLUG_SCRIPT)
