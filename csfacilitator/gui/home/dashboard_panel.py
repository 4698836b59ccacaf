"""The home page's "Needs attention" panel: what is overdue or due across all conferences.

Four tabs (overdue actions, reviews due, open conferences with no review date, closed ones due
for deletion), each a read-only table whose rows open their conference on Enter or double-click.
Tab titles carry counts, so the panel can be read at a glance without opening each tab.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import vocab
from csfacilitator.core.dashboard import REVIEW_WINDOW_DAYS, Dashboard, build_dashboard
from csfacilitator.core.dates import format_date
from csfacilitator.storage.database import Database

ID_ROLE = Qt.ItemDataRole.UserRole + 1
VISIBLE_ROWS = 4

OVERDUE, REVIEWS, NO_REVIEW, DELETION, DEADLINES = range(5)
TAB_NAMES = (
    "Overdue actions",
    "Reviews due",
    "No review date",
    "Due for deletion",
    "Deadlines",  # issue 20: papers and reviews due or late under Preferences' limits
)
OPEN_HINT = "Enter or double-click a row to open its conference."
DELETION_HINT = (
    "CS Facilitator never deletes anything by itself: to delete a conference, select it in the "
    "list below (tick Show archived if it is archived) and press Delete."
)


@dataclass(frozen=True)
class Row:
    conference_id: int
    cells: tuple[str, ...]
    urgent_column: int | None = None  # shown in the warning colour


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def when_review(days_until: int) -> str:
    if days_until == 0:
        return "Today"
    if days_until == 1:
        return "Tomorrow"
    if days_until > 0:
        return f"In {_days(days_until)}"
    return f"Passed {_days(-days_until)} ago"


def _who(agency: str, owner: str) -> str:
    if agency and owner:
        return f"{agency} ({owner})"
    return agency or owner


def deadline_rows(items, today: dt.date) -> list[Row]:  # issue 20
    """Papers and reviews late or due soon (core/deadlines.py), as text; "Late by 3 days"."""
    return [
        Row(
            d.conference_id,
            (d.conference_title, d.title, format_date(d.due), d.words(today)),
            3 if d.state == "late" else None,
        )
        for d in items
    ]


def dashboard_rows(data: Dashboard) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
    """The four tables' rows, as text (pure, so it is easy to test)."""
    overdue = [
        Row(
            a.conference_id,
            (
                a.conference_title,
                a.text,
                _who(a.agency, a.owner),
                format_date(a.due_date),
                _days(a.days_overdue),
            ),
            4,
        )
        for a in data.overdue_actions
    ]
    reviews = [
        Row(
            r.conference_id,
            (
                r.conference_title,
                format_date(r.review_date),
                when_review(r.days_until),
                vocab.label(vocab.STATUSES, r.status),
            ),
            2 if r.days_until < 0 else None,
        )
        for r in data.reviews_due
    ]
    missing = [
        Row(
            m.conference_id,
            (
                m.conference_title,
                vocab.label(vocab.STATUSES, m.status),
                format_date(m.conference_date) or "Not set",
            ),
        )
        for m in data.no_review_date
    ]
    deletion = [
        Row(
            d.conference_id,
            (
                d.title + (" (archived)" if d.archived else ""),
                format_date(d.closed_on),
                format_date(d.due_on),
            ),
            2,
        )
        for d in data.due_for_deletion
    ]
    return overdue, reviews, missing, deletion


