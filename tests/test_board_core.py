"""The board's operations: add, edit, delete/restore, move, indent/outdent, search; referrals."""

from __future__ import annotations

import datetime as dt

import pytest

from csfacilitator.core import board, conferences, meetings, referrals
from csfacilitator.errors import NotFound, UserError

pytestmark = pytest.mark.postgresql_too


def texts(points):
    return [p.text for p in points]


def shape(points):
    """A tree as nested (text, [children]) lists, with positions checked to be dense."""
    for index, point in enumerate(points):
        assert point.position == index, f"{point.text!r} has position {point.position}"
    return [(p.text, shape(p.children)) if p.children else p.text for p in points]


def test_add_points_in_order_and_at_a_position(db, meeting_id):
    a = board.add_point(db, meeting_id, "concerns", "Dark path behind the shops")
    board.add_point(db, meeting_id, "concerns", "Older males on bikes")
    board.add_point(db, meeting_id, "concerns", "First", position=0)
    board.add_point(db, meeting_id, "strengths", "Youth club open Fridays")
    assert a.text == "Dark path behind the shops" and a.parent_id is None and a.column == "concerns"
    tree = board.board_tree(db, meeting_id)
    assert shape(tree["concerns"]) == [
        "First",
        "Dark path behind the shops",
        "Older males on bikes",
    ]
    assert shape(tree["strengths"]) == ["Youth club open Fridays"]
    assert tree["complicating"] == () and tree["safety_plan"] == ()


def test_text_is_cleaned_and_empty_text_refused(db, meeting_id):
    point = board.add_point(db, meeting_id, "concerns", "  line one\x0bline two\x07 ")
    assert point.text == "line one line two"
    with pytest.raises(UserError, match="A point needs some text."):
        board.add_point(db, meeting_id, "concerns", " \x0b\x0c ")
    with pytest.raises(UserError, match="A point needs some text."):
        board.edit_point(db, point.id, "\t")
    assert board.get_point(db, point.id).text == "line one line two"
    with pytest.raises(UserError, match="not a column"):
        board.add_point(db, meeting_id, "nonsense", "x")
    with pytest.raises(NotFound):
        board.add_point(db, 99999, "concerns", "x")


def test_huge_emoji_and_right_to_left_text_survive(db, meeting_id):
    huge = "word " * 20000
    rtl = "الحديقة مظلمة بعد الساعة السادسة 🌙"
    a = board.add_point(db, meeting_id, "concerns", huge)
    b = board.add_point(db, meeting_id, "strengths", rtl)
    assert len(board.get_point(db, a.id).text) == len(huge.strip())
    assert board.get_point(db, b.id).text == rtl
    board.edit_point(db, b.id, "👍🏽 שלום")
    assert board.get_point(db, b.id).text == "👍🏽 שלום"


def test_add_points_skips_blank_lines_in_one_go(db, meeting_id):
    first = board.add_point(db, meeting_id, "safety_plan", "Existing")
    added = board.add_points(db, meeting_id, "safety_plan", ["a", " ", "b\x0b", "c"], position=0)
    assert texts(added) == ["a", "b", "c"]
    assert shape(board.board_tree(db, meeting_id)["safety_plan"]) == ["a", "b", "c", "Existing"]
    assert board.get_point(db, first.id).position == 3
    with pytest.raises(UserError):
        board.add_points(db, meeting_id, "safety_plan", ["", "  "])


def test_sub_points_take_their_parents_column(db, meeting_id):
    parent = board.add_point(db, meeting_id, "concerns", "Parent")
    child = board.add_point(db, meeting_id, "strengths", "Child", parent_id=parent.id)
    grandchild = board.add_point(db, meeting_id, "concerns", "Grandchild", parent_id=child.id)
    assert child.column == "concerns" and child.parent_id == parent.id
    tree = board.board_tree(db, meeting_id)
    assert shape(tree["concerns"]) == [("Parent", [("Child", ["Grandchild"])])]
    assert grandchild.parent_id == child.id


