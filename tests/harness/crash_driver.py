"""Runs the real main window and types on the board until it is killed (tests/test_crash_safety.py).

    crash_driver.py DATA_DIR SEED       one run, in this process
    crash_driver.py --serve             a fork server for the tests (see serve())

Protocol on stdout, one line each, flushed: "READY <conference> <meeting>" once the board is
shown; "ENTERED <text>" after the Enter that commits a point has returned; "TYPED <text>" after
keys were typed into the Strengths entry line without Enter.
"""

from __future__ import annotations

import os
import random
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(data_dir: str, seed: int) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from csfacilitator.app import create_window
    from csfacilitator.core.conferences import create_conference
    from csfacilitator.paths import prepare, resolve
    from csfacilitator.storage import open_database

    paths = resolve(data_dir)
    prepare(paths)
    db = open_database(paths)
    conference_id = create_conference(db, f"Crash test {seed}")
    db.close()

    window = create_window(paths=paths, conference_id=conference_id)
    window.show()
    window.tabs.setCurrentWidget(window.board)
    board = window.board
    rng = random.Random(seed)
    print(f"READY {conference_id} {board.current_meeting_id()}", flush=True)
    counter = 0

    def step() -> None:
        nonlocal counter
        counter += 1
        if rng.random() < 0.7:
            entry = board.panes["concerns"].entry
            board.focus_entry("concerns")
            text = f"Point {seed}-{counter} " + "x" * rng.randrange(0, 40)
            QTest.keyClicks(entry, text)
            QTest.keyClick(entry, Qt.Key.Key_Return)
            print(f"ENTERED {text}", flush=True)
        else:
            entry = board.panes["strengths"].entry
            entry.setFocus()
            entry.end(False)
            QTest.keyClicks(entry, f" w{counter}")
            print(f"TYPED {entry.text()}", flush=True)
        QTimer.singleShot(rng.randrange(0, 30), step)

    QTimer.singleShot(0, step)
    QApplication.instance().exec()


def preload() -> None:
    """Import what a run uses (Qt, every window module, the core), configure the ORM's
    mappers and make Qt's enums, so a forked child starts at once: the window imports its tabs
    as it builds them."""
    import importlib
    import pkgutil

    from PySide6 import QtCore, QtGui, QtWidgets
    from PySide6.QtTest import QTest  # noqa: F401

    import csfacilitator.gui
    from csfacilitator.app import create_window  # noqa: F401
    from csfacilitator.core.conferences import create_conference  # noqa: F401
    from csfacilitator.storage import open_database  # noqa: F401

    for module in pkgutil.walk_packages(csfacilitator.gui.__path__, "csfacilitator.gui."):
        importlib.import_module(module.name)
    from sqlalchemy.orm import configure_mappers

    configure_mappers()  # once here, not in each child's first query (cached for the process)
    # PySide6 makes a class's Python enums when the class is first used; a child building the
    # window met some 160 not made yet (measured: its CPU before READY fell from ~0.32 s to
    # ~0.26 s). Looking every class up makes all of them, once, here; no Qt object is made.
    for module in (QtCore, QtGui, QtWidgets):
        for name in dir(module):
            getattr(module, name)


def serve() -> None:
    """A fork server: each run costs a fork, not a Python start and the app's imports.

    Reads "DATA_DIR SEED" on stdin, one a line; for each it forks a child that says
    "PID <pid>", then runs main() (the protocol above) until the test kills it. When the child
    is gone: "EXIT <status>". Nothing but modules exists before a fork: no QApplication, no
    connection, no thread.
    """
    import gc

    preload()
    gc.freeze()  # the preloaded objects: the children's collections skip (and so do not copy) them
    print("SERVING", flush=True)
    for line in sys.stdin:
        data_dir, seed = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                print(f"PID {os.getpid()}", flush=True)
                main(data_dir, int(seed))
            finally:
                sys.stdout.flush()
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        print(f"EXIT {os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        main(sys.argv[1], int(sys.argv[2]))
