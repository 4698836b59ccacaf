"""Disagreement recorded at the meeting: who (from the invite list), with which decision or
agenda item, and what they said. It goes into the minutes under the decisions
(core/dissent.py); never projected. Keyboard-first: Alt+W who, Alt+G agenda item, Alt+C
decision, Alt+S what they said, Enter records; Delete on the list removes (Ctrl+Z undoes).
"""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QWidget

from csfacilitator.core import dissent
from csfacilitator.core.invitees import list_invitees
from csfacilitator.core.meetings import get_meeting
from csfacilitator.errors import UserError
from csfacilitator.gui.board.meeting_records_panel import BodyPart, MeetingRecordsPanel, RowKind
from csfacilitator.storage.database import Database

TITLE = "Disagreement (goes in the minutes)"
NO_ITEM = "(no agenda item)"
EXPLANATION = (
    "A partner who disagrees with a decision: who, which decision or agenda item, and what "
    "they said in their words. It is printed in the minutes under the actions agreed."
)


KIND = RowKind(
    headers=("Who", "Disagreed with", "What they said"),
    cells=lambda r: (r.who, r.about, r.statement),
    list_rows=dissent.list_dissent,
    add=dissent.add_dissent,
    restore=dissent.restore_dissent,
    delete=dissent.delete_dissent,
    record_text="Record disagreement",
    remove_text="Remove the selected disagreement",
    select_to_remove="Select the disagreement to remove.",
    table_name="Disagreement recorded",
)


class DissentPanel(MeetingRecordsPanel):
    who = BodyPart[QComboBox]()
    item = BodyPart[QComboBox]()
    decision = BodyPart[QLineEdit]()
    statement = BodyPart[QLineEdit]()
    add_button = BodyPart[QPushButton]()

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(KIND, TITLE, "board/dissent_open", db, undo_stack, parent)
        self.setObjectName("dissentPanel")
        self.expanded_changed.connect(lambda open_: self._load_choices() if open_ else None)
        self.set_meeting(None)

    def build_form(self) -> None:
        body = self.body
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
        self.decision = self.line_field(
            "Decision", "e.g. Close the underpass at night", dissent.MAX_DECISION
        )
        self.statement = self.line_field("What they said", "In their words", dissent.MAX_STATEMENT)
        self.add_button = self.record_button("Record disagreement")

        # Two rows, so the text fields keep their width in a narrow drawer.
        form = self.labelled_grid(
            (
                ("&Who", self.who, 0, 0),
                ("A&genda item", self.item, 0, 1),
                ("De&cision", self.decision, 2, 0),
                ("What they &said", self.statement, 2, 1),
            )
        )
        form.setColumnStretch(0, 2)
        form.setColumnStretch(1, 3)
        form.addWidget(self.add_button, 3, 2)
        self.finish_layout(form)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        """Coming back to the board: the invite list may have changed in its tab."""
        super().showEvent(event)
        if self.meeting_id is not None and self.is_expanded():
            self._load_choices()

    # -- meeting ---------------------------------------------------------------------------

    def set_meeting(self, meeting_id: int | None) -> None:
        self.meeting_id = meeting_id
        self._load_choices()
        super().set_meeting(meeting_id)

    def _load_choices(self) -> None:
        """The invite list and the meeting's agenda as they are now (they change elsewhere).
        Read only while the panel is open: folded, its choices are not seen and cannot be used
        (they are read as it opens), so a board opened with it folded does not read them; nor
        are they built."""
        if not self.body_built:
            return
        chosen_who, chosen_item = self.who.currentData(), self.item.currentData()
        self.who.clear()
        self.item.clear()
        self.item.addItem(NO_ITEM, None)
        if self.meeting_id is None or not self.is_expanded():
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

    def add(self) -> None:
        record = self.record(
            invitee_id=self.who.currentData(),
            agenda_item_id=self.item.currentData(),
            decision=self.decision.text(),
            statement=self.statement.text(),
        )
        if record is None:
            return
        self.decision.clear()
        self.statement.clear()
        self.status_message.emit(f"Recorded {record.who}'s disagreement for the minutes.")
        self.who.setFocus()
