"""Referrals made during the meeting: that a young person was referred, to whom, and the
reference. Kept off the projector and out of the minutes; the concern itself is never written."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QUndoStack
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

from csfacilitator.core import referrals
from csfacilitator.core.dates import format_date, parse_user_date
from csfacilitator.core.referrals import ReferralRecord
from csfacilitator.errors import UserError
from csfacilitator.gui.undo import RowPresence, push
from csfacilitator.gui.widgets.date_field import DateField
from csfacilitator.gui.widgets.fold import Fold
from csfacilitator.storage.database import Database

HEADERS = ("Date", "Team referred to", "Reference")
EXPLANATION = (
    "Only that a young person was referred: date, team, reference. Never the concern or a name."
)
EXPLANATION_MORE = (
    "Concerns about an individual child are referred to children's social care separately. "
    "Record here only that the referral was made: the date, the team it went to and their "
    "reference. This list is never projected and never goes into the minutes."
)


class ReferralTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[ReferralRecord] = []

    def set_rows(self, rows: list[ReferralRecord]) -> None:
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
        return (format_date(record.made_on), record.team, record.reference)[index.column()]


def RecordReferral(panel, meeting_id: int, **fields: object) -> RowPresence:  # noqa: ANN001, N802
    """Recording a referral; undo removes it, redo puts the same row back."""
    return RowPresence(
        panel,
        "Record referral",
        add=lambda: referrals.add_referral(panel.db, meeting_id, **fields),
        restore=lambda record: referrals.restore_referral(panel.db, record),
        delete=lambda row_id: referrals.delete_referral(panel.db, row_id),
        after=panel.reload,
    )


def RemoveReferral(panel, record) -> RowPresence:  # noqa: ANN001, N802
    return RowPresence(
        panel,
        "Remove referral record",
        restore=lambda kept: referrals.restore_referral(panel.db, kept),
        delete=lambda row_id: referrals.delete_referral(panel.db, row_id),
        after=panel.reload,
        record=record,
    )


class ReferralsPanel(Fold):
    status_message = Signal(str)

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(
            "Referrals made (not projected, not in the minutes)", "board/referrals_open", parent
        )
        body = self.body
        self.setObjectName("referralsPanel")
        self.setAccessibleName("Referrals made")
        self.db = db
        self.undo_stack = undo_stack
        self.meeting_id: int | None = None

        note = QLabel(EXPLANATION, body)
        note.setWordWrap(True)
        note.setObjectName("panelNote")
        note.setToolTip(EXPLANATION_MORE)
        self.date = DateField(body)
        self.date.setAccessibleName("Date")
        self.team = QLineEdit(body)
        self.team.setAccessibleName("Team referred to")
        self.team.setPlaceholderText("e.g. Children's social care front door")
        self.team.setMaxLength(referrals.MAX_TEAM)
        self.reference = QLineEdit(body)
        self.reference.setAccessibleName("Reference")
        self.reference.setPlaceholderText("Case or contact number")
        self.reference.setMaxLength(referrals.MAX_REFERENCE)
        self.add_button = QPushButton("Record referral", body)
        self.add_button.setAccessibleName("Record referral")
        self.add_button.clicked.connect(self.add)
        for field in (self.team, self.reference):
            field.returnPressed.connect(self.add)
        self.table_model = ReferralTableModel(self)
        self.table = QTableView(body)
        self.table.setModel(self.table_model)
        self.table.setAccessibleName("Referrals made")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.remove_button = QPushButton("Remove", body)
        self.remove_button.setAccessibleName("Remove")
        self.remove_button.setToolTip("Remove the selected referral record (Ctrl+Z brings it back)")
        self.remove_button.clicked.connect(self.remove_selected)

        form = QGridLayout()
        form.setHorizontalSpacing(6)
        form.setVerticalSpacing(2)
        for column, (text, field) in enumerate(
            (("&Date", self.date), ("&Team referred to", self.team), ("&Reference", self.reference))
        ):
            label = QLabel(text, body)
            label.setBuddy(field.edit if isinstance(field, DateField) else field)
            form.addWidget(label, 0, column)
            form.addWidget(field, 1, column)
        form.setColumnStretch(1, 3)
        form.setColumnStretch(2, 2)
        form.addWidget(self.add_button, 1, 3)
        self.table.setMinimumHeight(48)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        listing = QHBoxLayout()
        listing.addWidget(self.table, 1)
        listing.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 0, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addLayout(listing, 1)
        for signal in (
            self.table_model.modelReset,
            self.table_model.rowsInserted,
            self.table_model.rowsRemoved,
        ):
            signal.connect(self._show_summary)
        self.set_meeting(None)

    def _show_summary(self, *_args) -> None:
        count = self.table_model.rowCount()
        self.set_summary(f"{count} recorded for this meeting" if count else "none for this meeting")

    # -- UndoTarget ------------------------------------------------------------------------

    def report(self, message: str) -> None:
        self.status_message.emit(message)

    def resync(self) -> None:
        self.reload()

    def set_meeting(self, meeting_id: int | None) -> None:
        self.meeting_id = meeting_id
        self.date.set_value(dt.date.today())
        self.setEnabled(meeting_id is not None)
        self.reload()

    def reload(self) -> None:
        rows = referrals.list_referrals(self.db, self.meeting_id) if self.meeting_id else []
        self.table_model.set_rows(rows)
        self.remove_button.setEnabled(bool(rows))

    def records(self) -> list[ReferralRecord]:
        return list(self.table_model.rows)

    def add(self) -> None:
        if self.meeting_id is None:
            return
        try:
            made_on = parse_user_date(self.date.edit.text()) or dt.date.today()
            change = RecordReferral(
                self,
                self.meeting_id,
                team=self.team.text(),
                reference=self.reference.text(),
                made_on=made_on,
            )
            push(self.undo_stack, change)
        except UserError as exc:
            self.status_message.emit(str(exc))
            return
        record = change.record
        self.team.clear()
        self.reference.clear()
        self.reload()
        self.status_message.emit(f"Recorded a referral to {record.team}.")
        self.team.setFocus()

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.status_message.emit("Select the referral record to remove.")
            return
        record = self.table_model.rows[rows[0].row()]
        try:
            push(self.undo_stack, RemoveReferral(self, record))
        except UserError as exc:
            self.status_message.emit(str(exc))
            self.reload()
