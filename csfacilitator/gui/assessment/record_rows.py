"""What the assessment's record tables share (the priorities, the young people's voices): a
table model over a list of stored records, the table's set-up, the Move up, Move down and
Remove buttons under it, and an undo step that sets a value and puts the old one back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QPushButton, QTableView, QWidget

from csfacilitator.gui.undo import Change
from csfacilitator.gui.widgets.form_parts import panel_button
from csfacilitator.gui.widgets.model_index import Index as _Index


class StoredRecord(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=StoredRecord)
V = TypeVar("V")


class RecordRowsModel(QAbstractTableModel, Generic[R]):
    """Rows are records (with an `id`) under the column names `headers`; rows are numbered."""

    headers: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[R] = []

    def set_rows(self, rows: list[R]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return str(section + 1)

    def record_at(self, index: _Index) -> R | None:
        """The record on the index's row, if the index is on a row."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.rows[index.row()]

    def row_of(self, record_id: int | None) -> int:
        """The row of the record with this id, or -1."""
        return next((n for n, r in enumerate(self.rows) if r.id == record_id), -1)


def set_up_records_table(table: QTableView, triggers: QAbstractItemView.EditTrigger) -> None:
    """Whole rows chosen one at a time, edited on `triggers`, their words wrapped and each row
    as tall as its text, striped; Tab leaves the table (its own keys move within it)."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(triggers)
    table.setWordWrap(True)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setHighlightSections(False)


RowButtons = tuple[QPushButton, QPushButton, QPushButton]


def row_buttons(
    word: str, parent: QWidget, move: Callable[[int], None], remove: Callable[[], None]
) -> RowButtons:
    """Move up, Move down and Remove for the chosen row (the table's Alt+Up, Alt+Down and
    Delete do the same); `word` names a row in their tooltips."""
    up = panel_button("Move up", f"Move the chosen {word} up (Alt+Up)", parent)
    down = panel_button("Move down", f"Move the chosen {word} down (Alt+Down)", parent)
    gone = panel_button("Remove", f"Remove the chosen {word} (Delete)", parent)
    up.clicked.connect(lambda: move(-1))
    down.clicked.connect(lambda: move(1))
    gone.clicked.connect(remove)
    return up, down, gone


def enable_row_buttons(buttons: RowButtons, row: int, count: int) -> None:
    """Each button enabled when it can act on `row` (-1: none chosen) of `count` rows."""
    up, down, gone = buttons
    up.setEnabled(row > 0)
    down.setEnabled(0 <= row < count - 1)
    gone.setEnabled(row >= 0)


class ValueChange(Change, Generic[V]):
    """Sets a value (`after`); undo sets the one before again. Subclasses say how in `_apply`."""

    before: V
    after: V

    def _apply(self, value: V) -> None:
        raise NotImplementedError

    def _do(self) -> None:
        self._apply(self.after)

    def _undo(self) -> None:
        self._apply(self.before)
