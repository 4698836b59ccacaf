"""The weighting picture driven by keyboard and mouse: what it shows, what it stores, undo."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack

from csfacilitator.core import weighting as wt
from csfacilitator.core.conferences import create_conference
from csfacilitator.core.meetings import add_meeting
from csfacilitator.core.weighting import Context, Weighting
from csfacilitator.gui.assessment.weighting_panel import WeightingPanel

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
START = Weighting(
    (
        Context("Wrenmoor Park", 0.4),
        Context("Kestrel Parade", 0.3),
        Context("Mill Road underpass", 0.2),
        Context("Route to school", 0.1),
    )
)


@pytest.fixture
def conference_id(db):
    conference = create_conference(db, "Wrenmoor Park", context_name="Wrenmoor Park")
    wt.set_weighting(db, conference, START)
    return conference


@pytest.fixture
def panel(qtbot, db, conference_id):
    widget = WeightingPanel(db, QUndoStack())
    qtbot.addWidget(widget)
    widget.set_conference(conference_id)
    widget.resize(520, 440)
    widget.show()
    qtbot.waitExposed(widget)
    widget.messages = []
    widget.status_message.connect(widget.messages.append)
    widget.view.setFocus()
    return widget


def stored(db, conference_id):
    return wt.get_weighting(db, conference_id)


def key(qtbot, panel, k, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(panel.view, k, modifier)


def test_shows_the_stored_weighting_and_describes_it(panel):
    view = panel.view
    assert view.weighting() == START
    assert view.accessibleName() == "Context weighting"
    assert view.accessibleDescription() == (
        "Context weighting: Wrenmoor Park 40%, Kestrel Parade 30%, Mill Road underpass 20%, "
        "Route to school 10%. Selected: Wrenmoor Park, 40%."
    )
    rects = view.box_rects()
    assert len(rects) == 4
    assert rects[0].width() * rects[0].height() > rects[3].width() * rects[3].height() * 3
    assert panel.show_combo.currentText() == "Current"


def test_arrows_select_and_plus_minus_resize_and_store(qtbot, panel, db, conference_id):
    view = panel.view
    key(qtbot, panel, Qt.Key.Key_Right)
    key(qtbot, panel, Qt.Key.Key_Right)
    assert view.selected() == 2
    assert "Selected: Mill Road underpass, 20%." in view.accessibleDescription()

    key(qtbot, panel, Qt.Key.Key_Plus)
    assert stored(db, conference_id).sizes[2] == pytest.approx(0.25)
    assert view.weighting() == stored(db, conference_id)
    assert "Mill Road underpass 25%" in view.accessibleDescription()
    key(qtbot, panel, Qt.Key.Key_Up, CTRL)  # Ctrl+Up: bigger again
    assert stored(db, conference_id).sizes[2] == pytest.approx(0.30)
    key(qtbot, panel, Qt.Key.Key_Minus)
    assert stored(db, conference_id).sizes[2] == pytest.approx(0.25)
    assert sum(stored(db, conference_id).sizes) == pytest.approx(1.0)

    # Each press is one undo step; undo restores the whole weighting, stored too.
    assert panel.undo_stack.count() == 3
    panel.undo_stack.undo()
    panel.undo_stack.undo()
    panel.undo_stack.undo()
    assert stored(db, conference_id) == START
    assert view.weighting() == START
    assert "Mill Road underpass 20%" in view.accessibleDescription()
    panel.undo_stack.redo()
    assert stored(db, conference_id).sizes[2] == pytest.approx(0.25)


def test_a_box_at_its_limit_says_so_and_adds_no_undo_step(qtbot, panel, db, conference_id):
    key(qtbot, panel, Qt.Key.Key_End)
    for _ in range(3):
        key(qtbot, panel, Qt.Key.Key_Minus)
    assert stored(db, conference_id).sizes[3] == pytest.approx(wt.MIN_SHARE)
    count = panel.undo_stack.count()
    key(qtbot, panel, Qt.Key.Key_Minus)
    assert panel.undo_stack.count() == count
    assert panel.messages[-1] == "'Route to school' is already as small as it can be."
    assert not panel.buttons["Smaller"].isEnabled()


def test_f2_renames_by_typing_and_escape_keeps_the_old_name(qtbot, panel, db, conference_id):
    view = panel.view
    key(qtbot, panel, Qt.Key.Key_Right)
    key(qtbot, panel, Qt.Key.Key_F2)
    assert view.editor.isVisible() and view.editor.hasFocus()
    assert view.editor.text() == "Kestrel Parade"
    qtbot.keyClicks(view.editor, "Kestrel Parade at closing time")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert not view.editor.isVisible()
    assert view.hasFocus()
    assert stored(db, conference_id).names[1] == "Kestrel Parade at closing time"
    assert "Kestrel Parade at closing time 30%" in view.accessibleDescription()

    key(qtbot, panel, Qt.Key.Key_F2)
    qtbot.keyClicks(view.editor, "Something else")
    qtbot.keyClick(view.editor, Qt.Key.Key_Escape)
    assert stored(db, conference_id).names[1] == "Kestrel Parade at closing time"
    assert view.hasFocus()

    # An empty name is refused with a message; what was typed stays in the box.
    key(qtbot, panel, Qt.Key.Key_F2)
    view.editor.clear()
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert view.editor.isVisible()
    assert panel.messages[-1] == "A context needs a name."
    view.editor.insert("بيت 👍🏽")  # as pasted: QTest can only type ASCII
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert stored(db, conference_id).names[1] == "بيت 👍🏽"

    panel.undo_stack.undo()
    assert stored(db, conference_id).names[1] == "Kestrel Parade at closing time"
    panel.undo_stack.undo()
    assert stored(db, conference_id) == START


def test_insert_adds_a_named_context_as_one_step_and_delete_removes(
    qtbot, panel, db, conference_id
):
    view = panel.view
    key(qtbot, panel, Qt.Key.Key_Insert)
    assert len(view.box_rects()) == 5  # the new box shows while it is being named
    assert stored(db, conference_id) == START
    qtbot.keyClicks(view.editor, "The car park after dark")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    after_add = stored(db, conference_id)
    assert after_add.names[-1] == "The car park after dark"
    assert after_add.sizes[-1] == pytest.approx(0.2)
    assert view.selected() == 4
    assert panel.undo_stack.count() == 1

    key(qtbot, panel, Qt.Key.Key_Insert)
    qtbot.keyClick(view.editor, Qt.Key.Key_Escape)  # changed their mind: nothing added
    assert len(view.box_rects()) == 5
    assert stored(db, conference_id) == after_add

    key(qtbot, panel, Qt.Key.Key_Home)
    key(qtbot, panel, Qt.Key.Key_Delete)
    assert stored(db, conference_id).names == (
        "Kestrel Parade",
        "Mill Road underpass",
        "Route to school",
        "The car park after dark",
    )
    assert "Ctrl+Z" in panel.messages[-1]
    assert "Wrenmoor Park" not in view.accessibleDescription()
    panel.undo_stack.undo()
    assert stored(db, conference_id) == after_add
    assert view.weighting() == after_add
    panel.undo_stack.undo()
    assert stored(db, conference_id) == START


def test_no_seventh_context(qtbot, panel, db, conference_id):
    view = panel.view
    for name in ("Fifth", "Sixth"):
        key(qtbot, panel, Qt.Key.Key_Insert)
        qtbot.keyClicks(view.editor, name)
        qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert len(stored(db, conference_id).boxes) == 6
    assert not panel.buttons["Add"].isEnabled()
    key(qtbot, panel, Qt.Key.Key_Insert)
    assert not view.editor.isVisible()
    assert "at most 6" in panel.messages[-1]
    assert len(stored(db, conference_id).boxes) == 6


def test_alt_arrows_reorder_and_l_links(qtbot, panel, db, conference_id):
    view = panel.view
    key(qtbot, panel, Qt.Key.Key_Right, ALT)  # Wrenmoor Park one later
    assert stored(db, conference_id).names[:2] == ("Kestrel Parade", "Wrenmoor Park")
    assert view.selected() == 1

    key(qtbot, panel, Qt.Key.Key_L)  # link Wrenmoor Park ...
    assert view.linking_from() == 1
    key(qtbot, panel, Qt.Key.Key_Right)  # ... to the underpass
    key(qtbot, panel, Qt.Key.Key_Return)
    assert view.linking_from() is None
    assert stored(db, conference_id).links == ((1, 2),)
    assert "linked: Wrenmoor Park and Mill Road underpass" in view.accessibleDescription()

    key(qtbot, panel, Qt.Key.Key_Home)
    key(qtbot, panel, Qt.Key.Key_Right, ALT)  # Kestrel Parade moves; the link follows its boxes
    assert stored(db, conference_id).names[:3] == (
        "Wrenmoor Park",
        "Kestrel Parade",
        "Mill Road underpass",
    )
    assert stored(db, conference_id).links == ((0, 2),)

    key(qtbot, panel, Qt.Key.Key_L)
    key(qtbot, panel, Qt.Key.Key_Escape)  # cancelled: nothing changes
    assert stored(db, conference_id).links == ((0, 2),)

    panel.undo_stack.undo()
    panel.undo_stack.undo()
    assert stored(db, conference_id).links == ()
    panel.undo_stack.undo()
    assert stored(db, conference_id) == START


def test_mouse_selects_links_and_double_click_renames(qtbot, panel, db, conference_id):
    view = panel.view
    rects = view.box_rects()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=rects[3].center().toPoint())
    assert view.selected() == 3
    panel.buttons["Link"].click()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=rects[1].center().toPoint())
    assert stored(db, conference_id).links == ((1, 3),)

    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=rects[0].center().toPoint())
    assert view.editor.isVisible()
    view.editor.selectAll()
    qtbot.keyClicks(view.editor, "The park")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert stored(db, conference_id).names[0] == "The park"

    panel.buttons["Bigger"].click()
    assert stored(db, conference_id).sizes[0] == pytest.approx(0.45)
    assert panel.buttons["Bigger"].accessibleName() == "Bigger"
    assert panel.buttons["Rename"].accessibleName() == "Rename…"


def test_context_menu_offers_every_action_and_links_by_name(qtbot, panel, db, conference_id):
    view = panel.view
    view.set_selected(0)
    menu = view.context_menu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    assert texts == [
        "Bigger",
        "Smaller",
        "Rename…",
        "Move earlier",
        "Move later",
        "Link to",
        "Add context",
        "Remove",
    ]
    link_menu = next(a for a in menu.actions() if a.text() == "Link to").menu()
    targets = {a.text(): a for a in link_menu.actions()}
    assert set(targets) == {"Kestrel Parade", "Mill Road underpass", "Route to school"}
    targets["Route to school"].trigger()
    assert stored(db, conference_id).links == ((0, 3),)
    menu = view.context_menu()
    link_menu = next(a for a in menu.actions() if a.text() == "Link to").menu()
    assert [a.isChecked() for a in link_menu.actions()] == [False, False, True]


def test_a_meeting_snapshot_is_shown_read_only(qtbot, panel, db, conference_id):
    meeting = add_meeting(db, conference_id, "conference", date=dt.date(2026, 11, 5))
    wt.snapshot_for_meeting(db, conference_id, meeting.id)
    wt.set_weighting(db, conference_id, wt.grow(START, 3))
    panel.reload()
    assert [panel.show_combo.itemText(i) for i in range(panel.show_combo.count())] == [
        "Current",
        "Kept at Conference · 5 Nov 2026",
    ]
    panel.show_combo.setCurrentIndex(1)
    view = panel.view
    assert view.weighting() == START
    assert view.is_read_only()
    assert view.accessibleDescription().endswith("Read-only.")
    assert "Route to school 10% → 15%" in panel.note.text()
    view.setFocus()
    key(qtbot, panel, Qt.Key.Key_Plus)
    assert "Choose Current" in panel.messages[-1]
    assert stored(db, conference_id) == wt.grow(START, 3)
    assert not panel.buttons["Bigger"].isEnabled()

    panel.show_combo.setCurrentIndex(0)
    assert view.weighting() == wt.grow(START, 3)
    assert not view.is_read_only()


def test_keep_for_meeting_takes_a_snapshot_with_undo(qtbot, panel, db, conference_id):
    meeting = add_meeting(db, conference_id, "review", date=dt.date(2027, 2, 4))
    panel.reload()
    actions = {a.text(): a for a in panel.keep_menu.actions()}
    assert "Review · 4 Feb 2027" in actions  # with the conference's own, undated meeting
    actions["Review · 4 Feb 2027"].trigger()
    assert [(s.meeting_id, s.weighting) for s in wt.snapshots(db, conference_id)] == [
        (meeting.id, START)
    ]
    assert panel.show_combo.count() == 2
    panel.undo_stack.undo()
    assert wt.snapshots(db, conference_id) == []
    assert panel.show_combo.count() == 1


def test_window_shortcuts_do_not_steal_the_pictures_keys(qtbot, panel, db, conference_id):
    from PySide6.QtGui import QAction, QKeySequence

    fired = []
    stealer = QAction(panel)
    stealer.setShortcuts([QKeySequence("Delete"), QKeySequence("Insert"), QKeySequence("F2")])
    stealer.triggered.connect(lambda: fired.append(True))
    panel.addAction(stealer)
    key(qtbot, panel, Qt.Key.Key_Delete)
    assert fired == []
    assert len(stored(db, conference_id).boxes) == 3


def test_follows_the_font_and_draws_without_errors(qtbot, panel):
    view = panel.view
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    image = view.grab().toImage()
    assert image.width() == view.width()
    # Pixels inside the first box are its fill colour somewhere (the box is drawn).
    rect = view.box_rects()[0]
    corner = image.pixelColor(QPoint(int(rect.left()) + 12, int(rect.top()) + 12))
    assert corner.name().upper() == wt.BOX_COLOURS[0][0]
