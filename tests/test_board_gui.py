"""The Board tab driven through its real widgets, checked on screen and in the database."""

from __future__ import annotations

import datetime as dt
import itertools
import sys

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

from csfacilitator.core import board, conferences, meetings, referrals, vocab
from csfacilitator.gui.board.board_tab import BoardTab
from csfacilitator.gui.board.column_model import FlagRole, MatchRole

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
COLUMNS = list(vocab.BOARD_COLUMNS)


def _conference_t(db) -> int:
    return conferences.create_conference(db, "T")


def filled_db(wanted):  # noqa: ANN001, ANN201 - conftest's hook (see there)
    """Conference "T", with the meeting every conference starts with, for `conference_id`."""
    return _conference_t if "conference_id" in wanted else None


@pytest.fixture
def make_tab(open_board, conference_id):
    return lambda: open_board(conference_id)


@pytest.fixture
def tab(make_tab):
    return make_tab()


def stored(db, meeting_id, column):
    """The column as stored: nested (text, [children]) lists."""

    def shape(points):
        return [(p.text, shape(p.children)) if p.children else p.text for p in points]

    return shape(board.board_tree(db, meeting_id)[column])


def shown(tab, column):
    """The column as its view shows it, read through the view's own model indexes."""
    view = tab.pane(column).view
    model = view.model()

    def shape(parent):
        result = []
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            assert view.isExpanded(index) or not model.rowCount(index)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            result.append((text, shape(index)) if model.rowCount(index) else text)
        return result

    return shape(QModelIndex())


def select(tab, column, *path):
    """Make the point at `path` (rows from the top) current in its view and focus the view."""
    view = tab.pane(column).view
    index = QModelIndex()
    for row in path:
        index = view.model().index(row, 0, index)
    view.setCurrentIndex(index)
    view.setFocus()
    return view


def type_into(qtbot, widget, text):
    """Type text. QTest can only type ASCII, so other characters (emoji, Arabic) arrive as an
    input method would insert them."""
    for is_ascii, chars in itertools.groupby(text, key=str.isascii):
        if is_ascii:
            qtbot.keyClicks(widget, "".join(chars))
        else:
            widget.insert("".join(chars))


def type_point(qtbot, tab, column, text):
    entry = tab.pane(column).entry
    entry.setFocus()
    type_into(qtbot, entry, text)
    qtbot.keyClick(entry, Qt.Key.Key_Return)


def add_stored(db, meeting_id, column, *items):
    """Store points (a tuple is (text, [children]) ) before the tab loads them."""
    for item in items:
        if isinstance(item, tuple):
            parent = board.add_point(db, meeting_id, column, item[0])
            for child in item[1]:
                board.add_point(db, meeting_id, column, child, parent_id=parent.id)
        else:
            board.add_point(db, meeting_id, column, item)


def test_columns_and_entry_fields_have_their_headings_as_names(tab):
    for key, heading in vocab.BOARD_COLUMNS.items():
        pane = tab.pane(key)
        assert pane.view.accessibleName() == heading
        assert pane.heading.text() == heading
        assert pane.entry.accessibleName() == f"Add to {heading}"
        assert pane.entry.placeholderText() == f"Add to {heading}"
    assert tab.pane("strengths").entry.accessibleName() == "Add to Strengths"
    assert "Ctrl+3" in tab.pane("strengths").entry.toolTip()
    assert tab.present_button.accessibleName() == "Present"
    assert tab.meeting_combo.accessibleName() == "Meeting"
    assert tab.find_field.accessibleName() == "Find"


def test_typing_and_enter_adds_a_point_in_each_column(qtbot, tab, db, meeting_id):
    for number, key in enumerate(COLUMNS):
        type_point(qtbot, tab, key, f"Point {number} 🙂")
        entry = tab.pane(key).entry
        assert entry.text() == ""
        assert QApplication.focusWidget() is entry  # ready for the next point
    type_point(qtbot, tab, "strengths", "Second strength")
    for number, key in enumerate(COLUMNS):
        expected = [f"Point {number} 🙂"] + (["Second strength"] if key == "strengths" else [])
        assert shown(tab, key) == expected
        assert stored(db, meeting_id, key) == expected


def test_enter_on_an_empty_field_adds_nothing_and_says_why(qtbot, tab, db, meeting_id):
    with qtbot.waitSignal(tab.status_message) as message:
        type_point(qtbot, tab, "concerns", "   ")
    assert "Type the point first" in message.args[0]
    assert stored(db, meeting_id, "concerns") == []


