"""Disagreement recorded at the meeting: who (from the invite list), with which decision or
agenda item, and what they said. It goes into the minutes under the decisions
(core/dissent.py); never projected. Keyboard-first: Alt+W who, Alt+G agenda item, Alt+C
decision, Alt+S what they said, Enter records; Delete on the list removes (Ctrl+Z undoes).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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

from csfacilitator.core import dissent
from csfacilitator.core.dissent import DissentRecord
from csfacilitator.core.invitees import list_invitees
from csfacilitator.core.meetings import get_meeting
from csfacilitator.errors import UserError
from csfacilitator.gui.undo import RowPresence, push
from csfacilitator.gui.widgets.fold import Fold
from csfacilitator.storage.database import Database

TITLE = "Disagreement (goes in the minutes)"
HEADERS = ("Who", "Disagreed with", "What they said")
NO_ITEM = "(no agenda item)"
EXPLANATION = (
    "A partner who disagrees with a decision: who, which decision or agenda item, and what "
    "they said in their words. It is printed in the minutes under the actions agreed."
)


class DissentTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[DissentRecord] = []

    def set_rows(self, rows: list[DissentRecord]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        record = self.rows[index.row()]
        return (record.who, record.about, record.statement)[index.column()]


def RecordDissent(panel, meeting_id: int, **fields: object) -> RowPresence:  # noqa: ANN001, N802
    """Recording a dissent; undo removes it, redo puts the same row back."""
    return RowPresence(
        panel,
        "Record disagreement",
        add=lambda: dissent.add_dissent(panel.db, meeting_id, **fields),
        restore=lambda record: dissent.restore_dissent(panel.db, record),
        delete=lambda row_id: dissent.delete_dissent(panel.db, row_id),
        after=panel.reload,
    )


def RemoveDissent(panel, record) -> RowPresence:  # noqa: ANN001, N802
    return RowPresence(
        panel,
        "Remove disagreement",
        restore=lambda kept: dissent.restore_dissent(panel.db, kept),
        delete=lambda row_id: dissent.delete_dissent(panel.db, row_id),
        after=panel.reload,
        record=record,
    )


class DissentPanel(Fold):
    status_message = Signal(str)

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(TITLE, "board/dissent_open", parent)
        body = self.body
        self.setObjectName("dissentPanel")
        self.db = db
        self.undo_stack = undo_stack
        self.meeting_id: int | None = None

        body.setToolTip(EXPLANATION)  # the header says where it goes; the drawer is short
        self.who = QComboBox(body)
        self.who.setAccessibleName("Who")
        self.item = QComboBox(body)
        self.item.setAccessibleName("Agenda item")
        for combo in (self.who, self.item):  # long names and titles must not squash the text
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        self.decision = QLineEdit(body)
        self.decision.setAccessibleName("Decision")
        self.decision.setPlaceholderText("e.g. Close the underpass at night")
        self.decision.setMaxLength(dissent.MAX_DECISION)
        self.statement = QLineEdit(body)
        self.statement.setAccessibleName("What they said")
        self.statement.setPlaceholderText("In their words")
        self.statement.setMaxLength(dissent.MAX_STATEMENT)
        self.add_button = QPushButton("Record disagreement", body)
        self.add_button.setAccessibleName("Record disagreement")
        self.add_button.clicked.connect(self.add)
        for field in (self.decision, self.statement):
            field.returnPressed.connect(self.add)

        self.table_model = DissentTableModel(self)
        self.table = QTableView(body)
        self.table.setModel(self.table_model)
        self.table.setAccessibleName("Disagreement recorded")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(48)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)
        self.remove_button = QPushButton("Remove", body)
        self.remove_button.setAccessibleName("Remove")
        self.remove_button.setToolTip("Remove the selected disagreement (Ctrl+Z brings it back)")
        self.remove_button.clicked.connect(self.remove_selected)

        # Two rows, so the text fields keep their width in a narrow drawer.
        form = QGridLayout()
        form.setHorizontalSpacing(6)
        form.setVerticalSpacing(2)
        fields = (
            ("&Who", self.who, 0, 0),
            ("A&genda item", self.item, 0, 1),
            ("De&cision", self.decision, 2, 0),
            ("What they &said", self.statement, 2, 1),
        )
        for text, field, row, column in fields:
            label = QLabel(text, body)
            label.setBuddy(field)
            form.addWidget(label, row, column)
            form.addWidget(field, row + 1, column)
        form.setColumnStretch(0, 2)
        form.setColumnStretch(1, 3)
        form.addWidget(self.add_button, 3, 2)
        listing = QHBoxLayout()
        listing.addWidget(self.table, 1)
        listing.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 0, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(form)
        layout.addLayout(listing, 1)
        self.table_model.modelReset.connect(self._show_summary)
        self.expanded_changed.connect(lambda open_: open_ and self._load_choices())
        self.set_meeting(None)

    def _show_summary(self) -> None:
        count = self.table_model.rowCount()
        self.set_summary(f"{count} recorded" if count else "none recorded")

    # -- UndoTarget ------------------------------------------------------------------------

    def report(self, message: str) -> None:
        self.status_message.emit(message)

    def resync(self) -> None:
        self.reload()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        """Coming back to the board: the invite list may have changed in its tab."""
        super().showEvent(event)
        if self.meeting_id is not None:
            self._load_choices()

    # -- meeting ---------------------------------------------------------------------------

    def set_meeting(self, meeting_id: int | None) -> None:
        self.meeting_id = meeting_id
        self.setEnabled(meeting_id is not None)
        self._load_choices()
        self.reload()

    def _load_choices(self) -> None:
        """The invite list and the meeting's agenda as they are now (they change elsewhere)."""
        chosen_who, chosen_item = self.who.currentData(), self.item.currentData()
        self.who.clear()
        self.item.clear()
        self.item.addItem(NO_ITEM, None)
        if self.meeting_id is None:
            return
        try:
            meeting = get_meeting(self.db, self.meeting_id)
        except UserError:
            return
        for person in list_invitees(self.db, meeting.conference_id):
            text = f"{person.name} ({person.organisation})" if person.organisation else person.name
            self.who.addItem(text, person.id)
        for number, entry in enumerate(meeting.agenda, 1):
            self.item.addItem(f"{number}. {entry.title}", entry.id)
        for combo, data in ((self.who, chosen_who), (self.item, chosen_item)):
            index = combo.findData(data)
            if index >= 0:
                combo.setCurrentIndex(index)

    def reload(self) -> None:
        rows = dissent.list_dissent(self.db, self.meeting_id) if self.meeting_id else []
        self.table_model.set_rows(rows)
        self.remove_button.setEnabled(bool(rows))

    def records(self) -> list[DissentRecord]:
        return list(self.table_model.rows)

    def add(self) -> None:
        if self.meeting_id is None:
            return
        try:
            change = RecordDissent(
                self,
                self.meeting_id,
                invitee_id=self.who.currentData(),
                agenda_item_id=self.item.currentData(),
                decision=self.decision.text(),
                statement=self.statement.text(),
            )
            push(self.undo_stack, change)
        except UserError as exc:
            self.status_message.emit(str(exc))
            return
        self.decision.clear()
        self.statement.clear()
        self.status_message.emit(f"Recorded {change.record.who}'s disagreement for the minutes.")
        self.who.setFocus()

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.status_message.emit("Select the disagreement to remove.")
            return
        record = self.table_model.rows[rows[0].row()]
        try:
            push(self.undo_stack, RemoveDissent(self, record))
        except UserError as exc:
            self.status_message.emit(str(exc))
            self.reload()
