"""Building the window's pages: each in the place that shows it (a widget Qt has styled that moves
to another parent is styled again, with everything in it), and the Overview reading a conference
once when it shows it."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QStackedWidget

from csfacilitator.core import conferences
from tests.harness.sql_statements import statements


class _StyleChanges(QObject):
    """Counts the StyleChange events each kind of widget receives (Qt sends one to every widget
    in a subtree it styles again)."""

    def __init__(self) -> None:
        super().__init__()
        self.received: Counter[str] = Counter()

    def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802 - Qt API
        if event.type() == QEvent.Type.StyleChange:
            self.received[type(watched).__name__] += 1
        return False


def test_each_tab_and_the_home_page_are_built_where_they_are_shown(open_window, seed_example):
    changes = _StyleChanges()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(changes)
    try:
        window = open_window(seed_example())
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
        assert window.home is not None
    finally:
        app.removeEventFilter(changes)
    # Built elsewhere and moved, each page was styled again, with everything in it (the board
    # twice); built in place, none is.
    for page in ("OverviewTab", "AssessmentTab", "InviteTab", "BoardTab", "PlanTab", "HomePage"):
        assert changes.received[page] == 0, page
    assert changes.received["DashboardPanel"] == 0
    page_stack = window.tabs.findChild(QStackedWidget, "qt_tabwidget_stackedwidget")
    for tab in window.conference_tabs:
        assert tab.parentWidget() is page_stack
    assert window.home.parentWidget() is window.pages
    drawer = window.board.guard_panel.parentWidget()
    assert drawer is window.board.dissent_panel.parentWidget()
    assert drawer.parentWidget() is window.board.splitter


def test_the_overview_reads_the_conference_and_the_shown_meeting_once(open_window, seed_example):
    window = open_window(seed_example())
    overview = window.overview
    meeting = overview.meetings.current_meeting_id()
    assert meeting is not None
    with statements(window.database) as run:
        overview.reload()
    seen = [" ".join(statement.split()) for statement in run]
    agenda_reads = [s for s in seen if "FROM agenda_item" in s]
    conference_reads = [s for s in seen if s.startswith("SELECT conference.id, conference.uid")]
    meetings_listed = [s for s in seen if s.startswith("SELECT meeting.id, meeting.uid")]
    # The details are read once (the standard purpose names the place from them: before, the
    # shown meeting's paper was gathered for it) and the meetings listed with their agendas,
    # not again as the list's row is set.
    assert len(conference_reads) == 1  # the details
    assert len(meetings_listed) == 2  # the list; the details' key dates
    # The list reads every meeting's agenda in one query (core.meetings.list_meetings).
    assert len(overview.meetings._records) > 1
    assert len(agenda_reads) == 1
    assert overview.meetings.current_meeting_id() == meeting
    title = conferences.get_conference(window.database, window.conference_id).title
    assert overview.fields["title"].text() == title