class RowsModel(QAbstractTableModel):
    """Read-only rows of text, each belonging to one conference."""

    def __init__(self, headers: Sequence[str], parent=None):
        super().__init__(parent)
        self.headers = tuple(headers)
        self._rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ID_ROLE:
            return row.conference_id
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return row.cells[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == row.urgent_column:
            dark = QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
            return QColor("#ff8a8a") if dark else QColor("#a4262c")
        return None


class DashboardPanel(QWidget):
    """Emits `open_requested(conference_id)` when a row is activated."""

    open_requested = Signal(int)

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ):
        super().__init__(parent)
        self.db = db
        self.today = today
        self.data: Dashboard | None = None
        self._tab_chosen = False  # the first reload with data shows the first non-empty tab
        self.setAccessibleName("Needs attention")

        self.heading = QLabel("&Needs attention", self)
        self.heading.setObjectName("sectionHeading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        # Each part is built inside what holds it (see window_tabs._build_tab).
        self.stack = QStackedWidget(self)
        self.all_clear = QLabel(self.stack)
        self.all_clear.setObjectName("allClear")
        self.all_clear.setWordWrap(True)
        self.all_clear.setAccessibleName("Nothing needs attention")

        self.tabs = QTabWidget(self.stack)
        self.tabs.setAccessibleName("Needs attention")
        self.tabs.setDocumentMode(True)
        self.models = (
            RowsModel(("Conference", "Action", "Agency / team", "Due", "Overdue by"), self),
            RowsModel(("Conference", "Review date", "When", "Status"), self),
            RowsModel(("Conference", "Status", "Conference date"), self),
            RowsModel(("Conference", "Closed on", "Due for deletion since"), self),
            RowsModel(("Conference", "What", "Due", "Due or late"), self),  # issue 20
        )
        tables = []
        for model, name in zip(self.models, TAB_NAMES, strict=True):
            page = QWidget(self.tabs)
            table = self._table(model, name, page)
            tables.append(table)
            layout = QVBoxLayout(page)
            layout.setContentsMargins(0, 4, 0, 0)
            layout.addWidget(table)
            layout.addStretch(1)
            self.tabs.addTab(page, name)
        self.tables = tuple(tables)
        self._size_columns()
        self.heading.setBuddy(self.tabs)
        self.hint = QLabel(self)
        self.hint.setObjectName("mutedNote")
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        self.hint.setWordWrap(True)
        self.tabs.currentChanged.connect(self._show_hint)
        self._show_hint(self.tabs.currentIndex())

        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.all_clear)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(16)
        top.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.stack)

    def _table(self, model: RowsModel, name: str, parent: QWidget) -> QTableView:
        table = QTableView(parent)
        table.setModel(model)
        table.setAccessibleName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setShowGrid(False)
        table.setTabKeyNavigation(False)
        table.verticalHeader().setVisible(False)
        table.setToolTip("Enter or double-click opens the conference")
        row_height = table.verticalHeader().defaultSectionSize()
        header_height = table.horizontalHeader().sizeHint().height()
        table.setFixedHeight(header_height + row_height * VISIBLE_ROWS + 4)
        table.activated.connect(self._activated)
        return table

    def _size_columns(self) -> None:
        metrics = self.fontMetrics()

        def fit(table: QTableView, column: int, sample: str) -> None:
            header = table.horizontalHeader()
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 28)

        overdue, reviews, missing, deletion, deadlines = self.tables
        deadlines.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        fit(deadlines, 1, "Summary and plan")  # issue 20
        fit(deadlines, 2, "30 Sep 2026")
        fit(deadlines, 3, "Late by 100 days")
        overdue.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        fit(overdue, 0, "Wrenmoor Park and Kestrel Parade")
        fit(overdue, 2, "Dunhaven Council – Parks and Open")
        fit(overdue, 3, "30 Sep 2026")
        fit(overdue, 4, "Overdue by")
        for table in (reviews, missing, deletion):
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        fit(reviews, 1, "Review date")
        fit(reviews, 2, "Passed 100 days ago")
        fit(reviews, 3, "Conference held")
        fit(missing, 1, "Conference held")
        fit(missing, 2, "Conference date")
        fit(deletion, 1, "30 Sep 2026")
        fit(deletion, 2, "Due for deletion since")

    # -- behaviour ------------------------------------------------------------------------

    def reload(self) -> Dashboard:
        data = build_dashboard(self.db, self.today())
        self.data = data
        from csfacilitator.core.deadlines import needing_attention  # issue 20

        due = needing_attention(  # papers and reviews; overdue actions have their own tab
            self.db, data.today, within_days=REVIEW_WINDOW_DAYS, actions=False
        )
        tables = (*dashboard_rows(data), deadline_rows(due, data.today))
        for number, (model, rows) in enumerate(zip(self.models, tables, strict=True)):
            model.set_rows(rows)
            self.tabs.setTabText(number, f"{TAB_NAMES[number]} ({len(rows)})")
        if data.is_empty and not due:
            self.all_clear.setText(
                f"Nothing needs attention: no overdue actions, no reviews due in the next "
                f"{REVIEW_WINDOW_DAYS} days, and every open conference has a review date."
            )
            self.stack.setCurrentWidget(self.all_clear)
            self.stack.setFixedHeight(self.all_clear.sizeHint().height())
        else:
            self.stack.setCurrentWidget(self.tabs)
            self.stack.setFixedHeight(self.tabs.sizeHint().height())
            if not self._tab_chosen or not self.models[self.tabs.currentIndex()].rowCount():
                counts = [m.rowCount() for m in self.models]
                self.tabs.setCurrentIndex(next(i for i, c in enumerate(counts) if c))
                self._tab_chosen = True
        self.hint.setVisible(not (data.is_empty and not due))
        return data

    def _show_hint(self, index: int) -> None:
        self.hint.setText(DELETION_HINT if index == DELETION else OPEN_HINT)

    def _activated(self, index: QModelIndex) -> None:
        conference_id = index.data(ID_ROLE)
        if conference_id is not None:
            self.open_requested.emit(conference_id)
