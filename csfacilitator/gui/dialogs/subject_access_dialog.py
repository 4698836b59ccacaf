"""File → Subject access search…: every stored mention of a name or phrase across all
conferences (core/subject_access.py), listed with where and when, and saved as a
redaction-ready Word document (export/subject_access_doc.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core.subject_access import SubjectAccessResult, search
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

COLUMNS = ("Conference", "Where", "Date", "Text around the mention")


class SubjectAccessDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.found: SubjectAccessResult | None = None
        self.setWindowTitle("Subject access search")
        self.resize(1100, 520)
        intro = QLabel(
            "Find every stored mention of a name or phrase, in every conference and every text "
            "field (case and accents ignored, whole words), then save a Word document to check "
            "and redact before anything is disclosed.",
            self,
        )
        intro.setWordWrap(True)
        label = QLabel("&Name or phrase:", self)
        self.phrase = QLineEdit(self)
        self.phrase.setAccessibleName("Name or phrase")
        label.setBuddy(self.phrase)
        self.search_button = QPushButton("&Search", self)
        self.search_button.setAccessibleName("Search")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.run_search)
        self.phrase.returnPressed.connect(self.run_search)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.phrase, 1)
        row.addWidget(self.search_button)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.view = QTableView(self)
        self.view.setAccessibleName("Mentions")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setTabKeyNavigation(False)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.resizeSection(0, 220)
        header.resizeSection(1, 260)
        header.resizeSection(2, 110)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Search status")
        self.save_button = QPushButton("Save as &Word…", self)
        self.save_button.setAccessibleName("Save as Word…")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addLayout(bottom)
        self.phrase.setFocus()

    def run_search(self) -> None:
        from csfacilitator.core.dates import format_date

        try:
            self.found = search(self.db, self.phrase.text())
        except UserError as exc:
            self.found = None
            self.note.setText(str(exc))
            self.save_button.setEnabled(False)
            return
        self.model.removeRows(0, self.model.rowCount())
        for m in self.found.mentions:
            cells = (
                m.conference_title or "Not about one conference",
                m.where,
                format_date(m.date) if m.date else "No date",
                f"{m.before}{m.match}{m.after}",
            )
            items = [QStandardItem(text) for text in cells]
            for item in items:
                item.setToolTip(item.text())
            self.model.appendRow(items)
        count = len(self.found.mentions)
        self.note.setText(
            f"{count} mention{'s' if count != 1 else ''} of “{self.found.phrase}”."
            if count
            else f"No mention of “{self.found.phrase}” is stored."
        )
        self.save_button.setEnabled(True)  # "nothing found" is an answer worth keeping too
        if count:
            self.view.selectRow(0)

    def save(self) -> Path | None:
        from csfacilitator.core.export_log import record_export
        from csfacilitator.export import subject_access_doc

        if self.found is None:
            return None
        suggested = Path.home() / subject_access_doc.filename(self.found)
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the subject access search", str(suggested), "Word document (*.docx)"
        )
        if not chosen:
            return None
        try:
            written = subject_access_doc.save(self.found, Path(chosen))
            record_export(self.db, None, "subject_access", written)
        except UserError as exc:
            self.note.setText(str(exc))
            return None
        self.note.setText(f"Saved to {written}")
        return written


def show_subject_access(parent: QWidget, db: Database) -> SubjectAccessDialog:
    dialog = SubjectAccessDialog(db, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