def test_ctrl_and_a_digit_jump_between_entry_fields(qtbot, tab):
    tab.pane("concerns").entry.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, CTRL)
    assert QApplication.focusWidget() is tab.pane("complicating").entry
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_4, CTRL)
    assert QApplication.focusWidget() is tab.pane("safety_plan").entry
    select(tab, "concerns")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, CTRL)
    assert QApplication.focusWidget() is tab.pane("concerns").entry


def test_tab_and_shift_tab_indent_and_outdent(qtbot, db, meeting_id, make_tab):
    add_stored(db, meeting_id, "concerns", "A", "B", "C")
    tab = make_tab()
    view = select(tab, "concerns", 1)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert shown(tab, "concerns") == [("A", ["B"]), "C"]
    view = select(tab, "concerns", 1)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # C under B: two levels deep
    assert shown(tab, "concerns") == [("A", [("B", ["C"])])]
    assert stored(db, meeting_id, "concerns") == [("A", [("B", ["C"])])]
    assert QApplication.focusWidget() is view and view.currentIndex().data() == "C"
    qtbot.keyClick(view, Qt.Key.Key_Backtab, SHIFT)
    assert stored(db, meeting_id, "concerns") == [("A", ["B", "C"])]
    qtbot.keyClick(view, Qt.Key.Key_Backtab, SHIFT)
    assert stored(db, meeting_id, "concerns") == [("A", ["B"]), "C"]
    assert shown(tab, "concerns") == [("A", ["B"]), "C"]
    with qtbot.waitSignal(tab.status_message) as message:
        qtbot.keyClick(view, Qt.Key.Key_Backtab, SHIFT)
    assert "already at the top" in message.args[0]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(db, meeting_id, "concerns") == [("A", ["B", "C"])]


def test_escape_lets_go_so_tab_leaves_the_column(qtbot, db, meeting_id, make_tab):
    add_stored(db, meeting_id, "concerns", "A")
    tab = make_tab()
    view = select(tab, "concerns", 0)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not view
    assert stored(db, meeting_id, "concerns") == ["A"]


def test_f2_edits_in_place_and_undo_restores(qtbot, db, meeting_id, make_tab):
    add_stored(db, meeting_id, "strengths", "Youth club", "Wardens")
    tab = make_tab()
    view = select(tab, "strengths", 0)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "Youth club"
    editor.selectAll()
    type_into(qtbot, editor, "Youth club open Fridays ✨")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits from the event loop
    qtbot.waitUntil(
        lambda: stored(db, meeting_id, "strengths") == ["Youth club open Fridays ✨", "Wardens"]
    )
    assert shown(tab, "strengths") == ["Youth club open Fridays ✨", "Wardens"]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(db, meeting_id, "strengths") == ["Youth club", "Wardens"]
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert shown(tab, "strengths") == ["Youth club open Fridays ✨", "Wardens"]


def test_clearing_a_point_in_place_is_refused_and_loses_nothing(qtbot, db, meeting_id, make_tab):
    add_stored(db, meeting_id, "strengths", "Youth club")
    tab = make_tab()
    view = select(tab, "strengths", 0)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.clear()
    with qtbot.waitSignal(tab.status_message) as message:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert message.args[0] == "A point needs some text."
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    assert stored(db, meeting_id, "strengths") == ["Youth club"]
    assert shown(tab, "strengths") == ["Youth club"]
    assert tab.undo_stack.count() == 0


def test_alt_up_and_down_reorder(qtbot, db, meeting_id, make_tab):
    add_stored(db, meeting_id, "safety_plan", "A", "B", "C")
    tab = make_tab()
    view = select(tab, "safety_plan", 2)
    qtbot.keyClick(view, Qt.Key.Key_Up, ALT)
    qtbot.keyClick(view, Qt.Key.Key_Up, ALT)
    assert shown(tab, "safety_plan") == ["C", "A", "B"]
    assert stored(db, meeting_id, "safety_plan") == ["C", "A", "B"]
    qtbot.keyClick(view, Qt.Key.Key_Up, ALT)  # already first: nothing happens
    qtbot.keyClick(view, Qt.Key.Key_Down, ALT)
    assert stored(db, meeting_id, "safety_plan") == ["A", "C", "B"]
    assert view.currentIndex().data() == "C"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(db, meeting_id, "safety_plan") == ["C", "A", "B"]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert shown(tab, "safety_plan") == ["A", "C", "B"]
    assert stored(db, meeting_id, "safety_plan") == ["A", "C", "B"]


