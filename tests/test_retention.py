"""Retention: when closed conferences fall due for deletion, the legal hold, and the Overview
tab's checkbox. Nothing here ever deletes: the app only says what is due."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea

from csfacilitator.core import preferences
from csfacilitator.core.conferences import create_conference, get_conference, update_conference
from csfacilitator.core.records import ConferenceDetails
from csfacilitator.core.retention import (
    add_months,
    deletion_due_on,
    due_for_deletion,
    retention_note,
)
from csfacilitator.gui.overview.overview_tab import OverviewTab

pytestmark = pytest.mark.postgresql_too

CLOSED = dt.date(2025, 1, 31)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
        (dt.date(2025, 11, 15), 2, dt.date(2026, 1, 15)),
        (dt.date(2025, 3, 10), 24, dt.date(2027, 3, 10)),
        (dt.date(2025, 3, 10), 0, dt.date(2025, 3, 10)),
    ],
)
def test_add_months_keeps_the_day_or_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def closed(db, title="Closed one", **details) -> ConferenceDetails:
    cid = create_conference(db, title, status="closed", closed_on=CLOSED, **details)
    return get_conference(db, cid)


def test_deletion_due_on(db):
    details = closed(db)
    assert deletion_due_on(details, 24) == dt.date(2027, 1, 31)
    assert deletion_due_on(details, 0) is None  # keep for ever
    on_hold = closed(db, "On hold", legal_hold=True)
    assert deletion_due_on(on_hold, 24) is None
    reopened = get_conference(db, update_conference(db, details.id, status="under_review").id)
    assert deletion_due_on(reopened, 24) is None  # closed_on kept, but no longer closed
    no_date = get_conference(db, create_conference(db, "No date", status="closed"))
    assert deletion_due_on(no_date, 24) is None
    assert retention_note(no_date, 24) == "No closing date"
    assert retention_note(on_hold, 24) == "Legal hold"
    assert retention_note(closed(db, "Another"), 24) == "Due for deletion 31 Jan 2027"
    assert retention_note(reopened, 24) == ""


def test_due_for_deletion_uses_the_preference_and_skips_holds(db):
    due = closed(db, "Due").id
    archived = closed(db, "Archived and due", archived=True).id
    closed(db, "Held", legal_hold=True)
    create_conference(db, "Open", status="under_review", closed_on=CLOSED)
    recent = create_conference(db, "Recent", status="closed", closed_on=dt.date(2026, 6, 1))

    assert due_for_deletion(db, dt.date(2027, 1, 30)) == []  # default 24 months
    found = due_for_deletion(db, dt.date(2027, 1, 31))
    assert [d.conference_id for d in found] == [archived, due]  # by date, then title
    assert found[0].archived and found[0].due_on == dt.date(2027, 1, 31)

    preferences.set_preference(db, preferences.RETENTION_MONTHS, 6)
    ids = {d.conference_id for d in due_for_deletion(db, dt.date(2026, 12, 1))}
    assert ids == {due, archived, recent}
    preferences.set_preference(db, preferences.RETENTION_MONTHS, 0)
    assert due_for_deletion(db, dt.date(2040, 1, 1)) == []
    # Showing what is due never deletes it.
    assert get_conference(db, due).title == "Due"


@pytest.fixture
def overview(qtbot, db):
    tab = OverviewTab(db)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    return tab


def test_legal_hold_checkbox_is_stored_and_explained(qtbot, overview, db):
    details = closed(db)
    overview.set_conference(details.id)
    box = overview.legal_hold
    assert box.text().replace("&", "") == "Legal hold (never due for deletion)"
    assert box.accessibleName() == "Legal hold (never due for deletion)"
    assert not box.isChecked()
    assert "due for deletion 31 Jan 2027" in overview.retention_note.text()
    assert "never deletes anything by itself" in overview.retention_note.text()

    overview.findChild(QScrollArea).ensureWidgetVisible(box)  # as scrolling down would
    qtbot.waitUntil(lambda: not box.visibleRegion().isEmpty())
    # On the box itself: a QCheckBox only reacts to clicks on its indicator and label.
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert get_conference(db, details.id).legal_hold is True
    assert "On legal hold" in overview.retention_note.text()
    assert due_for_deletion(db, dt.date(2030, 1, 1)) == []

    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert get_conference(db, details.id).legal_hold is False
    assert [d.conference_id for d in due_for_deletion(db, dt.date(2030, 1, 1))] == [details.id]


def test_checkbox_follows_the_conference_shown(qtbot, overview, db):
    held = closed(db, "Held", legal_hold=True).id
    open_one = create_conference(db, "Open", status="under_review")
    overview.set_conference(held)
    assert overview.legal_hold.isChecked()
    overview.set_conference(open_one)
    assert not overview.legal_hold.isChecked()
    assert "When the conference is closed" in overview.retention_note.text()
    # Closing it from the status box updates the explanation at once.
    status = overview.fields["status"]
    status.setFocus()
    status.setCurrentIndex(status.findData("closed"))
    status.activated.emit(status.currentIndex())
    assert get_conference(db, open_one).status == "closed"
    # ...and dates the closing, so it falls due like one closed through the dialog.
    assert get_conference(db, open_one).closed_on is not None
    assert "due for deletion" in overview.retention_note.text()
    assert get_conference(db, held).legal_hold is True  # untouched by the switch


def test_closing_from_the_status_list_dates_the_closing(db):
    import datetime as dt

    from csfacilitator.core.conferences import create_conference, get_conference, update_conference

    cid = create_conference(db, "Closed by status")
    update_conference(db, cid, status="closed")
    assert get_conference(db, cid).closed_on == dt.date.today()
    update_conference(db, cid, closed_on=dt.date(2025, 1, 31))
    update_conference(db, cid, status="closed", title="Renamed")
    assert get_conference(db, cid).closed_on == dt.date(2025, 1, 31)  # a given date is kept
