"""Under the board, 'Check before sharing' and 'Referrals made' fold to one line, so at
1366×768 the columns keep the height; each unfolds on demand and says its state in words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from csfacilitator.core import conferences
from csfacilitator.gui.board.board_tab import BoardTab


@pytest.fixture
def tab(qtbot, db):
    conference_id = conferences.create_conference(db, "Larkfield Park")
    tab = BoardTab(db)
    qtbot.addWidget(tab)
    tab.set_conference(conference_id)
    tab.guard_panel.set_expanded(False)
    tab.referrals_panel.set_expanded(False)
    tab.resize(1366, 700)
    tab.show()
    qtbot.waitExposed(tab)
    yield tab
    tab.guard_panel.set_expanded(False)  # the choice is remembered: leave it as found
    tab.referrals_panel.set_expanded(False)


def test_folded_panels_take_one_line_and_give_the_height_to_the_columns(tab, qtbot):
    drawer = tab.splitter.widget(1)
    assert drawer.height() <= 32
    assert not tab.guard_panel.body.isVisible() and not tab.referrals_panel.body.isVisible()
    assert tab.guard_panel.header.text() == "Check before sharing — nothing to check"
    assert tab.referrals_panel.header.text().endswith("— none for this meeting")
    columns_folded = tab.splitter.widget(0).height()

    tab.referrals_panel.header.setFocus()
    qtbot.keyClick(tab.referrals_panel.header, Qt.Key.Key_Space)  # unfold by keyboard
    qtbot.waitUntil(lambda: tab.referrals_panel.team.isVisible())
    assert tab.referrals_panel.header.accessibleName().startswith("Referrals made")
    assert tab.splitter.widget(1).height() >= 150
    assert tab.splitter.widget(0).height() < columns_folded

    qtbot.keyClicks(tab.referrals_panel.team, "Children's social care front door")
    qtbot.keyClick(tab.referrals_panel.team, Qt.Key.Key_Return)
    assert tab.referrals_panel.header.text().endswith("— 1 recorded for this meeting")

    qtbot.keyClick(tab.referrals_panel.header, Qt.Key.Key_Space)  # fold again
    qtbot.waitUntil(lambda: tab.splitter.widget(1).height() <= 32)
    assert tab.splitter.widget(0).height() == columns_folded


def test_flags_are_counted_in_words_while_folded(tab, qtbot):
    tab.focus_entry("concerns")
    entry = tab.panes["concerns"].entry
    qtbot.keyClicks(entry, "Call 07700 900123 after school")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.guard_panel.count() == 1)
    assert not tab.guard_panel.is_expanded()  # the board keeps its height mid-meeting
    assert tab.guard_panel.header.text() == (
        "Check before sharing (1) — ⚠ 1 point may hold personal details"
    )


def test_the_agenda_item_under_discussion_is_never_cut_short(tab, qtbot):
    strip = tab.agenda
    meeting = strip.meeting
    longest = max(meeting.agenda, key=lambda item: len(item.title))
    button = strip.buttons[longest.id]
    qtbot.waitUntil(lambda: button.width() > 0)
    assert button.text() != button.full_text  # not current: shortened to share the row
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: button.isChecked() and button.text() == button.full_text)
    others = [b for b in strip.buttons.values() if b is not button]
    assert all(b.width() >= 60 for b in others)
