"""File → Information sharing record…: every document that left the app — when, which
conference and meeting, who it was shared with, the lawful basis and why, and where it was saved
(core/export_log.py). It can be copied as text, and saved as CSV or Word.

Works with no conference open (all exports); with one open it starts at that conference's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import conferences
from csfacilitator.core.export_log import COLUMNS, ExportEntry, list_exports, row_texts
from csfacilitator.errors import UserError
from csfacilitator.gui.widgets.model_index import Index
from csfacilitator.storage.database import Database

WHEN, DOCUMENT, CONFERENCE, MEETING, SHARED_WITH, BASIS, WHY, SAVED_TO = range(len(COLUMNS))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def local_time_text(moment: dt.datetime) -> str:
    """A stored UTC moment as '22 Nov 2026 14:05' in the computer's time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def _one_line(text: str) -> str:
    """Text safe for one cell of tab-separated text."""
    return " ".join(text.replace("\t", " ").split())


class ExportLogModel(QAbstractTableModel):
    """The export log as a read-only table over ExportEntry records."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._entries: list[ExportEntry] = []

    def set_entries(self, entries: Sequence[ExportEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> ExportEntry:
        return self._entries[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def cell_text(self, row: int, column: int) -> str:
        entry = self._entries[row]
        if column == WHEN:
            return local_time_text(entry.at)
        return row_texts(entry)[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column)
        if role == SORT_ROLE:
            if column == WHEN:  # the moment itself, then the order of recording
                entry = self._entries[row]
                return f"{entry.at:%Y-%m-%dT%H:%M:%S.%f}#{entry.id:012d}"
            return self.cell_text(row, column).casefold()
        if role == Qt.ItemDataRole.ToolTipRole and column in (
            CONFERENCE,
            SHARED_WITH,
            WHY,
            SAVED_TO,
        ):
            return self.cell_text(row, column)  # in full, where the cell is cut short
        return None


class _LogTable(QTableView):
    """Ctrl+C copies whole selected rows (a plain table view copies only the current cell);
    Enter opens the row's folder and stops there (a plain view passes it on to the dialog)."""

    copy_requested = Signal()
    open_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.open_requested.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class ExportLogDialog(QDialog):
    """The export log, newest first; sortable, and filtered to one conference when one is open."""

    def __init__(
        self, db: Database, conference_id: int | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.db = db
        self.conference_id = conference_id
        self.setWindowTitle("Information sharing record")
        self.resize(1240, 480)

        intro = QLabel(
            "Every document exported from CS Facilitator: when, which conference, who it was "
            "shared with, on what basis and why, and where it was saved.",
            self,
        )
        intro.setWordWrap(True)
        self.only_this = QCheckBox("&This conference only", self)
        self.only_this.setAccessibleName("This conference only")
        self.only_this.setVisible(conference_id is not None)
        self.only_this.setChecked(conference_id is not None)
        if conference_id is not None:
            try:
                title = conferences.get_conference(db, conference_id).title
                self.only_this.setToolTip(f"Show only the exports about “{title}”")
            except UserError:
                self.conference_id = None
                self.only_this.setChecked(False)
                self.only_this.setVisible(False)
        self.only_this.toggled.connect(lambda _on: self.reload())

        self.model = ExportLogModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = _LogTable(self)
        self.view.setAccessibleName("Information sharing record")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(WHEN, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        metrics = self.view.fontMetrics()
        for column, sample in ((WHEN, "30 Sep 2026 23:59"), (DOCUMENT, "Invitation letters")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 36)
        header.resizeSection(CONFERENCE, metrics.horizontalAdvance("M" * 14))
        header.resizeSection(MEETING, metrics.horizontalAdvance("30 Sep 2026") + 24)
        header.resizeSection(SHARED_WITH, metrics.horizontalAdvance("M" * 14))
        header.resizeSection(BASIS, metrics.horizontalAdvance("Legitimate interests") + 24)
        header.resizeSection(WHY, metrics.horizontalAdvance("M" * 10))
        header.setStretchLastSection(True)
        self.view.open_requested.connect(self.open_folder)
        self.view.doubleClicked.connect(lambda _index: self.open_folder())

        self.view.copy_requested.connect(lambda: self.copy_rows(selected_only=True))

        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setAccessibleName("Sharing record status")

        self.open_button = QPushButton("&Open folder", self)
        self.open_button.setAccessibleName("Open folder")
        self.open_button.setToolTip("Show the folder the selected document was saved in")
        self.open_button.clicked.connect(self.open_folder)
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setAccessibleName("Copy")
        self.copy_button.setToolTip(
            "Copy the rows shown as text (tab-separated) to paste into a record or spreadsheet. "
            "Ctrl+C in the table copies only the selected rows."
        )
        self.copy_button.clicked.connect(lambda: self.copy_rows(selected_only=False))
        self.word_button = QPushButton("Save as &Word…", self)
        self.word_button.setAccessibleName("Save as Word…")
        self.word_button.setToolTip("Save the record shown as a Word document")
        self.word_button.clicked.connect(lambda: self.save_as("docx"))
        self.csv_button = QPushButton("Save as CS&V…", self)
        self.csv_button.setAccessibleName("Save as CSV…")
        self.csv_button.setToolTip("Save the record shown as a CSV file for Excel")
        self.csv_button.clicked.connect(lambda: self.save_as("csv"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.copy_button)
        row.addWidget(self.word_button)
        row.addWidget(self.csv_button)
        row.addStretch(1)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.only_this)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addLayout(row)

        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.reload()
        self.view.setFocus()

    # -- content --------------------------------------------------------------------------------

    def reload(self) -> None:
        only = self.conference_id if self.only_this.isChecked() else None
        try:
            entries = list_exports(self.db, only)
        except UserError as exc:
            entries = []
            self.note.setText(str(exc))
        self.model.set_entries(entries)
        if self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))
            self.view.selectRow(0)
        self.copy_button.setEnabled(self.proxy.rowCount() > 0)
        self._selection_changed()

    def selected_entries(self) -> list[ExportEntry]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self._entry_at(row) for row in rows]

    def _entry_at(self, proxy_row: int) -> ExportEntry:
        source = self.proxy.mapToSource(self.proxy.index(proxy_row, 0))
        return self.model.entry(source.row())

    def _row_texts(self, proxy_row: int) -> list[str]:
        source_row = self.proxy.mapToSource(self.proxy.index(proxy_row, 0)).row()
        return [_one_line(self.model.cell_text(source_row, c)) for c in range(len(COLUMNS))]

    def _selection_changed(self) -> None:
        selected = self.selected_entries()
        self.open_button.setEnabled(False)
        if not self.proxy.rowCount():
            filtered = self.only_this.isChecked()
            self.note.setText(
                "Nothing about this conference has been exported yet."
                if filtered
                else "Nothing has been exported yet."
            )
            return
        if len(selected) != 1:
            self.note.setText(f"{self.proxy.rowCount()} exports.")
            return
        folder = Path(selected[0].path).parent
        if folder.is_dir():
            self.open_button.setEnabled(True)
            self.note.setText(f"Saved in {folder}")
        else:
            self.note.setText(f"The folder {folder} is no longer there (moved or deleted).")

    # -- actions --------------------------------------------------------------------------------

    def open_folder(self) -> bool:
        selected = self.selected_entries()
        if len(selected) != 1:
            return False
        folder = Path(selected[0].path).parent
        if not folder.is_dir():
            self._selection_changed()
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def save_as(self, which: str) -> Path | None:
        """Save the record shown (this conference's, or all) as Word or CSV; returns the path."""
        from PySide6.QtWidgets import QFileDialog

        from csfacilitator.core.papers.sharing import gather
        from csfacilitator.export import sharing_doc

        only = self.conference_id if self.only_this.isChecked() else None
        try:
            paper = gather(self.db, only)
        except UserError as exc:
            self.note.setText(str(exc))
            return None
        name = sharing_doc.filename(paper)
        if which == "csv":
            name, file_filter = name[: -len(".docx")] + ".csv", "CSV for spreadsheets (*.csv)"
        else:
            file_filter = "Word document (*.docx)"
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the information sharing record", str(Path.home() / name), file_filter
        )
        if not chosen:
            return None
        try:
            if which == "csv":
                written = sharing_doc.save_csv(paper, Path(chosen))
            else:
                written = sharing_doc.save(paper, Path(chosen))
        except UserError as exc:
            self.note.setText(str(exc))
            return None
        self.note.setText(f"Saved to {written}")
        return written

    def copy_rows(self, *, selected_only: bool = False) -> str:
        """Put the rows (all shown, or the selected ones) on the clipboard as tab-separated text
        with a heading line; returns the text."""
        if selected_only:
            rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        else:
            rows = list(range(self.proxy.rowCount()))
        if not rows:
            return ""
        lines = ["\t".join(COLUMNS), *("\t".join(self._row_texts(row)) for row in rows)]
        text = "\n".join(lines) + "\n"
        QGuiApplication.clipboard().setText(text)
        self.note.setText(f"Copied {len(rows)} row{'s' if len(rows) != 1 else ''}.")
        return text


def show_export_log(
    parent: QWidget, db: Database, conference_id: int | None = None
) -> ExportLogDialog:
    """Open the export log (window-modal, without blocking) and return it."""
    dialog = ExportLogDialog(db, conference_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