def test_alt_right_moves_a_point_with_its_sub_points_to_the_next_column(
    qtbot, db, meeting_id, make_tab
):
    add_stored(db, meeting_id, "concerns", ("Dark path", ["No lights", "Overgrown"]), "Other")
    add_stored(db, meeting_id, "complicating", "Existing")
    tab = make_tab()
    view = select(tab, "concerns", 0)
    qtbot.keyClick(view, Qt.Key.Key_Right, ALT)
    expected = ["Existing", ("Dark path", ["No lights", "Overgrown"])]
    assert shown(tab, "complicating") == expected
    assert stored(db, meeting_id, "complicating") == expected
    assert stored(db, meeting_id, "concerns") == ["Other"]
    target = tab.pane("complicating").view
    assert QApplication.focusWidget() is target and target.currentIndex().data() == "Dark path"
    qtbot.keyClick(target, Qt.Key.Key_Left, ALT)
    assert stored(db, meeting_id, "concerns") == [
        "Other",
        ("Dark path", ["No lights", "Overgrown"]),
    ]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, CTRL)
    assert stored(db, meeting_id, "concerns") == [
        ("Dark path", ["No lights", "Overgrown"]),
        "Other",
    ]
    assert shown(tab, "concerns") == [("Dark path", ["No lights", "Overgrown"]), "Other"]
    assert shown(tab, "complicating") == ["Existing"]


def test_delete_then_undo_restores_the_subtree_in_place_and_redo_deletes_again(
    qtbot, db, meeting_id, make_tab
):
    before = ["A", ("B", [("B1", ["B1a"]), "B2"]), "C"]
    add_stored(db, meeting_id, "concerns", "A", ("B", ["B1", "B2"]), "C")
    first_b1 = board.board_tree(db, meeting_id)["concerns"][1].children[0]
    board.add_point(db, meeting_id, "concerns", "B1a", parent_id=first_b1.id)
    tab = make_tab()
    view = select(tab, "concerns", 1)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored(db, meeting_id, "concerns") == ["A", "C"]
    assert shown(tab, "concerns") == ["A", "C"]
    assert view.currentIndex().data() == "C"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(db, meeting_id, "concerns") == before
    assert shown(tab, "concerns") == before
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert stored(db, meeting_id, "concerns") == ["A", "C"]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert shown(tab, "concerns") == ["A", "C"]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert shown(tab, "concerns") == before


def test_undo_copes_when_deleted_points_come_back_with_new_ids(qtbot, db, meeting_id, make_tab):
    """Delete a sub-point, then its parent; undo both; then redo and undo again."""
    add_stored(db, meeting_id, "strengths", ("P", ["c1", "c2"]))
    tab = make_tab()
    view = select(tab, "strengths", 0, 1)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    view = select(tab, "strengths", 0)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    board.add_point(db, meeting_id, "safety_plan", "takes a freed id")  # ids get reused
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(db, meeting_id, "strengths") == [("P", ["c1", "c2"])]
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert stored(db, meeting_id, "strengths") == []
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(db, meeting_id, "strengths") == [("P", ["c1", "c2"])]
    assert shown(tab, "strengths") == [("P", ["c1", "c2"])]
    assert stored(db, meeting_id, "safety_plan") == ["takes a freed id"]


