"""The line under each column where points are typed, and the undo keys the board shares.

A QLineEdit keeps Ctrl+Z for its own typing even when it is empty, which would make the board's
undo dead while the cursor waits for the next point. An empty entry field therefore passes undo
and redo on: to the window's Edit menu (by not claiming the shortcut) or, when no window action
exists, to the board through `board_undo` / `board_redo`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

from csfacilitator.core.textclean import clean_text, split_pasted_lines

# QLineEdit's default limit (32,767) would cut long points short; points may be 100,000+.
MAX_LENGTH = 1_000_000
_CTRL = Qt.KeyboardModifier.ControlModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier


def undo_kind(event: QKeyEvent) -> str | None:
    """'undo' for Ctrl+Z, 'redo' for Ctrl+Shift+Z or Ctrl+Y (and the platform's own keys)."""
    mods = event.modifiers() & (_CTRL | _SHIFT | Qt.KeyboardModifier.AltModifier)
    if event.key() == Qt.Key.Key_Z and mods == _CTRL:
        return "undo"
    if (event.key() == Qt.Key.Key_Z and mods == _CTRL | _SHIFT) or (
        event.key() == Qt.Key.Key_Y and mods == _CTRL
    ):
        return "redo"
    if event.matches(QKeySequence.StandardKey.Undo):
        return "undo"
    if event.matches(QKeySequence.StandardKey.Redo):
        return "redo"
    return None


def pasted_lines() -> list[str] | None:
    """The clipboard as points, if it holds more than one line; else None."""
    text = QGuiApplication.clipboard().text()
    if not text or "\n" not in clean_text(text, multiline=True):
        return None
    lines = split_pasted_lines(text)
    return lines if len(lines) > 1 else None


class EntryField(QLineEdit):
    """Type a point, press Enter; paste several lines to add one point per line."""

    paste_lines = Signal(list)
    board_undo = Signal()
    board_redo = Signal()
    #: Up arrow: go up into the column's points.
    to_points = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMaxLength(MAX_LENGTH)

    def _passes_undo_on(self, event: QKeyEvent) -> str | None:
        kind = undo_kind(event)
        if kind is None or self.text():
            return None
        return kind

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._passes_undo_on(event):
            event.ignore()  # let the window's Undo/Redo action have the key
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        kind = self._passes_undo_on(event)
        if kind == "undo":
            self.board_undo.emit()
            return
        if kind == "redo":
            self.board_redo.emit()
            return
        if event.key() == Qt.Key.Key_Up and not event.modifiers():
            self.to_points.emit()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            lines = pasted_lines()
            if lines is not None:
                self.paste_lines.emit(lines)
                return
            text = clean_text(QGuiApplication.clipboard().text(), multiline=False)
            self.insert(text)
            return
        super().keyPressEvent(event)

    def take_text(self) -> str:
        """The typed text, leaving the field empty (and its own undo history cleared)."""
        text = self.text()
        self.setText("")
        return text
