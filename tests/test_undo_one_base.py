"""One undo mechanism (issue 13): every undo command in the GUI is a `gui.undo.Change`, and in
each feature a step whose row was removed underneath (by another core call, as another tab or a
sync would) is made obsolete with a message instead of raising."""

from __future__ import annotations

import importlib
import pkgutil

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMainWindow

import csfacilitator.gui
from csfacilitator.core import board, conferences, plan
from csfacilitator.core import invitees as inv
from csfacilitator.core import weighting as wt
from csfacilitator.core.conferences import create_conference
from csfacilitator.core.weighting import Context, Weighting
from csfacilitator.gui.undo import Change, push_made


def _all_subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _all_subclasses(sub)
    return found


def test_every_undo_command_of_the_gui_is_a_change():
    for module in pkgutil.walk_packages(csfacilitator.gui.__path__, "csfacilitator.gui."):
        importlib.import_module(module.name)
    commands = {
        cls for cls in _all_subclasses(QUndoCommand) if cls.__module__.startswith("csfacilitator.")
    }
    changes = _all_subclasses(Change)
    assert len(commands) > 20  # the walk did import the features' commands
    assert sorted(f"{c.__module__}.{c.__qualname__}" for c in commands - changes - {Change}) == []


class _Append(Change):
    def __init__(self, store: list[int]):
        super().__init__(None, "Append")  # type: ignore[arg-type] - never fails here
        self.store = store

    def _do(self) -> None:
        self.store.append(1)

    def _undo(self) -> None:
        self.store.pop()


def test_a_change_the_view_already_stored_is_pushed_without_being_made_again(qtbot):
    stack, store = QUndoStack(), [1]  # the view stored it (a model's cell edit)
    push_made(stack, _Append(store))
    assert store == [1] and stack.count() == 1
    stack.undo()
    assert store == []
    stack.redo()
    assert store == [1]


# ---------------------------------------------------------------- a row gone underneath


def _dropped(stack: QUndoStack, before: int) -> bool:
    """The failed step left the stack (Qt removes an obsolete command), nothing else did."""
    return stack.count() == before - 1


def test_board_step_on_a_point_deleted_underneath(qtbot, db, conference_id):
    from csfacilitator.gui.board.board_tab import BoardTab
    from csfacilitator.gui.board.commands import AddPoints, EditPoint

    window = QMainWindow()
    qtbot.addWidget(window)
    tab = BoardTab(db)
    window.setCentralWidget(tab)
    tab.set_conference(conference_id)
    messages: list[str] = []
    tab.status_message.connect(messages.append)
    added = AddPoints(tab.document, "concerns", ["Older boys wait by the shop"])
    assert tab._push(added)
    assert tab._push(EditPoint(tab.document, added.handles[0], "Older boys wait by the arcade"))
    board.delete_point(db, tab.document.node(added.handles[0]).id)  # another tab, a sync

    tab.undo_stack.undo()

    assert _dropped(tab.undo_stack, 2)
    assert messages[-1].startswith("Could not undo “Edit point”:")
    qtbot.waitUntil(lambda: tab.document.count() == 0)  # the board shows what is stored


def test_plan_step_on_a_need_deleted_underneath(qtbot, db, conference_id):
    from csfacilitator.gui.plan.plan_model import NEED
    from csfacilitator.gui.plan.plan_tab import PlanTab

    first = plan.add_need(db, conference_id, "Students feel unsafe on the way home")
    plan.add_need(db, conference_id, "Harassment in corridors")
    tab = PlanTab(db)
    qtbot.addWidget(tab)
    messages: list[str] = []
    tab.status_message.connect(messages.append)
    tab.set_conference(conference_id)
    tab.tree.setCurrentIndex(tab.model.find(NEED, first.id))
    tab.move_current(1)
    assert tab.undo_stack.count() == 1
    plan.delete_need(db, first.id)

    tab.undo_stack.undo()

    assert _dropped(tab.undo_stack, 1)
    assert messages[-1].startswith("Could not undo “Move need down”:")
    assert [n.text for n in plan.get_plan(db, conference_id)] == ["Harassment in corridors"]
    assert tab.model.need_count() == 1  # re-read