def test_ctrl_z_in_an_empty_entry_field_undoes_the_board(qtbot, tab, db, meeting_id):
    type_point(qtbot, tab, "strengths", "Youth club")
    entry = tab.pane("strengths").entry
    qtbot.keyClicks(entry, "half typed")
    qtbot.keyClick(entry, Qt.Key.Key_Z, CTRL)  # the field's own undo first
    assert stored(db, meeting_id, "strengths") == ["Youth club"]
    entry.clear()
    qtbot.keyClick(entry, Qt.Key.Key_Z, CTRL)
    assert stored(db, meeting_id, "strengths") == []
    qtbot.keyClick(entry, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(db, meeting_id, "strengths") == ["Youth club"]
    qtbot.keyClick(entry, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(entry, Qt.Key.Key_Y, CTRL)
    assert shown(tab, "strengths") == ["Youth club"]
    assert QApplication.focusWidget() is entry


def test_pasting_lines_creates_clean_points_in_one_undo_step(qtbot, tab, db, meeting_id):
    QGuiApplication.clipboard().setText(
        "• Lighting on the path\r\n- CCTV broken\x0b2. Older males\x07 gathering\n\n\to\tsub bullet"
    )
    entry = tab.pane("concerns").entry
    entry.setFocus()
    qtbot.keyClick(entry, Qt.Key.Key_V, CTRL)
    # Word's "o" sub-bullet after a tab is a sub-point of the line above (issue 15).
    expected = ["Lighting on the path", "CCTV broken", ("Older males gathering", ["sub bullet"])]
    assert stored(db, meeting_id, "concerns") == expected
    assert shown(tab, "concerns") == expected
    assert entry.text() == ""
    assert tab.undo_stack.count() == 1
    qtbot.keyClick(entry, Qt.Key.Key_Z, CTRL)
    assert stored(db, meeting_id, "concerns") == []
    qtbot.keyClick(entry, Qt.Key.Key_Y, CTRL)
    assert shown(tab, "concerns") == expected


def test_pasting_into_a_column_adds_after_the_selected_point(qtbot, db, meeting_id, make_tab):
    add_stored(db, meeting_id, "safety_plan", "First", "Last")
    tab = make_tab()
    QGuiApplication.clipboard().setText("1) one\n2) two")
    view = select(tab, "safety_plan", 0)
    qtbot.keyClick(view, Qt.Key.Key_V, CTRL)
    assert stored(db, meeting_id, "safety_plan") == ["First", "one", "two", "Last"]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert shown(tab, "safety_plan") == ["First", "Last"]


def test_pasting_one_line_into_an_entry_field_just_inserts_it(qtbot, tab, db, meeting_id):
    QGuiApplication.clipboard().setText("one line\x07 only")
    entry = tab.pane("strengths").entry
    entry.setFocus()
    qtbot.keyClick(entry, Qt.Key.Key_V, CTRL)
    assert entry.text() == "one line only"
    assert stored(db, meeting_id, "strengths") == []


def test_ctrl_f_highlights_matches_in_every_column(qtbot, db, meeting_id, make_tab):
    add_stored(db, meeting_id, "concerns", ("Dark PARK path", ["bins in the park"]), "Shops")
    add_stored(db, meeting_id, "strengths", "Park wardens")
    tab = make_tab()
    tab.pane("safety_plan").entry.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is tab.find_field
    qtbot.keyClicks(tab.find_field, "park")
    assert tab.find_count.text() == "3 points match"
    concerns = tab.pane("concerns").view.model()
    top = concerns.index(0, 0)
    assert top.data(MatchRole) and top.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert concerns.index(0, 0, top).data(MatchRole)
    assert concerns.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert tab.pane("strengths").view.model().index(0, 0).data(MatchRole)
    qtbot.keyClick(tab.find_field, Qt.Key.Key_Return)
    assert tab.pane("concerns").view.currentIndex().data() == "Dark PARK path"
    type_point(qtbot, tab, "safety_plan", "Ask park wardens to patrol")
    assert tab.find_count.text() == "4 points match"
    tab.find_field.setFocus()
    qtbot.keyClick(tab.find_field, Qt.Key.Key_Escape)
    assert tab.find_field.text() == "" and tab.find_count.text() == ""
    assert not top.data(MatchRole)


def test_agenda_marks_the_current_item_and_shows_elapsed_time(qtbot, tab, db, meeting_id):
    strip = tab.agenda
    meeting = meetings.get_meeting(db, meeting_id)
    second = meeting.agenda[1]
    assert len(strip.buttons) == len(vocab.DEFAULT_AGENDA)
    with qtbot.waitSignal(tab.board_changed):
        qtbot.mouseClick(strip.buttons[second.id], Qt.MouseButton.LeftButton)
    stored_meeting = meetings.get_meeting(db, meeting_id)
    assert stored_meeting.current_item_id == second.id
    assert strip.buttons[second.id].isChecked()
    assert tab.projection().current_item == "Current concerns"
    assert strip.timer.isActive() and strip.timer.interval() == 1000
    started = stored_meeting.started_at
    strip.now = lambda: started + dt.timedelta(seconds=75)
    strip.tick()
    assert strip.item_elapsed.text() == "This item 01:15"
    assert strip.meeting_elapsed.text() == "Meeting 01:15"
    # By keyboard: focus the third item's button and press Space.
    third = meeting.agenda[2]
    strip.buttons[third.id].setFocus()
    qtbot.keyClick(strip.buttons[third.id], Qt.Key.Key_Space)
    later = meetings.get_meeting(db, meeting_id)
    assert later.current_item_id == third.id
    strip.now = lambda: later.agenda[2].started_at + dt.timedelta(seconds=3725)
    strip.tick()
    assert strip.item_elapsed.text() == "This item 1:02:05"
    strip.now = lambda: later.started_at + dt.timedelta(days=3)
    strip.tick()
    assert strip.meeting_elapsed.text().startswith("Meeting began ")
    assert not strip.timer.isActive()


def test_a_referral_is_recorded_and_never_projected(qtbot, tab, db, meeting_id):
    type_point(qtbot, tab, "concerns", "Park at night")
    panel = tab.referrals_panel
    panel.team.setFocus()
    qtbot.keyClicks(panel.team, "Children's social care front door")
    qtbot.keyClicks(panel.reference, "CSC-7781")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    listed = referrals.list_referrals(db, meeting_id)
    assert [(r.team, r.reference) for r in listed] == [
        ("Children's social care front door", "CSC-7781")
    ]
    assert panel.table.model().index(0, 1).data() == "Children's social care front door"
    projection = repr(tab.projection())
    assert "CSC-7781" not in projection and "front door" not in projection
    assert "Park at night" in projection
    tab.undo_stack.undo()
    assert referrals.list_referrals(db, meeting_id) == []
    assert panel.table.model().rowCount() == 0
    tab.undo_stack.redo()
    assert len(referrals.list_referrals(db, meeting_id)) == 1
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert referrals.list_referrals(db, meeting_id) == []
    tab.undo_stack.undo()
    assert [r.reference for r in referrals.list_referrals(db, meeting_id)] == ["CSC-7781"]


def test_a_referral_without_a_team_is_refused_with_a_message(qtbot, tab, db, meeting_id):
    panel = tab.referrals_panel
    with qtbot.waitSignal(tab.status_message) as message:
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert "which team" in message.args[0]
    assert referrals.list_referrals(db, meeting_id) == []


def test_the_guard_flags_personal_details_and_jumps_to_them(
    qtbot, db, conference_id, meeting_id, make_tab
):
    conferences.update_conference(db, conference_id, names_to_keep_out="Kai Smith\nJordan")
    tab = make_tab()
    points = {
        "Call 07700 900123 after school": "Phone number",
        "Mail jo@example.org": "E-mail address",
        "Lives near ME14 1XX": "Postcode",
        "DOB 12/03/2009": "Date of birth",
        "jordan hangs around the shops": "Name on the keep-out list",
        "Youth club open on Fridays": None,
    }
    for text in points:
        type_point(qtbot, tab, "concerns", text)
    model = tab.pane("concerns").view.model()
    for row, (text, label) in enumerate(points.items()):
        index = model.index(row, 0)
        assert index.data() == text
        assert (label in index.data(FlagRole)) if label else index.data(FlagRole) == []
    guard = tab.guard_panel
    assert guard.count() == 5
    assert guard.title() == "Check before sharing (5)"
    assert "Name on the keep-out list".lower() in guard.list.item(4).text()
    # Go to the flagged point and edit it: the flag goes.
    guard.list.setCurrentRow(0)
    qtbot.mouseClick(guard.edit_button, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "Call 07700 900123 after school"
    editor.selectAll()
    qtbot.keyClicks(editor, "Call the youth hub after school")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: guard.count() == 4)
    assert stored(db, meeting_id, "concerns")[0] == "Call the youth hub after school"
    # A new keep-out name flags existing points at once.
    tab.save_names("Kai Smith\nJordan\nyouth hub")
    assert guard.count() == 5
    assert conferences.get_conference(db, conference_id).names_to_keep_out.endswith("youth hub")


def test_board_changed_follows_every_change_and_projection_comes_from_memory(
    qtbot, tab, db, meeting_id, monkeypatch
):
    emitted = []
    tab.board_changed.connect(lambda: emitted.append(1))
    type_point(qtbot, tab, "concerns", "A")
    type_point(qtbot, tab, "concerns", "B")
    assert len(emitted) == 2
    view = select(tab, "concerns", 1)
    for key, mods in (
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Z, CTRL),
        (Qt.Key.Key_Y, CTRL),
        (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Z, CTRL),
    ):
        before = len(emitted)
        qtbot.keyClick(view, key, mods)
        assert len(emitted) > before, key

    def no_database(*_args, **_kwargs):
        raise AssertionError("projection() must not read the database")

    monkeypatch.setattr(board, "board_tree", no_database)
    data = tab.projection()
    assert data.conference_title == "T"
    assert data.meeting_label == "Conference"
    assert [p.text for p in data.columns["concerns"]] == ["A"]
    assert [p.text for p in data.columns["concerns"][0].children] == ["B"]
    assert data.columns["strengths"] == ()
    with pytest.raises(AttributeError):
        data.conference_title = "changed"


def test_present_button_and_f5_ask_for_the_projector(qtbot, tab):
    with qtbot.waitSignal(tab.present_requested):
        qtbot.mouseClick(tab.present_button, Qt.MouseButton.LeftButton)
    tab.pane("concerns").entry.setFocus()
    with qtbot.waitSignal(tab.present_requested):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F5)


