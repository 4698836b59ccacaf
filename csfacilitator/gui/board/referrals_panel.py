"""Referrals made during the meeting: that a young person was referred, to whom, and the
reference. Kept off the projector and out of the minutes; the concern itself is never written."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from csfacilitator.core import referrals
from csfacilitator.core.dates import format_date, parse_user_date
from csfacilitator.errors import UserError
from csfacilitator.gui.board.meeting_records_panel import BodyPart, MeetingRecordsPanel, RowKind
from csfacilitator.gui.widgets.date_field import DateField
from csfacilitator.storage.database import Database

EXPLANATION = (
    "Only that a young person was referred: date, team, reference. Never the concern or a name."
)
EXPLANATION_MORE = (
    "Concerns about an individual child are referred to children's social care separately. "
    "Record here only that the referral was made: the date, the team it went to and their "
    "reference. This list is never projected and never goes into the minutes."
)

KIND = RowKind(
    headers=("Date", "Team referred to", "Reference"),
    cells=lambda r: (format_date(r.made_on), r.team, r.reference),
    list_rows=referrals.list_referrals,
    add=referrals.add_referral,
    restore=referrals.restore_referral,
    delete=referrals.delete_referral,
    record_text="Record referral",
    remove_text="Remove the selected referral record",
    select_to_remove="Select the referral record to remove.",
    table_name="Referrals made",
)


class ReferralsPanel(MeetingRecordsPanel):
    date = BodyPart[DateField]()
    team = BodyPart[QLineEdit]()
    reference = BodyPart[QLineEdit]()
    add_button = BodyPart[QPushButton]()

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(
            KIND,
            "Referrals made (private)",  # the note inside: never projected nor minuted
            "board/referrals_open",
            db,
            undo_stack,
            parent,
        )
        self.setObjectName("referralsPanel")
        self.setAccessibleName("Referrals made")
        self.set_meeting(None)

    def build_form(self) -> None:
        body = self.body
        note = QLabel(EXPLANATION, body)
        note.setWordWrap(True)
        note.setObjectName("panelNote")
        note.setToolTip(EXPLANATION_MORE)
        self.date = DateField(body)
        self.date.setAccessibleName("Date")
        self.team = self.line_field(
            "Team referred to", "e.g. Children's social care front door", referrals.MAX_TEAM
        )
        self.reference = self.line_field(
            "Reference", "Case or contact number", referrals.MAX_REFERENCE
        )
        self.add_button = self.record_button("Record referral")

        form = self.labelled_grid(
            (
                ("&Date", self.date, 0, 0),
                ("&Team referred to", self.team, 0, 1),
                ("&Reference", self.reference, 0, 2),
            )
        )
        form.setColumnStretch(1, 3)
        form.setColumnStretch(2, 2)
        form.addWidget(self.add_button, 1, 3)
        self.finish_layout(form, above=note)
        self.date.set_value(dt.date.today())  # as a meeting shown sets it

    def summary(self, count: int) -> str:
        return f"{count} recorded for this meeting" if count else "none for this meeting"

    def set_meeting(self, meeting_id: int | None) -> None:
        if self.body_built:  # else today's date is set as it is built
            self.date.set_value(dt.date.today())
        super().set_meeting(meeting_id)

    def add(self) -> None:
        try:
            made_on = parse_user_date(self.date.edit.text()) or dt.date.today()
        except UserError as exc:
            self.status_message.emit(str(exc))
            return
        record = self.record(
            team=self.team.text(), reference=self.reference.text(), made_on=made_on
        )
        if record is None:
            return
        self.team.clear()
        self.reference.clear()
        self.status_message.emit(f"Recorded a referral to {record.team}.")
        self.team.setFocus()
