"""What reopening a conference reads: each thing once per widget that shows it, in as few
queries as the data allows (68 statements ran before the board was usable, a third of them
the same reads again; benchmarks/startup.py measures the start)."""

from __future__ import annotations

import datetime as dt

import pytest

from csfacilitator.core import conferences, meetings
from csfacilitator.core.papers import meeting_paper
from csfacilitator.core.reviews import start_review
from csfacilitator.core.sync import leaving
from csfacilitator.storage import team_store
from tests.harness.sql_statements import count_statements


def _calls(monkeypatch, module, name: str) -> list[object]:
    """Each call of module.name from now on (it still runs)."""
    real = getattr(module, name)
    seen: list[object] = []

    def spy(*args, **kwargs):
        seen.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return seen


def test_listing_meetings_reads_every_agenda_in_one_query(db, conference_id):
    def queries() -> int:
        return count_statements(db, lambda: meetings.list_meetings(db, conference_id))

    one = queries()
    start_review(db, conference_id, dt.date(2027, 2, 4))
    start_review(db, conference_id, dt.date(2027, 5, 6))
    assert queries() == one == 2  # the meetings, then every agenda: not one query a meeting
    listed = meetings.list_meetings(db, conference_id)
    assert len(listed) == 3
    for meeting in listed:  # each agenda whole and in its stored order
        assert meeting.agenda
        assert [a.position for a in meeting.agenda] == sorted(a.position for a in meeting.agenda)
        assert {a.meeting_id for a in meeting.agenda} == {meeting.id}


@pytest.fixture
def overview_window(open_window):
    win = open_window()
    win.new_conference()
    return win


def test_the_overview_reads_the_details_and_the_meetings_paper_once(overview_window, monkeypatch):
    details = _calls(monkeypatch, conferences, "get_conference")
    papers = _calls(monkeypatch, meeting_paper, "gather")
    overview_window.overview.reload()
    # Before: the details were shown, then again when the meetings panel said it had loaded;
    # the selected meeting was shown (its paper read for the purpose) when its row was set,
    # then again; later the paper was read once, for the place its standard purpose names.
    assert len(details) == 1
    assert papers == []  # the standard purpose names the place from the details read above
    meeting = overview_window.overview.meetings
    assert meeting.current_meeting_id() is not None  # the conference's meeting, shown
    assert (
        meeting.purpose.toPlainText()
        == meeting_paper.gather(
            overview_window.database, overview_window.conference_id, meeting.current_meeting_id()
        ).purpose_text
    )


def test_the_team_menu_reads_whether_this_laptop_joined_once(overview_window, monkeypatch):
    joined = _calls(monkeypatch, team_store, "stored_team_url")
    left = _calls(monkeypatch, leaving, "no_longer_shared")
    overview_window.team.refresh_status()
    assert (len(joined), len(left)) == (1, 1)
    assert not overview_window.team.status_button.isVisible()  # never joined: nothing said
    assert overview_window.team.connect_action.text() == "C&onnect to a team store…"


def test_a_laptop_that_never_joined_reads_nothing_of_the_team_on_opening(
    overview_window, monkeypatch
):
    win = overview_window
    other = conferences.create_conference(win.database, "Another")
    left = _calls(monkeypatch, leaving, "no_longer_shared")  # read by each Team menu update
    win.open_conference(other)
    win.show_home()
    win.open_conference(other)
    assert left == []  # the start's read (never joined) stands: the menu re-reads on opening
    assert win.team.status_button.isHidden()
    assert not win.team.share_action.isEnabled()


def test_a_conferences_links_read_only_the_linked_titles(db, conference_id):
    from csfacilitator.core import related
    from tests.harness.sql_statements import statements

    others = [conferences.create_conference(db, f"Other {n}") for n in range(3)]
    with statements(db) as seen:
        assert related.list_links(db, conference_id) == []
    assert len(seen) == 1  # no link: no title read (every conference's was)
    related.add_link(db, conference_id, others[2], "same_place")
    related.add_link(db, others[0], conference_id, "same_place")
    with statements(db) as seen:
        links = related.list_links(db, conference_id)
    assert [(link.conference_id, link.title) for link in links] == [
        (others[0], "Other 0"),
        (others[2], "Other 2"),
    ]
    assert len(seen) == 2
    assert "WHERE conference.id IN" in seen[1]  # the two linked titles, not all four


def test_the_standard_purpose_names_the_place_as_now_stored(overview_window):
    win = overview_window
    overview = win.overview
    overview._store("context_name", "Larkfield Park")  # as the field's autosave stores it
    overview.meetings.reload_meetings()
    shown = overview.meetings.purpose.toPlainText()
    assert "Larkfield Park" in shown
    printed = meeting_paper.gather(
        win.database, win.conference_id, overview.meetings.current_meeting_id()
    ).purpose_text
    assert shown == printed  # what is seen is what the agenda prints


def test_reopening_the_last_conference_at_start_writes_nothing(overview_window, monkeypatch):
    from sqlalchemy import event

    win = overview_window
    reopened = win.conference_id
    win.show_home()
    conferences.remember_last_opened(win.database, reopened)  # as when the app last closed
    begun: list[str] = []

    def record(_conn, _cursor, statement, *_args):  # noqa: ANN001
        if statement.startswith("BEGIN"):
            begun.append(statement)

    event.listen(win.database.engine, "before_cursor_execute", record)
    try:
        win.restore_last()
    finally:
        event.remove(win.database.engine, "before_cursor_execute", record)
    assert win.conference_id == reopened
    assert begun and "BEGIN IMMEDIATE" not in begun  # only reads: no write lock taken
    assert conferences.last_opened(win.database) == reopened


def test_the_board_opens_with_one_read_agreeing_with_each_question(db, conference_id):
    from csfacilitator.core.key_meetings import choose_focus, focus_meeting
    from tests.harness.sql_statements import statements

    start_review(db, conference_id, dt.date(2027, 2, 4))
    review = start_review(db, conference_id, dt.date(2027, 5, 6))

    def each_question():
        return (
            conferences.get_conference(db, conference_id),
            meetings.list_meetings(db, conference_id),
            focus_meeting(db, conference_id),
        )

    with statements(db) as seen:
        together = conferences.conference_and_meetings(db, conference_id)
    assert together == each_question()
    # The conference, its meetings, their agendas and the meeting the board last showed, each
    # once (the reviews were started, so they are held without asking for their progress);
    # before, the three questions took 8 statements in 3 transactions.
    assert len(seen) == 4
    choose_focus(db, conference_id, review.id)
    assert conferences.conference_and_meetings(db, conference_id) == each_question()
    assert conferences.conference_and_meetings(db, conference_id)[2] == review.id
