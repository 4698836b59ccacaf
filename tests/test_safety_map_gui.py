"""The Safety map page of the Assessment tab, driven by keyboard as a user would: import a map,
add a session, drop a pin, draw an area, edit a mark in the list, undo and redo; a click and a
drag with the mouse do the same; the list says each mark in words; the compare view shows two
meetings."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from csfacilitator.core import safety_map
from csfacilitator.core.conferences import create_conference
from csfacilitator.gui.assessment.assessment_tab import AssessmentTab

SHOTS = os.environ.get("CSF_SHOTS")  # a folder: save screenshots there to look at them


@pytest.fixture
def tab(qtbot, db):
    def open_(conference_id, size=(1366, 768)):
        widget = AssessmentTab(db)
        qtbot.addWidget(widget)
        widget.set_conference(conference_id)
        widget.resize(*size)
        with qtbot.waitActive(widget):
            widget.show()
            widget.activateWindow()
        return widget

    return open_


def shot(widget, name):
    if SHOTS:
        QApplication.processEvents()
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def map_file(tmp_path) -> Path:
    from drawn_map import draw_map

    path = tmp_path / "Wrenmoor Park.png"
    path.write_bytes(draw_map())
    return path


def alt(qtbot, fallback, key):
    """An access key, pressed where the keyboard is (as a user would)."""
    qtbot.keyClick(QApplication.focusWidget() or fallback, key, Qt.KeyboardModifier.AltModifier)


def keys(qtbot, widget, *sequence):
    for key in sequence:
        if isinstance(key, str):
            qtbot.keyClicks(widget, key)
        else:
            qtbot.keyClick(widget, key)


def test_by_keyboard_import_a_map_add_a_session_drop_a_pin_draw_an_area_edit_and_undo(
    qtbot, db, tab, tmp_path, monkeypatch
):
    cid = create_conference(db, "Wrenmoor Park")
    widget = tab(cid)
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileName",
        lambda *a, **k: (str(map_file(tmp_path)), ""),
    )
    alt(qtbot, widget, Qt.Key.Key_M)  # Safety &map
    panel = widget.safety_map
    qtbot.waitUntil(lambda: widget.pages.currentWidget() is panel)  # a button's click lands
    assert panel.canvas.hasFocus()  # after its access key's short animation
    alt(qtbot, panel, Qt.Key.Key_I)  # &Import map…
    qtbot.waitUntil(lambda: safety_map.get_map_image(db, cid) is not None)
    assert safety_map.get_map_image(db, cid).caption == "Wrenmoor Park"
    assert panel.import_button.accessibleName() == "Replace image…"

    alt(qtbot, panel, Qt.Key.Key_D)  # A&dd session
    qtbot.waitUntil(panel.session_name.hasFocus)
    keys(qtbot, panel.session_name, "Year 9 group", Qt.Key.Key_Tab)
    (session,) = safety_map.get_safety_map(db, cid).sessions
    assert session.name == "Year 9 group"
    keys(qtbot, panel.session_date.edit, "3/10/2026", Qt.Key.Key_Tab)
    assert safety_map.get_safety_map(db, cid).sessions[0].held_on.isoformat() == "2026-10-03"

    # A pin: arrows move the cross from the centre, 1 makes new marks unsafe, Enter drops it.
    canvas = panel.canvas
    canvas.setFocus()
    keys(qtbot, canvas, Qt.Key.Key_Left, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_1,
         Qt.Key.Key_Return)  # fmt: skip
    (pin,) = safety_map.get_safety_map(db, cid).sessions[0].marks
    assert (pin.shape, pin.rating, pin.points) == ("pin", "unsafe", ((0.46, 0.48),))
    assert "The cross is 46% across, 48% down" in panel.where.text()

    # An area: 3 for safe, A starts it, the arrows reach the opposite corner, Enter finishes.
    keys(qtbot, canvas, Qt.Key.Key_3, Qt.Key.Key_A, *[Qt.Key.Key_Right] * 5,
         *[Qt.Key.Key_Down] * 4, Qt.Key.Key_Return)  # fmt: skip
    marks = safety_map.get_safety_map(db, cid).sessions[0].marks
    area = marks[1]
    assert (area.code, area.shape, area.rating) == ("A2", "area", "safe")
    assert area.points == ((0.46, 0.48), (0.56, 0.48), (0.56, 0.56), (0.46, 0.56))
    # A shape corner by corner: Space adds corners, Enter closes it at the cross.
    keys(qtbot, canvas, Qt.Key.Key_2, Qt.Key.Key_A, *[Qt.Key.Key_Right] * 4, Qt.Key.Key_Space,
         *[Qt.Key.Key_Down] * 4, Qt.Key.Key_Return)  # fmt: skip
    triangle = safety_map.get_safety_map(db, cid).sessions[0].marks[2]
    assert (triangle.rating, len(triangle.points)) == ("mixed", 3)

    # The list beside the map: the newest mark is chosen; each item says its mark in words.
    assert panel.marks.count() == 3
    item = panel.marks.item(0)
    assert item.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "A1: Unsafe pin, any time, centre of the map."
    )
    panel.marks.setFocus()
    qtbot.keyClick(panel.marks, Qt.Key.Key_Home)
    alt(qtbot, panel, Qt.Key.Key_L)  # P&lace
    assert panel.mark_label.hasFocus()
    keys(qtbot, panel.mark_label, "Mill Road underpass", Qt.Key.Key_Tab)
    assert panel.mark_rating.hasFocus()
    keys(qtbot, panel.mark_rating, Qt.Key.Key_Down, Qt.Key.Key_Tab)  # Unsafe -> Mixed
    keys(qtbot, panel.mark_time, Qt.Key.Key_End, Qt.Key.Key_Tab)  # Night
    keys(qtbot, panel.mark_note, "Dark, nobody about", Qt.Key.Key_Tab)
    pin = safety_map.get_safety_map(db, cid).sessions[0].marks[0]
    assert (pin.label, pin.rating, pin.time_of_day, pin.note) == (
        "Mill Road underpass", "mixed", "night", "Dark, nobody about",
    )  # fmt: skip
    assert panel.marks.item(0).text() == "A1  Mixed pin — Mill Road underpass · Night"
    shot(widget, "safety_map_keyboard")

    # Undo walks back: the note, the time, the rating, the place; redo puts the note back.
    stack = widget.undo_stack
    for _ in range(4):
        stack.undo()
    pin = safety_map.get_safety_map(db, cid).sessions[0].marks[0]
    assert (pin.label, pin.rating, pin.time_of_day, pin.note) == ("", "unsafe", "any", "")
    for _ in range(4):
        stack.redo()
    assert safety_map.get_safety_map(db, cid).sessions[0].marks[0].note == "Dark, nobody about"

    # Delete on the list removes the chosen mark; undo puts the same row back.
    panel.marks.setFocus()
    panel.marks.setCurrentRow(1)
    qtbot.keyClick(panel.marks, Qt.Key.Key_Delete)
    assert [m.code for m in safety_map.get_safety_map(db, cid).sessions[0].marks] == ["A1", "A2"]
    stack.undo()
    again = safety_map.get_safety_map(db, cid).sessions[0].marks
    assert [m.id for m in again] == [pin.id, area.id, triangle.id]
    assert panel.marks.count() == 3


def test_by_mouse_a_click_drops_a_pin_a_drag_draws_an_area_and_a_click_chooses(
    qtbot, db, tab, tmp_path
):
    cid = create_conference(db, "Wrenmoor Park")
    safety_map.import_map_file(db, cid, map_file(tmp_path))
    safety_map.add_session(db, cid, "Residents")
    widget = tab(cid)
    widget.show_safety_map()
    canvas = widget.safety_map.canvas
    rect = canvas.map_rect()
    at = QPoint(int(rect.left() + rect.width() * 0.25), int(rect.top() + rect.height() * 0.5))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=at)
    (pin,) = safety_map.get_safety_map(db, cid).sessions[0].marks
    assert abs(pin.points[0][0] - 0.25) < 0.01 and abs(pin.points[0][1] - 0.5) < 0.01
    start = QPoint(int(rect.left() + rect.width() * 0.6), int(rect.top() + rect.height() * 0.2))
    end = QPoint(int(rect.left() + rect.width() * 0.8), int(rect.top() + rect.height() * 0.4))
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, pos=QPoint(start.x() + 20, start.y() + 20))
    qtbot.mouseMove(canvas, pos=end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)
    area = safety_map.get_safety_map(db, cid).sessions[0].marks[1]
    assert area.shape == "area" and abs(area.points[2][0] - 0.8) < 0.01
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=at)  # on the pin: chooses it
    assert widget.safety_map.mark_id == pin.id
    assert len(safety_map.get_safety_map(db, cid).sessions[0].marks) == 2


def test_a_bad_file_says_why_and_keeps_the_map(qtbot, db, tab, tmp_path):
    cid = create_conference(db, "Wrenmoor Park")
    widget = tab(cid)
    widget.show_safety_map()
    messages = []
    widget.status_message.connect(messages.append)
    bad = tmp_path / "notes.png"
    bad.write_text("not a picture")
    widget.safety_map.import_file(str(bad))
    assert messages[-1].startswith("notes.png cannot be read as a picture")
    assert safety_map.get_map_image(db, cid) is None and widget.undo_stack.count() == 0
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(out, "PNG")
    good = tmp_path / "good.png"
    good.write_bytes(out.getvalue())
    widget.safety_map.import_file(str(good))
    widget.undo_stack.undo()
    assert safety_map.get_map_image(db, cid) is None


def test_sessions_laid_over_each_other_and_two_meetings_compared(qtbot, db, example_id, tab):
    widget = tab(example_id)
    widget.show_safety_map()
    panel = widget.safety_map
    assert panel.sessions.count() == 3
    assert len(panel.canvas.marks) == 15  # every session shown, laid over each other
    panel.sessions.setFocus()
    panel.sessions.setCurrentRow(2)
    qtbot.keyClick(panel.sessions, Qt.Key.Key_Space)  # unticks C: hidden
    assert len(panel.canvas.marks) == 9
    shot(widget, "safety_map_example")
    alt(qtbot, panel, Qt.Key.Key_C)  # &Compare meetings
    qtbot.waitUntil(lambda: panel.pages.currentIndex() == 1)
    assert panel.compare_combos[0].currentText().startswith("Conference")
    assert panel.compare_combos[1].currentText().startswith("Review 1")
    assert "9 marks, 5 unsafe, 2 mixed, 2 safe" in panel.compare_counts[0].text()
    assert "6 marks, 1 unsafe, 2 mixed, 3 safe" in panel.compare_counts[1].text()
    assert not panel.compare_pictures[1].pixmap().isNull()
    assert "C1: Mixed area, “Mill Road underpass”" in (
        panel.compare_pictures[1].accessibleDescription()
    )
    assert "• Mill Road underpass: unsafe → mixed, safer (A1 → C1)." in panel.changes.text()
    shot(widget, "safety_map_compare")
    widget.resize(1920, 1080)
    qtbot.waitUntil(lambda: panel.compare_pictures[0].pixmap().width() > 700)
    shot(widget, "safety_map_compare_1920")


def test_a_mark_moves_to_the_cross_and_a_session_is_tied_to_a_meeting_by_keyboard(
    qtbot, db, tab, tmp_path
):
    from csfacilitator.core import reviews

    cid = create_conference(db, "Wrenmoor Park")
    review = reviews.start_review(db, cid, "4/2/2027")
    safety_map.import_map_file(db, cid, map_file(tmp_path))
    session = safety_map.add_session(db, cid, "Residents")
    pin = safety_map.add_mark(db, session.id, "pin", [(0.2, 0.2)], "safe", label="Hall")
    widget = tab(cid)
    widget.show_safety_map()
    panel, canvas = widget.safety_map, widget.safety_map.canvas
    keys(qtbot, canvas, Qt.Key.Key_PageDown)  # chooses the first mark; the cross goes to it
    assert panel.mark_id == pin.id and canvas.cross == (0.2, 0.2)
    keys(qtbot, canvas, *[Qt.Key.Key_Right] * 10)
    panel.move_button.setFocus()
    keys(qtbot, panel.move_button, Qt.Key.Key_Space)
    moved = safety_map.get_safety_map(db, cid).sessions[0].marks[0]
    assert moved.points == ((0.4, 0.2),)
    widget.undo_stack.undo()
    assert safety_map.get_safety_map(db, cid).sessions[0].marks[0].points == ((0.2, 0.2),)

    panel.session_meeting.setFocus()
    index = panel.session_meeting.findData(review.id)
    keys(qtbot, panel.session_meeting, *[Qt.Key.Key_Down] * index)
    stored = safety_map.get_safety_map(db, cid)
    assert stored.sessions[0].meeting_id == review.id
    assert stored.rounds[0].label.startswith("Review")
    assert panel.sessions.item(0).text() == "A  Residents, Review · 4 Feb 2027"
