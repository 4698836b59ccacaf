"""A read-only table of rows from the team store, with Export CSV…: History and the Team
page are both this. Rows arrive from a background job (show_rows / show_failure)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from csfacilitator.errors import UserError


def make_table(columns: tuple[str, ...], name: str, parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


def fill(table: QTableWidget, rows: list[tuple]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            item = QTableWidgetItem(str(cell))
            if isinstance(cell, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for c in range(table.columnCount()):
        table.setColumnWidth(c, min(table.columnWidth(c), 360))


class TableDialog(QDialog):
    """Subclasses build their tables and say what Export CSV… writes (csv_data)."""

    suggested_name = "Team.csv"

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(1000, 600)
        self.note = QLabel("Reading the team store…", self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setAccessibleName("Export CSV…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_csv)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

    def show_failure(self, message: str) -> None:
        self.note.setText(f"The team store could not be read: {message}")

    def csv_data(self) -> bytes:
        raise NotImplementedError

    def export_csv(self) -> None:
        from csfacilitator.core import team_view

        path, _ = QFileDialog.getSaveFileName(
            self, "Export CSV", self.suggested_name, "CSV files (*.csv)"
        )
        if not path:
            return
        try:
            saved = team_view.save_csv(self.csv_data(), path)
        except (UserError, OSError) as exc:
            self.note.setText(f"Not exported: {exc}")
            return
        self.note.setText(f"Exported to {saved}.")
