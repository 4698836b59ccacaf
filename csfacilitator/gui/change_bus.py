"""The window's one change notification: what the database says each commit touched, as a signal.

A tab connects to `changed` and refreshes only when `changes.touches(...)` its areas, whoever
made the change: this tab, another tab, an undo, or a sync that pulled a colleague's work.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from csfacilitator.core.changes import Changes


class ChangeBus(QObject):
    changed = Signal(object)  # Changes

    def __init__(self, db, parent: QObject | None = None):  # noqa: ANN001 - Database
        super().__init__(parent)
        self._stop = db.observe(self._heard)
        self.destroyed.connect(lambda *_: self._stop())

    def _heard(self, changes: Changes) -> None:
        if changes.visible:
            self.changed.emit(changes)

    def publish(self, changes: Changes) -> None:
        """Tell the window about changes made outside a write session's ORM statements (a sync
        that applied pulled rows with plain SQL reports them here)."""
        self._heard(changes)

    def close(self) -> None:
        """Stop listening (the database outlives the window in tests)."""
        self._stop()
