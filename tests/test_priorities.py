"""Priorities: the core operations, and the panel driven by keyboard and mouse."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from csfacilitator.core import priorities as pr
from csfacilitator.core.model import Need
from csfacilitator.errors import NotFound, UserError
from csfacilitator.gui.assessment.priorities_panel import FOCUS, ISSUE, PrioritiesPanel

pytestmark = pytest.mark.postgresql_too


def stored(db, conference_id):
    return [(p.text, p.focus) for p in pr.list_priorities(db, conference_id)]


# ------------------------------------------------------------------------------ core


def test_add_list_update_and_move(db, conference_id):
    lights = pr.add_priority(db, conference_id, "  Lighting in the\nunderpass ")
    evenings = pr.add_priority(db, conference_id, "Somewhere to be on weekday evenings", focus=True)
    first = pr.add_priority(db, conference_id, "Shop staff know how to report", position=0)
    assert lights.text == "Lighting in the underpass"
    assert [p.id for p in pr.list_priorities(db, conference_id)] == [
        first.id,
        lights.id,
        evenings.id,
    ]
    assert [p.position for p in pr.list_priorities(db, conference_id)] == [0, 1, 2]

    updated = pr.update_priority(db, lights.id, focus=True)
    assert (updated.text, updated.focus) == ("Lighting in the underpass", True)
    assert pr.update_priority(db, lights.id, text="Lighting first").text == "Lighting first"
    assert pr.move_priority(db, evenings.id, -5).position == 0
    assert stored(db, conference_id) == [
        ("Somewhere to be on weekday evenings", True),
        ("Shop staff know how to report", False),
        ("Lighting first", True),
    ]
    assert not pr.too_many_in_focus(pr.list_priorities(db, conference_id))
    pr.update_priority(db, first.id, focus=True)
    assert pr.too_many_in_focus(pr.list_priorities(db, conference_id))


def test_bad_text_is_refused_with_a_message(db, conference_id):
    with pytest.raises(UserError, match="cannot be empty"):
        pr.add_priority(db, conference_id, " \x00\x0b ")
    with pytest.raises(UserError, match="characters long"):
        pr.add_priority(db, conference_id, "x" * (pr.MAX_PRIORITY_CHARS + 1))
    kept = pr.add_priority(db, conference_id, "مرحبا 👍🏽 בית")
    assert kept.text == "مرحبا 👍🏽 בית"
    with pytest.raises(UserError):
        pr.update_priority(db, kept.id, text="")
    assert stored(db, conference_id) == [("مرحبا 👍🏽 בית", False)]
    with pytest.raises(NotFound):
        pr.add_priority(db, 999, "Nowhere")


def test_delete_unlinks_needs_and_restore_links_them_again(db, conference_id):
    keep = pr.add_priority(db, conference_id, "Keep")
    gone = pr.add_priority(db, conference_id, "Lighting", focus=True)
    pr.add_priority(db, conference_id, "Last")
    with db.session() as s:
        need = Need(conference_id=conference_id, text="Dark underpass", priority_id=gone.id)
        other = Need(conference_id=conference_id, text="Parade", priority_id=keep.id)
        s.add_all([need, other])
        s.flush()
        need_id, other_id = need.id, other.id

    snapshot = pr.delete_priority(db, gone.id)
    assert snapshot.need_ids == (need_id,)
    assert stored(db, conference_id) == [("Keep", False), ("Last", False)]
    with db.session() as s:
        assert s.get(Need, need_id).priority_id is None
        assert s.get(Need, other_id).priority_id == keep.id

    back = pr.restore_priority(db, snapshot)
    assert back == pr.PriorityRecord(gone.id, 1, "Lighting", True)  # same id, same place
    assert stored(db, conference_id) == [("Keep", False), ("Lighting", True), ("Last", False)]
    with db.session() as s:
        assert s.get(Need, need_id).priority_id == gone.id
    with pytest.raises(NotFound):
        pr.update_priority(db, 999, text="x")


# ------------------------------------------------------------------------------ panel


@pytest.fixture
def panel(qtbot, db, conference_id):
    widget = PrioritiesPanel(db, QUndoStack())
    qtbot.addWidget(widget)
    widget.set_conference(conference_id)
    widget.resize(460, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(panel):
    model = panel.model
    return [
        (
            model.index(row, ISSUE).data(),
            model.index(row, FOCUS).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked,
        )
        for row in range(model.rowCount())
    ]


def add_typed(qtbot, panel, text):
    panel.new_edit.setFocus()
    qtbot.keyClicks(panel.new_edit, text)
    qtbot.keyClick(panel.new_edit, Qt.Key.Key_Return)


def test_model_passes_the_model_tester(qtmodeltester, db, conference_id):
    from csfacilitator.gui.assessment.priorities_panel import PrioritiesModel

    pr.add_priority(db, conference_id, "One", focus=True)
    pr.add_priority(db, conference_id, "Two")
    model = PrioritiesModel()
    model.set_rows(pr.list_priorities(db, conference_id))
    qtmodeltester.check(model)


def test_typing_adds_and_space_marks_the_focus_with_a_gentle_warning(
    qtbot, panel, db, conference_id
):
    for text in ("Lighting after dark", "Weekday evenings", "Shop staff"):
        add_typed(qtbot, panel, text)
    assert panel.new_edit.text() == ""
    assert shown(panel) == [
        ("Lighting after dark", False),
        ("Weekday evenings", False),
        ("Shop staff", False),
    ]
    assert stored(db, conference_id) == shown(panel)

    table = panel.table
    table.setFocus()
    for row in range(3):
        table.setCurrentIndex(panel.model.index(row, ISSUE))
        qtbot.keyClick(table, Qt.Key.Key_Space)
        assert panel.warning.isVisible() == (row == 2)
    assert stored(db, conference_id) == [
        (t, True) for t in ("Lighting after dark", "Weekday evenings", "Shop staff")
    ]
    assert "one or two priorities" in panel.warning.text()
    assert "3 are marked" in panel.warning.text()

    panel.undo_stack.undo()
    assert not panel.warning.isVisible()
    assert stored(db, conference_id)[2] == ("Shop staff", False)
    assert shown(panel)[2] == ("Shop staff", False)


def test_clicking_the_focus_box_marks_it(qtbot, panel, db, conference_id):
    pr.add_priority(db, conference_id, "Lighting")
    panel.reload()
    table = panel.table
    rect = table.visualRect(panel.model.index(0, FOCUS))
    # The check box sits at the left of its cell.
    point = rect.center()
    point.setX(
        rect.left()
        + table.style().pixelMetric(table.style().PixelMetric.PM_IndicatorWidth) // 2
        + 4
    )
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: stored(db, conference_id) == [("Lighting", True)])
    assert shown(panel) == [("Lighting", True)]


def test_empty_issue_is_refused_and_nothing_is_lost(qtbot, panel, db, conference_id):
    messages = []
    panel.status_message.connect(messages.append)
    add_typed(qtbot, panel, "   ")
    assert stored(db, conference_id) == []
    assert messages and "cannot be empty" in messages[-1]


def test_editing_the_wording_with_f2_and_undo(qtbot, panel, db, conference_id):
    add_typed(qtbot, panel, "Lighting")
    table = panel.table
    table.setFocus()
    table.setCurrentIndex(panel.model.index(0, FOCUS))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.focusWidget()
    assert editor is not table
    editor.selectAll()
    qtbot.keyClicks(editor, "Lighting in the underpass")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(db, conference_id) == [("Lighting in the underpass", False)])
    assert shown(panel) == [("Lighting in the underpass", False)]
    panel.undo_stack.undo()
    assert stored(db, conference_id) == [("Lighting", False)]
    assert shown(panel) == [("Lighting", False)]


def test_move_remove_and_undo_all_the_way(qtbot, panel, db, conference_id):
    for text in ("A", "B", "C"):
        add_typed(qtbot, panel, text)
    table = panel.table
    table.setFocus()
    table.setCurrentIndex(panel.model.index(0, ISSUE))
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [t for t, _ in stored(db, conference_id)] == ["B", "A", "C"]
    assert panel.current_record().text == "A"  # the moved issue stays chosen

    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [t for t, _ in stored(db, conference_id)] == ["B", "C"]
    assert [t for t, _ in shown(panel)] == ["B", "C"]

    panel.undo_stack.undo()  # the delete
    assert [t for t, _ in stored(db, conference_id)] == ["B", "A", "C"]
    while panel.undo_stack.canUndo():
        panel.undo_stack.undo()
    assert stored(db, conference_id) == []
    while panel.undo_stack.canRedo():
        panel.undo_stack.redo()
    assert [t for t, _ in stored(db, conference_id)] == ["B", "C"]


def test_buttons_have_their_labels_as_accessible_names(panel):
    for button in (panel.add_button, panel.up_button, panel.down_button, panel.remove_button):
        assert button.accessibleName() == button.text()
    assert panel.new_edit.accessibleName() == "New issue"
    assert panel.table.accessibleName() == "Priorities"
