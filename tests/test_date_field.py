"""The date field: typed or picked from a calendar whose button says what it is."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QTableView

from csfacilitator.gui.widgets.date_field import DateField


def test_the_calendar_button_is_a_picture_with_a_name_not_dots(qtbot):
    field = DateField()
    qtbot.addWidget(field)
    field.show()
    button = field.button
    assert not button.icon().isNull()
    assert (
        "…" not in button.text()
        and button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    )
    assert button.accessibleName() == "Pick a date"
    assert button.width() >= 24 and button.height() >= 24


def test_a_typed_date_commits_and_the_calendar_picks_one(qtbot):
    field = DateField()
    qtbot.addWidget(field)
    field.show()
    seen = []
    field.committed.connect(seen.append)
    qtbot.keyClicks(field.edit, "5 Nov 2026")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert seen == [dt.date(2026, 11, 5)]
    field._sync_calendar()
    assert field.calendar.selectedDate().toPython() == dt.date(2026, 11, 5)
    field.calendar.activated.emit(field.calendar.selectedDate().addDays(1))
    assert seen[-1] == dt.date(2026, 11, 6) and field.edit.text() == "6 Nov 2026"


def test_the_calendar_is_built_when_first_opened_by_alt_down_and_picks_a_date(qtbot):
    field = DateField()
    qtbot.addWidget(field)
    field.show()
    field.set_value(dt.date(2026, 11, 5))
    assert field._calendar is None  # nothing built for a field no one opens
    seen = []
    field.committed.connect(seen.append)
    field.picked.connect(seen.append)

    def pick() -> None:  # runs inside the menu's own event loop
        menu = field.button.menu()
        opened.append((menu.isVisible(), field.calendar.isVisible()))
        assert field.calendar.selectedDate().toPython() == dt.date(2026, 11, 5)
        days = field.calendar.findChild(QTableView)  # the calendar's grid of days
        qtbot.keyClick(days, Qt.Key.Key_Right)
        qtbot.keyClick(days, Qt.Key.Key_Return)

    opened: list[tuple[bool, bool]] = []
    QTimer.singleShot(0, pick)
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert opened == [(True, True)]
    assert not field.button.menu().isVisible()
    assert seen == [dt.date(2026, 11, 6), dt.date(2026, 11, 6)]
    assert field.edit.text() == "6 Nov 2026"


def test_the_calendar_button_opens_the_same_calendar_once_built(qtbot):
    field = DateField()
    qtbot.addWidget(field)
    field.show()
    shown: list[object] = []

    def look() -> None:
        shown.append(field.calendar if field.calendar.isVisible() else None)
        field.button.menu().hide()

    for _ in range(2):
        QTimer.singleShot(0, look)
        qtbot.mouseClick(field.button, Qt.MouseButton.LeftButton)
    assert shown[0] is not None and shown == [shown[0], shown[0]]
    assert field.button.menu().actions()[0].defaultWidget() is field.calendar
    assert field.calendar.selectedDate().toPython() == dt.date.today()
