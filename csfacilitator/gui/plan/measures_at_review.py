"""The measures asked at a review (issue 19): each measure's value and note at the review shown,
in the review panel; every change goes onto the plan tab's undo stack.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from csfacilitator.core import outcomes
from csfacilitator.core.outcomes import MeasureRecord
from csfacilitator.errors import UserError
from csfacilitator.gui.plan.outcomes_commands import RecordValueChange
from csfacilitator.gui.undo import push
from csfacilitator.storage.database import Database


class MeasuresAtReview(QWidget):
    """Each measure's value and note at the review shown (in the review panel)."""

    status_message = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.undo_stack: QUndoStack | None = None  # the plan tab's
        self.conference_id: int | None = None
        self.meeting_id: int | None = None
        self.fields: dict[int, tuple[QLineEdit, QLineEdit]] = {}
        self._measures: dict[int, MeasureRecord] = {}
        self._committing = False
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 4, 0, 0)

    def report(self, message: str) -> None:
        self.status_message.emit(message)

    def resync(self) -> None:
        if not self._committing:  # the boxes already show what was typed; undo rebuilds them
            self.show_meeting(self.conference_id, self.meeting_id)

    def show_meeting(self, conference_id: int | None, meeting_id: int | None) -> None:
        self.conference_id, self.meeting_id = conference_id, meeting_id
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields, self._measures = {}, {}
        if conference_id is None or meeting_id is None:
            return
        goals = outcomes.list_goals(self.db, conference_id)
        measures = [m for goal in goals for m in goal.measures]
        heading = QLabel("Outcome measures at this review" if measures else
                         "No outcome measures set (add them under Goals and measures in the plan).",
                         self)  # fmt: skip
        font = heading.font()
        font.setBold(bool(measures))
        heading.setFont(font)
        heading.setWordWrap(True)
        self.form.addRow(heading)
        taken = outcomes.values_at(self.db, meeting_id)
        for m in measures:
            record = taken.get(m.id)
            value = QLineEdit(outcomes.value_entry(m, record), self)
            note = QLineEdit(record.note if record else "", self)
            base = outcomes.baseline_entry(m)
            value.setPlaceholderText(f"baseline {base}" if base else m.kind_label)
            note.setPlaceholderText("Note (optional)")
            label = QLabel(m.title + ":", self)
            label.setBuddy(value)
            label.setWordWrap(True)
            value.setAccessibleName(m.title)
            note.setAccessibleName(f"Note: {m.title}")
            row = QHBoxLayout()
            row.addWidget(value, 1)
            row.addWidget(note, 2)
            self.form.addRow(label, row)
            self.fields[m.id] = (value, note)
            self._measures[m.id] = m
            value.editingFinished.connect(lambda mid=m.id: self._commit(mid))
            note.editingFinished.connect(lambda mid=m.id: self._commit(mid))

    def _commit(self, measure_id: int) -> None:
        if self.meeting_id is None or measure_id not in self.fields:
            return
        value, note = self.fields[measure_id]
        new = (value.text().strip(), note.text().strip())
        measure = self._measures[measure_id]
        record = outcomes.values_at(self.db, self.meeting_id).get(measure_id)
        old = (outcomes.value_entry(measure, record), record.note if record else "")
        if new == old:
            return
        change = RecordValueChange(self, measure_id, self.meeting_id, old, new,
                                   f"Record {measure.title}")  # fmt: skip
        self._committing = True
        try:
            if self.undo_stack is None:
                change.perform()
            else:
                push(self.undo_stack, change)
        except UserError as exc:
            self.status_message.emit(str(exc))  # what was typed stays in the box
            return
        finally:
            self._committing = False
        self.status_message.emit(f"Recorded {measure.title} at this review.")
