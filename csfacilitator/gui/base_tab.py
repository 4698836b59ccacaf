"""What every conference tab shares. The main window injects the database and the conference;
a tab never looks for them through self.window()."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from csfacilitator.gui.autosave import AutosaveGroup
from csfacilitator.storage.database import Database


class ConferenceTab(QWidget):
    """A tab over one conference, with its own undo stack and autosaving fields."""

    #: A short message for the window's status bar (saved, or why something could not be).
    status_message = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.conference_id: int | None = None
        self.autosave = AutosaveGroup(self)
        self.autosave.failed.connect(self.status_message)
        self.undo_stack = QUndoStack(self)

    def set_conference(self, conference_id: int | None) -> None:
        """Show another conference (or none). Pending edits of the previous one are saved first."""
        self.flush()
        self.autosave.discard()
        self.undo_stack.clear()
        self.conference_id = conference_id
        self.reload()

    def reload(self) -> None:
        """Re-read what the tab shows from the database (cheap; called when the tab is shown)."""
        raise NotImplementedError

    def flush(self) -> None:
        """Commit any text still being typed."""
        self.autosave.flush()
