"""The issues from the assessment, in order, with the one or two the conference will focus on.

A table (Focus check box, Issue) over `core.priorities`, a line to add an issue, buttons to move
and remove, and a gentle warning when more than two are marked as the focus. Every change is one
undo command on the tab's stack and is stored at once.

Keys in the table: Space marks or unmarks the focus, F2 or Enter edits the wording, Alt+Up and
Alt+Down move the issue, Delete removes it.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import priorities as core
from csfacilitator.core.priorities import PriorityRecord
from csfacilitator.errors import UserError
from csfacilitator.gui.assessment.record_rows import (
    RecordRowsModel,
    ValueChange,
    enable_row_buttons,
    row_buttons,
    set_up_records_table,
)
from csfacilitator.gui.undo import Change, ShowsAndReloads
from csfacilitator.gui.widgets.form_parts import buddy_label, panel_button
from csfacilitator.gui.widgets.model_index import Index as _Index
from csfacilitator.gui.widgets.ordered_table import OrderedRowsTable
from csfacilitator.storage.database import Database

FOCUS, ISSUE = 0, 1
HEADERS = ("Focus", "Issue")
WARNING = (
    "Conferences work best on one or two priorities: {count} are marked as the focus. "
    "Consider keeping the others for a later review."
)


class PrioritiesModel(RecordRowsModel[PriorityRecord]):
    """Rows are PriorityRecords; edits are handed to `edit` (the panel), which stores them."""

    headers = HEADERS
    #: (priority id, new text or None, new focus or None)
    edit_requested = Signal(int, object, object)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == FOCUS:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        record = self.record_at(index)
        if record is None:
            return None
        column = index.column()
        if column == FOCUS:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if record.focus else Qt.CheckState.Unchecked
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return "Focus of the conference" if record.focus else "Not a focus"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return record.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return record.text
        return None

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        record = self.record_at(index)
        if record is None:
            return False
        if index.column() == FOCUS and role == Qt.ItemDataRole.CheckStateRole:
            focus = Qt.CheckState(value) == Qt.CheckState.Checked
            if focus != record.focus:
                self.edit_requested.emit(record.id, None, focus)
            return True
        if index.column() == ISSUE and role == Qt.ItemDataRole.EditRole:
            if str(value) != record.text:
                self.edit_requested.emit(record.id, str(value), None)
            return True
        return False


class PrioritiesTable(OrderedRowsTable):
    """The priorities: Space ticks or unticks the focus; F2 or Enter edits the issue."""

    toggle_requested = Signal()

    def column_to_edit(self, current: QModelIndex) -> int:
        return ISSUE

    def plain_key(self, key: int) -> bool:
        if key == Qt.Key.Key_Space:
            self.toggle_requested.emit()
            return True
        return False


class _PriorityChange(Change):
    """A change to one conference's priorities; rows are named by id (ids are never reused,
    and undoing a removal puts the priority back under its own id)."""

    def __init__(self, panel: PrioritiesPanel, text: str):
        super().__init__(panel, text)
        self.panel = panel
        self.conference_id = panel.conference_id

    def _shown(self, record: PriorityRecord | None = None) -> None:
        if record is not None:
            self.panel.select_later(record.id)
        self.panel.after_change(self.conference_id)


class _AddPriority(_PriorityChange):
    def __init__(self, panel: PrioritiesPanel, conference_id: int, text: str):
        super().__init__(panel, "Add a priority")
        self.add_to, self.value = conference_id, text
        self.snapshot: core.PrioritySnapshot | None = None
        self.priority_id: int | None = None

    def _do(self) -> None:
        if self.snapshot is None:
            record = core.add_priority(self.panel.db, self.add_to, self.value)
        else:
            record = core.restore_priority(self.panel.db, self.snapshot)
        self.priority_id = record.id
        self._shown(record)

    def _undo(self) -> None:
        if self.priority_id is None:  # undo runs only after a _do that stored the id
            raise LookupError("the priority was not added")
        self.snapshot = core.delete_priority(self.panel.db, self.priority_id)
        self._shown()


class _EditPriority(_PriorityChange, ValueChange[tuple[str | None, bool | None]]):
    """A new wording or focus (None: that one unchanged)."""

    def __init__(
        self, panel: PrioritiesPanel, record: PriorityRecord, text: str | None, focus: bool | None
    ):
        what = "Mark the focus" if focus else "Unmark the focus" if focus is not None else None
        super().__init__(panel, what or "Edit a priority")
        self.priority_id = record.id
        self.before = (
            record.text if text is not None else None,
            record.focus if focus is not None else None,
        )
        self.after = (text, focus)

    def _apply(self, value: tuple[str | None, bool | None]) -> None:
        text, focus = value
        self._shown(core.update_priority(self.panel.db, self.priority_id, text=text, focus=focus))


class _DeletePriority(_PriorityChange):
    def __init__(self, panel: PrioritiesPanel, record: PriorityRecord):
        super().__init__(panel, "Remove a priority")
        self.priority_id = record.id
        self.snapshot: core.PrioritySnapshot | None = None

    def _do(self) -> None:
        self.snapshot = core.delete_priority(self.panel.db, self.priority_id)
        self._shown()

    def _undo(self) -> None:
        if self.snapshot is None:  # undo runs only after a _do that took the snapshot
            raise LookupError("the priority was not removed")
        self._shown(core.restore_priority(self.panel.db, self.snapshot))


class _MovePriority(_PriorityChange):
    def __init__(self, panel: PrioritiesPanel, record: PriorityRecord, delta: int):
        super().__init__(panel, "Move a priority")
        self.priority_id, self.delta = record.id, delta

    def _do(self) -> None:
        self._shown(core.move_priority(self.panel.db, self.priority_id, self.delta))

    def _undo(self) -> None:
        self._shown(core.move_priority(self.panel.db, self.priority_id, -self.delta))


class PrioritiesPanel(ShowsAndReloads, QWidget):
    """The priorities of the open conference."""

    status_message = Signal(str)

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.undo_stack = db, undo_stack
        self.conference_id: int | None = None
        self._select_id: int | None = None
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        self.model = PrioritiesModel(self)
        self.model.edit_requested.connect(self._edit_requested)
        self.table = PrioritiesTable(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Priorities")
        set_up_records_table(
            self.table,
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed,
        )
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FOCUS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ISSUE, QHeaderView.ResizeMode.Stretch)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.table.setMinimumHeight(120)
        self.table.toggle_requested.connect(self.toggle_focus)
        self.table.move_requested.connect(self.move_current)
        self.table.remove_requested.connect(self.remove_current)
        self.table.setToolTip(
            "Space marks the focus; F2 edits; Alt+Up and Alt+Down move; Delete removes."
        )
        layout.addWidget(self.table, 1)

        self.warning = QLabel(self)
        self.warning.setObjectName("gentleWarning")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            "QLabel#gentleWarning { background: #FFF4DB; color: #4A3B12; "
            "border: 1px solid #E8C877; border-radius: 4px; padding: 6px; }"
        )
        self.warning.hide()
        layout.addWidget(self.warning)

        add_row = QHBoxLayout()
        add_row.setSpacing(6)
        self.new_edit = QLineEdit(self)
        self.new_edit.setPlaceholderText("An issue from the assessment; Enter adds it")
        self.new_edit.setMaxLength(core.MAX_PRIORITY_CHARS * 2)
        new_label = buddy_label("New &issue", self.new_edit, self)
        self.new_edit.returnPressed.connect(self.add_typed)
        self.add_button = panel_button("Add", "Add the issue typed on the left (Enter)", self)
        self.add_button.clicked.connect(self.add_typed)
        add_row.addWidget(new_label)
        add_row.addWidget(self.new_edit, 1)
        add_row.addWidget(self.add_button)
        layout.addLayout(add_row)

        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        self.row_buttons = row_buttons("issue", self, self.move_current, self.remove_current)
        self.up_button, self.down_button, self.remove_button = self.row_buttons
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self._update_buttons()

    def tab_chain(self) -> list[QWidget]:
        return [
            self.table,
            self.new_edit,
            self.add_button,
            self.up_button,
            self.down_button,
            self.remove_button,
        ]

    # ---------------------------------------------------------------------------- ids

    # ---------------------------------------------------------------------------- loading

    def set_conference(self, conference_id: int | None) -> None:
        if conference_id != self.conference_id:
            self.new_edit.clear()
        self.conference_id = conference_id
        self.reload()

    def reload(self) -> None:
        current = self.current_record()
        keep = self._select_id if self._select_id is not None else (current.id if current else None)
        self._select_id = None
        rows: list[PriorityRecord] = []
        if self.conference_id is not None:
            try:
                rows = core.list_priorities(self.db, self.conference_id)
            except UserError as exc:
                self.status_message.emit(str(exc))
        self.model.set_rows(rows)
        row = self.model.row_of(keep) if keep is not None else -1
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, ISSUE))
        count = sum(r.focus for r in rows)
        self.warning.setText(WARNING.format(count=count))
        self.warning.setVisible(core.too_many_in_focus(rows))
        self._update_buttons()

    def current_record(self) -> PriorityRecord | None:
        return self.model.record_at(self.table.currentIndex())

    def _update_buttons(self, *_args) -> None:
        record = self.current_record()
        row = self.model.row_of(record.id) if record else -1
        enable_row_buttons(self.row_buttons, row, len(self.model.rows))

    def select_later(self, priority_id: int) -> None:
        self._select_id = priority_id

    def after_change(self, conference_id: int | None) -> None:
        if conference_id == self.conference_id:
            self.reload()

    # ---------------------------------------------------------------------------- changing

    def add_typed(self) -> None:
        if self.conference_id is None:
            return
        text = self.new_edit.text()
        try:
            core.clean_priority_text(text)
        except UserError as exc:
            self.status_message.emit(str(exc))  # what was typed stays in the box
            return
        if self.push_change(_AddPriority(self, self.conference_id, text)):
            self.new_edit.clear()

    def _edit_requested(self, priority_id: int, text, focus) -> None:
        record = next((r for r in self.model.rows if r.id == priority_id), None)
        if record is None:
            return
        if text is not None:
            try:
                core.clean_priority_text(text)
            except UserError as exc:
                self.status_message.emit(f"{exc} The wording was left as it was.")
                return
        if not self.push_change(_EditPriority(self, record, text, focus)):
            return
        if focus and core.too_many_in_focus(self.model.rows):
            self.status_message.emit(self.warning.text())

    def toggle_focus(self) -> None:
        record = self.current_record()
        if record is not None:
            self._edit_requested(record.id, None, not record.focus)

    def move_current(self, delta: int) -> None:
        record = self.current_record()
        if record is None:
            return
        row = self.model.row_of(record.id)
        if not 0 <= row + delta < len(self.model.rows):
            return
        self.push_change(_MovePriority(self, record, delta))

    def remove_current(self) -> None:
        record = self.current_record()
        if record is None:
            return
        if not self.push_change(_DeletePriority(self, record)):
            return
        self.status_message.emit("Removed the priority. Press Ctrl+Z to bring it back.")
        self.table.setFocus()
