"""Review meetings (carry-forward, progress, history) and closing a conference: the core."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from csfacilitator.core import closing, plan, reviews
from csfacilitator.core.conferences import create_conference, get_conference
from csfacilitator.core.meetings import add_meeting, delete_meeting, list_meetings
from csfacilitator.core.model import ActionUpdate
from csfacilitator.core.vocab import REVIEW_AGENDA
from csfacilitator.errors import NotFound, UserError
from csfacilitator.gui.plan.closing_dialog import ClosingDialog
from csfacilitator.gui.plan.plan_tab import PLAN_MODE, REVIEW_MODE, PlanTab
from csfacilitator.gui.plan.review_start_dialog import StartReviewDialog

pytestmark = pytest.mark.postgresql_too

DAY = dt.date(2027, 2, 4)


@pytest.fixture
def conference_id(db):
    return create_conference(db, "Oakfield Park", conference_date="2026-11-05")


def seeded(db, conference_id):
    """Two needs; four actions: in progress, not started, done, not going ahead."""
    a = plan.add_need(db, conference_id, "Dark paths")
    lights = plan.add_intervention(db, a.id, "Fix the lights", status="in_progress")
    hedges = plan.add_intervention(db, a.id, "Cut the hedges")
    b = plan.add_need(db, conference_id, "Nowhere to go")
    plan.add_intervention(db, b.id, "Open the hall", status="done")
    plan.add_intervention(db, b.id, "Buy a minibus", status="not_going_ahead")
    return lights, hedges


def updates(db, meeting_id):
    with db.session() as s:
        rows = s.scalars(
            select(ActionUpdate)
            .where(ActionUpdate.meeting_id == meeting_id)
            .order_by(ActionUpdate.id)
        )
        return [(u.intervention_id, u.status, u.note) for u in rows]


def test_start_review_carries_open_actions_forward(db, conference_id):
    lights, hedges = seeded(db, conference_id)
    meeting = reviews.start_review(db, conference_id, DAY)
    assert meeting.kind == "review" and meeting.date == DAY
    assert [(a.title, a.lead) for a in meeting.agenda] == list(REVIEW_AGENDA)
    assert updates(db, meeting.id) == [
        (lights.id, "in_progress", ""),
        (hedges.id, "not_started", ""),
    ]
    assert get_conference(db, conference_id).status == "under_review"
    items = reviews.review_items(db, meeting.id)
    assert [(i.need_text, i.intervention.text, i.previous) for i in items] == [
        ("Dark paths", "Fix the lights", None),
        ("Dark paths", "Cut the hedges", None),
    ]


def test_start_review_defaults_to_today_and_reuses_a_scheduled_review(db, conference_id):
    lights, _hedges = seeded(db, conference_id)
    scheduled = add_meeting(db, conference_id, "review", date=dt.date.today())
    meeting = reviews.start_review(db, conference_id)
    assert meeting.id == scheduled.id
    reviews.record_progress(db, lights.id, meeting.id, "done", "Fixed")
    again = reviews.start_review(db, conference_id, "today")
    assert again.id == meeting.id
    assert updates(db, meeting.id)[0] == (lights.id, "done", "Fixed")  # kept, not doubled
    assert len(updates(db, meeting.id)) == 2
    assert len([m for m in list_meetings(db, conference_id) if m.kind == "review"]) == 1


def test_start_review_refused_for_closed_or_missing_conference(db, conference_id):
    closing.close_conference(db, conference_id, summary="Safer")
    with pytest.raises(UserError, match="closed"):
        reviews.start_review(db, conference_id, DAY)
    with pytest.raises(NotFound):
        reviews.start_review(db, 999, DAY)
    with pytest.raises(UserError, match="not a date"):
        reviews.start_review(db, conference_id, "someday")


def test_start_review_snapshots_the_weighting_when_that_module_exists(
    db, conference_id, monkeypatch
):
    import sys
    import types

    calls = []
    module = types.ModuleType("csfacilitator.core.weighting")
    module.snapshot_for_meeting = lambda d, cid, mid: calls.append((cid, mid))
    monkeypatch.setitem(sys.modules, "csfacilitator.core.weighting", module)
    monkeypatch.setattr(
        reviews.importlib.util, "find_spec", lambda name: object() if "weighting" in name else None
    )
    meeting = reviews.start_review(db, conference_id, DAY)
    assert calls == [(conference_id, meeting.id)]


def test_record_progress_updates_the_review_and_the_action(db, conference_id):
    lights, hedges = seeded(db, conference_id)
    meeting = reviews.start_review(db, conference_id, DAY)
    record = reviews.record_progress(
        db, hedges.id, meeting.id, "in_progress", "  Half done\x0bmore next week  "
    )
    assert (record.status, record.note) == ("in_progress", "Half done\nmore next week")
    assert plan.get_intervention(db, hedges.id).status == "in_progress"
    with pytest.raises(UserError, match="not an action status"):
        reviews.record_progress(db, hedges.id, meeting.id, "finished", "")
    with pytest.raises(NotFound):
        reviews.record_progress(db, 999, meeting.id, "done", "")
    other = create_conference(db, "Elsewhere")
    foreign = add_meeting(db, other, "review")
    with pytest.raises(UserError, match="another conference"):
        reviews.record_progress(db, hedges.id, foreign.id, "done", "")


def test_history_across_reviews_and_correcting_an_older_review(db, conference_id):
    lights, _hedges = seeded(db, conference_id)
    first = reviews.start_review(db, conference_id, DAY)
    reviews.record_progress(db, lights.id, first.id, "in_progress", "Survey done")
    second = reviews.start_review(db, conference_id, DAY + dt.timedelta(days=90))
    assert updates(db, second.id)[0] == (lights.id, "in_progress", "")
    reviews.record_progress(db, lights.id, second.id, "done", "All fixed")
    assert plan.get_intervention(db, lights.id).status == "done"
    # Correcting the first review's record leaves the current status alone.
    reviews.record_progress(db, lights.id, first.id, "not_started", "Survey only")
    assert plan.get_intervention(db, lights.id).status == "done"
    assert reviews.history(db, lights.id) == [
        ("Review 1 · 4 Feb 2027", DAY, "not_started", "Survey only"),
        ("Review 2 · 5 May 2027", DAY + dt.timedelta(days=90), "done", "All fixed"),
    ]
    label, date, status, note = reviews.history(db, lights.id)[0]
    assert (label, status) == ("Review 1 · 4 Feb 2027", "not_started")
    items = reviews.review_items(db, second.id)
    assert items[0].previous.note == "Survey only"
    # Done actions are not carried to a third review.
    third = reviews.start_review(db, conference_id, DAY + dt.timedelta(days=180))
    assert lights.id not in [u[0] for u in updates(db, third.id)]


def test_previous_meeting_skips_pre_meetings(db, conference_id):
    add_meeting(db, conference_id, "pre_meeting", date=dt.date(2026, 10, 1))
    conference_meeting = list_meetings(db, conference_id)[1]
    assert conference_meeting.kind == "conference"
    first = reviews.start_review(db, conference_id, DAY)
    second = reviews.start_review(db, conference_id, DAY + dt.timedelta(days=1))
    assert reviews.previous_meeting(db, first.id).id == conference_meeting.id
    assert reviews.previous_meeting(db, second.id).id == first.id
    assert reviews.previous_meeting(db, conference_meeting.id) is None
    assert [m.id for m in reviews.list_reviews(db, conference_id)] == [first.id, second.id]
    assert reviews.latest_review(db, conference_id).id == second.id


def test_deleting_a_review_removes_its_records_only(db, conference_id):
    lights, _hedges = seeded(db, conference_id)
    meeting = reviews.start_review(db, conference_id, DAY)
    reviews.record_progress(db, lights.id, meeting.id, "done", "Fixed")
    delete_meeting(db, meeting.id)
    assert reviews.history(db, lights.id) == []
    assert plan.get_intervention(db, lights.id).status == "done"


def test_history_of_an_unknown_action(db):
    with pytest.raises(NotFound):
        reviews.history(db, 12345)


def test_example_review_history(db, example_id):
    items = plan.get_plan(db, example_id)
    lighting = items[0].interventions[0]
    entries = reviews.history(db, lighting.id)
    assert len(entries) == 1
    assert entries[0].label.startswith("Review")
    assert entries[0].note.startswith("Survey done")
    review = reviews.latest_review(db, example_id)
    carried = reviews.review_items(db, review.id)
    assert len(carried) == 9
    assert reviews.previous_meeting(db, review.id).kind == "conference"


# --- closing ---------------------------------------------------------------------------------


def test_close_save_and_reopen_keep_every_word(db, conference_id):
    outcome = closing.get_outcome(db, conference_id)
    assert outcome.is_empty and not outcome.is_closed
    saved = closing.save_outcome(
        db, conference_id, summary="Fewer groups after dark", measures="", feedback="شكرا 🙂"
    )
    assert saved.feedback == "شكرا 🙂" and not saved.is_closed
    closed = closing.close_conference(
        db,
        conference_id,
        closed_on="3 Mar 2027",
        summary="Fewer groups after dark\x0cLights fixed",
        measures="ASB calls: 19 → 11",
        feedback="Shops feel supported",
    )
    assert closed.is_closed and closed.closed_on == dt.date(2027, 3, 3)
    assert closed.summary == "Fewer groups after dark\nLights fixed"
    assert get_conference(db, conference_id).status == "closed"
    reopened = closing.reopen_conference(db, conference_id)
    assert reopened.status == "under_review" and reopened.closed_on is None
    assert reopened.measures == "ASB calls: 19 → 11"


def test_close_defaults_to_today_and_refuses_bad_dates(db, conference_id):
    assert closing.close_conference(db, conference_id).closed_on == dt.date.today()
    with pytest.raises(UserError):
        closing.close_conference(db, conference_id, closed_on="31/02/2027")
    assert (
        closing.get_outcome(db, conference_id).closed_on == dt.date.today()
    )  # the refusal kept it


def test_a_note_alone_leaves_both_statuses_alone(db, conference_id):
    lights, _hedges = seeded(db, conference_id)
    meeting = reviews.start_review(db, conference_id, DAY)
    plan.update_intervention(db, lights.id, status="done")  # changed in the plan meanwhile
    record = reviews.record_progress(db, lights.id, meeting.id, None, "Nearly there")
    assert (record.status, record.note) == ("in_progress", "Nearly there")
    assert plan.get_intervention(db, lights.id).status == "done"
    record = reviews.record_progress(db, lights.id, meeting.id, "not_started", None)
    assert (record.status, record.note) == ("not_started", "Nearly there")


# --- the review mode of the Action plan tab ---------------------------------------------------

TODAY = dt.date(2027, 2, 10)


@pytest.fixture
def make_tab(qtbot, db, conference_id):
    def make() -> PlanTab:
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


def in_modal(qtbot, handle):
    """Run `handle(dialog)` on the next modal dialog once it is shown."""
    done = []

    def attempt():
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, attempt)
            return
        done.append(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        try:
            handle(dialog)
        finally:
            if dialog.isVisible():  # never leave a test waiting on a dialog
                dialog.done(0)

    QTimer.singleShot(0, attempt)
    return done


def test_start_review_dialog_asks_only_the_date(qtbot):
    dialog = StartReviewDialog(3, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.date.edit.text() == "10 Feb 2027"
    assert "3 open actions" in dialog.findChildren(type(dialog.error))[0].text()
    dialog.date.edit.selectAll()
    qtbot.keyClicks(dialog.date.edit, "31/02/2027")
    dialog.accept()
    assert dialog.isVisible() and "not a real date" in dialog.error.text()
    dialog.date.edit.selectAll()
    qtbot.keyClicks(dialog.date.edit, "4 Feb 2027")
    qtbot.keyClick(dialog.date.edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert dialog.chosen == DAY


def test_start_review_from_the_tab_then_record_progress_with_the_keyboard(
    qtbot, db, conference_id, make_tab
):
    lights, hedges = seeded(db, conference_id)
    tab = make_tab()
    assert not tab.review_mode_button.isEnabled()  # no review yet

    def answer(dialog):
        dialog.date.edit.selectAll()
        qtbot.keyClicks(dialog.date.edit, "4 Feb 2027")
        qtbot.keyClick(dialog.date.edit, Qt.Key.Key_Return)

    seen = in_modal(qtbot, answer)
    qtbot.mouseClick(tab.start_review_button, Qt.MouseButton.LeftButton)
    assert seen and isinstance(seen[0], StartReviewDialog)
    meeting = reviews.latest_review(db, conference_id)
    assert meeting.date == DAY
    assert tab.mode == REVIEW_MODE and tab.review_mode_button.isChecked()
    panel = tab.review_panel
    assert [r.text.text() for r in panel.rows] == ["Fix the lights", "Cut the hedges"]
    assert "2 actions carried forward" in panel.summary.text()
    assert "Started the review of 4 Feb 2027: 2 open actions" in tab.messages[-1]
    first, second = panel.rows
    tab.activateWindow()  # what the window manager does when the dialog closes
    qtbot.waitUntil(first.status.hasFocus)

    # Status with the arrow keys, Tab to the note, type, Tab on to the next action.
    qtbot.keyClick(first.status, Qt.Key.Key_Down)
    assert first.status.currentText() == "Done"
    assert reviews.review_items(db, meeting.id)[0].update.status == "done"
    assert plan.get_intervention(db, lights.id).status == "done"
    qtbot.keyClick(first.status, Qt.Key.Key_Tab)
    assert first.note.hasFocus()
    qtbot.keyClicks(first.note, "All twelve lights working")
    qtbot.keyClick(first.note, Qt.Key.Key_Tab)
    assert second.status.hasFocus()
    assert reviews.review_items(db, meeting.id)[0].update.note == "All twelve lights working"
    assert "1 with progress noted · 1 done or stopped" in panel.summary.text()

    # The status change is undoable (the note typed since stays).
    tab.undo_stack.undo()
    item = reviews.review_items(db, meeting.id)[0]
    assert (item.update.status, item.update.note) == ("in_progress", "All twelve lights working")
    assert plan.get_intervention(db, lights.id).status == "in_progress"
    assert tab.review_panel.rows[0].status.currentText() == "In progress"
    assert hedges.id == tab.review_panel.rows[1].intervention_id


def test_earlier_reviews_show_under_each_action_and_overdue_is_marked(
    qtbot, db, conference_id, make_tab
):
    lights, hedges = seeded(db, conference_id)
    plan.update_intervention(db, hedges.id, due_date=dt.date(2027, 1, 31))
    first = reviews.start_review(db, conference_id, dt.date(2026, 12, 1))
    reviews.record_progress(db, lights.id, first.id, "in_progress", "Survey done")
    second = reviews.start_review(db, conference_id, DAY)
    tab = make_tab()
    tab.set_mode(REVIEW_MODE)
    panel = tab.review_panel
    assert panel.review_combo.currentText() == "Review 2 · 4 Feb 2027"
    lights_row, hedges_row = panel.rows
    assert lights_row.earlier.isVisible()
    assert lights_row.earlier.text() == "Review 1 · 1 Dec 2026 — In progress: Survey done"
    assert hedges_row.earlier.text() == "Review 1 · 1 Dec 2026 — Not started (no note)"
    assert hedges_row.overdue and hedges_row.overdue_mark.isVisible()
    assert "overdue since 31 Jan 2027" in hedges_row.meta.text()
    assert not lights_row.overdue
    assert "1 overdue" in panel.summary.accessibleName()
    # Choosing the first review shows what it recorded, with no earlier line.
    panel.review_combo.setCurrentIndex(0)
    panel.review_combo.activated.emit(0)
    assert panel.meeting.id == first.id
    assert panel.rows[0].note.toPlainText() == "Survey done"
    assert not panel.rows[0].earlier.isVisible()
    assert second.id != first.id


def test_decisions_and_next_review_date_are_saved(qtbot, db, conference_id, make_tab):
    seeded(db, conference_id)
    meeting = reviews.start_review(db, conference_id, DAY)
    tab = make_tab()
    tab.set_mode(REVIEW_MODE)
    panel = tab.review_panel
    panel.decisions.setFocus()
    qtbot.keyClicks(panel.decisions, "Keep the patrols going")
    tab.flush()
    assert get_meeting_decisions(db, meeting.id) == "Keep the patrols going"
    panel.next_review.edit.setFocus()
    panel.next_review.edit.selectAll()
    qtbot.keyClicks(panel.next_review.edit, "5 May 2027")
    qtbot.keyClick(panel.next_review.edit, Qt.Key.Key_Return)
    assert get_conference(db, conference_id).next_review_date == dt.date(2027, 5, 5)
    assert "Attendance at this review: not recorded yet" in panel.attendance.text()


def get_meeting_decisions(db, meeting_id):
    from csfacilitator.core.meetings import get_meeting

    return get_meeting(db, meeting_id).decisions


def test_plan_and_review_modes_switch_with_the_keyboard(qtbot, db, conference_id, make_tab):
    seeded(db, conference_id)
    reviews.start_review(db, conference_id, DAY)
    tab = make_tab()
    assert tab.mode == PLAN_MODE and tab.plan_buttons.isVisible()
    tab.tree.setFocus()
    qtbot.keyClick(
        tab.tree,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert tab.mode == REVIEW_MODE and not tab.plan_buttons.isVisible()
    qtbot.keyClick(
        QApplication.focusWidget(),
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert tab.mode == PLAN_MODE


# --- closing ---------------------------------------------------------------------------------


def test_close_the_conference_from_the_tab(qtbot, db, conference_id, make_tab):
    seeded(db, conference_id)
    tab = make_tab()
    assert tab.close_button.text() == "Close conference…"

    def fill(dialog):
        assert isinstance(dialog, ClosingDialog)
        dialog.closed_on.edit.selectAll()
        qtbot.keyClicks(dialog.closed_on.edit, "3 Mar 2027")
        qtbot.keyClicks(dialog.fields["summary"], "Groups smaller and leaving earlier")
        qtbot.keyClick(dialog.fields["summary"], Qt.Key.Key_Tab)
        assert dialog.fields["measures"].hasFocus()
        qtbot.keyClicks(dialog.fields["measures"], "ASB calls 19 -> 11")
        qtbot.keyClick(dialog.fields["measures"], Qt.Key.Key_Tab)
        assert dialog.fields["feedback"].hasFocus()
        qtbot.keyClicks(dialog.fields["feedback"], "Shops feel supported")
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)

    in_modal(qtbot, fill)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    outcome = closing.get_outcome(db, conference_id)
    assert outcome.is_closed and outcome.closed_on == dt.date(2027, 3, 3)
    assert (outcome.summary, outcome.measures, outcome.feedback) == (
        "Groups smaller and leaving earlier",
        "ASB calls 19 -> 11",
        "Shops feel supported",
    )
    assert tab.close_button.text() == "Edit outcome…"
    assert not tab.start_review_button.isEnabled()
    assert "closed" in tab.summary.accessibleName()
    assert tab.messages[-1] == "Closed the conference on 3 Mar 2027."


def test_cancelling_with_text_offers_to_keep_it(qtbot, db, conference_id):
    dialog = ClosingDialog(db, conference_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.fields["feedback"], "Residents asked for a follow-up meeting")

    def keep(box):
        assert isinstance(box, QMessageBox)
        box.button(QMessageBox.StandardButton.Save).click()

    in_modal(qtbot, keep)
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    outcome = closing.get_outcome(db, conference_id)
    assert outcome.feedback == "Residents asked for a follow-up meeting"
    assert not outcome.is_closed


def test_reopen_keeps_the_outcome(qtbot, db, conference_id):
    closing.close_conference(db, conference_id, summary="Safer", closed_on=DAY)
    dialog = ClosingDialog(db, conference_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Conference outcome"
    assert dialog.fields["summary"].toPlainText() == "Safer"
    assert dialog.later_button is None
    qtbot.mouseClick(dialog.reopen_button, Qt.MouseButton.LeftButton)
    outcome = closing.get_outcome(db, conference_id)
    assert outcome.status == "under_review" and outcome.summary == "Safer"


def test_the_board_follows_a_review_just_started(qtbot, db, conference_id):
    from csfacilitator.gui.board.board_tab import BoardTab

    board_tab = BoardTab(db)
    qtbot.addWidget(board_tab)
    board_tab.set_conference(conference_id)
    conference_meeting = board_tab.current_meeting_id()
    meeting = reviews.start_review(db, conference_id, DAY)
    board_tab.reload()  # the tab is shown again
    assert board_tab.current_meeting_id() == meeting.id
    assert board_tab.meeting_combo.currentText() == "Review · 4 Feb 2027"
    board_tab.set_meeting(conference_meeting)  # the chair can still go back
    board_tab.reload()
    assert board_tab.current_meeting_id() == conference_meeting


def test_review_notes_keep_any_script_and_lose_control_characters(
    qtbot, db, conference_id, make_tab
):
    lights, _hedges = seeded(db, conference_id)
    meeting = reviews.start_review(db, conference_id, DAY)
    tab = make_tab()
    tab.set_mode(REVIEW_MODE)
    note = tab.review_panel.rows[0].note
    note.setFocus()
    QApplication.clipboard().setText("تم إصلاح الأضواء 💡\x0bdone\x00 " + "x" * 20000)
    qtbot.keyClick(note, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    tab.flush()
    stored = reviews.review_items(db, meeting.id)[0].update.note
    assert stored.startswith("تم إصلاح الأضواء 💡\ndone ")
    assert "\x00" not in stored and len(stored) == len("تم إصلاح الأضواء 💡\ndone ") + 20000
    assert lights.id == reviews.review_items(db, meeting.id)[0].intervention.id
