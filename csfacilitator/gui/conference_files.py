"""Files in and out of the main window: a conference's hand-over file (import, asking what to
do when it is already here; export), its calendar, and the documents of the registry
(core/documents.py) about the meeting in focus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QMessageBox

from csfacilitator.core import documents
from csfacilitator.errors import UserError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTabWidget

    from csfacilitator.gui.board.board_tab import BoardTab
    from csfacilitator.storage.database import Database

BUNDLE_FILTER = "CS Facilitator conference (*.csfconf);;All files (*)"


class ConferenceFiles(QMainWindow):
    """The window's file commands (a part of MainWindow, which sets what is declared here)."""

    conference_id: int | None
    tabs: QTabWidget
    status: Callable[[str], None]
    flush: Callable[[], None]
    open_conference: Callable[[int], None]
    if TYPE_CHECKING:

        @property
        def database(self) -> Database: ...

        @property
        def board(self) -> BoardTab: ...

    def import_bundle(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from csfacilitator.core import bundle, conferences

        path, _ = QFileDialog.getOpenFileName(self, "Import conference file", "", BUNDLE_FILTER)
        if not path:
            return
        db = self.database
        try:
            data = bundle.read_checked(path)
            mode = "refuse"
            existing = bundle.find_existing(db, data)
            if existing is not None:
                chosen = self._ask_conflict(conferences.get_conference(db, existing).title)
                if chosen is None:
                    return
                mode = chosen
            conference_id = bundle.import_conference(db, data, on_conflict=mode)
        except UserError as exc:
            QMessageBox.warning(self, "Import conference file", str(exc))
            return
        self.open_conference(conference_id)
        self.status("Imported the conference file.")

    def _ask_conflict(self, title: str) -> str | None:
        box = QMessageBox(self)
        box.setWindowTitle("Conference already here")
        box.setText(f"'{title}' is already on this computer.")
        box.setInformativeText(
            "Import the file as a separate copy, or replace what is here with it?"
        )
        copy = box.addButton("Import as a copy", QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is copy:
            return "copy"
        if box.clickedButton() is replace:
            return "replace"
        return None

    def export_bundle(self) -> None:
        from csfacilitator.core import bundle, conferences
        from csfacilitator.core.textclean import safe_file_stem

        cid, db = self.conference_id, self.database
        if cid is None:
            return
        self.flush()
        title = conferences.get_conference(db, cid).title
        from csfacilitator.gui.documents.export_dialogs import export_interactively

        written = export_interactively(
            self,
            db,
            cid,
            "bundle",
            Path.home() / f"{safe_file_stem(title)}{bundle.FILE_SUFFIX}",
            lambda path: bundle.write_bundle(db, cid, path),
            title="Export conference file",
            file_filter=BUNDLE_FILTER,
        )
        if written is not None:
            self.status(f"Saved {written}")

    def _export_calendar(self) -> None:  # issue 20
        from csfacilitator.gui.reminders import export_calendar

        if self.conference_id is not None:
            self.flush()
            if (written := export_calendar(self, self.database, self.conference_id)) is not None:
                self.status(f"Saved {written}")

    def export_document(self, key: str) -> None:
        """Export one kind of document about the meeting in focus (the board's)."""
        if self.conference_id is None:
            return
        self.flush()
        from csfacilitator.gui.documents.document_export import export_document

        # The meeting in focus is the board's (its choice is remembered as the focus).
        written = export_document(
            self, self.database, self.conference_id, key, None, on_review=self._review_flags
        )
        if written is not None:
            self.status(f"Saved the {documents.label(key).lower()} to {written}")

    def _review_flags(self) -> None:
        self.tabs.setCurrentWidget(self.board)
        self.board.guard_panel.setFocus()
