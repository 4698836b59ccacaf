"""A table of rows in an order the person sets, by keyboard: Alt+Up/Down move the current row,
Delete removes it, F2 or Enter edits it; arrows and Delete are the table's own while it has the
focus (not the window's shortcuts). The panel listens to `move_requested` and `remove_requested`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTableView


class OrderedRowsTable(QTableView):
    move_requested = Signal(int)
    remove_requested = Signal()

    def column_to_edit(self, current: QModelIndex) -> int:
        """Which cell F2 or Enter opens on the current row."""
        return current.column()

    def plain_key(self, key: int) -> bool:
        """A subclass's own unmodified key (handled: True)."""
        return False

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self.state() != QAbstractItemView.State.EditingState
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key, mods = event.key(), event.modifiers()
        if mods == Qt.KeyboardModifier.AltModifier and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
            return
        if mods == Qt.KeyboardModifier.NoModifier:
            if self.plain_key(key):
                return
            if key == Qt.Key.Key_Delete:
                self.remove_requested.emit()
                return
            if key in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                current = self.currentIndex()
                if current.isValid() and self.state() != QAbstractItemView.State.EditingState:
                    self.edit(current.siblingAtColumn(self.column_to_edit(current)))
                    return
        super().keyPressEvent(event)
