"""The preview before a CSV import: the first rows, what each column will be read as, and a
live summary of what importing would do (core.invitee_csv.plan_import; nothing is written
until Import)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import invitee_csv
from csfacilitator.core.invitee_csv import CsvPreview, ImportPlan
from csfacilitator.core.invitees import InviteeRecord
from csfacilitator.core.textclean import clean_text, shortened
from csfacilitator.gui.widgets.dialog_parts import accept_cancel

PREVIEW_ROWS = 50
IGNORE = "Ignore"
CELL_LIMIT = 120  # characters shown in a preview cell (the tooltip has more)


def _shown(text: str) -> str:
    line = clean_text(text, multiline=False)
    return shortened(line, CELL_LIMIT)


class ImportPreviewDialog(QDialog):
    """Shows the file as read and lets the user say what each column holds. Accepted means
    "import with mapping()"; the caller does the import (so it can be undone as one step)."""

    def __init__(
        self,
        preview: CsvPreview,
        existing: list[InviteeRecord] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.preview = preview
        self.existing = list(existing or [])
        self.plan: ImportPlan | None = None
        self.setWindowTitle(f"Import invitees from {preview.path.name}")

        rows = len(preview.rows)
        about = QLabel(
            f"{preview.path.name}: {rows:,} row{'' if rows == 1 else 's'} of people, read as "
            f"{preview.encoding} with {preview.delimiter_name} between columns. Choose what each "
            "column holds; columns set to “Ignore” are not imported."
        )
        about.setWordWrap(True)
        # What may have been read wrongly (a quote never closed, an East Asian encoding): said
        # before anything else, so no one imports a misread file without being told.
        self.warning = QLabel("\n".join(f"⚠ {w}" for w in preview.warnings))
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setAccessibleName("Warnings about this file")
        self.warning.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.warning.setVisible(bool(preview.warnings))

        shown_rows = preview.rows[:PREVIEW_ROWS]
        self.table = QTableWidget(1 + len(shown_rows), len(preview.headers))
        self.table.setAccessibleName("Preview of the file")
        self.table.setHorizontalHeaderLabels(list(preview.headers))
        self.table.setVerticalHeaderLabels(
            ["Import as", *(f"Row {row.line}" for row in shown_rows)]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)

        suggested = invitee_csv.suggest_mapping(preview.headers)
        self.combos: list[QComboBox] = []
        for column, header in enumerate(preview.headers):
            combo = QComboBox()
            combo.addItem(IGNORE, "")
            for key, label in invitee_csv.FIELD_LABELS.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(max(0, combo.findData(suggested.get(column, ""))))
            combo.setAccessibleName(f"Import column {header} as")
            combo.setToolTip(f"What the column “{header}” holds")
            combo.currentIndexChanged.connect(self._refresh)
            self.table.setCellWidget(0, column, combo)
            self.combos.append(combo)
        for row, csv_row in enumerate(shown_rows, start=1):
            for column in range(len(preview.headers)):
                text = csv_row.cell(column)
                item = QTableWidgetItem(_shown(text))
                if len(text) > CELL_LIMIT or "\n" in text.strip():
                    item.setToolTip(clean_text(text)[:2000])
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        sections = self.table.horizontalHeader()
        for column, combo in enumerate(self.combos):
            width = max(combo.sizeHint().width() + 8, min(sections.sectionSize(column), 260))
            sections.resizeSection(column, width)
        sections.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setRowHeight(0, self.combos[0].sizeHint().height() + 6 if self.combos else 30)

        self.more = QLabel(
            f"The first {PREVIEW_ROWS} of {rows:,} rows are shown; all of them are imported."
            if rows > PREVIEW_ROWS
            else ""
        )
        self.more.setVisible(rows > PREVIEW_ROWS)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("What importing will do")
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)

        self.buttons, self.import_button, _cancel = accept_cancel(self, "Import")
        self.import_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.more)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(1000, 560)
        self._refresh()
        if self.combos:
            self.combos[0].setFocus()

    def mapping(self) -> dict[int, str]:
        """column -> field, for the columns not ignored."""
        return {
            c: combo.currentData() for c, combo in enumerate(self.combos) if combo.currentData()
        }

    def _refresh(self, *_args) -> None:
        mapping = self.mapping()
        problem = invitee_csv.mapping_problem(mapping)
        if problem:
            self.plan = None
            self.summary.setText(problem)
            self.import_button.setEnabled(False)
            self.import_button.setToolTip(problem)
            self._mark_rows(set(), set())
            return
        self.plan = invitee_csv.plan_import(self.preview, mapping, self.existing)
        self.summary.setText(self.plan.summary())
        self.import_button.setEnabled(bool(self.plan.to_add))
        self.import_button.setToolTip("" if self.plan.to_add else "No one to add.")
        left_out = {line for line, _ in (*self.plan.bad_rows, *self.plan.duplicates)}
        flagged = {line for line, _ in self.plan.flagged}
        self._mark_rows(left_out, flagged)

    def _mark_rows(self, left_out: set[int], flagged: set[int]) -> None:
        """Rows left out read 'not imported'; rows to check say so, in the row header."""
        reasons: dict[int, list[str]] = {}
        for line, file_line in self.preview.unclosed_quotes:
            flagged = flagged | {line}
            reasons.setdefault(line, []).append(
                f'Check: a quote (") opened on line {file_line} of the file is never closed'
            )
        if self.plan is not None:
            for line, why in self.plan.bad_rows:
                reasons.setdefault(line, []).append(f"Not imported: {why}")
            for line, name in self.plan.duplicates:
                reasons.setdefault(line, []).append(f"Not imported: {name} is already listed")
            for line, what in self.plan.flagged:
                reasons.setdefault(line, []).append(f"Check: {what}")
        for row, csv_row in enumerate(self.preview.rows[:PREVIEW_ROWS], start=1):
            header = self.table.verticalHeaderItem(row)
            mark = " ✗" if csv_row.line in left_out else " ⚠" if csv_row.line in flagged else ""
            header.setText(f"Row {csv_row.line}{mark}")
            header.setToolTip("\n".join(reasons.get(csv_row.line, [])))
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                if item is not None:
                    font = item.font()
                    font.setStrikeOut(csv_row.line in left_out)
                    item.setFont(font)
