"""F5 with a projector plugged in, on a real X server (Xvfb with two monitors, openbox,
xdotool): the board fills the projector screen and the chair's keyboard stays where it was
typing. Openbox activates a new full-screen window even when Qt asks it not to, which left the
keyboard in the projector window: the next point typed went nowhere.

Skipped where those programs are not installed (apt-get install xvfb openbox xdotool
x11-xkb-utils x11-xserver-utils).
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap

import pytest
from test_projector_x11 import COMMON, PROGRAMS, run_script, x_server  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        any(shutil.which(p) is None for p in PROGRAMS),
        reason="needs Xvfb, openbox, xdotool, setxkbmap and xrandr",
    ),
]

SCRIPT = COMMON + textwrap.dedent(
    """
    screens = {s.name(): s for s in QGuiApplication.screens()}
    window.setScreen(screens["Laptop"]); window.setGeometry(0, 0, 1366, 740); window.show()
    window.tabs.setCurrentWidget(window.board)
    wait("window shown", lambda: window.isActiveWindow() or window.activateWindow())
    window.board.focus_entry("concerns")
    entry = window.board.panes["concerns"].entry
    wait("entry focused", lambda: QApplication.focusWidget() is entry)
    key("F5")
    wait("F5: full screen on the projector", lambda: window.projector is not None
         and window.projector.mode == "on the projector"
         and window.projector.screen().name() == "Projector")
    end = time.monotonic() + 1.5  # the window manager's own activation comes when it comes
    while time.monotonic() < end:
        app.processEvents(); time.sleep(0.02)
    wait("the keyboard is still in the board's line", lambda: QApplication.focusWidget() is entry)
    subprocess.run(["xdotool", "type", "--delay", "5", "Typed with the projector on"], check=True)
    key("Return")
    wait("what is typed next reaches the board and the room", lambda: "Typed with the projector on"
         in [e.text for e in window.projector.content.column("concerns")])
    key("shift+F5")
    wait("Shift+F5 closes it, the keyboard still in the line",
         lambda: window.projector.mode == "closed" and QApplication.focusWidget() is entry)
    print("DONE", flush=True)
    os._exit(0)
    """
)


def test_f5_onto_a_second_screen_keeps_the_keyboard_on_the_board(tmp_path, x_server):  # noqa: F811
    for name, geometry in (
        ("Laptop", "1366/340x768/190+0+0"),
        ("Projector", "1920/500x1080/280+1366+0"),
    ):
        subprocess.run(["xrandr", "--setmonitor", name, geometry, "none"], env=x_server, check=True)
    out = run_script(tmp_path, x_server, SCRIPT)
    assert out.count("PASS") == 6