def test_dragging_a_point_to_another_column_moves_it(qtbot, db, meeting_id, make_tab):
    add_stored(db, meeting_id, "concerns", ("A", ["A1"]), "B")
    add_stored(db, meeting_id, "safety_plan", "S")
    tab = make_tab()
    source = tab.pane("concerns").view.model()
    target = tab.pane("safety_plan").view.model()
    data = source.mimeData([source.index(0, 0)])
    assert data.text() == "- A\n    - A1"
    assert target.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    # Dropping onto A's own sub-point is refused.
    assert not source.canDropMimeData(
        data, Qt.DropAction.MoveAction, -1, 0, source.index(0, 0, source.index(0, 0))
    )
    target.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert stored(db, meeting_id, "safety_plan") == [("A", ["A1"]), "S"]
    assert shown(tab, "concerns") == ["B"]
    # Dropping onto a point makes it a sub-point; within a column it reorders.
    data = target.mimeData([target.index(1, 0)])
    target.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target.index(0, 0))
    assert stored(db, meeting_id, "safety_plan") == [("A", ["A1", "S"])]
    tab.undo_stack.undo()
    tab.undo_stack.undo()
    assert stored(db, meeting_id, "concerns") == [("A", ["A1"]), "B"]
    assert shown(tab, "safety_plan") == ["S"]


