"""What the board's record drawers share (referrals made, disagreement): a form above a table
of the meeting's rows, Enter to record, Delete or *Remove* to take one away, each one undo step.

A subclass names its rows (`RowKind`: headers, how a row reads, the core operations) and builds
its own form in `self.body` in `build_form`, then calls `finish_layout(form)`; recording calls
`record(...)`.

The body (table and form) is built the first time the drawer is opened or one of its widgets
(a `BodyPart`) is asked for: folded, as the board starts, only the header and its count are
shown, and building the two drawers' forms cost about a fortieth of a second of every start.
The rows are read as before (the header counts them), into the table's model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.gui.undo import RowPresence, ShowsAndReloads, push_or_say
from csfacilitator.gui.widgets.date_field import DateField
from csfacilitator.gui.widgets.fold import Fold
from csfacilitator.gui.widgets.model_index import Index
from csfacilitator.storage.database import Database


@dataclass(frozen=True)
class RowKind:
    """One kind of meeting record, as the drawer shows and changes it."""

    headers: tuple[str, ...]
    cells: Callable[[Any], tuple[str, ...]]
    list_rows: Callable[[Database, int], list]
    add: Callable[..., Any]  # (db, meeting_id, **fields) -> record
    restore: Callable[[Database, Any], Any]
    delete: Callable[[Database, int], Any]
    record_text: str  # the undo step's name, e.g. "Record referral"
    remove_text: str
    select_to_remove: str  # said when Remove finds nothing selected
    table_name: str  # the table's accessible name


class RecordTableModel(QAbstractTableModel):
    def __init__(self, kind: RowKind, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        self.rows: list = []

    def set_rows(self, rows: Sequence) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.kind.headers)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.kind.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        return self.kind.cells(self.rows[index.row()])[index.column()]


_Part = TypeVar("_Part", bound=QWidget)


class BodyPart(Generic[_Part]):
    """A widget of a drawer's body: asking for it builds the body first (once)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._key = f"_body_{name}"

    @overload
    def __get__(self, panel: None, owner: type) -> BodyPart[_Part]: ...
    @overload
    def __get__(self, panel: MeetingRecordsPanel, owner: type) -> _Part: ...
    def __get__(self, panel, owner):  # noqa: ANN001, ANN204
        if panel is None:
            return self
        panel.build_body()
        return panel.__dict__[self._key]

    def __set__(self, panel: MeetingRecordsPanel, widget: _Part) -> None:
        panel.__dict__[self._key] = widget


