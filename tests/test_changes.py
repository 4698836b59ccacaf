"""Every committed write tells the database's observers once what it touched; a rollback or a
read tells nothing. This is the one path the window refreshes by (local edits and sync)."""

from __future__ import annotations

import pytest

from csfacilitator.core import board, conferences, invitees, meetings
from csfacilitator.core.changes import Changes
from csfacilitator.core.model import Conference

pytestmark = pytest.mark.postgresql_too


@pytest.fixture
def seen(db):
    noted: list[Changes] = []
    stop = db.observe(noted.append)
    yield noted
    stop()


def test_an_operation_reports_its_tables_and_conference(db, seen):
    cid = conferences.create_conference(db, "Larkfield Park")
    assert len(seen) == 1
    assert seen[0].touches("conference", "meetings") and seen[0].about(cid)
    seen.clear()
    invitees.add_invitee(db, cid, name="Sgt Daniel Mensah")
    assert len(seen) == 1 and seen[0].touches("invitees") and not seen[0].touches("board")
    assert cid in seen[0].conference_ids


def test_bulk_statements_are_reported_too(db, seen):
    cid = conferences.create_conference(db, "Larkfield Park")
    meeting_id = meetings.list_meetings(db, cid)[0].id
    ids = [p.id for p in board.add_points(db, meeting_id, "concerns", ["A", "B", "C"])]
    seen.clear()
    board.move_point(db, ids[2], position=0)  # repositions with a bulk UPDATE
    assert seen and all(change.touches("board") for change in seen)
    assert seen[-1].visible


def test_an_enter_run_on_the_sessions_connection_is_reported_too(db, seen):
    """add_points runs its statements on the session's connection, past the ORM's events: it
    still reports the point and the draft it removed, once; a refused Enter reports nothing."""
    from csfacilitator.core import drafts
    from csfacilitator.errors import NotFound

    cid = conferences.create_conference(db, "Larkfield Park")
    meeting_id = meetings.list_meetings(db, cid)[0].id
    key = drafts.board_key(meeting_id, "concerns")
    drafts.save_drafts(db, cid, {key: "Dark path"})
    seen.clear()
    board.add_points(db, meeting_id, "concerns", ["Dark path"], draft_key=key)
    assert len(seen) == 1 and seen[0].tables == {"board_point", "draft"}
    assert seen[0].touches("board") and seen[0].visible
    seen.clear()
    with pytest.raises(NotFound):
        board.add_points(db, meeting_id + 1000, "concerns", ["Nowhere"], draft_key=key)
    assert seen == []


def test_a_rollback_or_a_read_reports_nothing(db, seen):
    with pytest.raises(RuntimeError), db.session() as s:
        s.add(Conference(title="Never kept"))
        s.flush()
        raise RuntimeError("refused halfway")
    with db.read_session() as s:
        s.get(Conference, 1)
    assert seen == []


def test_a_failing_observer_never_undoes_or_breaks_the_change(db, seen):
    def broken(_changes):
        raise ValueError("a view that fell over")

    stop = db.observe(broken)
    cid = conferences.create_conference(db, "Still saved")
    stop()
    assert conferences.get_conference(db, cid).title == "Still saved"
    assert len(seen) == 1  # the other observers still heard it


def test_typing_drafts_are_not_something_a_view_shows():
    assert not Changes(frozenset({"draft"})).visible
    assert Changes(frozenset({"draft", "board_point"})).visible
    assert Changes(frozenset({"meeting"}), frozenset({3})).about(3)
    assert not Changes(frozenset({"meeting"}), frozenset({3})).about(4)


def test_the_window_bus_signals_visible_changes_only(qtbot, db):
    from csfacilitator.gui.change_bus import ChangeBus

    bus = ChangeBus(db)
    heard: list[Changes] = []
    bus.changed.connect(heard.append)
    cid = conferences.create_conference(db, "Larkfield Park")
    meeting_id = meetings.list_meetings(db, cid)[0].id
    from csfacilitator.core import drafts

    heard.clear()
    drafts.save_drafts(db, cid, {drafts.board_key(meeting_id, "concerns"): "half a thought"})
    assert heard == []  # a typing draft is not news to any view
    board.add_point(db, meeting_id, "concerns", "Lanterns out on the towpath")
    assert len(heard) == 1 and heard[0].touches("board")
    bus.close()
    board.add_point(db, meeting_id, "concerns", "After closing: nothing heard")
    assert len(heard) == 1


def test_a_pull_reports_the_same_notice_as_a_local_edit():
    """A sync's pull is told as one Changes too: the tables, the conflicts list when it moved,
    and the conferences it touched or deleted (a view of a deleted one hears about it)."""
    from csfacilitator.core.sync.records import pulled_changes

    changes = pulled_changes({"invitee"}, {3}, {5}, conflicts_changed=True)
    assert changes.tables == {"invitee", "sync_conflict", "conference"}
    assert changes.conference_ids == {3, 5} and changes.removed_conference_ids == {5}
    assert changes.about(3) and changes.about(5) and not changes.about(4)
    assert changes.touches("invitees") and not changes.touches("board") and changes.visible
    assert not pulled_changes(set(), set(), set(), conflicts_changed=False).visible