def test_delete_and_restore_put_a_subtree_back_in_place(db, meeting_id):
    board.add_point(db, meeting_id, "concerns", "A")
    b = board.add_point(db, meeting_id, "concerns", "B")
    board.add_point(db, meeting_id, "concerns", "C")
    b1 = board.add_point(db, meeting_id, "concerns", "B1", parent_id=b.id)
    board.add_point(db, meeting_id, "concerns", "B1a", parent_id=b1.id)
    board.add_point(db, meeting_id, "concerns", "B2", parent_id=b.id)
    before = shape(board.board_tree(db, meeting_id)["concerns"])

    snapshot = board.delete_point(db, b.id)
    assert shape(board.board_tree(db, meeting_id)["concerns"]) == ["A", "C"]
    assert snapshot.text == "B" and texts(snapshot.children) == ["B1", "B2"]
    with pytest.raises(NotFound):
        board.get_point(db, b1.id)

    restored = board.restore_point(db, snapshot)
    assert shape(board.board_tree(db, meeting_id)["concerns"]) == before
    assert restored.position == 1 and texts(restored.children) == ["B1", "B2"]
    assert restored.id == b.id  # the old id was free, so it is reused


def test_restore_copes_with_a_taken_id_and_a_vanished_parent(db, meeting_id):
    parent = board.add_point(db, meeting_id, "strengths", "Parent")
    child = board.add_point(db, meeting_id, "strengths", "Child", parent_id=parent.id)
    snapshot = board.delete_point(db, child.id)
    # A freed id is never handed to another point (schema 0004).
    other = board.add_point(db, meeting_id, "strengths", "Other")
    assert other.id > child.id
    restored = board.restore_point(db, snapshot)
    assert restored.id != other.id and restored.parent_id == parent.id

    snapshot = board.delete_point(db, restored.id)
    board.delete_point(db, parent.id)
    again = board.restore_point(db, snapshot)
    assert again.parent_id is None
    assert texts(board.board_tree(db, meeting_id)["strengths"]) == ["Child", "Other"]


def test_move_within_a_column_keeps_positions_dense(db, meeting_id):
    ids = [board.add_point(db, meeting_id, "concerns", t).id for t in "ABCD"]
    board.move_point(db, ids[0], column="concerns", parent_id=None, position=2)
    assert shape(board.board_tree(db, meeting_id)["concerns"]) == ["B", "C", "A", "D"]
    board.move_point(db, ids[3], column="concerns", parent_id=None, position=0)
    assert shape(board.board_tree(db, meeting_id)["concerns"]) == ["D", "B", "C", "A"]
    board.move_point(db, ids[3], column="concerns", parent_id=None, position=None)
    assert shape(board.board_tree(db, meeting_id)["concerns"]) == ["B", "C", "A", "D"]


def test_move_to_another_column_takes_the_sub_points_along(db, meeting_id):
    a = board.add_point(db, meeting_id, "concerns", "A")
    a1 = board.add_point(db, meeting_id, "concerns", "A1", parent_id=a.id)
    board.add_point(db, meeting_id, "concerns", "B")
    board.add_point(db, meeting_id, "safety_plan", "S")
    moved = board.move_point(db, a.id, column="safety_plan", parent_id=None, position=0)
    assert moved.column == "safety_plan" and moved.children[0].column == "safety_plan"
    tree = board.board_tree(db, meeting_id)
    assert shape(tree["concerns"]) == ["B"]
    assert shape(tree["safety_plan"]) == [("A", ["A1"]), "S"]
    assert board.get_point(db, a1.id).column == "safety_plan"


def test_a_point_cannot_go_under_itself(db, meeting_id):
    a = board.add_point(db, meeting_id, "concerns", "A")
    a1 = board.add_point(db, meeting_id, "concerns", "A1", parent_id=a.id)
    with pytest.raises(UserError, match="under itself"):
        board.move_point(db, a.id, parent_id=a1.id)
    with pytest.raises(UserError, match="under itself"):
        board.move_point(db, a.id, parent_id=a.id)


def test_indent_and_outdent(db, meeting_id):
    a = board.add_point(db, meeting_id, "complicating", "A")
    b = board.add_point(db, meeting_id, "complicating", "B")
    c = board.add_point(db, meeting_id, "complicating", "C")
    with pytest.raises(UserError, match="no point above"):
        board.indent_point(db, a.id)
    board.indent_point(db, b.id)
    board.indent_point(db, c.id)
    assert shape(board.board_tree(db, meeting_id)["complicating"]) == [("A", ["B", "C"])]
    board.indent_point(db, c.id)  # under B: two levels deep
    assert shape(board.board_tree(db, meeting_id)["complicating"]) == [("A", [("B", ["C"])])]
    board.outdent_point(db, c.id)
    board.outdent_point(db, b.id)
    assert shape(board.board_tree(db, meeting_id)["complicating"]) == [("A", ["C"]), "B"]
    with pytest.raises(UserError, match="already at the top"):
        board.outdent_point(db, a.id)