def test_meeting_picker_switches_boards_and_keeps_typed_text(
    qtbot, db, conference_id, meeting_id, make_tab
):
    review = meetings.add_meeting(db, conference_id, "review", date=dt.date(2099, 1, 5))
    board.add_point(db, review.id, "strengths", "Review strength")
    tab = make_tab()
    combo = tab.meeting_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Review · 5 Jan 2099",
        "Conference",
    ]
    assert tab.current_meeting_id() == review.id  # the next meeting due
    assert shown(tab, "strengths") == ["Review strength"]
    tab.pane("concerns").entry.setText("typed but not entered")
    combo.setCurrentIndex(combo.findData(meeting_id))
    assert tab.current_meeting_id() == meeting_id
    assert shown(tab, "strengths") == []
    assert stored(db, review.id, "concerns") == ["typed but not entered"]
    assert tab.pane("concerns").entry.text() == ""
    assert tab.projection().meeting_label == "Conference"


def test_flush_commits_text_still_in_an_entry_field(qtbot, tab, db, meeting_id):
    qtbot.keyClicks(tab.pane("safety_plan").entry, "Not yet entered")
    tab.flush()
    assert stored(db, meeting_id, "safety_plan") == ["Not yet entered"]


def test_flush_commits_an_open_in_place_edit(qtbot, db, meeting_id, make_tab):
    add_stored(db, meeting_id, "concerns", "Old words")
    tab = make_tab()
    view = select(tab, "concerns", 0)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "New words")
    tab.flush()
    assert stored(db, meeting_id, "concerns") == ["New words"]


def test_huge_emoji_and_right_to_left_points(qtbot, tab, db, meeting_id):
    huge = "word " * 20000
    entry = tab.pane("concerns").entry
    entry.setText(huge)
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    type_point(qtbot, tab, "concerns", "الحديقة مظلمة 🌙")
    stored_points = board.board_tree(db, meeting_id)["concerns"]
    assert len(stored_points[0].text) == len(huge.strip())
    assert stored_points[1].text == "الحديقة مظلمة 🌙"
    model = tab.pane("concerns").view.model()
    assert len(model.index(0, 0).data()) < 2000  # shown shortened, stored whole
    assert model.index(0, 0).data(Qt.ItemDataRole.EditRole) == huge.strip()
    tab.grab()  # paints without trouble


def test_editing_a_huge_point_in_place_keeps_all_of_it(qtbot, db, meeting_id, make_tab):
    huge = "long " * 20000
    board.add_point(db, meeting_id, "concerns", huge)
    tab = make_tab()
    view = select(tab, "concerns", 0)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert len(editor.text()) == len(huge.strip())
    editor.end(False)
    qtbot.keyClicks(editor, " end")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: board.board_tree(db, meeting_id)["concerns"][0].text.endswith(" end"))
    assert len(board.board_tree(db, meeting_id)["concerns"][0].text) == len(huge.strip()) + 4


def test_column_models_pass_qt_model_checks(qtmodeltester, db, meeting_id, make_tab):
    add_stored(db, meeting_id, "concerns", ("A", ["A1", "A2"]), "B")
    referrals.add_referral(db, meeting_id, team="CSC", reference="1")
    tab = make_tab()
    qtmodeltester.check(tab.pane("concerns").view.model())
    qtmodeltester.check(tab.pane("strengths").view.model())
    qtmodeltester.check(tab.referrals_panel.table.model())


