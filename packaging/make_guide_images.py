"""Make the Quick guide's pictures (resources/guide/*.png) from the example conference.

Run after a screen changes, look at the pictures, then commit them:

    .venv/bin/python packaging/make_guide_images.py

Each picture is the app drawn offscreen at laptop size (1366x768; the projector at
1920x1080), cropped to the part the guide talks about and scaled to the guide's width.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "resources" / "guide"
WIDTH = 720  # the width the guide shows them at (see quick-guide.html)

# name: (tab index, rows of the window kept from the top)
TABS = {"invite-list": (2, 520), "board": (3, 572), "action-plan": (4, 650)}


def _save(image, name: str) -> None:
    from PySide6.QtCore import Qt

    scaled = image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
    target = GUIDE / f"{name}.png"
    if not scaled.save(str(target), "PNG"):
        raise SystemExit(f"Could not write {target}")
    print(f"Wrote {target.relative_to(ROOT)} ({scaled.width()}x{scaled.height()})")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from csfacilitator.app import create_window
    from csfacilitator.core.example import add_example
    from csfacilitator.gui.board.projector import ProjectorWindow
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    GUIDE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        db = open_database(resolve(data))
        conference_id = add_example(db)
        db.close()
        window = create_window(data, conference_id)
        window.resize(1366, 768)
        window.show()
        board = window.board
        combo = board.meeting_combo
        conference = next(i for i in range(combo.count()) if combo.itemText(i).startswith("Conf"))
        board.set_meeting(combo.itemData(conference))
        for name, (tab, height) in TABS.items():
            window.tabs.setCurrentIndex(tab)
            QTest.qWait(300)  # let the board align its headings (a zero-timer) and paint
            image = window.grab().toImage()
            _save(image.copy(0, 0, image.width(), height), name)
        projector = ProjectorWindow()
        projector.resize(1920, 1080)
        projector.set_projection(window.board.projection())
        projector.show()
        QTest.qWait(300)
        _save(projector.grab().toImage(), "projector")
        projector.close()
        window.close()
        QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
