"""Window shortcuts that work wherever the focus is.

A text field claims some key combinations for itself before any shortcut sees them (on Linux
a line edit takes Ctrl+E to mean "end of line"), so "Ctrl+E for the minutes" did nothing in
the board's entry fields, exactly where the cursor is at the end of a meeting. This filter
stops a focused widget of the window from claiming the combinations of the given actions, so
the action's own shortcut fires instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

_SHORTCUT_OVERRIDE = QEvent.Type.ShortcutOverride


class AppShortcuts(QObject):
    def __init__(self, window: QWidget, actions: Iterable[QAction]):
        super().__init__(window)
        self.window = window
        self._actions = {
            # PySide6's stubs leave out QKeySequence's operator[] (the n-th key combination).
            sequence[0].toCombined(): action  # type: ignore[index]
            for action in actions
            for sequence in action.shortcuts()
            if sequence.count()
        }
        app = QApplication.instance()
        if app is not None:  # there is one while a window exists
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # Called for every event of the application (paints, moves, timers: some 12,000 while
        # the app starts). PySide6 hands each event over as its own class, and asking the class
        # costs nothing where asking event.type() makes a Python enum: only key events go on.
        if not isinstance(event, QKeyEvent) or event.type() != _SHORTCUT_OVERRIDE:
            return False
        if not self._actions:
            return False
        action = self._actions.get(event.keyCombination().toCombined())
        if action is None or not action.isEnabled():
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        event.ignore()  # not the widget's: the window's shortcut handles it
        return True
