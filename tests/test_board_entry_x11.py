"""Capture keys on a real X server (Xvfb, openbox, xdotool from Debian): nested points typed
from the entry line, a pasted outline, letters typed on a list, the plan grid typed into
without F2, and Ctrl+P's questions, each checked in what is stored.

Skipped where those programs are not installed (apt-get install xvfb openbox xdotool
x11-xkb-utils x11-xserver-utils).
"""

from __future__ import annotations

import shutil
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

CAPTURE_SCRIPT = COMMON + textwrap.dedent(
    """
    from csfacilitator.core import board as board_core, plan

    def typed(text):
        subprocess.run(["xdotool", "type", "--delay", "5", text], check=True)

    def tree(column):
        def shape(points):
            return [(p.text, shape(p.children)) if p.children else p.text for p in points]
        return shape(board_core.board_tree(window.db, window.board.current_meeting_id())[column])

    subprocess.run(["setxkbmap", "gb"], check=True)
    window.resize(1366, 740); window.show()
    window.tabs.setCurrentWidget(window.board)
    wait("window shown", lambda: window.isActiveWindow() or window.activateWindow())
    board = window.board
    board.focus_entry("strengths")
    entry = board.panes["strengths"].entry
    wait("entry focused", lambda: QApplication.focusWidget() is entry)
    before = tree("strengths")
    typed("Park wardens"); key("Return")
    typed("Know the young people"); key("Tab"); key("Return")
    typed("Since 2019"); key("ctrl+Return")
    typed("Weekends too"); key("shift+Tab"); key("Return")
    key("shift+Tab"); typed("Cafe owner"); key("Return")
    wait("nested from the line, the keyboard never left it", lambda: tree("strengths")
         == before + [("Park wardens", [("Know the young people", ["Since 2019"]),
                                        "Weekends too"]), "Cafe owner"]
         and QApplication.focusWidget() is entry)
    key("Up")
    wait("up into the list", lambda: QApplication.focusWidget() is board.panes["strengths"].view)
    typed("Youth club"); key("Return")
    wait("letters typed on the list went to the line", lambda: tree("strengths")[-1]
         == "Youth club" and QApplication.focusWidget() is entry)
    QApplication.clipboard().setText("- Lights\\n    - broken since May\\n- Shops")
    key("ctrl+v")
    wait("a pasted outline keeps its levels", lambda: tree("strengths")[-2:]
         == [("Lights", ["broken since May"]), "Shops"])
    board.focus_entry("safety_plan")
    typed("Lighting: repair the path lights"); key("Return"); key("Up")
    key("ctrl+p")
    panel = board.promoter.panel
    wait("Ctrl+P asks, the need named after the topic", lambda: panel.isVisible()
         and panel.need.currentText() == "Lighting" and QApplication.focusWidget() is panel.agency)
    typed("Highways"); key("Tab"); typed("Sam Patel"); key("Tab"); typed("5 Jan 2027")
    key("Return")
    def promoted():
        needs = {n.text: n for n in plan.get_plan(window.db, cid)}
        items = needs["Lighting"].interventions if "Lighting" in needs else ()
        return [(i.agency, i.owner, str(i.due_date)) for i in items]
    wait("promoted with its agency, owner and due date",
         lambda: promoted() == [("Highways", "Sam Patel", "2027-01-05")])
    key("alt+5")
    wait("Alt+5: the keyboard is in the plan grid",
         lambda: QApplication.focusWidget() is window.plan.tree)
    key("Down"); key("Tab"); key("Tab")
    first = plan.get_plan(window.db, cid)[0].interventions[0]
    typed("Jo Lee"); key("Return")
    wait("typed into the Owner cell without F2",
         lambda: plan.get_intervention(window.db, first.id).owner == "Jo Lee")
    assert plan.get_intervention(window.db, first.id).progress == first.progress
    print("DONE", flush=True)
    os._exit(0)
    """
)


def test_capture_keys_on_a_real_x_server(tmp_path, x_server):  # noqa: F811 - the fixture
    out = run_script(tmp_path, x_server, CAPTURE_SCRIPT)
    assert out.count("PASS") >= 10
