"""Walk CS Facilitator's accessibility tree over AT-SPI, as a screen reader sees it.

Run with the system's python3 (Debian's python3-pyatspi), not the project's venv: it finds
the running app on the accessibility bus, shows each of the main window's tabs in turn
(through AT-SPI's own selection interface, as assistive technology would) and prints one
JSON object: for each tab, every control that is showing, with its role, name and states.
"""

from __future__ import annotations

import json
import sys
import time

import pyatspi

APP_NAME = "CS Facilitator"


def find_app(timeout: float = 40.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            child = desktop.getChildAtIndex(index)
            if child is not None and child.name == APP_NAME:
                return child
        time.sleep(0.3)
    return None


def walk(node, found: list, depth: int = 0) -> None:
    if node is None or depth > 60:
        return
    try:
        states = node.getState()
        role, name = node.getRoleName(), node.name or ""
        showing = states.contains(pyatspi.STATE_SHOWING)
        focusable = states.contains(pyatspi.STATE_FOCUSABLE)
        count = node.childCount
    except Exception:  # noqa: BLE001 - a node that went away while walking
        return
    if not showing and role != "application":
        return
    found.append({"role": role, "name": name, "focusable": focusable})
    if role in ("table", "tree table", "list", "tree") and count > 60:
        count = 60  # the first rows say enough; a long table would take minutes
    for index in range(count):
        walk(node.getChildAtIndex(index), found, depth + 1)


def page_tab_lists(node, out: list, depth: int = 0) -> None:
    if node is None or depth > 30:
        return
    try:
        role = node.getRoleName()
        count = node.childCount
    except Exception:  # noqa: BLE001
        return
    if role == "page tab list":
        out.append(node)
    for index in range(count):
        page_tab_lists(node.getChildAtIndex(index), out, depth + 1)


def poll(condition, timeout: float):  # noqa: ANN001, ANN201
    """condition()'s first true answer, asked every 50 ms; its last answer after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            answer = condition()
        except Exception:  # noqa: BLE001 - a node that went away while asking
            answer = None
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(0.05)


def names(node) -> set:  # noqa: ANN001
    return {node.getChildAtIndex(i).name for i in range(node.childCount)}


def conference_tabs(app):  # noqa: ANN001, ANN201
    """The conference's tab list once it is showing (the staged start opens the conference
    after the first paint); the home page's dashboard has a tab list too (issue 20)."""
    lists: list = []
    page_tab_lists(app, lists)
    ours = [n for n in lists if "Overview" in names(n)]
    for tabs in ours:
        if tabs.getState().contains(pyatspi.STATE_SHOWING):
            return tabs
    return None


def selected(tab) -> bool:  # noqa: ANN001
    return tab.getState().contains(pyatspi.STATE_SELECTED)


def main() -> int:
    app = find_app()
    if app is None:
        print(json.dumps({"error": f"{APP_NAME} did not appear on the accessibility bus"}))
        return 1
    poll(lambda: conference_tabs(app), timeout=30.0)  # the staged start opens the conference
    lists: list = []
    page_tab_lists(app, lists)
    result: dict[str, list] = {}
    if not lists:
        tree: list = []
        walk(app, tree)
        result["(no tabs)"] = tree
    else:
        ours = [n for n in lists if "Overview" in names(n)]
        tabs = max(ours or lists, key=lambda n: n.childCount)
        selection = tabs.querySelection()
        for index in range(tabs.childCount):
            tab = tabs.getChildAtIndex(index)
            name = tab.name  # before selecting: a tab first shown is swapped for the built one
            selection.selectChild(index)
            # Qt switches the page (and builds a tab on its first showing) before it answers
            # selectChild. The tab bar's scroll buttons are children too: nothing to wait for.
            if tab.getRoleName() == "page tab":
                poll(lambda tab=tab: selected(tab), timeout=10.0)
            tree = []
            walk(app, tree)
            result[name] = tree
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
