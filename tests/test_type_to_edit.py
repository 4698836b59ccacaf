"""The shared type-to-edit keys on a plain table (as a grid other than the plan would use them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView, QVBoxLayout, QWidget

from csfacilitator.gui.widgets.type_to_edit import TypeToEdit


def make(qtbot, **options):
    window = QWidget()
    qtbot.addWidget(window)
    model = QStandardItemModel(2, 3, window)
    for row in range(2):
        for column in range(3):
            item = QStandardItem(f"r{row}c{column}")
            item.setEditable(column != 1)  # the middle column is read-only
            model.setItem(row, column, item)
    view = QTableView(window)
    view.setModel(model)
    view.setTabKeyNavigation(False)
    after = QLineEdit(window)
    layout = QVBoxLayout(window)
    layout.addWidget(view)
    layout.addWidget(after)
    TypeToEdit.install(view, **options)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    view.window_ = window  # keep the window (and its model) alive
    return view, model, after


def test_tab_skips_read_only_cells_then_leaves(qtbot):
    view, model, after = make(qtbot)
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.currentIndex().column() == 2  # past the read-only cell
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after


def test_typing_on_a_read_only_cell_edits_the_first_editable_one(qtbot):
    view, model, _after = make(qtbot)
    view.setCurrentIndex(model.index(1, 1))
    qtbot.keyClicks(view, "x")
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "x"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.index(1, 0).data() == "x")
    assert model.index(1, 1).data() == "r1c1"


def test_without_tab_along_the_row_tab_leaves_at_once(qtbot):
    view, model, after = make(qtbot, tab_along_row=False)
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after
