"""The Invite list tab, driven like a user would: clicks, typing into the cell editors, keys."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QStyle,
    QStyleOptionViewItem,
)

from csfacilitator.core import invitees as inv
from csfacilitator.core.conferences import create_conference
from csfacilitator.core.meetings import add_meeting, list_meetings
from csfacilitator.gui.invites.invite_tab import InviteTab
from csfacilitator.gui.invites.invitee_table_model import INVALID_EMAIL_TIP, InviteeTableModel

M = InviteeTableModel


@pytest.fixture(autouse=True)
def _default_columns():
    """Each test starts from the default columns, whatever an earlier test chose."""
    from PySide6.QtCore import QSettings

    from csfacilitator.gui.invites.invite_tab import HIDDEN_COLUMNS_SETTING

    QSettings().remove(HIDDEN_COLUMNS_SETTING)
    yield
    QSettings().remove(HIDDEN_COLUMNS_SETTING)


def _riverside(db) -> int:
    conference_id = create_conference(db, "Riverside Park", conference_date=dt.date(2025, 3, 12))
    add_meeting(db, conference_id, "review", date=dt.date(2025, 6, 11))
    return conference_id


def _riverside_and_people(db) -> int:
    """Three invitees; Grace was present at the conference meeting."""
    conference_id = _riverside(db)
    meeting = next(m for m in list_meetings(db, conference_id) if m.kind == "conference")
    grace = inv.add_invitee(
        db, conference_id, name="Grace Mensah", category="Children's social care", q_engaged=True
    )
    inv.set_attendance(db, grace.id, meeting.id, "present")
    inv.add_invitee(
        db, conference_id, name="Tom Price", organisation="Corner Shop", category="Local business"
    )
    inv.add_invitee(
        db, conference_id, name="Amira Haddad", organisation="Youth Hub", status="invited"
    )
    return conference_id


def filled_db(wanted):  # noqa: ANN001, ANN201 - conftest's hook (see there)
    """Riverside Park (with a review after its conference meeting) for `conference_id`; with
    its three invitees, Grace present at the conference meeting, for `people`."""
    if "people" in wanted:
        return _riverside_and_people
    return _riverside if "conference_id" in wanted else None


@pytest.fixture
def people(seeded):
    """Riverside Park with three invitees; Grace was present at the conference meeting."""
    return seeded


@pytest.fixture
def tab(qtbot, db, people):
    widget = InviteTab(db)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.set_conference(people)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def stored(db, conference_id):
    return {i.name: i for i in inv.list_invitees(db, conference_id)}


def shown_names(tab):
    return [tab.proxy.index(r, M.NAME).data() for r in range(tab.proxy.rowCount())]


def cell(tab, name, column):
    for row in range(tab.proxy.rowCount()):
        if tab.proxy.index(row, M.NAME).data() == name:
            return tab.proxy.index(row, column)
    raise AssertionError(f"{name} is not shown")


def open_editor(qtbot, tab, index, editor_type):
    """Make the cell current and press F2, as a keyboard user would."""
    tab.table.setFocus()
    tab.table.setCurrentIndex(index)
    qtbot.keyClick(tab.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(tab.table.focusWidget(), editor_type))
    return tab.table.focusWidget()


def editor_combo(tab):
    widget = tab.table.focusWidget()
    while widget is not None and not isinstance(widget, QComboBox):
        widget = widget.parentWidget()
    return widget


def test_add_by_clicking_and_typing_a_name(qtbot, tab, db, people):
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(tab.table.focusWidget(), QLineEdit))
    editor = tab.table.focusWidget()
    assert editor.text() == "New invitee"
    assert editor.selectedText() == "New invitee"  # typing replaces it
    assert "New invitee" in stored(db, people)  # stored before it is even named

    qtbot.keyClicks(editor, "Jane Doe")
    qtbot.keyClick(editor, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: "Jane Doe" in shown_names(tab))
    names = [i.name for i in inv.list_invitees(db, people)]
    assert names == ["Grace Mensah", "Tom Price", "Amira Haddad", "Jane Doe"]
    assert tab.undo_stack.count() == 2  # the add and the naming


def test_insert_key_adds_and_escape_keeps_the_default_name(qtbot, tab, db, people):
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Insert)
    qtbot.waitUntil(lambda: isinstance(tab.table.focusWidget(), QLineEdit))
    qtbot.keyClick(tab.table.focusWidget(), Qt.Key.Key_Escape)
    assert "New invitee" in stored(db, people)
    assert tab.table.currentIndex().data() == "New invitee"


def test_edit_organisation_by_typing_and_undo_it(qtbot, tab, db, people):
    editor = open_editor(qtbot, tab, cell(tab, "Amira Haddad", M.ORGANISATION), QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Riverside Youth Hub")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: stored(db, people)["Amira Haddad"].organisation == "Riverside Youth Hub"
    )
    assert cell(tab, "Amira Haddad", M.ORGANISATION).data() == "Riverside Youth Hub"

    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(db, people)["Amira Haddad"].organisation == "Youth Hub"
    assert cell(tab, "Amira Haddad", M.ORGANISATION).data() == "Youth Hub"
    qtbot.keyClick(
        tab.table,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert stored(db, people)["Amira Haddad"].organisation == "Riverside Youth Hub"


def test_tab_while_editing_moves_to_the_next_cell_and_tab_leaves_the_table(qtbot, tab, db, people):
    editor = open_editor(qtbot, tab, cell(tab, "Tom Price", M.NAME), QLineEdit)
    qtbot.keyClicks(editor, "Tom Price-Jones")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "Tom Price-Jones" in stored(db, people))
    qtbot.waitUntil(lambda: tab.table.currentIndex().column() == M.ORGANISATION)
    qtbot.waitUntil(lambda: isinstance(tab.table.focusWidget(), QLineEdit))
    qtbot.keyClick(tab.table.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: tab.table.hasFocus())
    qtbot.keyClick(tab.table, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.coverage_panel)


def test_typing_on_a_cell_starts_editing_it(qtbot, tab, db, people):
    tab.table.setFocus()
    tab.table.setCurrentIndex(cell(tab, "Tom Price", M.PHONE))
    qtbot.keyClicks(tab.table, "0")
    qtbot.waitUntil(lambda: isinstance(tab.table.focusWidget(), QLineEdit))
    qtbot.keyClicks(tab.table.focusWidget(), "1234 567890")
    qtbot.keyClick(tab.table.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(db, people)["Tom Price"].phone == "01234 567890")


def test_empty_name_is_refused_with_a_message_and_nothing_lost(qtbot, tab, db, people):
    messages = []
    tab.status_message.connect(messages.append)
    editor = open_editor(qtbot, tab, cell(tab, "Tom Price", M.NAME), QLineEdit)
    editor.clear()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: messages == ["An invitee needs a name."])
    assert "Tom Price" in stored(db, people)
    assert "Tom Price" in shown_names(tab)
    assert tab.undo_stack.count() == 0


def test_pasted_control_characters_emoji_rtl_and_huge_text(qtbot, tab, db, people):
    name = cell(tab, "Tom Price", M.NAME)
    assert tab.proxy.setData(name, "مريم\x0bالحسن 🌳\x00")
    assert "مريم الحسن 🌳" in stored(db, people)
    huge = "Corner shop " * 10_000
    organisation = cell(tab, "مريم الحسن 🌳", M.ORGANISATION)
    assert tab.proxy.setData(organisation, huge)
    assert stored(db, people)["مريم الحسن 🌳"].organisation == huge.strip()
    assert len(organisation.data()) <= 301  # painted cut short...
    assert organisation.data(Qt.ItemDataRole.EditRole) == huge.strip()  # ...edited whole


def test_change_status_through_set_data(qtbot, tab, db, people):
    index = cell(tab, "Tom Price", M.STATUS)
    assert tab.proxy.setData(index, "confirmed", Qt.ItemDataRole.EditRole)
    assert stored(db, people)["Tom Price"].status == "confirmed"
    assert index.data() == "Confirmed"
    assert not tab.proxy.setData(index, "maybe", Qt.ItemDataRole.EditRole)
    assert stored(db, people)["Tom Price"].status == "confirmed"
    tab.undo_stack.undo()
    assert stored(db, people)["Tom Price"].status == "to_invite"


def test_change_status_through_the_combo_editor(qtbot, tab, db, people):
    open_editor(qtbot, tab, cell(tab, "Tom Price", M.STATUS), QComboBox)
    combo = editor_combo(tab)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "To invite",
        "Invited",
        "Confirmed",
        "Declined",
    ]
    assert combo.accessibleName() == "Status"
    qtbot.keyClicks(combo, "D")
    assert combo.currentText() == "Declined"
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(db, people)["Tom Price"].status == "declined")
    assert cell(tab, "Tom Price", M.STATUS).data() == "Declined"


def test_category_takes_a_suggestion_or_own_words(qtbot, tab, db, people):
    open_editor(qtbot, tab, cell(tab, "Amira Haddad", M.CATEGORY), (QLineEdit, QComboBox))
    combo = editor_combo(tab)
    assert combo.isEditable()
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items[:3] == ["Children's social care", "Local council", "Community safety"]
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "Detached youth work")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(db, people)["Amira Haddad"].category == "Detached youth work")
    # The user's own category is offered next time.
    open_editor(qtbot, tab, cell(tab, "Tom Price", M.CATEGORY), (QLineEdit, QComboBox))
    combo = editor_combo(tab)
    assert "Detached youth work" in [combo.itemText(i) for i in range(combo.count())]
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Escape)
    assert stored(db, people)["Tom Price"].category == "Local business"


def check_rect(tab, index):
    option = QStyleOptionViewItem()
    option.rect = tab.table.visualRect(index)
    tab.table.itemDelegateForIndex(index).initStyleOption(option, index)
    return tab.table.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, tab.table
    )


def test_tick_a_question_by_mouse_and_by_keyboard(qtbot, tab, db, people):
    index = cell(tab, "Tom Price", M.Q_YOUTH_VOICE)
    qtbot.mouseClick(
        tab.table.viewport(), Qt.MouseButton.LeftButton, pos=check_rect(tab, index).center()
    )
    qtbot.waitUntil(lambda: stored(db, people)["Tom Price"].q_youth_voice)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked

    agreement = cell(tab, "Tom Price", M.ISA_SIGNED)
    tab.table.setFocus()
    tab.table.setCurrentIndex(agreement)
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: stored(db, people)["Tom Price"].isa_signed)
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not stored(db, people)["Tom Price"].isa_signed)
    assert tab.undo_stack.count() == 3


def test_set_attendance_for_the_chosen_meeting(qtbot, tab, db, people):
    meetings = list_meetings(db, people)
    conference = next(m for m in meetings if m.kind == "conference")
    review = next(m for m in meetings if m.kind == "review")
    combo = tab.meeting_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Conference, 12 Mar 2025",
        "Review, 11 Jun 2025",
    ]
    combo.setCurrentIndex(combo.findData(conference.id))
    assert cell(tab, "Grace Mensah", M.ATTENDANCE).data() == "Present"
    assert "Conference" in tab.proxy.headerData(M.ATTENDANCE, Qt.Orientation.Horizontal)

    open_editor(qtbot, tab, cell(tab, "Tom Price", M.ATTENDANCE), QComboBox)
    attendance = editor_combo(tab)
    qtbot.keyClicks(attendance, "Ap")
    assert attendance.currentText() == "Apologies"
    qtbot.keyClick(attendance, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: stored(db, people)["Tom Price"].attendance == {conference.id: "apologies"}
    )

    combo.setCurrentIndex(combo.findData(review.id))
    assert cell(tab, "Grace Mensah", M.ATTENDANCE).data() == ""
    assert "Review" in tab.proxy.headerData(M.ATTENDANCE, Qt.Orientation.Horizontal)
    assert tab.proxy.setData(cell(tab, "Grace Mensah", M.ATTENDANCE), "absent")
    assert stored(db, people)["Grace Mensah"].attendance == {
        conference.id: "present",
        review.id: "absent",
    }
    tab.undo_stack.undo()
    assert stored(db, people)["Grace Mensah"].attendance == {conference.id: "present"}


def test_coverage_panel_follows_the_table(qtbot, tab, db, people):
    panel = tab.coverage_panel
    assert "Youth justice" in panel.text()
    assert "Represents young people's voices" in panel.text()
    assert "Tom Price (Corner Shop)" in panel.sections["agreement"].body.text()

    tab.proxy.setData(cell(tab, "Amira Haddad", M.CATEGORY), "Youth justice")
    assert "Youth justice" not in panel.sections["agencies"].body.text()

    index = cell(tab, "Amira Haddad", M.Q_YOUTH_VOICE)
    tab.proxy.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert "Represents young people's voices" not in panel.sections["questions"].body.text()

    tab.proxy.setData(cell(tab, "Tom Price", M.ISA_SIGNED), 2, Qt.ItemDataRole.CheckStateRole)
    assert "Every partner who needs one has signed." in panel.sections["agreement"].body.text()

    tab.proxy.setData(cell(tab, "Grace Mensah", M.PREPARED_ON), "2025-02-20")
    assert "Grace Mensah" not in panel.sections["prepared"].body.text()
    assert "Tom Price" in panel.sections["prepared"].body.text()

    tab.undo_stack.undo()
    assert "Grace Mensah" in panel.sections["prepared"].body.text()


def test_remove_with_delete_then_ctrl_z_restores_it(qtbot, tab, db, people):
    messages = []
    tab.status_message.connect(messages.append)
    grace = stored(db, people)["Grace Mensah"]
    tab.table.setFocus()
    tab.table.setCurrentIndex(cell(tab, "Grace Mensah", M.ORGANISATION))
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)

    assert "Grace Mensah" not in stored(db, people)
    assert "Grace Mensah" not in shown_names(tab)
    assert messages[-1] == "Removed Grace Mensah — Ctrl+Z to undo"
    assert "Grace Mensah" not in tab.coverage_panel.text()
    assert tab.table.currentIndex().isValid()  # focus stays on a row: Delete again works

    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = stored(db, people)["Grace Mensah"]
    assert back == grace  # same id, position, details and attendance
    assert shown_names(tab) == ["Grace Mensah", "Tom Price", "Amira Haddad"]

    tab.undo_stack.redo()
    assert "Grace Mensah" not in stored(db, people)


def test_remove_several_with_the_button_and_undo(qtbot, tab, db, people):
    before = inv.list_invitees(db, people)
    selection = tab.table.selectionModel()
    selection.select(cell(tab, "Grace Mensah", M.NAME), selection.SelectionFlag.Select)
    selection.select(cell(tab, "Amira Haddad", M.STATUS), selection.SelectionFlag.Select)
    assert tab.remove_button.isEnabled()
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert [i.name for i in inv.list_invitees(db, people)] == ["Tom Price"]
    tab.undo_stack.undo()
    assert inv.list_invitees(db, people) == before


def test_edit_after_remove_and_restore_still_undoes(qtbot, tab, db, people):
    """Undo reaches an invitee even if its restore had to give it a new id."""
    tab.proxy.setData(cell(tab, "Amira Haddad", M.PHONE), "0700")
    tab.table.setCurrentIndex(cell(tab, "Amira Haddad", M.NAME))
    tab.remove_selected()
    inv.add_invitee(db, people, name="Someone else")  # may take the freed id
    tab.undo_stack.undo()  # restore Amira
    tab.undo_stack.undo()  # undo the phone edit
    assert stored(db, people)["Amira Haddad"].phone == ""
    assert stored(db, people)["Someone else"].phone == ""


def test_sort_by_name_by_clicking_the_header(qtbot, tab):
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(M.NAME) + 20
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 10))
    assert shown_names(tab) == ["Amira Haddad", "Grace Mensah", "Tom Price"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 10))
    assert shown_names(tab) == ["Tom Price", "Grace Mensah", "Amira Haddad"]


def test_filter_by_text_and_status(qtbot, tab):
    qtbot.keyClicks(tab.search, "shop")
    assert shown_names(tab) == ["Tom Price"]  # organisation matches
    tab.search.clear()
    qtbot.keyClicks(tab.search, "SOCIAL")
    assert shown_names(tab) == ["Grace Mensah"]  # category, whatever the case
    tab.search.clear()
    assert len(shown_names(tab)) == 3
    tab.status_filter.setCurrentIndex(tab.status_filter.findText("Invited"))
    assert shown_names(tab) == ["Amira Haddad"]


def test_the_empty_table_says_what_to_do(qtbot, tab, db):
    qtbot.keyClicks(tab.search, "nobody by that name")
    assert shown_names(tab) == []
    assert tab.table.placeholder() == "No invitee matches the search or the status chosen."
    tab.search.clear()
    assert tab.table.placeholder() == ""
    tab.set_conference(create_conference(db, "Empty"))
    assert "Press Add invitee (or Insert)" in tab.table.placeholder()
    assert tab.coverage_panel.summary.text() == "No one on the list is expected to come yet."
    assert "No one to check yet." in tab.coverage_panel.sections["prepared"].body.text()


def test_a_new_invitee_stays_visible_under_a_filter(qtbot, tab, db, people):
    qtbot.keyClicks(tab.search, "grace")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(tab.table.focusWidget(), QLineEdit))
    assert shown_names(tab) == ["Grace Mensah", "New invitee"]


def test_invalid_email_is_flagged_but_stored(qtbot, tab, db, people):
    editor = open_editor(qtbot, tab, cell(tab, "Tom Price", M.EMAIL), QLineEdit)
    qtbot.keyClicks(editor, "tom.price(at)gmail.com")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(db, people)["Tom Price"].email == "tom.price(at)gmail.com")
    index = cell(tab, "Tom Price", M.EMAIL)
    assert index.data() == "tom.price(at)gmail.com"
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    assert index.data(Qt.ItemDataRole.ToolTipRole) == INVALID_EMAIL_TIP

    tab.proxy.setData(index, "tom@cornershop.co.uk")
    assert index.data(Qt.ItemDataRole.DecorationRole) is None
    assert index.data(Qt.ItemDataRole.ToolTipRole) is None


def test_dates_are_typed_and_cleared(qtbot, tab, db, people):
    editor = open_editor(qtbot, tab, cell(tab, "Tom Price", M.PREPARED_ON), QLineEdit)
    assert editor.text() == ""
    assert editor.accessibleName() == "Prepared on"
    qtbot.keyClicks(editor, "20/2/25")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(db, people)["Tom Price"].prepared_on == dt.date(2025, 2, 20))
    assert cell(tab, "Tom Price", M.PREPARED_ON).data() == "20 Feb 2025"

    editor = open_editor(qtbot, tab, cell(tab, "Tom Price", M.PREPARED_ON), QLineEdit)
    assert editor.text() == "20/02/2025"
    assert editor.selectedText() == "20/02/2025"
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(db, people)["Tom Price"].prepared_on is None)
    assert cell(tab, "Tom Price", M.PREPARED_ON).data() == ""


def test_a_wrong_date_keeps_the_editor_open(qtbot, tab, db, people):
    editor = open_editor(qtbot, tab, cell(tab, "Tom Price", M.INVITED_ON), QLineEdit)
    qtbot.keyClicks(editor, "31/02/2025")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # a (wrong) queued commit would run now
    assert tab.table.focusWidget() is editor
    assert editor.text() == "31/02/2025"
    assert stored(db, people)["Tom Price"].invited_on is None


def test_a_date_from_the_calendar(qtbot, tab, db, people):
    tab.set_column_shown(M.INVITED_ON, True)  # one of the columns hidden at first
    editor = open_editor(qtbot, tab, cell(tab, "Tom Price", M.INVITED_ON), QLineEdit)
    qtbot.keyClicks(editor, "10/03/2025")
    qtbot.keyClick(editor, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: editor.calendar is not None and editor.calendar.isVisible())
    calendar = editor.calendar
    assert calendar.selectedDate().toPython() == dt.date(2025, 3, 10)
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Right)
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(db, people)["Tom Price"].invited_on == dt.date(2025, 3, 11))
    assert cell(tab, "Tom Price", M.INVITED_ON).data() == "11 Mar 2025"


def test_context_menu_clears_a_date(qtbot, tab, db, people):
    grace = cell(tab, "Grace Mensah", M.PREPARED_ON)
    tab.proxy.setData(grace, "2025-02-18")
    tab.table.customContextMenuRequested.emit(tab.table.visualRect(grace).center())
    menu = next(m for m in tab.findChildren(QMenu) if m.isVisible())
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Add invitee", "Remove invitee", "Set for selected", "Clear date"]
    menu.actions()[-1].trigger()
    assert stored(db, people)["Grace Mensah"].prepared_on is None


def test_notes_keep_several_lines(qtbot, tab, db, people):
    editor = open_editor(qtbot, tab, cell(tab, "Tom Price", M.NOTES), QPlainTextEdit)
    qtbot.keyClicks(editor, "Opens at 7")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor, "Prefers calls")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(db, people)["Tom Price"].notes == "Opens at 7\nPrefers calls")
    assert cell(tab, "Tom Price", M.NOTES).data() == "Opens at 7 / Prefers calls"


def test_flush_commits_a_cell_still_being_typed(qtbot, tab, db, people):
    editor = open_editor(qtbot, tab, cell(tab, "Tom Price", M.ROLE), (QLineEdit, QComboBox))
    combo = editor_combo(tab)
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "Business owner")
    tab.flush()
    assert stored(db, people)["Tom Price"].role == "Business owner"
    assert editor is not None


def test_controls_are_named_for_screen_readers(tab):
    assert tab.add_button.accessibleName() == "Add invitee"
    assert tab.remove_button.accessibleName() == "Remove invitee"
    assert tab.search.accessibleName() == "Search"
    assert tab.status_filter.accessibleName() == "Status"
    assert tab.meeting_combo.accessibleName() == "Attendance at"
    assert tab.table.accessibleName() == "Invite list"
    assert tab.coverage_panel.accessibleName() == "Coverage"


def test_main_columns_fit_at_1366_by_768(qtbot, tab):
    tab.resize(1366, 768)
    qtbot.waitUntil(lambda: tab.table.viewport().width() > 0)
    header = tab.table.horizontalHeader()
    # Attendance (and everything before it) is in view without scrolling, clear of the
    # vertical scroll bar.
    right = header.sectionViewportPosition(M.ATTENDANCE) + header.sectionSize(M.ATTENDANCE)
    assert right <= tab.table.viewport().width()
    tab.show_all_columns(True)
    for column, (text, _tip) in M.HEADERS.items():
        for line in text.split("\n"):
            assert header.fontMetrics().horizontalAdvance(line) < header.sectionSize(column), text


def test_no_conference_means_nothing_to_edit(qtbot, db):
    widget = InviteTab(db)
    qtbot.addWidget(widget)
    assert widget.model.rowCount() == 0
    assert not widget.add_button.isEnabled()
    assert not widget.remove_button.isEnabled()
    widget.add_invitee()  # does nothing rather than fail
    assert widget.model.rowCount() == 0


def test_switching_conference_clears_undo_and_shows_the_other_list(qtbot, tab, db):
    other = create_conference(db, "Other")
    inv.add_invitee(db, other, name="Elsewhere")
    tab.proxy.setData(cell(tab, "Tom Price", M.PHONE), "0700")
    assert tab.undo_stack.count() == 1
    tab.set_conference(other)
    assert shown_names(tab) == ["Elsewhere"]
    assert tab.undo_stack.count() == 0
    assert tab.meeting_combo.currentText().startswith("Conference")


def test_models_pass_the_model_tester(qtmodeltester, tab):
    qtmodeltester.check(tab.model, force_py=True)
    qtmodeltester.check(tab.proxy, force_py=True)


def test_header_and_rows_outside_range_are_safe(tab):
    assert tab.model.data(QModelIndex()) is None
    assert tab.model.headerData(0, Qt.Orientation.Vertical) == "1"


# --- coverage, address book, CSV import and export ----------------------------------------------


def test_coverage_follows_typing_and_ticking_in_the_table(qtbot, tab, db, people):
    panel = tab.coverage_panel
    assert "Youth justice" in panel.sections["agencies"].body.text()
    open_editor(qtbot, tab, cell(tab, "Amira Haddad", M.CATEGORY), (QLineEdit, QComboBox))
    editor = editor_combo(tab).lineEdit()
    editor.selectAll()
    qtbot.keyClicks(editor, "Youth justice")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Youth justice" not in panel.sections["agencies"].body.text())
    assert stored(db, people)["Amira Haddad"].category == "Youth justice"

    tab.table.setFocus()
    tab.table.setCurrentIndex(cell(tab, "Tom Price", M.Q_YOUTH_VOICE))
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "young people" not in panel.sections["questions"].body.text())
    assert stored(db, people)["Tom Price"].q_youth_voice

    tab.table.setCurrentIndex(cell(tab, "Tom Price", M.ISA_SIGNED))
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Tom Price" not in panel.sections["agreement"].body.text())
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Tom Price (Corner Shop)" in panel.sections["agreement"].body.text()


def test_new_buttons_are_named_and_off_without_a_conference(qtbot, tab, db):
    assert tab.address_button.accessibleName() == "Add from address book"
    assert tab.import_button.accessibleName() == "Import CSV"
    assert tab.export_button.accessibleName() == "Export CSV"
    widget = InviteTab(db)
    qtbot.addWidget(widget)
    for button in (widget.address_button, widget.import_button, widget.export_button):
        assert not button.isEnabled()


@pytest.fixture
def earlier(db, people):
    """Another conference whose invite list feeds the address book."""
    other = create_conference(db, "Old park", conference_date=dt.date(2024, 5, 1))
    inv.add_invitee(
        db, other, name="Dr Léa Moreau", organisation="CAMHS", category="CAMHS",
        email="lea@example.org", status="confirmed", notes="not copied",
    )  # fmt: skip
    inv.add_invitee(
        db, other, name="Kim Lee", organisation="Youth Offending", category="Youth justice"
    )
    inv.add_invitee(db, other, name="Tom Price", organisation="Corner Shop")  # already listed
    return other


def open_address_book(qtbot, tab):
    qtbot.mouseClick(tab.address_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(tab, "address_dialog", None) is not None)
    dialog = tab.address_dialog
    qtbot.waitExposed(dialog)
    return dialog


def test_address_book_ticks_by_keyboard_and_adds_as_one_undo_step(qtbot, tab, db, people, earlier):
    dialog = open_address_book(qtbot, tab)
    labels = [dialog.items.item(r).text() for r in dialog.visible_rows()]
    assert labels == [
        "Dr Léa Moreau · CAMHS · CAMHS",
        "Kim Lee · Youth Offending · Youth justice",
    ]  # Tom Price is already on this list
    qtbot.waitUntil(dialog.search.hasFocus)

    qtbot.keyClicks(dialog.search, "lea")  # accents do not matter
    assert [dialog.items.item(r).text() for r in dialog.visible_rows()] == [labels[0]]
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert dialog.list.hasFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "youth justice")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    assert dialog.add_button.text() == "Add 2 people"
    assert "2 ticked" in dialog.count.text()
    undo_before = tab.undo_stack.count()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: "Kim Lee" in shown_names(tab))
    assert shown_names(tab)[-2:] == ["Dr Léa Moreau", "Kim Lee"]
    lea = stored(db, people)["Dr Léa Moreau"]
    assert (lea.organisation, lea.category, lea.email) == ("CAMHS", "CAMHS", "lea@example.org")
    assert lea.status == "to_invite" and lea.notes == ""
    assert "CAMHS" not in tab.coverage_panel.sections["agencies"].body.text()
    assert tab.undo_stack.count() == undo_before + 1
    assert tab.undo_stack.undoText() == "Add 2 invitees from the address book"

    tab.undo_stack.undo()
    assert "Kim Lee" not in stored(db, people) and "Kim Lee" not in shown_names(tab)
    assert "Dr Léa Moreau" not in stored(db, people)
    tab.undo_stack.redo()
    assert {"Kim Lee", "Dr Léa Moreau"} <= set(stored(db, people))
    assert shown_names(tab)[-2:] == ["Dr Léa Moreau", "Kim Lee"]


def test_address_book_enter_adds_the_highlighted_partner(qtbot, tab, db, people, earlier):
    dialog = open_address_book(qtbot, tab)
    qtbot.keyClicks(dialog.search, "kim")
    assert dialog.add_button.text() == "Add Kim Lee"
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Kim Lee" in stored(db, people))
    assert "Dr Léa Moreau" not in stored(db, people)


def test_address_book_with_nothing_found_cannot_add(qtbot, tab, db, people, earlier):
    dialog = open_address_book(qtbot, tab)
    qtbot.keyClicks(dialog.search, "zzz nobody")
    assert dialog.visible_rows() == []
    assert not dialog.add_button.isEnabled()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Escape)
    assert len(stored(db, people)) == 3


EXCEL_ROWS = (
    "Naam;Organisation;E-mail;Notes\r\n"
    'Siobhán Ó Briain;Café Corner;siobhan@example.org;"Line one\r\nLine two; more"\r\n'
    "Kim Lee;Youth Offending;kim at example;\r\n"
    ";Nobody's org;x@example.org;\r\n"
    "Ann Bell;School;;\r\n"
    ";;;\r\n"
)


@pytest.fixture
def excel_file(tmp_path):
    path = tmp_path / "from excel.csv"
    path.write_bytes(EXCEL_ROWS.encode("cp1252"))
    return path


def open_import(qtbot, tab, monkeypatch, path):
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(tab, "import_dialog", None) is not None)
    dialog = tab.import_dialog
    qtbot.waitExposed(dialog)
    return dialog


def test_import_preview_maps_columns_and_imports_as_one_undo_step(
    qtbot, tab, db, people, excel_file, monkeypatch
):
    dialog = open_import(qtbot, tab, monkeypatch, excel_file)
    assert dialog.table.horizontalHeaderItem(0).text() == "Naam"
    assert dialog.table.item(1, 0).text() == "Siobhán Ó Briain"
    assert dialog.table.item(1, 3).text() == "Line one Line two; more"
    assert [c.currentText() for c in dialog.combos] == ["Ignore", "Organisation", "E-mail", "Notes"]
    assert "No column is chosen as Name" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()

    combo = dialog.combos[0]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # Ignore -> Name
    assert combo.currentData() == "name"
    assert dialog.summary.text() == (
        "3 people will be added; 1 row has no name (row 4); 1 e-mail looks wrong (row 3)."
    )
    assert dialog.import_button.isEnabled()
    assert dialog.table.verticalHeaderItem(3).text() == "Row 4 ✗"
    assert dialog.table.verticalHeaderItem(2).text() == "Row 3 ⚠"

    dialog.combos[2].setCurrentIndex(dialog.combos[2].findText("Ignore"))
    assert dialog.summary.text() == "3 people will be added; 1 row has no name (row 4)."

    undo_before = tab.undo_stack.count()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Ann Bell" in shown_names(tab))
    assert shown_names(tab)[-3:] == ["Siobhán Ó Briain", "Kim Lee", "Ann Bell"]
    siobhan = stored(db, people)["Siobhán Ó Briain"]
    assert (siobhan.organisation, siobhan.email) == ("Café Corner", "")
    assert siobhan.notes == "Line one\nLine two; more"
    assert tab.undo_stack.count() == undo_before + 1
    selected = {tab.model.record(tab.proxy.mapToSource(i).row()).name
                for i in tab.table.selectionModel().selectedRows()}  # fmt: skip
    assert selected == {"Siobhán Ó Briain", "Kim Lee", "Ann Bell"}

    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert set(stored(db, people)) == {"Grace Mensah", "Tom Price", "Amira Haddad"}
    assert shown_names(tab) == ["Grace Mensah", "Tom Price", "Amira Haddad"]


def test_import_preview_cancel_writes_nothing(qtbot, tab, db, people, excel_file, monkeypatch):
    dialog = open_import(qtbot, tab, monkeypatch, excel_file)
    dialog.combos[0].setCurrentIndex(dialog.combos[0].findData("name"))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert len(stored(db, people)) == 3
    assert tab.undo_stack.count() == 0


def test_import_skips_people_already_on_the_list(qtbot, tab, db, people, tmp_path, monkeypatch):
    path = tmp_path / "again.csv"
    path.write_bytes(
        codecs.BOM_UTF8 + b"Name,Organisation\r\ntom price,corner shop\r\nNew One,\r\n"
    )
    dialog = open_import(qtbot, tab, monkeypatch, path)
    assert dialog.summary.text() == (
        "1 person will be added; 1 person is already on the list and will be skipped (row 2)."
    )
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "New One" in stored(db, people))
    assert len(stored(db, people)) == 4


def test_a_file_that_cannot_be_imported_is_explained(qtbot, tab, db, people, tmp_path, monkeypatch):
    from csfacilitator.gui.invites import invite_tab as module

    warnings = []
    monkeypatch.setattr(module.QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04 a workbook")
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(warnings))
    assert "Excel workbook" in warnings[0] and "CSV UTF-8" in warnings[0]
    assert getattr(tab, "import_dialog", None) is None
    assert len(stored(db, people)) == 3


def test_export_csv_button_writes_the_list_and_logs_it(
    qtbot, tab, db, people, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    from csfacilitator.core.export_log import list_exports

    target = tmp_path / "list.csv"
    asked = []

    def save_name(parent, title, suggested, file_filter):
        asked.append((suggested, file_filter))
        return str(target), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    messages = []
    tab.status_message.connect(messages.append)
    from tests.test_sharing import answer_sharing, fill_in  # issue 20: who and why, first

    answer_sharing(qtbot, fill_in())
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists)
    assert asked[0][0].endswith("Riverside Park - invite list.csv")
    assert asked[0][1] == "CSV (*.csv)"
    text = target.read_bytes().decode("utf-8-sig")
    assert text.startswith("Name,Organisation,") and "Grace Mensah" in text
    assert [(e.kind, e.path) for e in list_exports(db, people)] == [("invitees", str(target))]
    assert messages[-1] == f"Wrote {target}"


def test_coverage_lists_stay_short_after_a_big_import(qtbot):
    from csfacilitator.gui.invites.coverage_panel import CoveragePanel

    panel = CoveragePanel()
    qtbot.addWidget(panel)
    records = [
        inv.InviteeRecord(id=i, conference_id=1, position=i, name=f"P{i}") for i in range(20)
    ]
    panel.show_invitees(records)
    body = panel.sections["prepared"].body.text()
    assert body.count("•") == 15 and body.endswith("…and 5 more")
    assert panel.sections["prepared"].heading.text() == "Not prepared yet (20)"


def test_coverage_lines_cut_pasted_pages_as_the_table_does(qtbot):
    from csfacilitator.gui.invites.coverage_panel import CoveragePanel

    panel = CoveragePanel()
    qtbot.addWidget(panel)
    huge = "Corner shop " * 10_000
    panel.show_invitees(
        [inv.InviteeRecord(id=1, conference_id=1, position=1, name="Tom", organisation=huge)]
    )
    for key in ("prepared", "agreement"):
        section = panel.sections[key]
        line = section.body.text()
        assert line.startswith("•  Tom (Corner shop Corner shop") and line.endswith("…)")
        assert len(line) < 320  # the table's cut (300), not 120,000 characters laid out
        assert section.accessibleDescription() == line
        assert section.items == [f"Tom ({huge[:299].rstrip()}…)"]


def test_category_offers_the_suggested_and_the_community_partners(qtbot, tab):
    open_editor(qtbot, tab, cell(tab, "Amira Haddad", M.CATEGORY), (QLineEdit, QComboBox))
    combo = editor_combo(tab)
    items = [combo.itemText(i) for i in range(combo.count())]
    for category in ("Police", "CAMHS", "Housing", "Local business", "Residents",
                     "Residents' group", "Landlord", "Sports club", "Faith group"):  # fmt: skip
        assert category in items
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Escape)