def test_painting_the_board_does_not_wear_out_none(db, meeting_id, make_tab):
    """PySide6 6.12.0 dropped a reference to None for each None a model's data() returned to
    a view; on Python 3.11 a long meeting would then abort. The board must not."""
    add_stored(db, meeting_id, "concerns", *[f"point {n}" for n in range(40)])
    tab = make_tab()
    before = sys.getrefcount(None)
    for _ in range(5):
        tab.grab()
    assert sys.getrefcount(None) >= before


def test_undo_keys_and_f5_reach_the_window_menus(qtbot, db, conference_id, meeting_id):
    """In the main window, Edit > Undo/Redo and View > Present own the keys; an empty entry
    field must let them through, a field with typing keeps Ctrl+Z for itself."""
    window = QMainWindow()
    qtbot.addWidget(window)
    tab = BoardTab(db)
    window.setCentralWidget(tab)
    undo = tab.undo_stack.createUndoAction(window)
    undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
    redo = tab.undo_stack.createRedoAction(window)
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    presented = []
    present = QAction("Present", window)
    present.setShortcut(QKeySequence("F5"))
    present.triggered.connect(lambda: presented.append(1))
    window.addActions([undo, redo, present])
    undone = []
    undo.triggered.connect(lambda: undone.append(1))
    tab.set_conference(conference_id)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    type_point(qtbot, tab, "strengths", "Youth club")
    entry = tab.pane("strengths").entry
    qtbot.keyClicks(entry, "abc")
    qtbot.keyClick(entry, Qt.Key.Key_Z, CTRL)
    assert entry.text() != "abc"  # the field undid its own typing
    assert stored(db, meeting_id, "strengths") == ["Youth club"]
    assert undone == []
    entry.clear()
    qtbot.keyClick(entry, Qt.Key.Key_Z, CTRL)
    assert stored(db, meeting_id, "strengths") == []
    assert undone == [1]  # through the window's action, not a second route
    qtbot.keyClick(entry, Qt.Key.Key_Y, CTRL)
    assert stored(db, meeting_id, "strengths") == ["Youth club"]
    view = select(tab, "strengths", 0)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert shown(tab, "strengths") == ["Youth club"]
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(db, meeting_id, "strengths") == []
    qtbot.keyClick(view, Qt.Key.Key_F5)
    assert presented == [1]


def test_double_click_edits_in_place(qtbot, db, meeting_id, make_tab):
    add_stored(db, meeting_id, "complicating", "Funding ends")
    tab = make_tab()
    view = tab.pane("complicating").view
    rect = view.visualRect(view.model().index(0, 0))
    # A real double-click starts with a click; QTest's double-click alone omits it.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    assert editor.text() == "Funding ends" and editor.accessibleName() == "Edit point"


def test_an_undo_that_cannot_be_stored_says_so_and_shows_what_is_stored(qtbot, tab, db, meeting_id):
    type_point(qtbot, tab, "strengths", "Wardens")
    point = board.board_tree(db, meeting_id)["strengths"][0]
    board.delete_point(db, point.id)  # behind the board's back
    with qtbot.waitSignal(tab.status_message) as message:
        tab.undo_stack.undo()
    assert "no longer on the board" in message.args[0]
    qtbot.waitUntil(lambda: shown(tab, "strengths") == [])
    assert tab.undo_stack.count() == 0


def test_a_conference_without_meetings_shows_an_empty_disabled_board(
    qtbot, db, conference_id, meeting_id, make_tab
):
    tab = make_tab()
    meetings.delete_meeting(db, meeting_id)
    tab.reload()  # as when the tab is shown again after the meeting was removed elsewhere
    assert tab.current_meeting_id() is None
    assert not tab.pane("concerns").isEnabled() and not tab.present_button.isEnabled()
    assert tab.projection().columns == {key: () for key in COLUMNS}
    tab.set_conference(None)
    assert tab.meeting_combo.count() == 0


def test_tab_refuses_to_nest_deeper_than_the_cap(qtbot, db):
    from csfacilitator.core import board, conferences, meetings
    from csfacilitator.gui.board.board_tab import BoardTab

    conference_id = conferences.create_conference(db, "Deep GUI")
    meeting_id = meetings.list_meetings(db, conference_id)[0].id
    parent = deepest = None
    for level in range(board.MAX_DEPTH):
        parent, deepest = (
            deepest,
            board.add_point(
                db, meeting_id, "strengths", f"level {level + 1}", parent_id=deepest
            ).id,
        )
    # A sibling of the deepest point: indenting it would make an eleventh level.
    board.add_point(db, meeting_id, "strengths", "sibling below", parent_id=parent)
    tab = BoardTab(db)
    qtbot.addWidget(tab)
    tab.set_conference(conference_id)
    tab.show()
    messages = []
    tab.status_message.connect(messages.append)
    view = tab.panes["strengths"].view
    model = view.model()
    index = model.index(0, 0)
    for _ in range(board.MAX_DEPTH - 1):
        index = model.index(0, 0, index)
    sibling = model.index(1, 0, index.parent())
    assert sibling.data() == "sibling below"
    view.setFocus()
    view.setCurrentIndex(sibling)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert any(f"at most {board.MAX_DEPTH} levels" in m for m in messages)
    (stored,) = board.search_points(db, meeting_id, "sibling below")
    assert stored.parent_id == parent  # not moved


