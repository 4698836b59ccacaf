"""A whole meeting by keyboard alone, from the moment the window opens, at 1366×768: a new
conference, the invite list, the board with nested points, promoting a Safety plan point with
its agency and owner, then the minutes and the plan exported — their shortcuts, the sharing
question and the save dialog answered by keys — with no mouse and no dead end. Only key
presses drive the app (ASCII text: QTest types no other characters).

The save dialog is the app's own (export_dialogs.save_with_retry, QFileDialog's static
function): Qt's widget dialog where the platform has no native one, as offscreen. The test asks
Qt for its own dialog in any case (AA_DontUseNativeDialogs), because a desktop's native dialog
(GTK, KDE) is a separate program that key presses from the test cannot reach."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from csfacilitator.core import board, export_log, invitees, plan
from csfacilitator.gui.documents.sharing_dialog import SharingDialog

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(open_window, qtbot):
    # The folder each kind of export was last saved to is kept in QSettings, which one test
    # process shares between tests: forget it, so the save dialog starts at home as at first.
    QSettings().remove("export/folder")
    Path.home().mkdir(parents=True, exist_ok=True)  # a save dialog given none starts in the cwd
    own_dialogs = Qt.ApplicationAttribute.AA_DontUseNativeDialogs
    before = QApplication.testAttribute(own_dialogs)
    QApplication.setAttribute(own_dialogs, True)
    win = open_window()  # conftest: the real window on an empty data folder, at 1366×768
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    yield win
    QApplication.setAttribute(own_dialogs, before)
    QSettings().remove("export/folder")


def keys(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def typed(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def focused_name() -> str:
    widget = QApplication.focusWidget()
    return widget.accessibleName() if widget is not None else ""


def back_from_dialogs(qtbot, window) -> None:
    """The window is active again once its dialogs close. A window manager does this; the
    offscreen platform the tests run on does not, so the test stands in for it (no key press:
    where the keyboard lands is the window's own choice)."""
    if QApplication.activeWindow() is None:
        window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


class Dialogs:
    """Answers the modal dialogs a key press opens, in order, by key presses: each step waits
    for its kind of dialog to be up with the keyboard in it, then presses its keys. A dialog
    that never comes, or one no step expects, is closed after a while and reported, so the
    test fails instead of hanging. `stop()` once the key press has returned."""

    def __init__(self, steps: list[tuple[type[QWidget], Callable[[], None]]], wait: float = 20):
        self.steps = steps
        self.answered: list[str] = []
        self.problems: list[str] = []
        self.deadline = time.monotonic() + wait
        self.unexpected_since: float | None = None
        self.stopped = False
        QTimer.singleShot(0, self._poll)

    def stop(self) -> None:
        self.stopped = True

    def _poll(self) -> None:
        if self.stopped:
            return
        QTimer.singleShot(20, self._poll)  # runs in whichever dialog's event loop is running
        dialog = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if len(self.answered) < len(self.steps):
            kind, answer = self.steps[len(self.answered)]
            if (
                isinstance(dialog, kind)
                and dialog.isVisible()
                and focus is not None
                and focus.window() is dialog
            ):
                self.answered.append(kind.__name__)
                try:
                    answer()
                except Exception as exc:  # noqa: BLE001 - reported by the test, not lost in Qt
                    self.problems.append(f"{kind.__name__}: {exc!r}")
                    self.steps = self.steps[: len(self.answered)]  # no further step
                    if dialog.isVisible():
                        dialog.reject()
            elif time.monotonic() > self.deadline:
                self.problems.append(f"no {kind.__name__} came up (the modal was {dialog!r})")
                self.steps = self.steps[: len(self.answered)]
                if dialog is not None:
                    dialog.reject()
            return
        if dialog is None or not dialog.isVisible():
            self.unexpected_since = None
            return
        if self.unexpected_since is None:
            self.unexpected_since = time.monotonic()
        elif time.monotonic() - self.unexpected_since > 3:
            text = getattr(dialog, "text", lambda: "")()
            self.problems.append(f"an unexpected {type(dialog).__name__}: {text!r}")
            dialog.reject()


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_a_whole_meeting_by_keyboard_alone(window, qtbot):
    # A new conference: the title is ready to type over.
    keys(qtbot, Qt.Key.Key_N, CTRL)
    assert focused_name() == "Title"
    typed(qtbot, "Larkfield Park")
    conference_id = window.conference_id

    # The invite list: Alt+3 puts the keyboard in the table; Insert adds a row to type into.
    keys(qtbot, Qt.Key.Key_3, ALT)
    assert window.tabs.currentWidget() is window.tabs.widget(2)
    for name, organisation in (
        ("Sgt Daniel Mensah", "Dunhaven Police"),
        ("Sian Pritchard", "Dunhaven Council Parks"),
    ):
        keys(qtbot, Qt.Key.Key_Insert)
        assert focused_name() == "Name"
        typed(qtbot, name)
        keys(qtbot, Qt.Key.Key_Tab)
        typed(qtbot, organisation)
        keys(qtbot, Qt.Key.Key_Return)
    wanted = [
        ("Sgt Daniel Mensah", "Dunhaven Police"),
        ("Sian Pritchard", "Dunhaven Council Parks"),
    ]
    qtbot.waitUntil(
        lambda: (
            [(r.name, r.organisation) for r in invitees.list_invitees(window.db, conference_id)]
            == wanted
        )
    )

    # The board: Alt+4 lands in the first column's line; Ctrl+Enter adds a sub-point.
    keys(qtbot, Qt.Key.Key_4, ALT)
    assert focused_name().startswith("Add to Current concerns")
    typed(qtbot, "Groups gather at the skate area after dark")
    keys(qtbot, Qt.Key.Key_Return)
    typed(qtbot, "Largest on Fridays")
    keys(qtbot, Qt.Key.Key_Return, CTRL)
    keys(qtbot, Qt.Key.Key_2, CTRL)
    typed(qtbot, "No evening youth provision since the club closed")
    keys(qtbot, Qt.Key.Key_Return)

    # A Safety plan point promoted from its line: Ctrl+P asks who does it.
    keys(qtbot, Qt.Key.Key_4, CTRL)
    typed(qtbot, "Lighting: survey the park paths")
    keys(qtbot, Qt.Key.Key_P, CTRL)
    assert focused_name() == "Agency"
    typed(qtbot, "Dunhaven Council")
    keys(qtbot, Qt.Key.Key_Tab)
    typed(qtbot, "Sian Pritchard")
    keys(qtbot, Qt.Key.Key_Return)
    meeting_id = window.board.current_meeting_id()
    tree = board.board_tree(window.db, meeting_id)
    assert [(p.text, [c.text for c in p.children]) for p in tree["concerns"]] == [
        ("Groups gather at the skate area after dark", ["Largest on Fridays"])
    ]
    assert [p.text for p in tree["safety_plan"]] == ["Lighting: survey the park paths"]
    actions = [i for need in plan.get_plan(window.db, conference_id) for i in need.interventions]
    assert [(a.text, a.agency, a.owner) for a in actions] == [
        ("Lighting: survey the park paths", "Dunhaven Council", "Sian Pritchard")
    ]

    # The minutes (Ctrl+E) from the board's line: who they are shared with, then a file name.
    def sharing_first_time():
        assert focused_name() == "Shared with"
        typed(qtbot, "Conference partners")
        keys(qtbot, Qt.Key.Key_Return)

    def file_name(name: str) -> Callable[[], None]:
        def answer():
            dialog = QApplication.activeModalWidget()
            assert Path(dialog.directory().absolutePath()) == Path.home()  # never the repo
            keys(qtbot, Qt.Key.Key_A, CTRL)
            typed(qtbot, name)
            keys(qtbot, Qt.Key.Key_Return)

        return answer

    assert focused_name() == "Safety plan"  # the promoted point is shown in its column
    dialogs = Dialogs(
        [(SharingDialog, sharing_first_time), (QFileDialog, file_name("Larkfield minutes.docx"))]
    )
    keys(qtbot, Qt.Key.Key_E, CTRL)
    dialogs.stop()
    assert dialogs.problems == []
    assert dialogs.answered == ["SharingDialog", "QFileDialog"]
    minutes = Path.home() / "Larkfield minutes.docx"  # the save dialog starts at home at first
    assert minutes.is_file()
    assert str(minutes) in window.statusBar().currentMessage()

    back_from_dialogs(qtbot, window)
    # The plan (Ctrl+Shift+N): the sharing question offers the last answer, Enter keeps it.
    dialogs = Dialogs(
        [
            (SharingDialog, lambda: keys(qtbot, Qt.Key.Key_Return)),
            (QFileDialog, file_name("Larkfield plan.docx")),
        ]
    )
    keys(qtbot, Qt.Key.Key_N, CTRL | SHIFT)
    dialogs.stop()
    assert dialogs.problems == []
    assert dialogs.answered == ["SharingDialog", "QFileDialog"]
    plan_file = Path.home() / "Larkfield plan.docx"
    assert plan_file.is_file()

    text = docx_text(minutes)
    for point in (
        "Groups gather at the skate area after dark",
        "Largest on Fridays",
        "No evening youth provision since the club closed",
        "Lighting: survey the park paths",
    ):
        assert point in text
    text = docx_text(plan_file)
    for words in ("Lighting: survey the park paths", "Dunhaven Council", "Sian Pritchard"):
        assert words in text
    logged = export_log.list_exports(window.db, conference_id)
    assert sorted((e.kind, Path(e.path).name, e.shared_with) for e in logged) == [
        ("minutes", "Larkfield minutes.docx", "Conference partners"),
        ("plan", "Larkfield plan.docx", "Conference partners"),
    ]
