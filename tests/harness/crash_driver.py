"""Runs the real main window and types on the board until it is killed (tests/test_crash_safety.py).

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


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
