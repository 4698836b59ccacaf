"""The table of young people's voices (voice_panel.py): its model over the stored voices, the
list to choose how a voice was gathered, and the table's keys (F2 or Enter edits a cell).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QStyledItemDelegate,
)

from csfacilitator.core import voice as core
from csfacilitator.core.dates import format_date
from csfacilitator.core.voice import VoiceRecord
from csfacilitator.gui.assessment.record_rows import RecordRowsModel
from csfacilitator.gui.widgets.model_index import Index as _Index
from csfacilitator.gui.widgets.ordered_table import OrderedRowsTable

SAID, HOW, WHEN, BY, DID = range(5)
LINK = -1  # the link is shown (and chosen) in "Linked to" below the table, and in tooltips
HEADERS = ("What was said", "How", "When", "By", "What we did")
FIELD_OF = {SAID: "text", HOW: "method", WHEN: "gathered_on", BY: "gathered_by", DID: "we_did"}


class VoiceModel(RecordRowsModel[VoiceRecord]):
    """Rows are VoiceRecords; an edit is handed to the panel (`edit_requested`), which stores it."""

    headers = HEADERS
    #: (voice id, field, new value)
    edit_requested = Signal(int, str, object)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base if index.column() == LINK else base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        record, column = self.record_at(index), index.column()
        if record is None:
            return None
        if role == Qt.ItemDataRole.EditRole:
            if column == HOW:
                return record.method
            if column == WHEN:
                return format_date(record.gathered_on) if record.gathered_on else ""
            return getattr(record, FIELD_OF[column], "") if column in FIELD_OF else None
        if role == Qt.ItemDataRole.ToolTipRole and column == DID:
            return f"{self._shown(record, DID)}\n{record.link_text or 'Not linked to the plan'}"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._shown(record, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == DID and not record.we_did:
            return QPalette().brush(QPalette.ColorRole.PlaceholderText)
        return None

    @staticmethod
    def _shown(record: VoiceRecord, column: int) -> str:
        if column == SAID:
            return f"“{record.text}”"
        if column == HOW:
            return record.method_label
        if column == WHEN:
            return format_date(record.gathered_on) if record.gathered_on else "Not recorded"
        if column == BY:
            return record.gathered_by or "Not recorded"
        if column == LINK:
            return record.link_text or "Not linked"
        # What the papers will say: the written reply, else the plan's state (said to be so).
        return record.we_did or f"From the plan: {record.reply}"

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not 0 <= index.row() < len(self.rows) or index.column() not in FIELD_OF:
            return False
        record, field = self.rows[index.row()], FIELD_OF[index.column()]
        if str(value) != str(self.data(index, Qt.ItemDataRole.EditRole)):
            self.edit_requested.emit(record.id, field, str(value))
        return True


class MethodDelegate(QStyledItemDelegate):
    """How a voice was gathered, chosen from the list (arrow keys, then Enter)."""

    def createEditor(self, parent, option, index):  # noqa: ANN001, ANN201, N802 - Qt API
        if index.column() != HOW:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setAccessibleName("How")
        for key, label in core.METHODS:
            combo.addItem(label, key)
        return combo

    def setEditorData(self, editor, index) -> None:  # noqa: ANN001, N802 - Qt API
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index) -> None:  # noqa: ANN001, N802 - Qt API
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class VoiceTable(OrderedRowsTable):
    """The voices: F2 or Enter edits the current cell (the words, from a column not edited)."""

    def column_to_edit(self, current: QModelIndex) -> int:
        return current.column() if current.column() in FIELD_OF else SAID
