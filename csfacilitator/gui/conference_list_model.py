"""The conference list as a table model, with a proxy that searches, filters and sorts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from csfacilitator.core import vocab
from csfacilitator.core.dates import format_date
from csfacilitator.core.records import ConferenceSummary

COL_TITLE, COL_CONTEXT, COL_AREA, COL_STATUS, COL_DATE, COL_REVIEW, COL_CHANGED = range(7)
HEADERS = ("Title", "Context", "Area", "Status", "Conference date", "Next review", "Last changed")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class ConferenceListModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[ConferenceSummary] = []
        self._texts: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[ConferenceSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        # Views ask for every cell many times (sorting, sizing, painting): format each once.
        self._texts = [tuple(self._display(r, c) for c in range(len(HEADERS))) for r in self._rows]
        self.endResetModel()

    def row_of(self, conference_id: int) -> int:
        for index, row in enumerate(self._rows):
            if row.id == conference_id:
                return index
        return -1

    def summary(self, row: int) -> ConferenceSummary:
        return self._rows[row]

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return row.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._texts[index.row()][column]
        if role == SORT_ROLE:
            return self._sort_value(index.row(), column)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_TITLE:
            return f"{row.title}\n{vocab.label(vocab.CONTEXT_TYPES, row.context_type)}"
        if role == Qt.ItemDataRole.FontRole and column == COL_TITLE:
            font = QFont()
            font.setBold(not row.archived)
            font.setItalic(row.archived)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.archived:
            return QApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        return None

    def _display(self, row: ConferenceSummary, column: int) -> str:
        if column == COL_TITLE:
            return f"{row.title} (archived)" if row.archived else row.title
        if column == COL_CONTEXT:
            kind = vocab.label(vocab.CONTEXT_TYPES, row.context_type)
            return f"{row.context_name} · {kind}" if row.context_name else kind
        if column == COL_AREA:
            return row.area
        if column == COL_STATUS:
            return vocab.label(vocab.STATUSES, row.status)
        if column == COL_DATE:
            return format_date(row.conference_date)
        if column == COL_REVIEW:
            return format_date(row.next_review_date)
        if column == COL_CHANGED:
            local = row.updated_at.replace(tzinfo=dt.timezone.utc).astimezone()
            return f"{format_date(local.date())} {local:%H:%M}"
        return ""

    def _sort_value(self, number: int, column: int):
        row = self._rows[number]
        if column == COL_STATUS:
            return list(vocab.STATUSES).index(row.status) if row.status in vocab.STATUSES else 99
        if column == COL_DATE:
            return (row.conference_date or dt.date.max).isoformat()
        if column == COL_REVIEW:
            return (row.next_review_date or dt.date.max).isoformat()
        if column == COL_CHANGED:
            return row.updated_at.isoformat()
        return self._texts[number][column].casefold()


class ConferenceFilter(QSortFilterProxyModel):
    """Search (title, context, area), a status filter, and whether archived ones show."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._needle = ""
        self._status = ""
        self._show_archived = False
        self.setSortRole(SORT_ROLE)

    def _refilter(self, **changes: object) -> None:
        self.beginFilterChange()
        for name, value in changes.items():
            setattr(self, f"_{name}", value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        self._refilter(needle=text.strip().casefold())

    def set_status(self, status: str) -> None:
        self._refilter(status=status)

    def set_show_archived(self, show: bool) -> None:
        self._refilter(show_archived=show)

    def filterAcceptsRow(self, source_row, source_parent):  # noqa: N802 - Qt API
        row = self.sourceModel().summary(source_row)
        if row.archived and not self._show_archived:
            return False
        if self._status and row.status != self._status:
            return False
        if self._needle:
            haystack = f"{row.title}\n{row.context_name}\n{row.area}".casefold()
            return self._needle in haystack
        return True
