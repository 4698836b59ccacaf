"""Asks only for the review's date (today unless changed) before a review meeting starts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QWidget,
)

from csfacilitator.core.dates import parse_user_date
from csfacilitator.errors import UserError
from csfacilitator.gui.widgets.date_field import DateField
from csfacilitator.gui.widgets.dialog_parts import accept_cancel, stack


class StartReviewDialog(QDialog):
    def __init__(self, open_actions: int, parent: QWidget | None = None, today=None):
        super().__init__(parent)
        self.setWindowTitle("Start review meeting")
        self.setAccessibleName("Start review meeting")
        self.chosen: dt.date | None = None
        today = today or dt.date.today()
        plural = "s" if open_actions != 1 else ""
        intro = QLabel(
            f"The review records progress on every open action: the {open_actions} open "
            f"action{plural} of the plan will be carried forward to it, each with its status "
            "now and room for a note. The review gets its own board and attendance.",
            self,
        )
        intro.setWordWrap(True)
        self.date = DateField(self)
        self.date.setAccessibleName("Date of the review")
        self.date.set_value(today)
        self.date.setMaximumWidth(220)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("&Date of the review:", self.date)
        label = form.labelForField(self.date)
        if isinstance(label, QLabel):  # always: the row was added with a text
            label.setBuddy(self.date.edit)
        buttons, self.start_button, _cancel = accept_cancel(self, "Start review")
        self.start_button.setProperty("primary", True)
        self.start_button.style().polish(self.start_button)  # the property came after polish
        stack(self, intro, form, self.error, buttons)
        self.setMinimumWidth(460)
        self.date.edit.selectAll()
        self.date.setFocus()

    def accept(self) -> None:
        try:
            chosen = parse_user_date(self.date.edit.text())
        except UserError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.date.setFocus()
            return
        if chosen is None:
            self.error.setText("Give the date of the review, such as today.")
            self.error.show()
            self.date.setFocus()
            return
        self.chosen = chosen
        super().accept()
