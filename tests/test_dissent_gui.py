"""The board's Disagreement panel, driven by keyboard: record, refuse, undo, remove."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from csfacilitator.core import conferences, dissent
from csfacilitator.core.invitees import add_invitee
from csfacilitator.gui.board.board_tab import BoardTab


@pytest.fixture
def tab(qtbot, db):
    conference_id = conferences.create_conference(db, "Larkfield Park")
    add_invitee(db, conference_id, name="Ann Lee", organisation="Police")
    add_invitee(db, conference_id, name="Sam Patel", organisation="Riverside Housing")
    tab = BoardTab(db)
    qtbot.addWidget(tab)
    tab.set_conference(conference_id)
    tab.resize(1366, 700)
    tab.show()
    qtbot.waitExposed(tab)
    yield tab
    tab.dissent_panel.set_expanded(False)  # the choice is remembered: leave it as found


def test_record_by_keyboard_then_undo_and_redo(tab, qtbot, db):
    panel = tab.dissent_panel
    assert panel in tab.findChildren(type(panel))
    assert panel.header.text() == "Disagreement (goes in the minutes) — none recorded"
    panel.header.setFocus()
    qtbot.keyClick(panel.header, Qt.Key.Key_Space)  # unfold by keyboard
    qtbot.waitUntil(lambda: panel.who.isVisible())
    assert [panel.who.itemText(i) for i in range(panel.who.count())] == [
        "Ann Lee (Police)",
        "Sam Patel (Riverside Housing)",
    ]
    panel.who.setFocus()
    qtbot.keyClick(panel.who, Qt.Key.Key_Down)  # Sam
    panel.item.setCurrentIndex(1)  # the first agenda item
    qtbot.keyClicks(panel.decision, "Close the underpass at night")
    qtbot.keyClicks(panel.statement, "It sends young people along the canal")
    qtbot.keyClick(panel.statement, Qt.Key.Key_Return)
    (stored,) = dissent.list_dissent(db, tab.current_meeting_id())
    assert stored.who == "Sam Patel (Riverside Housing)"
    assert stored.decision == "Close the underpass at night"
    assert stored.agenda_item_id == panel.item.itemData(1)
    assert panel.header.text().endswith("— 1 recorded")
    assert panel.table_model.rowCount() == 1
    assert panel.statement.text() == "" and panel.who.hasFocus()

    tab.undo_stack.undo()
    assert dissent.list_dissent(db, tab.current_meeting_id()) == []
    assert panel.header.text().endswith("— none recorded")
    tab.undo_stack.redo()
    (back,) = dissent.list_dissent(db, tab.current_meeting_id())
    assert (back.id, back.uid) == (stored.id, stored.uid)


def test_a_missing_statement_is_refused_in_words_and_keeps_what_was_typed(tab, qtbot, db):
    panel = tab.dissent_panel
    panel.set_expanded(True)
    messages = []
    tab.status_message.connect(messages.append)
    qtbot.keyClicks(panel.decision, "No CCTV")
    qtbot.keyClick(panel.decision, Qt.Key.Key_Return)
    assert messages[-1] == "Write what they said: their disagreement in their words."
    assert panel.decision.text() == "No CCTV"
    assert dissent.list_dissent(db, tab.current_meeting_id()) == []
    assert tab.undo_stack.count() == 0


def test_delete_on_the_list_removes_and_ctrl_z_brings_it_back(tab, qtbot, db):
    panel = tab.dissent_panel
    panel.set_expanded(True)
    meeting = tab.current_meeting_id()
    invitee = panel.who.itemData(0)
    dissent.add_dissent(db, meeting, invitee_id=invitee, decision="x", statement="y")
    panel.reload()
    panel.table.setFocus()
    panel.table.selectRow(0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert dissent.list_dissent(db, meeting) == []
    tab.undo_stack.undo()
    assert len(dissent.list_dissent(db, meeting)) == 1
    assert panel.table_model.rowCount() == 1


def test_labels_and_accessible_names_agree(tab):
    from PySide6.QtWidgets import QLabel

    panel = tab.dissent_panel
    for field in (panel.who, panel.item, panel.decision, panel.statement):
        label = next(lb for lb in panel.findChildren(QLabel) if lb.buddy() is field)
        assert label.text().replace("&", "") == field.accessibleName()


def test_people_added_on_the_invite_list_are_offered_when_the_board_shows_again(tab, qtbot, db):
    panel = tab.dissent_panel
    panel.set_expanded(True)
    add_invitee(db, tab.conference_id, name="Kim Jones", organisation="Parks")
    tab.hide()
    tab.show()
    qtbot.waitExposed(tab)
    assert "Kim Jones (Parks)" in [panel.who.itemText(i) for i in range(panel.who.count())]


def test_a_folded_panel_reads_its_choices_only_when_it_opens(tab, qtbot, monkeypatch):
    from csfacilitator.gui.board import dissent_panel

    panel = tab.dissent_panel
    panel.set_expanded(False)
    read: list[int] = []
    real = dissent_panel.list_invitees
    monkeypatch.setattr(
        dissent_panel, "list_invitees", lambda db, cid: read.append(cid) or real(db, cid)
    )
    panel.set_meeting(tab.current_meeting_id())  # as the board loads a meeting
    tab.hide()
    tab.show()  # as the board is shown again
    qtbot.waitExposed(tab)
    assert read == []  # folded: nothing seen, nothing read
    assert panel.who.count() == 0
    panel.set_expanded(True)
    assert read == [tab.conference_id]
    assert [panel.who.itemText(i) for i in range(panel.who.count())] == [
        "Ann Lee (Police)",
        "Sam Patel (Riverside Housing)",
    ]