def test_a_columns_scroll_bar_stays_opaque_when_style_sheets_change(qtbot, tab):
    """The board's scroll bars say they paint all of themselves, so an Enter repaints only
    them (gui/style.py draws the window's colour under the groove); applying a style sheet
    again clears that attribute in Qt, and the scroll bar sets it again."""
    opaque = Qt.WidgetAttribute.WA_OpaquePaintEvent
    bars = [pane.view.verticalScrollBar() for pane in tab.panes.values()]
    assert all(bar.testAttribute(opaque) for bar in bars)
    tab.setStyleSheet(tab.styleSheet() + "\nQLabel#panelNote { font-weight: 400; }")
    assert all(bar.testAttribute(opaque) for bar in bars)


def test_a_point_moved_back_by_undo_stays_the_current_point(qtbot, db, meeting_id, make_tab):
    """A move is shown as the row taken out and put back (column_model.py): the point stays
    current through it, as it did when the view moved the row itself."""
    add_stored(db, meeting_id, "concerns", "A", "B", "C")
    tab = make_tab()
    view = select(tab, "concerns", 0)
    qtbot.keyClick(view, Qt.Key.Key_Down, ALT)
    assert shown(tab, "concerns") == ["B", "A", "C"]
    assert view.currentIndex().data() == "A"
    tab.undo_stack.undo()
    assert shown(tab, "concerns") == ["A", "B", "C"]
    assert view.currentIndex().data() == "A"
    tab.undo_stack.redo()
    assert view.currentIndex().data() == "A" and view.currentIndex().row() == 1


def test_an_edit_across_the_display_limit_keeps_the_point_current(qtbot, db, meeting_id, make_tab):
    """Crossing the 600 characters shown changes the row's kind of item (column_model.py), so
    its row is taken out and put back: the point stays current, and again on undo and redo."""
    add_stored(db, meeting_id, "concerns", "A", "B", "C")
    tab = make_tab()
    view = select(tab, "concerns", 1)
    model = view.model()
    long_text = " ".join(["word"] * 200)
    model.setData(view.currentIndex(), long_text)  # as the F2 editor commits it
    assert stored(db, meeting_id, "concerns") == ["A", long_text, "C"]
    assert view.currentIndex().row() == 1
    assert model.node_at(view.currentIndex()).text == long_text
    tab.undo_stack.undo()
    assert view.currentIndex().data() == "B"
    tab.undo_stack.redo()
    assert view.currentIndex().row() == 1
    assert model.node_at(view.currentIndex()).text == long_text


def test_a_current_sub_point_stays_current_when_its_point_moves(qtbot, db, meeting_id, make_tab):
    add_stored(db, meeting_id, "concerns", ("A", ["A1"]), "B")
    tab = make_tab()
    view = select(tab, "concerns", 0, 0)
    handle = view.model().node_at(view.model().index(0, 0)).handle
    tab.document.move(handle, "concerns", None, 1)
    assert shown(tab, "concerns") == ["B", ("A", ["A1"])]
    assert view.currentIndex().data() == "A1"


def test_typing_after_a_move_and_a_change_of_meeting(
    qtbot, db, conference_id, meeting_id, make_tab
):
    """The rows of the meeting left behind are gone with it: a point held through a move must
    not be reached after the switch (it raised in the next insert's slot)."""
    review = meetings.add_meeting(db, conference_id, "review", date=dt.date(2099, 1, 5))
    add_stored(db, review.id, "concerns", "P")
    add_stored(db, meeting_id, "concerns", "Q")
    tab = make_tab()
    assert tab.current_meeting_id() == review.id
    view = select(tab, "concerns", 0)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert shown(tab, "concerns") == [] and shown(tab, "complicating") == ["P"]
    tab.meeting_combo.setCurrentIndex(tab.meeting_combo.findData(meeting_id))
    type_point(qtbot, tab, "concerns", "R")
    assert shown(tab, "concerns") == ["Q", "R"]
    assert stored(db, meeting_id, "concerns") == ["Q", "R"]
