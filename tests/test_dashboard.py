"""The dashboard across conferences (core and home page), and the list's Overdue and
Retention columns."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from csfacilitator.core import plan
from csfacilitator.core.conferences import create_conference, update_conference
from csfacilitator.core.dashboard import (
    build_dashboard,
    conference_flags,
    conferences_without_review_date,
    overdue_actions,
    overdue_counts,
    reviews_due,
)
from csfacilitator.gui.home.conference_list_model import (
    COL_OVERDUE,
    COL_RETENTION,
    COL_TITLE,
    OVERDUE_ROLE,
    ConferenceListModel,
)
from csfacilitator.gui.home.dashboard_panel import DELETION, NO_REVIEW, OVERDUE, REVIEWS, RowsModel
from csfacilitator.gui.home.home_page import HomePage

pytestmark = pytest.mark.postgresql_too

TODAY = dt.date(2027, 3, 1)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def with_actions(db, title: str, actions, **details) -> int:
    """A conference with one need; actions: (text, due_date, status)."""
    cid = create_conference(db, title, **details)
    need = plan.add_need(db, cid, f"Need of {title}")
    for text, due, status in actions:
        plan.add_intervention(db, need.id, text, due_date=due, status=status, agency="Council")
    return cid


@pytest.fixture
def world(db):
    """Conferences in every state the dashboard must tell apart."""
    ids = {}
    ids["park"] = with_actions(
        db,
        "Park",
        [
            ("Fix lights", days(-10), "in_progress"),
            ("Cut hedges", days(-1), "not_started"),
            ("Due today", days(0), "not_started"),
            ("Done late", days(-30), "done"),
            ("Dropped", days(-30), "not_going_ahead"),
            ("No date", None, "not_started"),
        ],
        status="under_review",
        conference_date=days(-60),
        next_review_date=days(14),
    )
    ids["school"] = with_actions(
        db,
        "School",
        [("Corridor staff", days(-3), "not_started")],
        status="conference_held",
        conference_date=days(-20),
    )
    ids["archived"] = with_actions(
        db,
        "Archived",
        [("Hidden", days(-5), "not_started")],
        status="under_review",
        archived=True,
        next_review_date=days(1),
    )
    ids["closed"] = with_actions(
        db,
        "Closed",
        [("Left over", days(-5), "in_progress")],
        status="closed",
        closed_on=dt.date(2024, 1, 10),
        next_review_date=days(2),
    )
    ids["held"] = create_conference(
        db, "Held", status="closed", closed_on=dt.date(2024, 1, 10), legal_hold=True
    )
    ids["late_review"] = create_conference(
        db, "Late review", status="under_review", next_review_date=days(-4)
    )
    ids["far_review"] = create_conference(
        db, "Far review", status="under_review", next_review_date=days(15)
    )
    ids["referral"] = create_conference(db, "Just referred", status="referral")
    ids["forgot_status"] = create_conference(
        db, "Status not moved on", status="preparing", conference_date=days(-1)
    )
    ids["next_week"] = create_conference(
        db, "Conference next week", status="preparing", conference_date=days(7)
    )
    return ids


def test_overdue_actions_of_open_conferences_only(db, world):
    found = overdue_actions(db, TODAY)
    assert [(a.conference_title, a.text, a.days_overdue) for a in found] == [
        ("Park", "Fix lights", 10),
        ("School", "Corridor staff", 3),
        ("Park", "Cut hedges", 1),
    ]
    assert found[0].agency == "Council" and found[0].due_date == days(-10)
    assert overdue_counts(db, TODAY) == {world["park"]: 2, world["school"]: 1, world["archived"]: 1}


def test_reviews_due_in_the_next_14_days_or_passed(db, world):
    found = reviews_due(db, TODAY)
    assert [(r.conference_title, r.days_until) for r in found] == [
        ("Late review", -4),
        ("Park", 14),
    ]
    # A day later the review 15 days away comes into the window.
    assert [r.conference_title for r in reviews_due(db, days(1))] == [
        "Late review",
        "Park",
        "Far review",
    ]
    assert reviews_due(db, TODAY, days=13)[-1].conference_title == "Late review"


def test_open_conferences_that_met_without_a_review_date(db, world):
    titles = [m.conference_title for m in conferences_without_review_date(db, TODAY)]
    assert sorted(titles) == ["School", "Status not moved on"]


def test_dashboard_puts_it_together_with_retention(db, world):
    board = build_dashboard(db, TODAY)
    assert len(board.overdue_actions) == 3
    assert [d.title for d in board.due_for_deletion] == ["Closed"]  # held is exempt
    assert not board.is_empty
    assert build_dashboard(db, dt.date(2020, 1, 1)).overdue_actions == ()
    flags = conference_flags(db, TODAY)
    assert flags[world["park"]].overdue == 2 and flags[world["park"]].retention == ""
    assert flags[world["closed"]].overdue == 0  # a closed conference is not chased
    assert flags[world["closed"]].retention == "Due for deletion 10 Jan 2026"
    assert flags[world["closed"]].deletion_due_now
    assert flags[world["held"]].retention == "Legal hold"
    assert world["referral"] not in flags


def test_empty_database_has_an_empty_dashboard(db):
    assert build_dashboard(db, TODAY).is_empty


# --- the home page ---------------------------------------------------------------------------


@pytest.fixture
def home(qtbot, db):
    page = HomePage(db)
    page.today = lambda: TODAY
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_dashboard_tabs_show_counts_and_accessible_names(home, world):
    home.reload()
    panel = home.dashboard
    tabs = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    assert tabs == [
        "Overdue actions (3)",
        "Reviews due (2)",
        "No review date (2)",
        "Due for deletion (1)",
        "Deadlines (6)",  # issue 20: tests/test_deadlines_gui.py tests its rows
    ]
    assert panel.tabs.currentIndex() == OVERDUE
    assert panel.heading.buddy() is panel.tabs
    assert [t.accessibleName() for t in panel.tables] == [
        "Overdue actions",
        "Reviews due",
        "No review date",
        "Due for deletion",
        "Deadlines",
    ]
    overdue = panel.tables[OVERDUE].model()
    assert [overdue.index(0, c).data() for c in range(5)] == [
        "Park",
        "Fix lights",
        "Council",
        "19 Feb 2027",
        "10 days",
    ]
    reviews = panel.tables[REVIEWS].model()
    assert reviews.index(0, 2).data() == "Passed 4 days ago"
    assert reviews.index(1, 2).data() == "In 14 days"
    assert panel.tables[NO_REVIEW].model().rowCount() == 2
    panel.tabs.setCurrentIndex(DELETION)
    assert "never deletes anything by itself" in panel.hint.text()


def test_enter_on_a_dashboard_row_opens_its_conference(qtbot, home, world):
    home.reload()
    table = home.dashboard.tables[OVERDUE]
    table.setFocus()
    # Tabbing into the table lands on its first row, ready for Enter.
    qtbot.waitUntil(lambda: table.currentIndex().isValid())
    assert table.currentIndex().row() == 0
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the second: School
    with qtbot.waitSignal(home.open_requested) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [world["school"]]


def test_double_click_on_a_dashboard_row_opens_its_conference(qtbot, home, world):
    home.reload()
    home.dashboard.tabs.setCurrentIndex(DELETION)
    table = home.dashboard.tables[DELETION]
    qtbot.waitUntil(table.isVisible)
    rect = table.visualRect(table.model().index(0, 0))
    with qtbot.waitSignal(home.open_requested) as opened:
        # A real double-click: press and release, then the second press arrives as DblClick.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [world["closed"]]


def test_all_clear_is_one_line(home, db):
    create_conference(db, "Just referred", status="referral")
    home.reload()
    panel = home.dashboard
    assert panel.stack.currentWidget() is panel.all_clear
    assert "Nothing needs attention" in panel.all_clear.text()
    assert panel.stack.height() < 60


def proxy_row(home, conference_id: int) -> int:
    for row in range(home.proxy.rowCount()):
        if home.proxy.index(row, COL_TITLE).data(Qt.ItemDataRole.UserRole + 1) == conference_id:
            return row
    raise AssertionError("not listed")


def test_list_shows_overdue_counts_highlighted(home, world):
    home.reload()
    park = home.proxy.index(proxy_row(home, world["park"]), COL_OVERDUE)
    assert park.data() == "2"
    assert park.data(OVERDUE_ROLE) is True
    assert isinstance(park.data(Qt.ItemDataRole.BackgroundRole), QColor)
    assert park.data(Qt.ItemDataRole.AccessibleTextRole) == "2 overdue actions"
    quiet = home.proxy.index(proxy_row(home, world["referral"]), COL_OVERDUE)
    assert quiet.data() == "" and quiet.data(OVERDUE_ROLE) is False
    assert quiet.data(Qt.ItemDataRole.BackgroundRole) is None
    assert quiet.data(Qt.ItemDataRole.AccessibleTextRole) == "No overdue actions"
    assert home.model.headerData(COL_OVERDUE, Qt.Orientation.Horizontal) == "Overdue"
    home.table.sortByColumn(COL_OVERDUE, Qt.SortOrder.DescendingOrder)
    assert home.proxy.index(0, COL_TITLE).data() == "Park"


def test_list_shows_when_closed_conferences_are_due_for_deletion(home, db, world):
    home.reload()
    closed = home.proxy.index(proxy_row(home, world["closed"]), COL_RETENTION)
    held = home.proxy.index(proxy_row(home, world["held"]), COL_RETENTION)
    assert closed.data() == "Due for deletion 10 Jan 2026"
    assert held.data() == "Legal hold"
    assert not home.table.isColumnHidden(COL_RETENTION)
    update_conference(db, world["held"], legal_hold=False)
    home.reload()
    held = home.proxy.index(proxy_row(home, world["held"]), COL_RETENTION)
    assert held.data() == "Due for deletion 10 Jan 2026"


def test_retention_column_hidden_until_something_is_closed(home, db):
    cid = create_conference(db, "Open one", status="under_review")
    home.reload()
    assert home.table.isColumnHidden(COL_RETENTION)
    update_conference(db, cid, status="closed", closed_on=dt.date(2027, 2, 1))
    home.reload()
    assert not home.table.isColumnHidden(COL_RETENTION)


def test_models_pass_qt_model_checks(qapp, qtmodeltester, db, world):
    from csfacilitator.core.conferences import list_conferences
    from csfacilitator.gui.home.dashboard_panel import dashboard_rows

    model = ConferenceListModel()
    model.set_rows(list_conferences(db), conference_flags(db, TODAY))
    qtmodeltester.check(model)
    rows = RowsModel(("Conference", "Action", "Agency / team", "Due", "Overdue by"))
    rows.set_rows(dashboard_rows(build_dashboard(db, TODAY))[OVERDUE])
    qtmodeltester.check(rows)


def test_main_window_opens_the_conference_from_the_dashboard(qtbot, paths, world):
    from csfacilitator.app import create_window

    window = create_window(paths.root)
    qtbot.addWidget(window)
    window.home.today = lambda: TODAY
    window.show()
    window.show_home()
    window.home.dashboard.tabs.setCurrentIndex(OVERDUE)
    table = window.home.dashboard.tables[OVERDUE]
    table.setFocus()
    qtbot.waitUntil(lambda: table.currentIndex().isValid())
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.conference_page)
    assert window.conference_id == world["park"]
    assert window.document_actions["plan"].isEnabled()
    window.close()