def test_search_points(db, meeting_id):
    a = board.add_point(db, meeting_id, "concerns", "Lighting in the PARK")
    board.add_point(db, meeting_id, "strengths", "Park wardens", parent_id=None)
    board.add_point(db, meeting_id, "concerns", "No bins in the park", parent_id=a.id)
    board.add_point(db, meeting_id, "safety_plan", "Ask the council")
    found = board.search_points(db, meeting_id, "park")
    assert texts(found) == ["Lighting in the PARK", "No bins in the park", "Park wardens"]
    assert board.search_points(db, meeting_id, "  ") == []


def test_load_projection(db, meeting_id):
    meeting = meetings.get_meeting(db, meeting_id)
    meetings.set_current_item(db, meeting_id, meeting.agenda[1].id)
    board.add_point(db, meeting_id, "strengths", "Friendly shopkeepers")
    data = board.load_projection(db, meeting_id)
    assert data.conference_title == "Riverside Park"
    assert data.meeting_label == "Conference"
    assert data.current_item == "Current concerns"
    assert texts(data.columns["strengths"]) == ["Friendly shopkeepers"]


def test_meeting_labels_number_reviews(db):
    conference_id = conferences.create_conference(db, "C", conference_date=dt.date(2026, 3, 5))
    meetings.add_meeting(db, conference_id, "review", date=dt.date(2026, 6, 4))
    meetings.add_meeting(db, conference_id, "review", date=dt.date(2026, 9, 3))
    listed = meetings.list_meetings(db, conference_id)
    labels = [board.meeting_label(m, listed) for m in listed]
    assert labels == ["Conference · 5 Mar 2026", "Review 1 · 4 Jun 2026", "Review 2 · 3 Sep 2026"]


def test_referrals_record_only_that_a_referral_was_made(db, meeting_id):
    first = referrals.add_referral(
        db,
        meeting_id,
        team="Children's social care front door",
        reference="CSC-2231",
        made_on=dt.date(2026, 3, 5),
    )
    referrals.add_referral(db, meeting_id, team="Early help\x0b", made_on="2026-03-06")
    listed = referrals.list_referrals(db, meeting_id)
    assert [(r.team, r.reference, r.made_on) for r in listed] == [
        ("Children's social care front door", "CSC-2231", dt.date(2026, 3, 5)),
        ("Early help", "", dt.date(2026, 3, 6)),
    ]
    with pytest.raises(UserError, match="which team"):
        referrals.add_referral(db, meeting_id, team="  ")
    with pytest.raises(UserError, match="not recorded here"):
        referrals.add_referral(db, meeting_id, team="CSC", reference="x" * 200)
    gone = referrals.delete_referral(db, first.id)
    assert [r.team for r in referrals.list_referrals(db, meeting_id)] == ["Early help"]
    back = referrals.restore_referral(db, gone)
    assert back == first
    assert len(referrals.list_referrals(db, meeting_id)) == 2
    assert referrals.add_referral(db, meeting_id, team="CSC").made_on == dt.date.today()


def test_a_referral_without_a_date_is_listed_first_on_either_engine(db, meeting_id):
    """The date is optional in the hand-over file and in sync: an undated referral comes
    before the dated ones (SQLite sorts NULL first, PostgreSQL last unless told)."""
    from csfacilitator.core.model import Referral

    dated = referrals.add_referral(db, meeting_id, team="Early help", made_on="2026-03-06")
    undated = referrals.add_referral(db, meeting_id, team="Youth justice", made_on="2026-03-07")
    with db.session() as s:  # as an older hand-over file leaves it
        s.get(Referral, undated.id).made_on = None
    listed = referrals.list_referrals(db, meeting_id)
    assert [(r.team, r.made_on) for r in listed] == [
        ("Youth justice", None),
        ("Early help", dt.date(2026, 3, 6)),
    ]
    assert dated.id < undated.id  # the order is the date's, not the ids'


def test_nesting_is_capped_so_every_board_can_be_handed_over(db):
    from csfacilitator.core import board, bundle, conferences, meetings
    from csfacilitator.errors import UserError

    conference_id = conferences.create_conference(db, "Deep")
    meeting_id = meetings.list_meetings(db, conference_id)[0].id
    parent = None
    for level in range(board.MAX_DEPTH):
        parent = board.add_point(
            db, meeting_id, "concerns", f"level {level + 1}", parent_id=parent
        ).id
    with pytest.raises(UserError, match=f"at most {board.MAX_DEPTH} levels"):
        board.add_point(db, meeting_id, "concerns", "too deep", parent_id=parent)
    loose = board.add_point(db, meeting_id, "concerns", "one too deep")
    with pytest.raises(UserError, match=f"at most {board.MAX_DEPTH} levels"):
        board.move_point(db, loose.id, parent_id=parent)
    assert board.get_point(db, loose.id).parent_id is None
    bundle.validate_bundle(bundle.export_conference(db, conference_id))  # still importable


