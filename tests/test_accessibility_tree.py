"""Every control a keyboard user can reach has a name, as a screen reader hears it over AT-SPI.

Runs the real app in a throwaway X session (Xvfb) with the accessibility bus, opens the
example conference and walks each tab's accessibility tree with Debian's pyatspi
(tests/a11y/walk_tree.py). Needs xvfb, at-spi2-core, dbus and python3-pyatspi, which .ci/run
installs; under CI=true a missing piece fails, elsewhere the test skips and says why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from csfacilitator.core import conferences
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database

HERE = Path(__file__).parent / "a11y"
TABS = {"Overview", "Assessment", "Invite list", "Board", "Action plan"}
#: Roles that take keyboard focus and so must be named.
NAMED_ROLES = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "password text",
    "spin button",
    "slider",
    "table",
    "tree table",
    "list",
    "tree",
    "page tab",
    "entry",
}


def _missing() -> str | None:
    for tool in ("Xvfb", "dbus-run-session"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        return "at-spi2-core is not installed"
    probe = subprocess.run(
        ["/usr/bin/python3", "-c", "import pyatspi"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        return "python3-pyatspi is not installed"
    return None


@pytest.fixture(scope="module")
def accessible_tree(tmp_path_factory, templates) -> dict[str, list[dict]]:
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"The accessibility walk cannot run in CI: {reason}")
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("a11y")
    data = root / "data"
    # A copy of the example database made once per session (tests/conftest.py).
    conference_id = templates.seed(resolve(data), example=True)
    paths_db = open_database_at(data)
    try:
        conferences.remember_last_opened(paths_db, conference_id)
    finally:
        paths_db.close()
    out = root / "tree.json"
    display = str(90 + os.getpid() % 400)
    result = subprocess.run(
        [
            "dbus-run-session",
            "--",
            str(HERE / "session.sh"),
            sys.executable,
            str(data),
            display,
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert out.exists() and out.read_text(), (result.stdout, result.stderr)
    tree = json.loads(out.read_text())
    assert "error" not in tree, (tree, Path(f"{out}.app.log").read_text())
    return tree


def open_database_at(folder: Path):
    return open_database(resolve(folder))


def test_every_tab_was_walked_with_its_controls(accessible_tree):
    assert set(accessible_tree) >= TABS, set(accessible_tree)
    for tab in TABS:
        controls = [n for n in accessible_tree[tab] if n["role"] in NAMED_ROLES]
        assert len(controls) >= 5, (tab, controls)  # the walk saw the page, not an empty shell


def test_no_control_a_keyboard_user_reaches_is_nameless(accessible_tree):
    nameless = {
        (tab, node["role"])
        for tab, nodes in accessible_tree.items()
        for node in nodes
        if node["role"] in NAMED_ROLES and node["focusable"] and not node["name"].strip()
    }
    assert not nameless, sorted(nameless)