def test_weighting_step_on_a_conference_deleted_underneath(qtbot, db):
    from csfacilitator.gui.assessment.weighting_panel import WeightingPanel

    conference = create_conference(db, "Wrenmoor Park")
    wt.set_weighting(db, conference, Weighting((Context("Park", 0.5), Context("Shop", 0.5))))
    panel = WeightingPanel(db, QUndoStack())
    qtbot.addWidget(panel)
    panel.set_conference(conference)
    panel.show()
    qtbot.waitExposed(panel)
    messages: list[str] = []
    panel.status_message.connect(messages.append)
    qtbot.keyClick(panel.view, Qt.Key.Key_Plus)
    assert panel.undo_stack.count() == 1
    conferences.delete_conference(db, conference)

    panel.undo_stack.undo()

    assert _dropped(panel.undo_stack, 1)
    assert messages[-1].startswith("Could not undo")


def test_invitee_step_on_an_invitee_deleted_underneath(qtbot, db, conference_id):
    from csfacilitator.gui.invites.invitee_table_model import InviteeTableModel

    grace = inv.add_invitee(db, conference_id, name="Grace Mensah")
    model = InviteeTableModel(db)
    model.load(conference_id)
    messages: list[str] = []
    model.error.connect(messages.append)
    assert model.change(grace.id, "phone", "01632 960001")
    inv.delete_invitees(db, [grace.id])

    model.undo_stack.undo()

    assert _dropped(model.undo_stack, 1)
    assert messages[-1].startswith("Could not undo “Change phone")
    assert model.rowCount() == 0  # re-read


def test_home_step_on_a_conference_deleted_underneath(qtbot, window):
    db = window.db
    conference = conferences.create_conference(db, "Station approach")
    window.show_home()
    window.home.archive_requested.emit(conference, True)
    assert conferences.get_conference(db, conference).archived
    assert window.home_undo.count() == 1
    assert window.statusBar().currentMessage() == (
        "Archived 'Station approach'. Press Ctrl+Z to undo."
    )
    conferences.delete_conference(db, conference)

    window.home_undo.undo()

    assert _dropped(window.home_undo, 1)
    assert window.statusBar().currentMessage().startswith("Could not undo “Archive”:")


def test_board_undo_and_redo_that_go_through_show_the_point(qtbot, db, conference_id):
    from csfacilitator.gui.board.board_tab import BoardTab
    from csfacilitator.gui.board.commands import AddPoints, EditPoint

    window = QMainWindow()
    qtbot.addWidget(window)
    tab = BoardTab(db)
    window.setCentralWidget(tab)
    tab.set_conference(conference_id)
    shown: list[int | None] = []
    tab.show_point = shown.append  # what the board's commands call after a step went through
    added = AddPoints(tab.document, "concerns", ["Older boys wait by the shop"])
    tab._push(added)
    handle = added.handles[0]
    tab._push(EditPoint(tab.document, handle, "Older boys wait by the arcade"))
    assert shown == []  # the first run is the caller's to show

    tab.undo_stack.undo()
    tab.undo_stack.redo()

    assert shown == [handle, handle]
    assert tab.document.node(handle).text == "Older boys wait by the arcade"


def test_a_failed_board_undo_keeps_the_half_typed_entry_line(qtbot, db, conference_id):
    """Undo chosen (the window's Edit menu) while a point is half typed, and the step's point
    went meanwhile: the board is read again, and the words being typed, the cursor and the
    keyboard stay where they were."""
    from csfacilitator.gui.board.board_tab import BoardTab
    from csfacilitator.gui.board.commands import AddPoints, EditPoint

    window = QMainWindow()
    qtbot.addWidget(window)
    tab = BoardTab(db)
    window.setCentralWidget(tab)
    tab.set_conference(conference_id)
    window.show()
    qtbot.waitExposed(window)
    messages: list[str] = []
    tab.status_message.connect(messages.append)
    added = AddPoints(tab.document, "concerns", ["Older boys wait by the shop"])
    tab._push(added)
    tab._push(EditPoint(tab.document, added.handles[0], "Older boys wait by the arcade"))
    entry = tab.panes["concerns"].entry
    tab.focus_entry("concerns")
    qtbot.keyClicks(entry, "Lights out on the")
    entry.setCursorPosition(6)
    board.delete_point(db, tab.document.node(added.handles[0]).id)

    tab.undo_stack.undo()

    assert messages[-1].startswith("Could not undo “Edit point”:")
    qtbot.waitUntil(lambda: tab.document.count() == 0)  # read again
    assert tab.undo_stack.count() == 0
    assert entry.text() == "Lights out on the"
    assert entry.cursorPosition() == 6
    assert entry.hasFocus()
