"""Goals & measures in the Action plan tab and their values at a review, driven by keyboard
through real widgets (issue 19): add a goal and a measure, see the chart, enter a review value,
undo and redo."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from csfacilitator.core import outcomes, reviews
from csfacilitator.gui.plan.plan_tab import REVIEW_MODE, PlanTab


@pytest.fixture
def tab(qtbot, db, conference_id):
    tab = PlanTab(db)
    qtbot.addWidget(tab)
    tab.messages = []
    tab.status_message.connect(tab.messages.append)
    tab.resize(1366, 900)
    tab.outcomes_fold.set_expanded(True)  # folded on a short screen (the test's is 800×600)
    tab.set_conference(conference_id)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def _type(qtbot, widget, text):
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def test_add_goal_and_measure_by_keyboard_then_undo(tab, qtbot, db, conference_id):
    panel = tab.outcomes_panel
    assert panel.isVisible()
    _type(qtbot, panel.goal_edit, "Fewer incidents of anti-social behaviour")
    qtbot.keyClick(panel.goal_edit, Qt.Key.Key_Return)
    (goal,) = outcomes.list_goals(db, conference_id)
    assert goal.text == "Fewer incidents of anti-social behaviour"
    assert panel.goal_edit.text() == ""
    assert panel.tree.currentItem().text(0) == "Goal 1: Fewer incidents of anti-social behaviour"

    _type(qtbot, panel.name_edit, "Police calls about ASB")
    panel.kind_combo.setFocus()
    qtbot.keyClick(panel.kind_combo, Qt.Key.Key_Home)  # Count per period
    _type(qtbot, panel.period_edit, "month")
    _type(qtbot, panel.source_edit, "police calls, from the neighbourhood team")
    _type(qtbot, panel.baseline_edit, "fourteen")
    qtbot.keyClick(panel.baseline_edit, Qt.Key.Key_Return)
    assert "Write a number" in tab.messages[-1]  # refused, and nothing typed is lost
    assert panel.name_edit.text() == "Police calls about ASB"
    panel.baseline_edit.clear()
    _type(qtbot, panel.baseline_edit, "14")
    _type(qtbot, panel.baseline_date_edit, "1/9/2026")
    qtbot.keyClick(panel.baseline_date_edit, Qt.Key.Key_Return)
    (goal,) = outcomes.list_goals(db, conference_id)
    (measure,) = goal.measures
    assert (measure.kind, measure.baseline_value, measure.baseline_date) == (
        "count", 14.0, dt.date(2026, 9, 1),
    )  # fmt: skip
    item = panel.tree.currentItem()
    assert [item.text(c) for c in range(5)] == [
        "Police calls about ASB per month", "Count per period", "14", "Not taken yet",
        "Not yet taken at a review.",
    ]  # fmt: skip
    assert panel.chart.accessibleDescription() == (
        "Police calls about ASB per month: baseline 14 (Sep 2026)."
    )
    assert panel.values_text.text() == panel.chart.accessibleDescription()
    assert panel.chart.layout_now() is not None and len(panel.chart.layout_now().points) == 1

    tab.undo_stack.undo()
    assert outcomes.list_goals(db, conference_id)[0].measures == ()
    tab.undo_stack.redo()
    assert outcomes.list_goals(db, conference_id)[0].measures[0].id == measure.id

    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Up)  # the goal
    qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
    assert outcomes.list_goals(db, conference_id) == []
    tab.undo_stack.undo()
    (back,) = outcomes.list_goals(db, conference_id)
    assert back.id == goal.id and back.measures[0].id == measure.id


def test_review_asks_each_measure_and_the_chart_follows(tab, qtbot, db, conference_id):
    goal = outcomes.add_goal(db, conference_id, "Fewer incidents")
    measure = outcomes.add_measure(
        db, goal.id, "Police calls about ASB", "count", period="month", baseline="14",
        baseline_date="1/9/2026",
    )  # fmt: skip
    review = reviews.start_review(db, conference_id, dt.date(2027, 2, 4))
    tab.reload()
    tab.set_mode(REVIEW_MODE)
    box = tab.review_panel.measures
    qtbot.waitUntil(lambda: measure.id in box.fields and box.isVisible())
    value, note = box.fields[measure.id]
    assert value.accessibleName() == "Police calls about ASB per month"
    assert value.placeholderText() == "baseline 14"
    _type(qtbot, value, "-2")
    qtbot.keyClick(value, Qt.Key.Key_Tab)
    assert "0 or more" in tab.messages[-1]
    assert outcomes.values_at(db, review.id) == {}
    assert value.text() == "-2"  # kept, to correct
    value.clear()
    _type(qtbot, value, "9")
    qtbot.keyClick(value, Qt.Key.Key_Tab)
    _type(qtbot, note, "Lighting fixed")
    qtbot.keyClick(note, Qt.Key.Key_Tab)
    stored = outcomes.values_at(db, review.id)[measure.id]
    assert (stored.value, stored.note) == (9.0, "Lighting fixed")

    tab.outcomes_panel.reload()
    tab.outcomes_panel._select(("measure", measure.id))
    assert tab.outcomes_panel.chart.accessibleDescription() == (
        "Police calls about ASB per month: baseline 14 (Sep 2026), 9 at Review (Feb 2027). "
        "Change since the baseline: down 5 (from 14 to 9)."
    )

    tab.undo_stack.undo()  # the note
    assert outcomes.values_at(db, review.id)[measure.id].note == ""
    tab.undo_stack.undo()  # the value
    assert outcomes.values_at(db, review.id) == {}
    assert box.fields[measure.id][0].text() == ""  # the box shows the stored state again


def test_a_new_goal_links_to_a_priority_and_a_need_chosen_by_keyboard(
    tab, qtbot, db, conference_id
):
    from csfacilitator.core import plan
    from csfacilitator.core.priorities import add_priority

    add_priority(db, conference_id, "The underpass after dark")
    tab.reload()
    panel = tab.outcomes_panel
    plan.add_need(db, conference_id, "The underpass is dark")  # as the Board's Ctrl+P does
    tab.reload_plan()  # the plan shows it: the new goal's Need list offers it at once
    need = plan.get_plan(db, conference_id)
    assert [panel.need_combo.itemData(i) for i in range(panel.need_combo.count())] == [
        None, *[n.id for n in need],
    ]  # fmt: skip
    _type(qtbot, panel.goal_edit, "Safer underpass")
    panel.priority_combo.setFocus()
    qtbot.keyClick(panel.priority_combo, Qt.Key.Key_Down)
    panel.need_combo.setFocus()
    qtbot.keyClick(panel.need_combo, Qt.Key.Key_Down)
    panel.goal_edit.setFocus()
    qtbot.keyClick(panel.goal_edit, Qt.Key.Key_Return)
    (goal,) = outcomes.list_goals(db, conference_id)
    assert goal.priority_text == "The underpass after dark"
    assert goal.need_id == need[0].id


def test_labels_and_accessible_names_agree(tab):
    from PySide6.QtWidgets import QLabel

    panel = tab.outcomes_panel
    for label in panel.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None:
            assert buddy.accessibleName() == label.text().rstrip(":").replace("&", "")


def test_change_a_goal_and_a_measure_by_keyboard_then_undo(tab, qtbot, db, conference_id):
    goal = outcomes.add_goal(db, conference_id, "Fewer incidents")
    measure = outcomes.add_measure(db, goal.id, "Police calls", "count", baseline="14")
    tab.reload()
    panel = tab.outcomes_panel
    panel._select(("measure", measure.id))
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    assert panel.add_measure_button.text() == "Save measure"
    assert (panel.name_edit.text(), panel.baseline_edit.text()) == ("Police calls", "14")
    panel.baseline_edit.clear()
    _type(qtbot, panel.baseline_edit, "12")
    _type(qtbot, panel.baseline_date_edit, "1/9/2026")
    qtbot.keyClick(panel.baseline_date_edit, Qt.Key.Key_Return)
    changed = outcomes.get_measure(db, measure.id)
    assert (changed.baseline_value, changed.baseline_date) == (12.0, dt.date(2026, 9, 1))
    assert panel.add_measure_button.text() == "Add measure" and panel.baseline_edit.text() == ""
    tab.undo_stack.undo()
    assert outcomes.get_measure(db, measure.id).baseline_value == 14.0

    panel._select(("goal", goal.id))
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    assert panel.goal_edit.text() == "Fewer incidents" and panel.goal_edit.hasFocus()
    qtbot.keyClick(panel.goal_edit, Qt.Key.Key_Escape)  # leaves it as it was
    assert panel.goal_edit.text() == "" and panel.add_goal_button.text() == "Add goal"
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    panel.goal_edit.clear()
    _type(qtbot, panel.goal_edit, "Fewer incidents after dark")
    qtbot.keyClick(panel.goal_edit, Qt.Key.Key_Return)
    assert outcomes.list_goals(db, conference_id)[0].text == "Fewer incidents after dark"
    assert len(outcomes.list_goals(db, conference_id)) == 1  # changed, not added
    tab.undo_stack.undo()
    assert outcomes.list_goals(db, conference_id)[0].text == "Fewer incidents"


def test_on_a_short_screen_the_goals_fold_to_a_line_and_the_plan_keeps_its_rows(
    qtbot, db, example_id
):
    """At 1366×768 the goals took the plan grid's room (issue 15): they start folded where
    the screen is under 900 px high, the header says what is inside, Space opens them."""
    plan_tab = PlanTab(db)
    qtbot.addWidget(plan_tab)
    plan_tab.resize(1366, 620)  # what a 1366×768 laptop leaves the tab
    plan_tab.outcomes_fold.set_expanded(False)
    plan_tab.set_conference(example_id)
    plan_tab.show()
    qtbot.waitExposed(plan_tab)
    fold = plan_tab.outcomes_fold
    assert fold.header.text() == "Goals and measures — 2 goals, 4 measures"
    assert not plan_tab.outcomes_panel.isVisible()
    qtbot.waitUntil(lambda: plan_tab.tree.height() > 250)  # the grid keeps the room (~10 rows)
    assert fold.height() <= fold.header.height() + 8
    fold.header.setFocus()
    qtbot.keyClick(fold.header, Qt.Key.Key_Space)
    qtbot.waitUntil(plan_tab.outcomes_panel.isVisible)
    assert plan_tab.outcomes_panel.height() >= 200
