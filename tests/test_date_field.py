"""The date field: typed or picked from a calendar whose button says what it is."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

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
