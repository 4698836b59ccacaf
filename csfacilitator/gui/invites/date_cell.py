"""The date cell editor of the invite list: type a date (20/02/2025, 20 Feb 25, today) or pick
one from a calendar popping up under the cell.

Not widgets/date_field.DateField: that is a form field (a line edit and a calendar button side
by side, committing on focus-out); a cell editor must be one line edit the delegate can size
to the cell, that keeps itself open while the text is not a date. Both read dates with
core.dates and show the same calendar picture."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QValidator
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QWidget

from csfacilitator.core.dates import as_date
from csfacilitator.errors import UserError
from csfacilitator.resources import resource_path


class DateValidator(QValidator):
    """Acceptable: empty (no date) or anything as_date understands; else Intermediate, so
    Enter keeps the editor open instead of losing what was typed."""

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        try:
            as_date(text)
        except UserError:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos

    def fixup(self, text: str) -> str:
        try:
            return to_editor_text(as_date(text))
        except UserError:
            return text


def to_editor_text(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class DateLineEdit(QLineEdit):
    """Type a date (20/02/2025, 20 Feb 25, today) or pick one from the calendar (the icon, F4
    or Alt+Down). Empty means no date."""

    picked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setValidator(DateValidator(self))
        self.setPlaceholderText("dd/mm/yyyy")
        self.setToolTip(
            "Type a date such as 20/02/2025, or leave it empty for no date (F4: calendar)"
        )
        self.calendar_action = self.addAction(
            QIcon(str(resource_path("icons", "calendar.svg"))),
            QLineEdit.ActionPosition.TrailingPosition,
        )
        self.calendar_action.setText("Choose from a calendar")
        self.calendar_action.triggered.connect(self.show_calendar)
        self.calendar: QCalendarWidget | None = None

    def value(self) -> str:
        return self.text()

    def set_value(self, iso: str) -> None:
        self.setText(to_editor_text(dt.date.fromisoformat(iso)) if iso else "")
        self.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_F4 or (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self.show_calendar()
            return
        super().keyPressEvent(event)

    def show_calendar(self) -> None:
        """A calendar popping up below the field; Enter or a click picks the date."""
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.setAccessibleName("Calendar")
            self.calendar.setGridVisible(True)
            self.calendar.activated.connect(self._pick)
            self.calendar.clicked.connect(self._pick)
        try:
            current = as_date(self.text()) or dt.date.today()
        except UserError:
            current = dt.date.today()
        self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self.calendar.adjustSize()
        self.calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self.calendar.show()
        self.calendar.setFocus()

    def _pick(self, date: QDate) -> None:
        self.setText(to_editor_text(dt.date(date.year(), date.month(), date.day())))
        if self.calendar is not None:
            self.calendar.hide()
        self.setFocus()
        self.picked.emit()
