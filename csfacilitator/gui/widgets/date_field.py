"""Date and time fields that may be empty, accept what people type, and say when it is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from csfacilitator.core.dates import format_date, format_time, parse_user_date, parse_user_time
from csfacilitator.errors import UserError
from csfacilitator.resources import resource_path

_INVALID_STYLE = "QLineEdit { border: 2px solid #b00020; }"


class _ParsedField(QWidget):
    """A line edit that parses on Enter or focus-out and emits `committed(value)` once valid."""

    committed = Signal(object)
    invalid = Signal(str)

    def __init__(
        self,
        parse: Callable[[str], object],
        show: Callable[[Any], str],  # given what parse returns (or None)
        placeholder: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._parse, self._show = parse, show
        self._value: object = None
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(placeholder)
        self.edit.editingFinished.connect(self._finish)
        self.edit.textEdited.connect(lambda _t: self._unmark())
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(2)
        self._row.addWidget(self.edit, 1)
        self.setFocusProxy(self.edit)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - Qt API
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    def value(self) -> object:
        return self._value

    def set_value(self, value: object) -> None:
        """Show a stored value (no signal)."""
        self._value = value
        self.edit.setText(self._show(value))
        self._unmark()

    def _unmark(self) -> None:
        """Take the invalid mark off, if it is there: setting even an empty style sheet makes
        Qt style the field again (on every keystroke, and for each date a tab shows)."""
        if self.edit.styleSheet():
            self.edit.setStyleSheet("")

    def _finish(self) -> None:
        try:
            value = self._parse(self.edit.text())
        except UserError as exc:
            self.edit.setStyleSheet(_INVALID_STYLE)
            self.edit.setToolTip(str(exc))
            self.invalid.emit(str(exc))
            return
        self.edit.setToolTip("")
        self.edit.setText(self._show(value))
        if value != self._value:
            self._value = value
            self.committed.emit(value)


class DateField(_ParsedField):
    """An optional date: type '5 Nov 2026' or '05/11/2026', or pick it from the calendar.

    The calendar is built the first time its menu opens (button, or Alt+Down in the field):
    a form of seven date fields would otherwise build seven calendars no one may open."""

    #: A date was picked from the calendar (after it was shown and committed like typed text).
    picked = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parse_user_date, format_date, "e.g. 5 Nov 2026", parent)
        self.button = QToolButton(self)
        # A calendar picture, not "…▾": what the button does is seen at a glance.
        self.button.setIcon(QIcon(str(resource_path("icons", "calendar.svg"))))
        self.button.setText("Pick a date")
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.button.setObjectName("datePicker")  # no menu arrow: the app's style sheet
        self.button.setMinimumSize(26, 26)  # a target at least 24×24 (WCAG 2.2)
        self.button.setAccessibleName("Pick a date")
        self.button.setToolTip("Pick a date from a calendar (or type it; Alt+Down opens this)")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        menu = QMenu(self.button)
        menu.aboutToShow.connect(self._sync_calendar)
        self.button.setMenu(menu)
        self._calendar: QCalendarWidget | None = None
        self._row.addWidget(self.button)
        self.edit.installEventFilter(self)

    @property
    def calendar(self) -> QCalendarWidget:
        """The calendar in the button's menu, built on first use."""
        if self._calendar is None:
            menu = self.button.menu()
            calendar = QCalendarWidget(menu)
            calendar.setGridVisible(True)
            action = QWidgetAction(menu)
            action.setDefaultWidget(calendar)
            menu.addAction(action)
            calendar.activated.connect(self._picked)
            calendar.clicked.connect(self._picked)
            self._calendar = calendar
        return self._calendar

    def eventFilter(self, watched, event):  # noqa: N802 - Qt API
        if (
            watched is self.edit
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self.button.showMenu()
            return True
        return False

    def _sync_calendar(self) -> None:
        """Before the menu shows: build the calendar if need be, and select the field's date."""
        value = self._value if isinstance(self._value, dt.date) else dt.date.today()
        self.calendar.setSelectedDate(QDate(value.year, value.month, value.day))

    def _picked(self, qdate: QDate) -> None:
        self.button.menu().hide()
        self.edit.setText(format_date(dt.date(qdate.year(), qdate.month(), qdate.day())))
        self._finish()
        self.edit.setFocus()
        self.picked.emit(self._value)


class TimeField(_ParsedField):
    """An optional time of day: type '14:30' or '2:30pm'."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parse_user_time, format_time, "e.g. 14:30", parent)
