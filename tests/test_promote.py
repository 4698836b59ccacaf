"""Promoting a Safety plan point from the board into the action plan."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QFrame

from csfacilitator.core import board, plan
from csfacilitator.core.conferences import create_conference
from csfacilitator.core.meetings import add_meeting
from csfacilitator.errors import NotFound, UserError
from csfacilitator.gui.board.column_model import LinkRole
from csfacilitator.gui.plan.plan_model import ID_ROLE

# Popups (the agency suggestions, the status list) make the offscreen platform say it cannot
# raise them or grab the keyboard: notices of the test platform, not of the app.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)


def outline(db, conference_id):
    return [
        (n.text, [(i.text, i.board_point_id) for i in n.interventions])
        for n in plan.get_plan(db, conference_id)
    ]


def test_top_level_point_goes_under_a_need_named_after_its_topic(db, conference_id, meeting_id):
    point = board.add_point(db, meeting_id, "safety_plan", "Friday drop-in at the church hall")
    result = plan.promote_point(db, point.id)
    assert result.created and result.need_created
    assert result.intervention.board_point_id == point.id
    assert result.intervention.board_point_text == "Friday drop-in at the church hall"
    assert result.intervention.status == "not_started"
    second = board.add_point(db, meeting_id, "safety_plan", "Lighting: repair the path lights")
    assert plan.suggested_need(db, second.id) == "Lighting"
    again = plan.promote_point(db, second.id)
    assert again.created and again.need_created
    third = board.add_point(db, meeting_id, "safety_plan", "lighting - cut back the hedges")
    joined = plan.promote_point(db, third.id)  # same topic, other case: the same need
    assert not joined.need_created and joined.need.id == again.need.id
    assert outline(db, conference_id) == [
        ("Friday drop-in at the church hall", [("Friday drop-in at the church hall", point.id)]),
        (
            "Lighting",
            [
                ("Lighting: repair the path lights", second.id),
                ("lighting - cut back the hedges", third.id),
            ],
        ),
    ]
    assert not any(n.text.startswith("Actions agreed") for n in plan.get_plan(db, conference_id))


def test_the_chosen_need_agency_owner_and_due_date_are_kept(db, conference_id, meeting_id):
    kept = plan.add_need(db, conference_id, "Nowhere safe to go in the evening")
    point = board.add_point(db, meeting_id, "safety_plan", "Open the youth club on Fridays")
    result = plan.promote_point(
        db,
        point.id,
        need="nowhere safe to go in the  evening",
        agency="Youth service",
        owner="Sam Patel",
        due_date="5 Jan 2027",
    )
    assert not result.need_created and result.need.id == kept.id
    item = result.intervention
    assert (item.agency, item.owner, item.due_date) == (
        "Youth service",
        "Sam Patel",
        dt.date(2027, 1, 5),
    )
    other = board.add_point(db, meeting_id, "safety_plan", "Walkabout with residents")
    made = plan.promote_point(db, other.id, need="Residents not heard")
    assert made.need_created and made.need.text == "Residents not heard"
    with pytest.raises(UserError, match="not a date"):
        plan.promote_point(
            db, board.add_point(db, meeting_id, "safety_plan", "X").id, due_date="someday"
        )
    with pytest.raises(UserError, match="Write the need"):
        plan.promote_point(db, board.add_point(db, meeting_id, "safety_plan", "Y").id, need=" ")


def test_a_long_point_names_its_need_with_its_first_words(db, conference_id, meeting_id):
    text = (
        "Work with the bus company so that the drivers on the 11 and 42 routes know who to call "
        * 2
    )
    point = board.add_point(db, meeting_id, "safety_plan", text)
    need = plan.suggested_need(db, point.id)
    assert need.endswith("…") and len(need) <= plan.TOPIC_LIMIT
    assert text.startswith(need[:-1])


def test_promoting_twice_does_not_duplicate(db, conference_id, meeting_id):
    point = board.add_point(db, meeting_id, "safety_plan", "Lights")
    first = plan.promote_point(db, point.id)
    second = plan.promote_point(db, point.id)
    assert not second.created
    assert second.intervention.id == first.intervention.id
    assert plan.intervention_for_point(db, point.id).id == first.intervention.id
    assert len(plan.get_plan(db, conference_id)[0].interventions) == 1


def test_sub_point_goes_under_a_need_named_like_its_parent(db, conference_id, meeting_id):
    heading = board.add_point(db, meeting_id, "safety_plan", "Lighting  and sightlines")
    child = board.add_point(db, meeting_id, "safety_plan", "Cut the hedges", parent_id=heading.id)
    existing = plan.add_need(db, conference_id, "lighting and sightlines")  # same words, other case
    result = plan.promote_point(db, child.id)
    assert not result.need_created and result.need.id == existing.id
    other = board.add_point(db, meeting_id, "safety_plan", "Youth work")
    sub = board.add_point(db, meeting_id, "safety_plan", "Female worker", parent_id=other.id)
    made = plan.promote_point(db, sub.id)
    assert made.need_created and made.need.text == "Youth work"


def test_sub_point_of_a_promoted_point_joins_its_need(db, conference_id, meeting_id):
    parent = board.add_point(db, meeting_id, "safety_plan", "Detached youth work")
    child = board.add_point(db, meeting_id, "safety_plan", "Female worker", parent_id=parent.id)
    grandchild = board.add_point(db, meeting_id, "safety_plan", "Fridays", parent_id=child.id)
    top = plan.promote_point(db, parent.id)
    plan.update_need(db, top.need.id, "Nowhere to go in the evening")
    result = plan.promote_point(db, grandchild.id)
    assert result.need.id == top.need.id and not result.need_created
    assert [i.text for i in result.need.interventions] == ["Detached youth work", "Fridays"]


def test_review_points_are_named_after_their_topic_too(db, conference_id):
    review = add_meeting(db, conference_id, "review")
    point = board.add_point(db, review.id, "safety_plan", "Volunteers: recruit two more")
    assert plan.promote_point(db, point.id).need.text == "Volunteers"


def test_only_safety_plan_points_and_existing_points(db, conference_id, meeting_id):
    concern = board.add_point(db, meeting_id, "concerns", "Cars in the car park")
    with pytest.raises(UserError, match="Safety plan"):
        plan.promote_point(db, concern.id)
    with pytest.raises(NotFound):
        plan.promote_point(db, 9999)
    assert plan.get_plan(db, conference_id) == []


def test_texts_stay_independent(db, conference_id, meeting_id):
    point = board.add_point(db, meeting_id, "safety_plan", "Lights")
    item = plan.promote_point(db, point.id).intervention
    plan.update_intervention(db, item.id, text="Repair the path lights by February")
    board.edit_point(db, point.id, "Lights on the path")
    assert board.get_point(db, point.id).text == "Lights on the path"
    stored = plan.get_intervention(db, item.id)
    assert stored.text == "Repair the path lights by February"
    assert stored.board_point_text == "Lights on the path"
    links = plan.linked_points(db, meeting_id)
    assert links[point.id].intervention_text == "Repair the path lights by February"
    assert links[point.id].need_text == "Lights"


def test_withdraw_and_restore_a_promotion(db, conference_id, meeting_id):
    kept = plan.add_need(db, conference_id, "Already here")
    point = board.add_point(db, meeting_id, "safety_plan", "Lights")
    result = plan.promote_point(db, point.id)
    withdrawn = plan.withdraw_promotion(db, result.intervention.id, drop_need=True)
    assert outline(db, conference_id) == [("Already here", [])]
    assert plan.linked_points(db, meeting_id) == {}
    again = plan.restore_promotion(db, withdrawn, point.id)
    assert again.need_created and again.intervention.board_point_id == point.id
    assert outline(db, conference_id) == [
        ("Already here", []),
        ("Lights", [("Lights", point.id)]),
    ]
    # A need that has gained another action meanwhile stays when the promotion is withdrawn.
    plan.add_intervention(db, again.need.id, "Typed in the plan")
    plan.withdraw_promotion(db, again.intervention.id, drop_need=True)
    assert outline(db, conference_id)[1] == ("Lights", [("Typed in the plan", None)])
    assert plan.get_need(db, kept.id).text == "Already here"


def test_deleting_the_point_keeps_the_intervention(db, conference_id, meeting_id):
    point = board.add_point(db, meeting_id, "safety_plan", "Lights")
    item = plan.promote_point(db, point.id).intervention
    board.delete_point(db, point.id)
    stored = plan.get_intervention(db, item.id)
    assert (stored.text, stored.board_point_id, stored.board_point_text) == ("Lights", None, "")


# --- on the board ----------------------------------------------------------------------------

CTRL = Qt.KeyboardModifier.ControlModifier


def type_point(qtbot, tab, column, text):
    entry = tab.pane(column).entry
    entry.setFocus()
    qtbot.keyClicks(entry, text)
    qtbot.keyClick(entry, Qt.Key.Key_Return)


def promote(qtbot, view):
    """Ctrl+P, then Enter: every question of the promote panel skipped."""
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL)
    panel = view.parent().findChild(QFrame, "promotePanel")
    qtbot.waitUntil(panel.isVisible)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert not panel.isVisible()


def focus_point(qtbot, tab, column, row, parent=QModelIndex()):  # noqa: B008
    view = tab.pane(column).view
    index = view.model().index(row, 0, parent)
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    return view, index


def test_ctrl_p_promotes_and_marks_the_point_and_undo_takes_it_out(
    qtbot, db, conference_id, board_tab
):
    tab = board_tab
    type_point(qtbot, tab, "safety_plan", "Friday drop-in at the church hall")
    view, index = focus_point(qtbot, tab, "safety_plan", 0)
    assert index.data(LinkRole) is None
    promote(qtbot, view)
    assert outline(db, conference_id) == [
        (
            "Friday drop-in at the church hall",
            [
                (
                    "Friday drop-in at the church hall",
                    board.board_tree(db, tab.current_meeting_id())["safety_plan"][0].id,
                )
            ],
        )
    ]
    link = view.model().index(0, 0).data(LinkRole)
    assert link.need_text == "Friday drop-in at the church hall"
    assert "In the action plan" in view.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "in the action plan" in view.model().index(0, 0).data(
        Qt.ItemDataRole.AccessibleDescriptionRole
    )
    assert "Added to the action plan" in tab.messages[-1]
    assert tab.undo_stack.undoText() == "Promote to action plan"
    # Undo is one step on the board's stack: the intervention and its new need go.
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert plan.get_plan(db, conference_id) == []
    assert view.model().index(0, 0).data(LinkRole) is None
    assert stored_points(db, tab) == ["Friday drop-in at the church hall"]  # the point stays
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert [i.text for i in plan.get_plan(db, conference_id)[0].interventions] == [
        "Friday drop-in at the church hall"
    ]
    assert view.model().index(0, 0).data(LinkRole) is not None


def stored_points(db, tab):
    return [p.text for p in board.board_tree(db, tab.current_meeting_id())["safety_plan"]]


def test_promoting_again_asks_to_show_it_and_adds_nothing(qtbot, db, conference_id, board_tab):
    tab = board_tab
    type_point(qtbot, tab, "safety_plan", "Close the barrier at dusk")
    view, _index = focus_point(qtbot, tab, "safety_plan", 0)
    promote(qtbot, view)
    steps = tab.undo_stack.count()
    with qtbot.waitSignal(tab.plan_item_requested) as shown:
        qtbot.keyClick(view, Qt.Key.Key_P, CTRL)
    assert shown.args == [plan.get_plan(db, conference_id)[0].interventions[0].id]
    assert tab.undo_stack.count() == steps
    assert len(plan.get_plan(db, conference_id)[0].interventions) == 1
    assert "already in the action plan" in tab.messages[-1]


def test_other_columns_refuse_with_a_hint(qtbot, db, conference_id, board_tab):
    tab = board_tab
    type_point(qtbot, tab, "concerns", "Cars in the car park after dark")
    view, _index = focus_point(qtbot, tab, "concerns", 0)
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL)
    assert plan.get_plan(db, conference_id) == []
    assert "Only Safety plan points" in tab.messages[-1]


def test_sub_point_goes_under_its_parent_need(qtbot, db, conference_id, board_tab):
    tab = board_tab
    type_point(qtbot, tab, "safety_plan", "Lighting")
    type_point(qtbot, tab, "safety_plan", "Cut back the hedges")
    view, _index = focus_point(qtbot, tab, "safety_plan", 1)
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # make it a sub-point of "Lighting"
    parent = view.model().index(0, 0)
    qtbot.waitUntil(lambda: view.model().rowCount(parent) == 1)
    view.setCurrentIndex(view.model().index(0, 0, parent))
    promote(qtbot, view)
    assert outline(db, conference_id)[0][0] == "Lighting"
    assert view.model().index(0, 0, parent).data(LinkRole) is not None
    assert view.model().index(0, 0).data(LinkRole) is None


def test_context_menu_promotes_then_shows(qtbot, db, conference_id, board_tab):
    tab = board_tab
    type_point(qtbot, tab, "safety_plan", "Youth forum checks the plan")
    view, index = focus_point(qtbot, tab, "safety_plan", 0)
    menu = view.context_menu(index)
    labels = [a.text() for a in menu.actions() if a.text()]
    assert labels == ["Edit point", "Promote to action plan", "Copy", "Delete point"]
    next(a for a in menu.actions() if a.text() == "Promote to action plan").trigger()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert [i.text for i in plan.get_plan(db, conference_id)[0].interventions] == [
        "Youth forum checks the plan"
    ]
    menu = view.context_menu(view.model().index(0, 0))
    show = next(a for a in menu.actions() if a.text() == "Show in action plan")
    with qtbot.waitSignal(tab.plan_item_requested):
        show.trigger()
    concerns = tab.pane("concerns").view
    type_point(qtbot, tab, "concerns", "Cars")
    labels = [a.text() for a in concerns.context_menu(concerns.model().index(0, 0)).actions()]
    assert "Promote to action plan" not in labels


def test_marks_follow_changes_made_in_the_plan(qtbot, db, conference_id, board_tab):
    tab = board_tab
    type_point(qtbot, tab, "safety_plan", "Lights")
    view, _index = focus_point(qtbot, tab, "safety_plan", 0)
    promote(qtbot, view)
    item = plan.get_plan(db, conference_id)[0].interventions[0]
    plan.delete_intervention(db, item.id)  # as the plan tab would
    tab.reload()  # the tab is shown again
    assert view.model().index(0, 0).data(LinkRole) is None
    # Undoing the promotion now has nothing to take out, and says nothing went wrong.
    tab.undo_stack.undo()
    assert plan.get_plan(db, conference_id)[0].interventions == ()


def test_editing_the_point_leaves_the_plan_text(qtbot, db, conference_id, board_tab):
    tab = board_tab
    type_point(qtbot, tab, "safety_plan", "Lights")
    view, index = focus_point(qtbot, tab, "safety_plan", 0)
    promote(qtbot, view)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Lights on the path by February")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored_points(db, tab) == ["Lights on the path by February"])
    item = plan.get_plan(db, conference_id)[0].interventions[0]
    assert item.text == "Lights"
    assert item.board_point_text == "Lights on the path by February"


def test_in_the_window_promoting_again_shows_the_intervention_in_the_plan(qtbot, paths, templates):
    templates.seed(paths)  # a migrated database, copied: this is not a first start
    from csfacilitator.app import create_window

    window = create_window(paths.root)
    qtbot.addWidget(window)
    cid = create_conference(window.db, "Oakfield Park")
    window.open_conference(cid)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.board)
    type_point(qtbot, window.board, "safety_plan", "Lights on the path")
    view, _index = focus_point(qtbot, window.board, "safety_plan", 0)
    promote(qtbot, view)
    assert window.tabs.currentWidget() is window.board  # the first time, the chair stays
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL)
    assert window.tabs.currentWidget() is window.plan
    item = plan.get_plan(window.db, cid)[0].interventions[0]
    current = window.plan.tree.currentIndex()
    assert current.data(ID_ROLE) == item.id
    assert current.data(Qt.ItemDataRole.DisplayRole) == "Lights on the path"
    window.close()


# --- the promote panel: need, agency, owner and due date, inline and skippable --------------


def keys(qtbot, text):
    for char in text:
        qtbot.keyClicks(QApplication.focusWidget(), char)


def press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), key, modifiers)


def test_promoting_asks_agency_owner_and_due_date_by_keyboard(qtbot, db, conference_id, board_tab):
    tab = board_tab
    type_point(qtbot, tab, "safety_plan", "Lighting: repair the path lights")
    view, _index = focus_point(qtbot, tab, "safety_plan", 0)
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL)
    panel = tab.promoter.panel
    assert panel.isVisible() and tab.pane("safety_plan").isAncestorOf(panel)
    assert panel.need.currentText() == "Lighting"  # named after the point's topic
    assert QApplication.focusWidget() is panel.agency
    keys(qtbot, "Community safety")
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.owner
    keys(qtbot, "Sam Patel")
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.due.edit
    keys(qtbot, "5 Jan 2027")
    press(qtbot, Qt.Key.Key_Return)
    assert not panel.isVisible()
    ((need, items),) = [
        (n.text, [(i.text, i.agency, i.owner, i.due_date) for i in n.interventions])
        for n in plan.get_plan(db, conference_id)
    ]
    assert need == "Lighting"
    assert items == [
        ("Lighting: repair the path lights", "Community safety", "Sam Patel", dt.date(2027, 1, 5))
    ]
    assert QApplication.focusWidget() is view  # back on the point
    assert "under “Lighting”" in tab.messages[-1]
    press(qtbot, Qt.Key.Key_Z, CTRL)  # one undo step takes the action and its new need out
    assert plan.get_plan(db, conference_id) == []


def test_the_need_can_be_renamed_or_chosen_before_promoting(qtbot, db, conference_id, board_tab):
    tab = board_tab
    existing = plan.add_need(db, conference_id, "Nowhere safe to go in the evening")
    type_point(qtbot, tab, "safety_plan", "Youth club open on Fridays")
    type_point(qtbot, tab, "safety_plan", "Walkabout with residents")
    view, _index = focus_point(qtbot, tab, "safety_plan", 0)
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL)
    panel = tab.promoter.panel
    assert [panel.need.itemText(i) for i in range(panel.need.count())] == [existing.text]
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)  # back to the need
    assert QApplication.focusWidget() in (panel.need, panel.need.lineEdit())
    press(qtbot, Qt.Key.Key_A, CTRL)
    keys(qtbot, "nowhere safe to go in the evening")  # an existing need, in other case
    press(qtbot, Qt.Key.Key_Return)
    view, _index = focus_point(qtbot, tab, "safety_plan", 1)
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL)
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, Qt.Key.Key_A, CTRL)
    keys(qtbot, "Residents not heard")  # a new need, named by the chair
    press(qtbot, Qt.Key.Key_Return)
    assert outline(db, conference_id) == [
        (existing.text, [("Youth club open on Fridays", stored_ids(db, tab)[0])]),
        ("Residents not heard", [("Walkabout with residents", stored_ids(db, tab)[1])]),
    ]


def stored_ids(db, tab):
    return [p.id for p in board.board_tree(db, tab.current_meeting_id())["safety_plan"]]


def test_escape_promotes_nothing_and_a_wrong_date_keeps_the_panel_open(
    qtbot, db, conference_id, board_tab
):
    tab = board_tab
    type_point(qtbot, tab, "safety_plan", "Lights")
    view, _index = focus_point(qtbot, tab, "safety_plan", 0)
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL)
    panel = tab.promoter.panel
    keys(qtbot, "Parish clerk")
    press(qtbot, Qt.Key.Key_Escape)
    assert not panel.isVisible() and plan.get_plan(db, conference_id) == []
    assert "Not promoted" in tab.messages[-1]
    assert QApplication.focusWidget() is view
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL)
    assert panel.agency.text() == ""  # a fresh panel
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "someday")
    press(qtbot, Qt.Key.Key_Return)
    assert panel.isVisible() and "not a date" in panel.error.text()
    assert (
        plan.get_plan(db, conference_id) == [] and tab.undo_stack.count() == 1
    )  # the typed point only
    press(qtbot, Qt.Key.Key_A, CTRL)
    press(qtbot, Qt.Key.Key_Delete)
    press(qtbot, Qt.Key.Key_Return)  # the date skipped
    assert [i.due_date for i in plan.get_plan(db, conference_id)[0].interventions] == [None]


def test_the_agency_suggestions_include_the_plans_own(qtbot, db, conference_id, board_tab):
    tab = board_tab
    need = plan.add_need(db, conference_id, "Dark paths")
    plan.add_intervention(db, need.id, "Survey", agency="Dunhaven Council – Parks")
    type_point(qtbot, tab, "safety_plan", "Cut back the hedges")
    view, _index = focus_point(qtbot, tab, "safety_plan", 0)
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL)
    offered = tab.promoter.panel.agency.completer().model().stringList()
    assert "Dunhaven Council – Parks" in offered
    assert offered.count("Dunhaven Council – Parks") == 1
    press(qtbot, Qt.Key.Key_Escape)
