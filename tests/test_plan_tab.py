"""The Action plan tab, driven through its widgets as a coordinator would."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QIcon
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QStyleOptionViewItem

from csfacilitator.core import plan
from csfacilitator.core.conferences import create_conference, update_conference
from csfacilitator.core.meetings import list_meetings
from csfacilitator.core.model import Attendance, Invitee
from csfacilitator.gui.plan.plan_delegate import DueDateEditor, TextCellEditor
from csfacilitator.gui.plan.plan_model import (
    COL_AGENCY,
    COL_DUE,
    COL_STATUS,
    COL_TEXT,
    INTERVENTION,
    NEED,
    OVERDUE_ROLE,
    PlanModel,
)
from csfacilitator.gui.plan.plan_tab import PlanTab

TODAY = dt.date(2025, 6, 1)

# Popups (the agency suggestions, the status list) make the offscreen platform say it cannot
# raise them or grab the keyboard: notices of the test platform, not of the app.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)


def seed(db, conference_id):
    """Three needs with two, one and no interventions."""
    a = plan.add_need(db, conference_id, "Students feel unsafe on the way home")
    plan.add_intervention(
        db, a.id, "Safety mapping with students", agency="Lead social worker", due_date="2025-05-01"
    )
    plan.add_intervention(db, a.id, "Better lighting on the route", agency="Community safety")
    b = plan.add_need(db, conference_id, "Harassment in corridors")
    plan.add_intervention(db, b.id, "Bystander training", agency="Early Help", status="in_progress")
    plan.add_need(db, conference_id, "Staff respond unevenly")


@pytest.fixture
def make_tab(qtbot, db, conference_id):
    def make(seeded: bool = True) -> PlanTab:
        if seeded:
            seed(db, conference_id)
        tab = PlanTab(db)
        qtbot.addWidget(tab)
        tab.messages = []
        tab.status_message.connect(tab.messages.append)
        tab.today = lambda: TODAY
        tab.resize(1366, 700)
        tab.set_conference(conference_id)
        tab.show()
        qtbot.waitExposed(tab)
        tab.activateWindow()
        qtbot.waitUntil(tab.isActiveWindow)
        return tab

    return make


def stored(db, conference_id):
    return [(n.text, [i.text for i in n.interventions]) for n in plan.get_plan(db, conference_id)]


def editor_of(qtbot, tab, kind):
    found = []

    def has_editor():
        widget = tab.tree.indexWidget(tab.tree.currentIndex())
        if isinstance(widget, kind):
            found.append(widget)
            return True
        return False

    qtbot.waitUntil(has_editor)
    return found[-1]


def cell(tab, kind, record_id, column):
    index = tab.model.find(kind, record_id, column)
    assert index.isValid()
    return index


def double_click(qtbot, tab, index):
    tab.tree.scrollTo(index)
    pos = tab.tree.visualRect(index).center()
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def paste(qtbot, widget, text: str) -> None:
    """Paste as a user would (keyClicks cannot type characters outside Latin-1)."""
    QApplication.clipboard().setText(text)
    qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def shown_text(tab, index) -> str:
    """The text the view paints for a cell (the delegate numbers the needs)."""
    option = QStyleOptionViewItem()
    tab.delegate.initStyleOption(option, index)
    return option.text


def ids(db, conference_id):
    needs = plan.get_plan(db, conference_id)
    return needs, [i for n in needs for i in n.interventions]


def test_model_passes_qt_model_checks(qapp, qtmodeltester, db, conference_id):
    seed(db, conference_id)
    model = PlanModel()
    model.set_plan(plan.get_plan(db, conference_id), TODAY)
    qtmodeltester.check(model)
    index = model.insert_pending_need(1)
    assert index.row() == 1
    qtmodeltester.check(model)
    model.drop_pending()
    assert model.rowCount() == 3


def test_shows_needs_with_their_interventions(make_tab, db, conference_id):
    tab = make_tab()
    model = tab.model
    assert model.rowCount() == 3
    first = model.index(0, COL_TEXT)
    assert first.data() == "Students feel unsafe on the way home"
    assert shown_text(tab, first) == "1.  Students feel unsafe on the way home"
    assert first.data(Qt.ItemDataRole.FontRole).bold()
    assert tab.tree.isFirstColumnSpanned(0, QModelIndex())
    assert model.rowCount(first) == 2
    assert model.index(0, COL_AGENCY, first).data() == "Lead social worker"
    assert model.index(0, COL_DUE, first).data() == "1 May 2025"
    assert model.index(0, COL_STATUS, model.index(1, 0)).data() == "In progress"
    assert tab.tree.isExpanded(first)
    assert "3 needs · 3 interventions" in tab.summary.text()


def test_accessible_names(make_tab):
    tab = make_tab()
    for label in ("Add need", "Add intervention", "Remove", "Move up", "Move down"):
        button = tab.buttons[label]
        assert button.text() == label
        assert button.accessibleName() == label
        assert "(" in button.toolTip()  # the shortcut is shown
    assert tab.notes.accessibleName() == "Progress notes"
    assert tab.details.notes_label.buddy() is tab.notes
    assert tab.details.priority_combo.accessibleName() == "Assessment priority"
    assert tab.start_review_button.accessibleName() == "Start review meeting"
    assert tab.close_button.accessibleName() == "Close conference"
    assert tab.plan_mode_button.accessibleName() == "Plan"
    assert tab.review_mode_button.accessibleName() == "Review"
    assert tab.tree.accessibleName() == "Intervention plan"
    assert tab.buttons["Add intervention"].toolTip().endswith("(Ins)")


def test_add_need_by_clicking_and_typing(qtbot, make_tab, db, conference_id):
    tab = make_tab(seeded=False)
    assert not tab.buttons["Add intervention"].isEnabled()
    qtbot.mouseClick(tab.buttons["Add need"], Qt.MouseButton.LeftButton)
    editor = editor_of(qtbot, tab, TextCellEditor)
    assert editor.accessibleName() == "Identified need or problem"
    qtbot.keyClicks(editor, "Young people feel unsafe near the station")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.model.pending is None)
    assert stored(db, conference_id) == [("Young people feel unsafe near the station", [])]
    assert shown_text(tab, tab.model.index(0, 0)) == "1.  Young people feel unsafe near the station"
    assert tab.undo_stack.count() == 1
    assert tab.buttons["Add intervention"].isEnabled()
    assert any("Added need" in m for m in tab.messages)


def test_new_need_goes_after_the_selected_one(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    needs, _ = ids(db, conference_id)
    tab._select(cell(tab, NEED, needs[0].id, COL_TEXT))
    tab.tree.setFocus()
    qtbot.keyClick(
        tab.tree,
        Qt.Key.Key_Insert,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    editor = editor_of(qtbot, tab, TextCellEditor)
    qtbot.keyClicks(editor, "Inserted")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert [t for t, _ in stored(db, conference_id)] == [
        "Students feel unsafe on the way home",
        "Inserted",
        "Harassment in corridors",
        "Staff respond unevenly",
    ]


def test_escape_or_empty_text_adds_nothing(qtbot, make_tab, db, conference_id):
    tab = make_tab(seeded=False)
    qtbot.mouseClick(tab.buttons["Add need"], Qt.MouseButton.LeftButton)
    editor = editor_of(qtbot, tab, TextCellEditor)
    qtbot.keyClicks(editor, "half a thought")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0)
    qtbot.mouseClick(tab.buttons["Add need"], Qt.MouseButton.LeftButton)
    editor = editor_of(qtbot, tab, TextCellEditor)
    qtbot.keyClicks(editor, "   ")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0)
    assert stored(db, conference_id) == []
    assert tab.undo_stack.count() == 0


def test_add_intervention_with_insert_then_tab_to_agency(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    needs, _ = ids(db, conference_id)
    tab._select(cell(tab, NEED, needs[1].id, COL_TEXT))
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Insert)
    editor = editor_of(qtbot, tab, TextCellEditor)
    assert editor.accessibleName() == "Intervention"
    qtbot.keyClicks(editor, "Feedback to students after the survey")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    agency = editor_of(qtbot, tab, QLineEdit)
    assert agency.accessibleName() == "Agency / team responsible"
    qtbot.keyClicks(agency, "School")
    qtbot.keyClick(agency, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: plan.get_plan(db, conference_id)[1].interventions[-1].agency == "School"
    )
    item = plan.get_plan(db, conference_id)[1].interventions[-1]
    assert item.text == "Feedback to students after the survey"
    assert tab.model.find(INTERVENTION, item.id, COL_AGENCY).data() == "School"
    assert tab.undo_stack.count() == 2  # added, then agency set


def test_shift_enter_keeps_lines_in_an_intervention(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    _, items = ids(db, conference_id)
    double_click(qtbot, tab, cell(tab, INTERVENTION, items[1].id, COL_TEXT))
    editor = editor_of(qtbot, tab, TextCellEditor)
    qtbot.keyClicks(editor, "Plan with community safety:")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    paste(qtbot, editor, "\u2022 more lighting\x0b")  # a Word bullet and line break
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "\n" in plan.get_intervention(db, items[1].id).text)
    assert (
        plan.get_intervention(db, items[1].id).text
        == "Plan with community safety:\n• more lighting"
    )


def test_edit_agency_by_double_click_and_undo_redo(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    _, items = ids(db, conference_id)
    index = cell(tab, INTERVENTION, items[0].id, COL_AGENCY)
    double_click(qtbot, tab, index)
    editor = editor_of(qtbot, tab, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    paste(qtbot, editor, "Youth Service \u0627\u0644\u0634\u0628\u0627\u0628 \U0001f3c0")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    expected = "Youth Service \u0627\u0644\u0634\u0628\u0627\u0628 \U0001f3c0"
    qtbot.waitUntil(lambda: plan.get_intervention(db, items[0].id).agency == expected)
    assert tab.model.find(INTERVENTION, items[0].id, COL_AGENCY).data() == expected
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert plan.get_intervention(db, items[0].id).agency == "Lead social worker"
    assert tab.model.find(INTERVENTION, items[0].id, COL_AGENCY).data() == "Lead social worker"
    qtbot.keyClick(
        tab.tree,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert plan.get_intervention(db, items[0].id).agency == expected


def test_emptying_a_need_is_refused_and_keeps_its_text(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    needs, _ = ids(db, conference_id)
    double_click(qtbot, tab, cell(tab, NEED, needs[2].id, COL_TEXT))
    editor = editor_of(qtbot, tab, TextCellEditor)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any("Write the need" in m for m in tab.messages))
    assert plan.get_need(db, needs[2].id).text == "Staff respond unevenly"
    assert shown_text(tab, tab.model.find(NEED, needs[2].id)) == "3.  Staff respond unevenly"
    assert tab.undo_stack.count() == 0


def test_set_status_with_the_combo(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    _, items = ids(db, conference_id)
    double_click(qtbot, tab, cell(tab, INTERVENTION, items[1].id, COL_STATUS))
    combo = editor_of(qtbot, tab, QComboBox)
    assert combo.accessibleName() == "Status"
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Not started",
        "In progress",
        "Done",
        "Not going ahead",
    ]
    qtbot.waitUntil(lambda: combo.view().isVisible())
    qtbot.keyClick(combo.view(), Qt.Key.Key_Down)
    qtbot.keyClick(combo.view(), Qt.Key.Key_Down)
    qtbot.keyClick(combo.view(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: plan.get_intervention(db, items[1].id).status == "done")
    assert tab.model.find(INTERVENTION, items[1].id, COL_STATUS).data() == "Done"
    assert "1 done" in tab.summary.text()


def test_set_and_clear_due_date(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    _, items = ids(db, conference_id)
    double_click(qtbot, tab, cell(tab, INTERVENTION, items[1].id, COL_DUE))
    editor = editor_of(qtbot, tab, DueDateEditor)
    assert editor.edit.text() == ""
    qtbot.keyClicks(editor.edit, "12/07/2025")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: plan.get_intervention(db, items[1].id).due_date == dt.date(2025, 7, 12))
    index = cell(tab, INTERVENTION, items[1].id, COL_DUE)
    assert index.data() == "12 Jul 2025"

    # A wrong date is refused with a message and the editor stays open.
    double_click(qtbot, tab, index)
    editor = editor_of(qtbot, tab, DueDateEditor)
    assert editor.edit.text() == "12 Jul 2025"
    qtbot.keyClick(editor.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.edit, "31/02/2025")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    assert any("not a real date" in m for m in tab.messages)
    assert tab.tree.indexWidget(tab.tree.currentIndex()) is editor
    assert plan.get_intervention(db, items[1].id).due_date == dt.date(2025, 7, 12)

    qtbot.mouseClick(editor.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: plan.get_intervention(db, items[1].id).due_date is None)
    assert cell(tab, INTERVENTION, items[1].id, COL_DUE).data() == ""
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert plan.get_intervention(db, items[1].id).due_date == dt.date(2025, 7, 12)


def test_overdue_interventions_are_marked(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    needs, items = ids(db, conference_id)
    overdue = cell(tab, INTERVENTION, items[0].id, COL_DUE)  # due 1 May, today is 1 June
    assert overdue.data(OVERDUE_ROLE) is True
    assert overdue.data(Qt.ItemDataRole.ToolTipRole) == "Overdue since 1 May 2025"
    assert isinstance(overdue.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert isinstance(overdue.data(Qt.ItemDataRole.BackgroundRole), QBrush)
    assert overdue.data(Qt.ItemDataRole.ForegroundRole).color().red() > 120
    assert "overdue" in overdue.data(Qt.ItemDataRole.AccessibleTextRole)
    text_cell = cell(tab, INTERVENTION, items[0].id, COL_TEXT)
    assert text_cell.data(Qt.ItemDataRole.ToolTipRole) == "Overdue since 1 May 2025"
    need = cell(tab, NEED, needs[0].id, COL_TEXT)
    assert need.data(OVERDUE_ROLE) is True
    assert "1 overdue" in need.data(Qt.ItemDataRole.ToolTipRole)
    assert "1 overdue" in tab.summary.text()
    on_time = cell(tab, INTERVENTION, items[1].id, COL_DUE)
    assert on_time.data(OVERDUE_ROLE) is False
    assert on_time.data(Qt.ItemDataRole.BackgroundRole) is None
    assert cell(tab, NEED, needs[1].id, COL_TEXT).data(OVERDUE_ROLE) is False

    # Marking it done takes the warning away.
    double_click(qtbot, tab, cell(tab, INTERVENTION, items[0].id, COL_STATUS))
    combo = editor_of(qtbot, tab, QComboBox)
    qtbot.waitUntil(lambda: combo.view().isVisible())
    qtbot.keyClick(combo.view(), Qt.Key.Key_Down)
    qtbot.keyClick(combo.view(), Qt.Key.Key_Down)
    qtbot.keyClick(combo.view(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: plan.get_intervention(db, items[0].id).status == "done")
    assert cell(tab, INTERVENTION, items[0].id, COL_DUE).data(OVERDUE_ROLE) is False
    assert cell(tab, NEED, needs[0].id, COL_TEXT).data(OVERDUE_ROLE) is False
    assert "overdue" not in tab.summary.text()


def test_remove_need_and_ctrl_z_restores_it(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    before = plan.get_plan(db, conference_id)
    tab._select(cell(tab, NEED, before[0].id, COL_TEXT))
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Delete)
    assert [t for t, _ in stored(db, conference_id)] == [
        "Harassment in corridors",
        "Staff respond unevenly",
    ]
    assert tab.messages[-1] == (
        "Removed need “Students feel unsafe on the way home” and its 2 interventions "
        "— Ctrl+Z to undo"
    )
    assert tab.model.rowCount() == 2
    qtbot.keyClick(tab.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert plan.get_plan(db, conference_id) == before
    assert tab.model.rowCount() == 3
    assert tab.model.node(tab.tree.currentIndex()).id == before[0].id
    qtbot.keyClick(tab.tree, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(plan.get_plan(db, conference_id)) == 2


def test_remove_intervention_with_button_and_undo(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    before = plan.get_plan(db, conference_id)
    first = before[0].interventions[0]
    tab._select(cell(tab, INTERVENTION, first.id, COL_TEXT))
    qtbot.mouseClick(tab.buttons["Remove"], Qt.MouseButton.LeftButton)
    assert stored(db, conference_id)[0] == (
        "Students feel unsafe on the way home",
        ["Better lighting on the route"],
    )
    assert tab.messages[-1].startswith("Removed intervention “Safety mapping")
    # The neighbour is selected, so Delete again would remove the next one, not the need.
    assert tab.model.node(tab.tree.currentIndex()).kind == INTERVENTION
    tab.undo_stack.undo()
    assert plan.get_plan(db, conference_id) == before


def test_alt_down_and_up_reorder(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    needs, items = ids(db, conference_id)
    tab._select(cell(tab, NEED, needs[0].id, COL_TEXT))
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [n.id for n in plan.get_plan(db, conference_id)] == [
        needs[1].id,
        needs[0].id,
        needs[2].id,
    ]
    assert tab.model.node(tab.tree.currentIndex()).id == needs[0].id
    assert shown_text(tab, tab.model.index(1, 0)).startswith("2.  Students feel unsafe")
    tab._select(cell(tab, INTERVENTION, items[1].id, COL_TEXT))
    qtbot.keyClick(tab.tree, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [i.id for i in plan.get_plan(db, conference_id)[1].interventions] == [
        items[1].id,
        items[0].id,
    ]
    qtbot.keyClick(tab.tree, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # already first
    assert tab.messages[-1] == "Already at the top."
    qtbot.mouseClick(tab.buttons["Move down"], Qt.MouseButton.LeftButton)
    assert [i.id for i in plan.get_plan(db, conference_id)[1].interventions] == [
        items[0].id,
        items[1].id,
    ]
    tab.undo_stack.undo()
    tab.undo_stack.undo()
    tab.undo_stack.undo()
    assert [n.id for n in plan.get_plan(db, conference_id)] == [n.id for n in needs]
    assert [i.id for i in plan.get_plan(db, conference_id)[0].interventions] == [
        items[0].id,
        items[1].id,
    ]


def test_undo_follows_a_need_whose_id_changed(qtbot, make_tab, db, conference_id):
    """An edit made before a removal must be undone on the restored need, never on a stranger."""
    tab = make_tab()
    needs, _ = ids(db, conference_id)
    last = needs[2]
    double_click(qtbot, tab, cell(tab, NEED, last.id, COL_TEXT))
    editor = editor_of(qtbot, tab, TextCellEditor)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Staff responses vary")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: plan.get_need(db, last.id).text == "Staff responses vary")
    tab._select(cell(tab, NEED, last.id, COL_TEXT))
    tab.remove_current()
    other = create_conference(db, "Elsewhere")
    squatter = plan.add_need(db, other, "Another conference's need")
    assert squatter.id > last.id  # a freed id is never handed out again (schema 0004)
    tab.undo_stack.undo()  # restore
    tab.undo_stack.undo()  # the wording edit
    assert [t for t, _ in stored(db, conference_id)][-1] == "Staff respond unevenly"
    assert plan.get_need(db, squatter.id).text == "Another conference's need"


def test_progress_notes_save_to_the_right_intervention(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    _, items = ids(db, conference_id)
    assert not tab.notes.isVisible()  # a need is selected: its priority is shown instead
    assert tab.details.need_page.isVisible()
    tab._select(cell(tab, INTERVENTION, items[0].id, COL_TEXT))
    assert tab.notes.isVisible()
    assert "Safety mapping" in tab.details.notes_for.text()
    qtbot.keyClicks(tab.notes, "Mapping session held with Year 9")
    tab._select(cell(tab, INTERVENTION, items[1].id, COL_TEXT))  # before the autosave delay
    assert plan.get_intervention(db, items[0].id).progress == "Mapping session held with Year 9"
    assert plan.get_intervention(db, items[1].id).progress == ""
    assert tab.notes.toPlainText() == ""
    qtbot.keyClicks(tab.notes, "Lights reported")
    qtbot.waitUntil(lambda: plan.get_intervention(db, items[1].id).progress == "Lights reported")
    tab._select(cell(tab, INTERVENTION, items[0].id, COL_TEXT))
    assert tab.notes.toPlainText() == "Mapping session held with Year 9"


def test_header_shows_the_conference_and_who_attended(qtbot, db, conference_id, make_tab):
    update_conference(
        db,
        conference_id,
        context_name="Oakfield Park",
        area="Hackney",
        assessment_period="Jan to Mar 2025",
        conference_date="2025-03-12",
        next_review_date="2025-06-12",
    )
    meeting = next(m for m in list_meetings(db, conference_id) if m.kind == "conference")
    with db.session() as s:
        present = Invitee(conference_id=conference_id, name="Ann Lee", organisation="Police")
        away = Invitee(conference_id=conference_id, name="Bo Tan", organisation="Housing")
        s.add_all([present, away])
        s.flush()
        s.add(Attendance(invitee_id=present.id, meeting_id=meeting.id, state="present"))
        s.add(Attendance(invitee_id=away.id, meeting_id=meeting.id, state="apologies"))
    tab = make_tab()
    labels = tab.header_panel.labels
    assert "Oakfield Park, Hackney" in labels["context"].text()
    assert "12 Mar 2025" in labels["conference_date"].text()
    assert labels["review_date"].accessibleName() == "Review: 12 Jun 2025"
    assert labels["pre_meeting_date"].accessibleName() == "Pre-meeting: not set"
    attendees = tab.header_panel.attendees
    assert "Attendees (1)" in attendees.text()
    assert "Ann Lee" in attendees.text()
    assert attendees.toolTip() == "Ann Lee (Police)"
    assert "Bo Tan" not in attendees.text() + attendees.toolTip()


def test_no_conference_disables_everything(qtbot, db):
    tab = PlanTab(db)
    qtbot.addWidget(tab)
    tab.set_conference(None)
    assert tab.model.rowCount() == 0
    assert not tab.add_need_action.isEnabled()
    assert not tab.tree.isEnabled()


def test_example_conference_plan_renders(qtbot, db, example_id):
    tab = PlanTab(db)
    qtbot.addWidget(tab)
    tab.resize(1366, 640)
    tab.set_conference(example_id)
    tab.show()
    qtbot.waitExposed(tab)
    needs = plan.get_plan(db, example_id)
    assert tab.model.rowCount() == len(needs) > 0
    assert not tab.grab().isNull()


def test_f2_edits_and_huge_pasted_text_is_kept_whole(qtbot, make_tab, db, conference_id):
    tab = make_tab()
    needs, _ = ids(db, conference_id)
    tab._select(cell(tab, NEED, needs[1].id, COL_TEXT))
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_F2)
    editor = editor_of(qtbot, tab, TextCellEditor)
    huge = "Concerns about the corridor " * 2000
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    paste(qtbot, editor, huge)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: plan.get_need(db, needs[1].id).text == huge.strip())
    index = cell(tab, NEED, needs[1].id, COL_TEXT)
    assert index.data(Qt.ItemDataRole.EditRole) == huge.strip()
    assert len(index.data()) < 1600
    assert index.data().endswith("…")
    assert tab.tree.visualRect(index).height() < tab.tree.viewport().height()


# --- priorities, board links, history ---------------------------------------------------------


def test_link_a_need_to_a_priority_with_the_keyboard_and_undo(qtbot, db, conference_id, make_tab):
    from csfacilitator.core.priorities import add_priority
    from csfacilitator.gui.plan.plan_model import PRIORITY_ROLE

    add_priority(db, conference_id, "Unsafe routes home after school", focus=True)
    second = add_priority(db, conference_id, "Harassment between pupils")
    tab = make_tab()
    needs, _items = ids(db, conference_id)
    tab._select(cell(tab, NEED, needs[1].id, COL_TEXT))
    combo = tab.details.priority_combo
    assert combo.isVisible() and combo.isEnabled()
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Not linked to a priority",
        "1. Unsafe routes home after school  (focus of the conference)",
        "2. Harassment between pupils",
    ]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_End)  # the last priority
    assert plan.get_need(db, needs[1].id).priority_id == second.id
    need_index = cell(tab, NEED, needs[1].id, COL_TEXT)
    assert need_index.data(PRIORITY_ROLE) == "Harassment between pupils"
    assert "priority: Harassment" in need_index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert tab.messages[-1] == "Linked the need to the priority “Harassment between pupils”."
    tab.undo_stack.undo()
    assert plan.get_need(db, needs[1].id).priority_id is None
    assert cell(tab, NEED, needs[1].id, COL_TEXT).data(PRIORITY_ROLE) is None
    assert tab.details.priority_combo.currentIndex() == 0
    tab.undo_stack.redo()
    assert plan.get_need(db, needs[1].id).priority_id == second.id


def test_without_priorities_the_combo_says_where_they_come_from(qtbot, make_tab):
    tab = make_tab()
    assert tab.details.need_page.isVisible()
    assert not tab.details.priority_combo.isEnabled()
    assert "Assessment tab" in tab.details.priority_hint.text()


def test_intervention_from_the_board_is_tagged_with_the_point_text(
    qtbot, db, conference_id, make_tab
):
    from csfacilitator.core import board
    from csfacilitator.gui.plan.plan_delegate import BOARD_TAG, row_tag
    from csfacilitator.gui.plan.plan_model import BOARD_ROLE

    meeting_id = list_meetings(db, conference_id)[0].id
    point = board.add_point(db, meeting_id, "safety_plan", "Walk the route with the pupils")
    promoted = plan.promote_point(db, point.id).intervention
    tab = make_tab()
    index = cell(tab, INTERVENTION, promoted.id, COL_TEXT)
    assert index.data(BOARD_ROLE) == "Walk the route with the pupils"
    assert row_tag(index) == (BOARD_TAG, "#1f4e79")
    assert "From the board: “Walk the route" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(Qt.ItemDataRole.AccessibleTextRole).endswith("from the board")
    other = plan.get_plan(db, conference_id)[1].interventions[0]  # seeded after the promotion
    assert cell(tab, INTERVENTION, other.id, COL_TEXT).data(BOARD_ROLE) is None
    tab._select(index)
    assert tab.details.board_line.isVisible()
    assert "Walk the route with the pupils" in tab.details.board_line.text()


def test_history_of_the_selected_intervention_is_shown(qtbot, db, conference_id, make_tab):
    from csfacilitator.core import reviews

    seed(db, conference_id)
    _needs, items = ids(db, conference_id)
    review = reviews.start_review(db, conference_id, dt.date(2025, 5, 20))
    reviews.record_progress(db, items[0].id, review.id, "in_progress", "Mapping booked")
    tab = make_tab(seeded=False)
    tab._select(cell(tab, INTERVENTION, items[0].id, COL_TEXT))
    assert tab.details.history.isVisible()
    assert tab.details.history.entries_text() == [
        "Review · 20 May 2025 | In progress | Mapping booked"
    ]
    tab._select(cell(tab, INTERVENTION, items[1].id, COL_TEXT))
    assert tab.details.history.entries_text() == ["Review · 20 May 2025 | Not started | "]
