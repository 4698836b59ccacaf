"""Slow libraries stay off the start-up path: they load when first used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = r"""
import sys
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database
open_database(resolve(sys.argv[1])).close()          # first run: creates and migrates
for name in [m for m in sys.modules if m.startswith(("alembic", "docx", "jsonschema"))]:
    del sys.modules[name]
from csfacilitator.app import create_window
window = create_window(sys.argv[1])
window.show()
loaded = sorted({m.split(".")[0] for m in sys.modules} & {"alembic", "docx", "jsonschema", "lxml"})
print("LOADED", loaded)
sync = ("engine", "merge", "apply", "push", "share", "reshare", "conflicts")
print("SYNC", sorted(m for m in sync if "csfacilitator.core.sync." + m in sys.modules))
"""


def _fresh_start(script: str, data: Path) -> subprocess.CompletedProcess:
    """`script` run by a fresh interpreter (what it imports is the point), on folder `data`;
    it must end well."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", script, str(data)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_opening_the_window_imports_no_docx_alembic_or_jsonschema(tmp_path):
    result = _fresh_start(CHECK, tmp_path / "data")
    assert "LOADED []" in result.stdout
    # A laptop that never joined a team store loads none of the sync engine (core/sync/__init__).
    assert "SYNC []" in result.stdout


FIRST_PAINT = r"""
import sys
from PySide6.QtWidgets import QApplication
from csfacilitator import app
from csfacilitator.paths import prepare, resolve
from csfacilitator.writer_lock import WriterLock
qt = QApplication(sys.argv[:1])
paths = prepare(resolve(sys.argv[1]))
assert WriterLock(paths).try_acquire(500)
window = app._show_first(paths)        # what main() paints before opening the database
assert window.isVisible()
loaded = sorted({m.split(".")[0] for m in sys.modules} & {"sqlalchemy", "alembic", "docx", "lxml"})
print("LOADED", loaded)
from PySide6 import QtCore, QtWidgets
built = vars(QtCore), vars(QtWidgets)
print("BUILT", "Qt" in built[0], "QWizard" in built[1], "QTabWidget" in built[1])
"""


@pytest.fixture(scope="module")
def first_paint(tmp_path_factory) -> str:
    """What a fresh interpreter printed once the window had painted (before the database)."""
    return _fresh_start(FIRST_PAINT, tmp_path_factory.mktemp("first-paint") / "data").stdout


def test_the_window_paints_before_sqlalchemy_alembic_or_docx_are_imported(first_paint):
    assert "LOADED []" in first_paint


def test_the_window_paints_before_pyside_builds_what_it_does_not_use(first_paint):
    # PySide6 builds its classes when first named. The Qt namespace's ~90 enum classes cost
    # 10-17 ms, and Qt's animation timer (from the main window's central widget animation)
    # handed to a Python event filter made it build some 150 classes, QWizard among them:
    # together about a third of the start to first paint. Both wait until after it, and so
    # does the conference page with its tabs (hidden until a conference is open).
    assert "BUILT False False False" in first_paint, first_paint


GARBAGE = r"""
import gc, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from csfacilitator import app
from csfacilitator.paths import resolve
build = app.create_window
seen = {}
def watched(*args, **kwargs):
    seen["collecting while building"] = gc.isenabled()
    window = build(*args, **kwargs)
    QTimer.singleShot(0, lambda: seen.setdefault("collecting once shown", gc.isenabled()))
    QTimer.singleShot(0, QApplication.quit)
    return window
app.create_window = watched
code = app.main([], paths=resolve(sys.argv[1]))
print("SEEN", code, seen, gc.isenabled(), gc.get_freeze_count() > 0)
"""


def test_the_start_builds_without_collecting_garbage_then_collects_as_usual(tmp_path, templates):
    from csfacilitator.paths import resolve

    data = tmp_path / "data"
    templates.seed(resolve(data))  # a migrated database, as after a first run: no questions
    result = _fresh_start(GARBAGE, data)
    # Paused while the window is built; on again (with what the start made frozen) once the
    # event loop runs, and after main() returns.
    expected = {"collecting while building": False, "collecting once shown": True}
    assert f"SEEN 0 {expected} True True" in result.stdout, result.stdout + result.stderr


def test_a_plain_database_is_checked_on_a_worker_while_sqlalchemy_loads(
    qtbot, paths, templates, monkeypatch
):
    """The staged start checks a plain database on a worker thread (app._Examination): a
    damaged one is still set aside, and the backup offered, before anything opens it."""
    import threading

    from csfacilitator import app
    from csfacilitator.gui.dialogs import restore_dialog
    from csfacilitator.storage import recovery
    from tests.test_recovery import _digest, _saved_then_damaged

    _saved_then_damaged(paths, templates)
    damaged = _digest(paths.database)
    checked_on: list[str] = []
    real = recovery.set_aside_if_damaged

    def check(*args, **kwargs):  # noqa: ANN202
        checked_on.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(recovery, "set_aside_if_damaged", check)
    offered = []

    def quit_(damage, newest):  # noqa: ANN001, ANN202
        offered.append((damage.set_aside.exists(), paths.database.exists()))
        return "quit"

    monkeypatch.setattr(restore_dialog, "ask_after_damage", quit_)
    assert app.main(paths=paths) == 2  # Quit: the start stops
    assert checked_on == ["start-checks"]
    assert offered == [(True, False)]  # asked with the damaged file aside, nothing in its place
    assert _digest(paths.database) == damaged  # Quit decides nothing: it is back in place
