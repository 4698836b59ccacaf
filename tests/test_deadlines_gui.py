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