def test_undoing_a_meeting_delete_puts_back_points_filed_under_a_newer_point(db, conference_id):
    """A point moved under one added after it has the smaller id; putting the meeting back
    must still insert the parent first (PostgreSQL's foreign keys cannot be deferred)."""
    review = meetings.add_meeting(db, conference_id, "review")
    older = board.add_point(db, review.id, "concerns", "Older")
    newer = board.add_point(db, review.id, "concerns", "Newer", position=0)
    board.indent_point(db, older.id)
    assert older.id < newer.id
    before = board.board_tree(db, review.id)

    removed = meetings.delete_meeting(db, review.id)
    assert board.board_tree(db, review.id)["concerns"] == ()
    meetings.restore_meeting(db, removed)

    assert board.board_tree(db, review.id) == before
    assert shape(before["concerns"]) == [("Newer", ["Older"])]


def test_one_enter_is_three_statements_at_any_depth_and_board_size(db, conference_id, meeting_id):
    """An Enter (a point typed, its draft removed) reads its place in one statement, then deletes
    the draft and inserts the point: three statements, on a top-level line or a sub-point's,
    however many points the board holds. The point and the record returned are as stored."""
    from csfacilitator.core import drafts
    from tests.harness.sql_statements import statements

    key = drafts.board_key(meeting_id, "concerns")

    def enter(text: str, parent_id: int | None = None) -> tuple[board.PointRecord, list[str]]:
        drafts.save_drafts(db, conference_id, {key: text})
        with statements(db) as seen:
            added = board.add_points(
                db, meeting_id, "concerns", [text], parent_id=parent_id, draft_key=key
            )
        point = added[0]
        assert drafts.get_drafts(db, conference_id) == {}
        return point, seen

    first, seen = enter("Dark path behind the shops")
    assert len(seen) == 3
    board.add_points(db, meeting_id, "concerns", [f"Point {n}" for n in range(40)])
    last, seen = enter("Older males on bikes")
    assert len(seen) == 3 and last.position == 41
    sub, seen = enter("Seen twice", parent_id=first.id)
    assert len(seen) == 3
    deeper, seen = enter("By the bus stop", parent_id=sub.id)
    assert len(seen) == 3
    assert (deeper.column, deeper.parent_id, deeper.position) == ("concerns", sub.id, 0)
    for record in (first, last, sub, deeper):
        assert board.get_point(db, record.id).text == record.text
        assert board.get_point(db, record.id).position == record.position
    assert shape(board.board_tree(db, meeting_id)["concerns"])[0] == (
        "Dark path behind the shops",
        [("Seen twice", ["By the bus stop"])],
    )


def test_a_refused_enter_keeps_its_draft_and_names_what_is_wrong(db, conference_id, meeting_id):
    """A point that cannot go where it was typed is refused with the old messages, and the line's
    draft, removed in the same transaction, stays (nothing of the Enter is kept)."""
    from csfacilitator.core import drafts

    key = drafts.board_key(meeting_id, "concerns")
    drafts.save_drafts(db, conference_id, {key: "Half a thought"})
    other = meetings.add_meeting(db, conference_id, "review")
    elsewhere = board.add_point(db, other.id, "concerns", "On the review's board")
    with pytest.raises(UserError, match="'nowhere' is not a column"):
        board.add_points(db, meeting_id, "nowhere", ["Text"], draft_key=key)
    with pytest.raises(NotFound, match="to put this under is no longer on the board"):
        board.add_points(
            db, meeting_id, "concerns", ["Text"], parent_id=elsewhere.id, draft_key=key
        )
    with pytest.raises(NotFound, match="to put this under is no longer on the board"):
        board.add_points(db, meeting_id, "concerns", ["Text"], parent_id=10**6, draft_key=key)
    with pytest.raises(NotFound, match=f"There is no meeting with id {10**6}"):
        board.add_points(db, 10**6, "concerns", ["Text"], draft_key=key)
    assert drafts.get_drafts(db, conference_id) == {key: "Half a thought"}
    assert board.board_tree(db, meeting_id)["concerns"] == ()