class MeetingRecordsPanel(ShowsAndReloads, Fold):
    status_message = Signal(str)
    table = BodyPart[QTableView]()
    remove_button = BodyPart[QPushButton]()
    body_built = False

    def __init__(
        self,
        kind: RowKind,
        title: str,
        settings_key: str,
        db: Database,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ):
        super().__init__(title, settings_key, parent)
        self.kind, self.db, self.undo_stack = kind, db, undo_stack
        self.meeting_id: int | None = None
        self.table_model = RecordTableModel(kind, self)
        self.table_model.modelReset.connect(self._show_summary)
        if self.is_expanded():  # left open last time
            self.build_body()

    def _toggled(self, expanded: bool) -> None:
        if expanded:
            self.build_body()  # before it shows, and before expanded_changed is heard
        super()._toggled(expanded)

    def build_body(self) -> None:
        """The table, its Remove button and the subclass's form (`build_form`), once."""
        if self.body_built:
            return
        self.body_built = True
        kind, body = self.kind, self.body
        self.table = QTableView(body)
        self.table.setModel(self.table_model)
        self.table.setAccessibleName(kind.table_name)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in range(1, len(kind.headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(48)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)
        self.remove_button = QPushButton("Remove", body)
        self.remove_button.setAccessibleName("Remove")
        self.remove_button.setToolTip(f"{kind.remove_text} (Ctrl+Z brings it back)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.build_form()
        self.remove_button.setEnabled(bool(self.table_model.rows))

    # -- the form, built by each drawer -------------------------------------------------------

    def build_form(self) -> None:
        """Build the drawer's form in `self.body` and call `finish_layout` (the body is being
        built: its table and Remove button exist)."""
        raise NotImplementedError

    def add(self) -> None:
        """Record what the form holds (each drawer reads its own fields, then calls record)."""
        raise NotImplementedError

    def line_field(self, name: str, hint: str, max_length: int) -> QLineEdit:
        """A one-line field of the form (its name for screen readers, a hint, the core's length
        limit); Enter in it records."""
        field = QLineEdit(self.body)
        field.setAccessibleName(name)
        field.setPlaceholderText(hint)
        field.setMaxLength(max_length)
        field.returnPressed.connect(self.add)
        return field

    def record_button(self, text: str) -> QPushButton:
        """The form's button that records (named as it reads)."""
        button = QPushButton(text, self.body)
        button.setAccessibleName(text)
        button.clicked.connect(self.add)
        return button

    def labelled_grid(self, fields: Sequence[tuple[str, QWidget, int, int]]) -> QGridLayout:
        """The form's fields, each under its label (text with its Alt key, widget, row, column);
        a date field's label leads to its line."""
        form = QGridLayout()
        form.setHorizontalSpacing(6)
        form.setVerticalSpacing(2)
        for text, widget, row, column in fields:
            label = QLabel(text, self.body)
            label.setBuddy(widget.edit if isinstance(widget, DateField) else widget)
            form.addWidget(label, row, column)
            form.addWidget(widget, row + 1, column)
        return form

    def finish_layout(self, form: QGridLayout, above: QWidget | None = None) -> None:
        """The drawer's body: `above` (a note, if any), the form, then the table."""
        listing = QHBoxLayout()
        listing.addWidget(self.table, 1)
        listing.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(6, 0, 6, 4)
        layout.setSpacing(4)
        if above is not None:
            layout.addWidget(above)
        layout.addLayout(form)
        layout.addLayout(listing, 1)

    def summary(self, count: int) -> str:
        return f"{count} recorded" if count else "none recorded"

    def _show_summary(self) -> None:
        self.set_summary(self.summary(self.table_model.rowCount()))

    # -- rows ------------------------------------------------------------------------------

    def set_meeting(self, meeting_id: int | None) -> None:
        self.meeting_id = meeting_id
        self.setEnabled(meeting_id is not None)
        self.reload()

    def reload(self) -> None:
        rows = self.kind.list_rows(self.db, self.meeting_id) if self.meeting_id else []
        self.table_model.set_rows(rows)
        if self.body_built:  # else enabled as it is built
            self.remove_button.setEnabled(bool(rows))

    def records(self) -> list:
        return list(self.table_model.rows)

    def record(self, **fields: object) -> Any | None:
        """Record a row for the meeting shown (one undo step); the new record, or None after
        saying why it could not be recorded."""
        if self.meeting_id is None:
            return None
        meeting_id, kind = self.meeting_id, self.kind
        change = RowPresence(
            self,
            kind.record_text,
            add=lambda: kind.add(self.db, meeting_id, **fields),
            restore=lambda record: kind.restore(self.db, record),
            delete=lambda row_id: kind.delete(self.db, row_id),
            after=self.reload,
        )
        if not push_or_say(self.undo_stack, change, self.status_message.emit):
            return None
        return change.record

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.status_message.emit(self.kind.select_to_remove)
            return
        kind = self.kind
        change = RowPresence(
            self,
            kind.remove_text,
            restore=lambda kept: kind.restore(self.db, kept),
            delete=lambda row_id: kind.delete(self.db, row_id),
            after=self.reload,
            record=self.table_model.rows[rows[0].row()],
        )
        push_or_say(self.undo_stack, change, self.status_message.emit, self.reload)
