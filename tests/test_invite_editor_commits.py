"""A cell editor on the invite list is committed once, when its key is pressed.

Qt's item delegates commit on Enter a moment later (a queued call, so the editor sees the key
first). A key pressed before that moment — Insert for the next invitee, as a quick typist or a
test does — committed and closed the editor already; the late commit then reached the table
for an editor it no longer had ("commitData called with an editor that does not belong to this
view"). Qt's warnings fail these tests (pyproject's qt_log_level_fail), so the stale commit
would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from csfacilitator.core import invitees as inv
from csfacilitator.core.conferences import create_conference
from csfacilitator.gui.invites.invite_tab import HIDDEN_COLUMNS_SETTING, InviteTab
from csfacilitator.gui.invites.invitee_table_model import InviteeTableModel as M


@pytest.fixture(autouse=True)
def _default_columns():
    from PySide6.QtCore import QSettings

    QSettings().remove(HIDDEN_COLUMNS_SETTING)
    yield
    QSettings().remove(HIDDEN_COLUMNS_SETTING)


@pytest.fixture
def tab(qtbot, db):
    conference_id = create_conference(db, "Larkfield Park")
    widget = InviteTab(db)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.set_conference(conference_id)
    widget.show()
    qtbot.waitExposed(widget)
    widget.table.setFocus()
    return widget


def press(qtbot, key, text: str = "") -> None:
    """Keys to whatever has the focus, with no event loop run in between (as QTest sends
    them, and as keys that arrive together are handled)."""
    if text:
        qtbot.keyClicks(QApplication.focusWidget(), text)
    if key is not None:
        qtbot.keyClick(QApplication.focusWidget(), key)


def rows(tab):
    return [
        (r.name, r.organisation, r.category, r.status)
        for r in inv.list_invitees(tab.db, tab.conference_id)
    ]


def test_enter_then_insert_at_once_commits_each_name_and_organisation_once(qtbot, tab):
    for name, organisation in (
        ("Sgt Daniel Mensah", "Dunhaven Police"),
        ("Sian Pritchard", "Parks"),
    ):
        press(qtbot, Qt.Key.Key_Insert)
        assert isinstance(QApplication.focusWidget(), QLineEdit)
        press(qtbot, Qt.Key.Key_Tab, name)
        press(qtbot, Qt.Key.Key_Return, organisation)
    press(qtbot, Qt.Key.Key_Insert)  # a third row, at once after the second one's Enter
    qtbot.wait(50)  # let any late commit arrive (it would warn, and the warning fails the test)
    assert rows(tab) == [
        ("Sgt Daniel Mensah", "Dunhaven Police", "", "to_invite"),
        ("Sian Pritchard", "Parks", "", "to_invite"),
        ("New invitee", "", "", "to_invite"),
    ]
    # Each row: added, named, its organisation typed — three steps, nothing stored twice.
    assert tab.undo_stack.count() == 7


@pytest.mark.parametrize(
    ("column", "typed", "field", "value"),
    [
        (M.ORGANISATION, "Dunhaven Police", "organisation", "Dunhaven Police"),
        (M.CATEGORY, "Education", "category", "Education / school"),
        (M.STATUS, "C", "status", "confirmed"),
    ],
    ids=["text", "suggestions", "choices"],
)
def test_enter_then_another_key_at_once_commits_once(qtbot, tab, column, typed, field, value):
    press(qtbot, Qt.Key.Key_Insert)
    press(qtbot, Qt.Key.Key_Return, "Sian Pritchard")
    qtbot.waitUntil(lambda: tab.table.hasFocus())
    tab.table.setCurrentIndex(tab.proxy.index(0, column))
    press(qtbot, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit | QComboBox)
    if isinstance(editor, QLineEdit):
        editor.selectAll()
    press(qtbot, Qt.Key.Key_Return, typed)
    press(qtbot, Qt.Key.Key_Insert)  # the next invitee before the event loop ran
    qtbot.wait(50)
    stored = inv.list_invitees(tab.db, tab.conference_id)
    assert [(r.name, getattr(r, field)) for r in stored][0] == ("Sian Pritchard", value)
    assert [r.name for r in stored] == ["Sian Pritchard", "New invitee"]
