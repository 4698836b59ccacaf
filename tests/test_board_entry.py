"""Capture at the speed of speech, nested too: sub-points from the entry line without leaving
it, pasted outlines that keep their levels, and no typed letter swallowed by the list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from csfacilitator.core import board
from csfacilitator.gui.board.entry_field import outline_items

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def tab(board_tab):
    return board_tab


def stored(db, meeting_id, column):
    def shape(points):
        return [(p.text, shape(p.children)) if p.children else p.text for p in points]

    return shape(board.board_tree(db, meeting_id)[column])


def shown(tab, column):
    view = tab.pane(column).view
    model = view.model()

    def shape(parent):
        result = []
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            result.append((text, shape(index)) if model.rowCount(index) else text)
        return result

    return shape(QModelIndex())


def focused():
    return QApplication.focusWidget()


def say(qtbot, text, key=Qt.Key.Key_Return, modifiers=Qt.KeyboardModifier.NoModifier):
    """Type a point into whatever has the focus, then press `key`."""
    for char in text:
        qtbot.keyClicks(focused(), char)
    qtbot.keyClick(focused(), key, modifiers)


def press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focused(), key, modifiers)


def start(qtbot, tab, column):
    entry = tab.pane(column).entry
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus)
    return entry


def test_tab_makes_a_sub_point_the_level_sticks_and_shift_tab_backs_out(qtbot, db, meeting_id, tab):
    entry = start(qtbot, tab, "concerns")
    say(qtbot, "Park is unlit")
    for char in "Lights broken since May":
        qtbot.keyClicks(focused(), char)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is entry  # Tab with text typed nests; it does not leave the line
    assert entry.text() == "Lights broken since May"
    assert entry.placeholderText().startswith("Sub-point of “Park is unlit”")
    assert "level 2" in entry.accessibleDescription()
    press(qtbot, Qt.Key.Key_Return)
    say(qtbot, "CCTV not working")  # the level sticks: another sub-point
    press(qtbot, Qt.Key.Key_Backtab, SHIFT)
    assert entry.placeholderText() == "Add to Current concerns / risks / vulnerabilities"
    say(qtbot, "Shops close early")
    expected = [
        ("Park is unlit", ["Lights broken since May", "CCTV not working"]),
        "Shops close early",
    ]
    assert stored(db, meeting_id, "concerns") == expected
    assert shown(tab, "concerns") == expected
    assert focused() is entry and entry.text() == ""


def test_ctrl_enter_adds_a_sub_point_in_one_key_and_ctrl_z_takes_it_back(
    qtbot, db, meeting_id, tab
):
    entry = start(qtbot, tab, "strengths")
    say(qtbot, "Youth club")
    say(qtbot, "Open Fridays", Qt.Key.Key_Return, CTRL)
    say(qtbot, "Female worker", Qt.Key.Key_Return, CTRL)  # and again, a level further in
    assert stored(db, meeting_id, "strengths") == [
        ("Youth club", [("Open Fridays", ["Female worker"])])
    ]
    assert entry.level == 2
    press(qtbot, Qt.Key.Key_Z, CTRL)  # an empty line passes undo to the board
    assert stored(db, meeting_id, "strengths") == [("Youth club", ["Open Fridays"])]
    assert entry.level == 2 and entry.parent_node().text == "Open Fridays"
    assert focused() is entry


def test_an_empty_line_still_lets_tab_move_between_controls(qtbot, tab):
    entry = start(qtbot, tab, "concerns")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is not entry  # nothing typed: Tab moves on, as everywhere
    entry = start(qtbot, tab, "strengths")
    press(qtbot, Qt.Key.Key_Backtab, SHIFT)
    assert focused() is not entry  # at the top level, Shift+Tab moves back


def test_the_line_cannot_nest_deeper_than_the_point_above_allows(qtbot, db, meeting_id, tab):
    entry = start(qtbot, tab, "concerns")
    for char in "First":
        qtbot.keyClicks(entry, char)
    press(qtbot, Qt.Key.Key_Tab)  # no point above yet: stays a point of its own
    assert entry.level == 0
    press(qtbot, Qt.Key.Key_Return)
    say(qtbot, "Second", Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)  # one level under "First" at most
    assert entry.level == 1
    press(qtbot, Qt.Key.Key_Return)
    assert stored(db, meeting_id, "concerns") == [("First", ["Second"])]


def test_letters_typed_on_the_list_go_to_the_line(qtbot, db, meeting_id, tab):
    start(qtbot, tab, "safety_plan")
    say(qtbot, "Lights on the path")
    view = tab.pane("safety_plan").view
    press(qtbot, Qt.Key.Key_Up)  # into the points
    assert focused() is view
    say(qtbot, "Monthly walkabout")  # forgot to go back to the line
    assert stored(db, meeting_id, "safety_plan") == ["Lights on the path", "Monthly walkabout"]
    assert focused() is tab.pane("safety_plan").entry


def test_pasting_an_indented_list_keeps_its_levels_in_one_undo_step(qtbot, db, meeting_id, tab):
    start(qtbot, tab, "concerns")
    QGuiApplication.clipboard().setText(
        "- Park\n    - lights broken\n    - CCTV\n        * since May\n- Shops\n\t- off-licence"
    )
    press(qtbot, Qt.Key.Key_V, CTRL)
    expected = [
        ("Park", ["lights broken", ("CCTV", ["since May"])]),
        ("Shops", ["off-licence"]),
    ]
    assert stored(db, meeting_id, "concerns") == expected
    assert shown(tab, "concerns") == expected
    assert tab.undo_stack.count() == 1 and tab.undo_stack.undoText() == "Add 6 points"
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert stored(db, meeting_id, "concerns") == [] and shown(tab, "concerns") == []
    press(qtbot, Qt.Key.Key_Y, CTRL)
    assert stored(db, meeting_id, "concerns") == expected
    assert shown(tab, "concerns") == expected


def test_pasting_words_bullets_keeps_their_levels_at_the_lines_level(qtbot, db, meeting_id, tab):
    entry = start(qtbot, tab, "safety_plan")
    say(qtbot, "Agreed")
    for char in "x":
        qtbot.keyClicks(entry, char)
    press(qtbot, Qt.Key.Key_Tab)  # the line is a sub-point of "Agreed"
    entry.clear()
    # Word's plain text: levels by glyph (•, o, §), each followed by a tab.
    QGuiApplication.clipboard().setText(
        "\u2022\tYouth work\r\no\tFridays\r\n\uf0a7\tFemale worker\r\no\tSaturdays\r\n"
        "\u2022\tLighting"
    )
    press(qtbot, Qt.Key.Key_V, CTRL)
    assert stored(db, meeting_id, "safety_plan") == [
        (
            "Agreed",
            [("Youth work", [("Fridays", ["Female worker"]), "Saturdays"]), "Lighting"],
        )
    ]


def test_pasted_levels_stop_at_the_boards_limit(qtbot, db, meeting_id, tab):
    start(qtbot, tab, "strengths")
    lines = [" " * (4 * depth) + f"- level {depth + 1}" for depth in range(board.MAX_DEPTH + 2)]
    QGuiApplication.clipboard().setText("\n".join(lines))
    press(qtbot, Qt.Key.Key_V, CTRL)
    depths = {}

    def walk(points, depth):
        for point in points:
            depths[point.text] = depth
            walk(point.children, depth + 1)

    walk(board.board_tree(db, meeting_id)["strengths"], 1)
    assert len(depths) == board.MAX_DEPTH + 2  # nothing lost
    assert max(depths.values()) == board.MAX_DEPTH
    assert depths[f"level {board.MAX_DEPTH + 2}"] == board.MAX_DEPTH


def test_pasting_into_a_column_after_a_point_keeps_the_nesting(qtbot, db, meeting_id, tab):
    board.add_point(db, meeting_id, "safety_plan", "First")
    board.add_point(db, meeting_id, "safety_plan", "Last")
    tab.set_conference(tab.conference_id)
    tab._load_meeting(meeting_id)
    view = tab.pane("safety_plan").view
    view.setCurrentIndex(view.model().index(0, 0))
    view.setFocus()
    QGuiApplication.clipboard().setText("1. one\n   a) one-a\n2. two")
    press(qtbot, Qt.Key.Key_V, CTRL)
    assert stored(db, meeting_id, "safety_plan") == ["First", ("one", ["one-a"]), "two", "Last"]


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("a\nb", [(0, "a"), (0, "b")]),
        ("a\n  b\n    c\n  d\ne", [(0, "a"), (1, "b"), (2, "c"), (1, "d"), (0, "e")]),
        ("\u2022 a\n\u25e6 b\n\u25aa c", [(0, "a"), (1, "b"), (2, "c")]),
        ("    a\n    b", [(0, "a"), (0, "b")]),  # all indented alike: one level
        ("a\n\t\tb\n  c", [(0, "a"), (1, "b"), (1, "c")]),  # between levels: one in
        ("1. a\n\n   - b\n2. c", [(0, "a"), (1, "b"), (0, "c")]),
    ],
)
def test_outline_levels(text, items):
    assert outline_items(text) == items


def test_a_selected_sub_point_is_highlighted_from_its_bullet_not_across_its_indent(
    qtbot, db, meeting_id, tab
):
    start(qtbot, tab, "concerns")
    say(qtbot, "Park is unlit")
    say(qtbot, "Lights broken", Qt.Key.Key_Return, CTRL)
    say(qtbot, "Bulbs stolen", Qt.Key.Key_Return, CTRL)
    view = tab.pane("concerns").view
    press(qtbot, Qt.Key.Key_Up)  # onto "Bulbs stolen", the third level, with the focus
    assert focused() is view and view.currentIndex().data() == "Bulbs stolen"
    rect = view.visualRect(view.currentIndex())
    image = view.viewport().grab().toImage()
    highlight = view.palette().highlight().color()

    def selected_at(x):
        colour = image.pixelColor(x, rect.center().y())
        return all(
            abs(a - b) < 12
            for a, b in zip(colour.getRgb()[:3], highlight.getRgb()[:3], strict=True)
        )

    indent = 2 * view.indentation()
    assert selected_at(indent + 3)  # the row is highlighted from its bullet on
    assert not any(selected_at(x) for x in (2, view.indentation(), indent - 3))  # not before


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_in_the_line_adds_the_point_and_goes_no_further(qtbot, db, meeting_id, tab, key):
    """The line's Enter is its own: neither its shortcut check, its press nor its release
    passes up to the board (QLineEdit would pass all three up through the window)."""
    from PySide6.QtCore import QEvent, QObject

    class Seen(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.kinds: list[QEvent.Type] = []

        def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
            if event.type() in (
                QEvent.Type.ShortcutOverride,
                QEvent.Type.KeyPress,
                QEvent.Type.KeyRelease,
            ):
                self.kinds.append(event.type())
            return False

    seen = Seen()
    tab.installEventFilter(seen)
    entry = start(qtbot, tab, "strengths")
    entry.setText("Youth worker trusted by the group")
    qtbot.keyClick(entry, key)
    assert stored(db, meeting_id, "strengths") == ["Youth worker trusted by the group"]
    assert entry.text() == ""
    assert seen.kinds == []
    qtbot.keyClick(entry, Qt.Key.Key_A)  # other keys still pass up as before
    assert QEvent.Type.KeyRelease in seen.kinds
    tab.removeEventFilter(seen)
