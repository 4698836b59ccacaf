"""Deadlines in the window: the home dashboard's tab, the Preferences' limits and reminder switch,
the reminders (tray or status bar, once per item per day) and File → Export calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from csfacilitator.core import conferences
from csfacilitator.core import deadlines as dl
from csfacilitator.core.key_meetings import set_meeting_field
from csfacilitator.gui.home.dashboard_panel import DEADLINES, DashboardPanel

D = dt.date
TODAY = D(2024, 4, 10)  # summary and plan were due 3 April, the minutes 22 April


@pytest.fixture
def late_conference(db):
    cid = conferences.create_conference(db, "Larkfield Park")
    with db.session() as s:
        set_meeting_field(s, cid, "conference_date", D(2024, 3, 28))  # summary due 3 April
        set_meeting_field(s, cid, "next_review_date", D(2024, 6, 20))  # far off: not listed
    return cid


def test_the_dashboard_lists_late_papers_in_words(qtbot, db, late_conference):
    panel = DashboardPanel(db, today=lambda: TODAY)
    qtbot.addWidget(panel)
    panel.reload()
    panel.show()
    assert panel.tabs.tabText(DEADLINES) == "Deadlines (2)"  # summary (late), minutes (due)
    assert panel.tabs.tabText(0) == "Overdue actions (0)"
    model = panel.models[DEADLINES]
    rows = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert rows == [
        ["Larkfield Park", "Summary and plan", "3 Apr 2024", "Late by 7 days"],
        ["Larkfield Park", "Full minutes", "22 Apr 2024", "Due in 12 days"],
    ]
    table = panel.tables[DEADLINES]
    panel.tabs.setCurrentIndex(DEADLINES)
    table.setFocus()
    table.setCurrentIndex(model.index(0, 0))
    with qtbot.waitSignal(panel.open_requested) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [late_conference]


def test_only_deadlines_still_make_the_panel_show_tabs(qtbot, db, late_conference):
    panel = DashboardPanel(db, today=lambda: TODAY)
    qtbot.addWidget(panel)
    data = panel.reload()
    assert data.is_empty  # nothing of the older four kinds
    assert panel.stack.currentWidget() is panel.tabs
    assert panel.tabs.currentIndex() == DEADLINES


def test_reminders_are_given_once_per_item_per_day(db, late_conference):
    first = dl.reminders_due(db, TODAY)
    assert [d.kind for d in first] == [dl.SUMMARY]
    dl.mark_reminded(db, first, TODAY)
    assert dl.reminders_due(db, TODAY) == []
    assert [d.kind for d in dl.reminders_due(db, TODAY + dt.timedelta(days=1))] == [dl.SUMMARY]


def test_reminders_can_be_switched_off(db, late_conference):
    from csfacilitator.core.preferences import NOTIFY_DUE, set_preference

    set_preference(db, NOTIFY_DUE, 0)
    assert dl.reminders_due(db, TODAY) == []


# -- the window: Preferences, reminders, File → Export calendar ---------------------------------


def test_preferences_show_the_limits_and_the_reminder_switch(qtbot, db):
    from PySide6.QtWidgets import QDialogButtonBox

    from csfacilitator.core.preferences import MINUTES_DAYS, NOTIFY_DUE, get_preference
    from csfacilitator.gui.dialogs.preferences_dialog import PreferencesDialog

    dialog = PreferencesDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    spin = dialog.spins[MINUTES_DAYS.key]
    assert spin.text() == "15 working days"
    assert dialog.notify.isChecked() and dialog.notify.text() == "&Remind me of due and late items"
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "10")
    dialog.notify.setFocus()
    qtbot.keyClick(dialog.notify, Qt.Key.Key_Space)  # off
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert get_preference(db, MINUTES_DAYS) == 10
    assert get_preference(db, NOTIFY_DUE) == 0


def test_reminders_use_the_status_bar_without_a_tray_and_tell_once_a_day(
    qtbot, db, late_conference, monkeypatch
):
    from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon

    from csfacilitator.gui.reminders import Reminders

    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    clock = {"day": TODAY}  # however often the reminders ask, the day is the test's
    reminders = Reminders(window, db, today=lambda: clock["day"], start=False)
    message = reminders.check()
    assert message == "Summary and plan (Larkfield Park): late by 7 days"
    assert window.statusBar().currentMessage() == f"Due or late: {message}"
    assert reminders.check() == ""  # another message is showing: wait, tell nothing yet
    window.statusBar().clearMessage()
    assert reminders.check() == ""  # the same day: not again
    clock["day"] = TODAY + dt.timedelta(days=1)
    assert reminders.check().startswith("Summary and plan")  # the next day: again


def test_reminders_use_the_tray_where_there_is_one(qtbot, db, late_conference, monkeypatch):
    from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon

    from csfacilitator.gui.reminders import TITLE, Reminders

    shown = []
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda self, *a: shown.append(a[:2]))
    monkeypatch.setattr(QSystemTrayIcon, "show", lambda self: None)  # offscreen has no tray
    window = QMainWindow()
    qtbot.addWidget(window)
    Reminders(window, db, today=lambda: TODAY, start=False).check()
    assert shown == [(TITLE, "Summary and plan (Larkfield Park): late by 7 days")]


def test_file_menu_exports_the_calendar(
    open_window, qtbot, paths, templates, tmp_path, monkeypatch
):
    import icalendar
    from PySide6.QtWidgets import QFileDialog

    from csfacilitator.core.export_log import list_exports
    from csfacilitator.storage import open_database

    templates.seed(paths)  # a migrated database, copied: this is not a first start
    database = open_database(paths)
    cid = conferences.create_conference(database, "Larkfield Park")
    with database.session() as s:
        set_meeting_field(s, cid, "conference_date", D(2024, 3, 28))
    database.close()
    window = open_window(cid)
    target = tmp_path / "larkfield.ics"
    asked = []

    def save_as(parent, title, suggested, file_filter):
        asked.append((title, suggested, file_filter))
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    action = window.export_calendar_action
    assert action.text() == "Expor&t calendar (.ics)…" and action.isEnabled()
    from tests.test_sharing import answer_sharing, fill_in  # issue 20: who and why, first

    answer_sharing(qtbot, fill_in())
    action.trigger()
    assert asked[0][0] == "Export calendar"
    assert asked[0][1].endswith("Larkfield Park - calendar.ics")
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    days = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in cal.walk("VEVENT")}
    assert days["Conference: Larkfield Park"] == D(2024, 3, 28)
    assert days["Summary and plan due: Larkfield Park"] == D(2024, 4, 3)
    (entry,) = list_exports(window.db, cid)
    assert entry.kind == "calendar" and entry.label == "Calendar (.ics)"
    assert entry.shared_with == "Conference partners"
