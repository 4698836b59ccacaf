"""The invite list as a user sees it at a laptop's size: the name kept in view, a compact set of
columns with the rest one keystroke away, clear titles, a job title, several rows changed at
once as one undo step, combo editors that obey Enter and Esc, and a coverage panel that says
exactly what the rows show."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLineEdit

from csfacilitator.core import invitees as inv
from csfacilitator.core import vocab
from csfacilitator.core.conferences import create_conference
from csfacilitator.core.meetings import list_meetings
from csfacilitator.gui.invites import invite_tab as module
from csfacilitator.gui.invites.invite_tab import InviteTab
from csfacilitator.gui.invites.invitee_table_model import NOT_NEEDED, InviteeTableModel

M = InviteeTableModel
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture(autouse=True)
def _fresh_columns_setting():
    QSettings().remove(module.HIDDEN_COLUMNS_SETTING)
    yield
    QSettings().remove(module.HIDDEN_COLUMNS_SETTING)


@pytest.fixture
def conf(db):
    conference_id = create_conference(db, "Riverside Park", conference_date=dt.date(2025, 3, 12))
    inv.add_invitees(  # one transaction: fourteen commits were most of the setup
        db,
        conference_id,
        [
            {
                "name": f"Person {n:02}",
                "organisation": f"Org {n}",
                "category": "Police" if n % 2 else "Local business",
            }
            for n in range(14)
        ],
    )
    return conference_id


def make_tab(qtbot, db, conference_id, size=(1366, 700)):
    widget = InviteTab(db)
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.set_conference(conference_id)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()  # window shortcuts need the active window
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


@pytest.fixture
def tab(qtbot, db, conf):
    return make_tab(qtbot, db, conf)


def stored(db, conf):
    return {i.name: i for i in inv.list_invitees(db, conf)}


def cell(tab, name, column):
    for row in range(tab.proxy.rowCount()):
        if tab.proxy.index(row, M.NAME).data() == name:
            return tab.proxy.index(row, column)
    raise AssertionError(f"{name} is not shown")


def select_rows(tab, names, column):
    selection = QItemSelection()
    for name in names:
        index = cell(tab, name, column)
        selection.select(index, index)
    model = tab.table.selectionModel()
    model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    model.setCurrentIndex(cell(tab, names[0], column), QItemSelectionModel.SelectionFlag.NoUpdate)


def menu_action(menu, *path):
    for text in path:
        action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
        menu = action.menu()
    return action


# --- the name stays in view ----------------------------------------------------------------


def test_the_name_stays_in_view_while_the_table_scrolls_sideways(qtbot, tab, db, conf):
    tab.show_all_columns(True)
    table, frozen = tab.table, tab.table.frozen
    table.setFocus()
    table.setCurrentIndex(cell(tab, "Person 03", M.NAME))
    assert not frozen.isVisible()  # not scrolled: the table's own Name column is there
    qtbot.keyClick(table, Qt.Key.Key_End)  # the last column of the row, far to the right
    qtbot.waitUntil(lambda: table.horizontalScrollBar().value() > 0)
    assert table.currentIndex().column() == M.NOTES
    assert frozen.isVisible()
    assert frozen.geometry().left() <= table.frameWidth()
    assert frozen.width() >= table.columnWidth(M.NAME)
    row = table.currentIndex().row()
    # The same row, at the same height, with its name beside it.
    assert (
        frozen.visualRect(frozen.model().index(row, M.NAME)).top()
        == table.visualRect(table.currentIndex()).top()
    )
    assert frozen.model().index(row, M.NAME).data() == "Person 03"
    # Rows scroll together.
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum())
    assert frozen.verticalScrollBar().value() == table.verticalScrollBar().value()

    # Arrows run back across the row; a cell reached never hides under the names.
    qtbot.keyClick(table, Qt.Key.Key_Home)
    assert table.currentIndex().column() == M.NAME
    assert frozen.isVisible()  # moving onto the name did not jump the table back
    qtbot.keyClick(table, Qt.Key.Key_Right)
    assert table.currentIndex().column() == M.ORGANISATION
    assert table.visualRect(table.currentIndex()).left() >= frozen.covered_width()

    # A name is typed in the table's own cell, in view.
    qtbot.keyClick(table, Qt.Key.Key_Left)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(table.focusWidget(), QLineEdit))
    editor = table.focusWidget()
    assert table.horizontalScrollBar().value() == 0 and not frozen.isVisible()
    assert editor.isVisible() and editor.geometry().left() >= 0
    editor.selectAll()
    qtbot.keyClicks(editor, "Person Three")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Person Three" in stored(db, conf))


def test_a_click_on_a_kept_name_selects_that_row_in_the_table(qtbot, tab):
    tab.show_all_columns(True)
    table, frozen = tab.table, tab.table.frozen
    table.horizontalScrollBar().setValue(table.horizontalScrollBar().maximum())
    qtbot.waitUntil(frozen.isVisible)
    index = frozen.model().index(2, M.NAME)
    qtbot.mouseClick(
        frozen.viewport(), Qt.MouseButton.LeftButton, pos=frozen.visualRect(index).center()
    )
    assert table.currentIndex().row() == 2 and table.currentIndex().column() == M.NAME
    assert table.hasFocus()


# --- a compact set of columns, the rest one keystroke away ------------------------------------


def test_a_compact_set_of_columns_and_all_of_them_one_keystroke_away(qtbot, db, conf):
    tab = make_tab(qtbot, db, conf)
    hidden = {c for c in range(M.COLUMN_COUNT) if tab.table.isColumnHidden(c)}
    assert hidden == set(module.DEFAULT_HIDDEN)
    assert M.ATTENDANCE not in hidden and M.ISA_SIGNED not in hidden
    assert tab.all_columns_action.shortcut() == QKeySequence("Ctrl+Shift+C")

    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_C, CTRL_SHIFT)
    assert not any(tab.table.isColumnHidden(c) for c in range(M.COLUMN_COUNT))
    qtbot.keyClick(tab.table, Qt.Key.Key_C, CTRL_SHIFT)
    assert {c for c in range(M.COLUMN_COUNT) if tab.table.isColumnHidden(c)} == hidden

    # One column ticked in the Columns menu, and the choice remembered by the next window.
    phone = tab.column_actions[M.PHONE]
    assert phone.text() == "Phone" and not phone.isChecked()
    phone.trigger()
    assert not tab.table.isColumnHidden(M.PHONE)
    again = make_tab(qtbot, db, conf)
    assert not again.table.isColumnHidden(M.PHONE)
    assert again.table.isColumnHidden(M.EMAIL)
    assert again.column_actions[M.PHONE].isChecked()


def test_attendance_is_in_view_at_1366_by_768_with_the_default_columns(qtbot, db, conf):
    tab = make_tab(qtbot, db, conf, size=(1366, 768))
    header = tab.table.horizontalHeader()
    for column in (M.NAME, M.STATUS, M.ATTENDANCE, M.Q_ENGAGED):
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert header.sectionViewportPosition(column) >= 0
        assert right <= tab.table.viewport().width(), M.HEADERS[column][0]


def test_every_column_title_is_clear_and_has_a_tooltip(tab):
    model = tab.model
    titles = set()
    for column in range(M.COLUMN_COUNT):
        title = model.headerData(column, Qt.Orientation.Horizontal)
        tip = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert title and tip, column
        titles.add(title)
    assert len(titles) == M.COLUMN_COUNT
    for column, key in (
        (M.Q_ENGAGED, "engaged"),
        (M.Q_WORKS_IN_CONTEXT, "works_in_context"),
        (M.Q_CAN_CHANGE, "can_change"),
        (M.Q_YOUTH_VOICE, "youth_voice"),
    ):
        tip = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert vocab.INVITE_QUESTIONS[key] in tip and "question" in tip
    assert M.HEADERS[M.Q_YOUTH_VOICE][0] == "Voice of\nyoung people"


# --- job title ---------------------------------------------------------------------------------


def test_a_job_title_is_typed_apart_from_the_role_at_the_meeting(qtbot, tab, db, conf):
    tab.set_column_shown(M.JOB_TITLE, True)
    index = cell(tab, "Person 01", M.JOB_TITLE)
    tab.table.setFocus()
    tab.table.setCurrentIndex(index)
    qtbot.keyClicks(tab.table, "S")  # typing starts the editor
    qtbot.waitUntil(lambda: isinstance(tab.table.focusWidget(), QLineEdit))
    qtbot.keyClicks(tab.table.focusWidget(), "afer neighbourhoods sergeant")
    qtbot.keyClick(tab.table.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(db, conf)["Person 01"].job_title != "")
    person = stored(db, conf)["Person 01"]
    assert (person.job_title, person.role) == ("Safer neighbourhoods sergeant", "")
    assert cell(tab, "Person 01", M.JOB_TITLE).data() == "Safer neighbourhoods sergeant"
    tab.search.setText("sergeant")  # the search finds people by their job too
    assert tab.proxy.rowCount() == 1


# --- several rows at once ------------------------------------------------------------------


def test_status_attendance_and_agreement_for_selected_rows_each_one_undo_step(qtbot, tab, db, conf):
    meeting = next(m for m in list_meetings(db, conf) if m.kind == "conference")
    tab.meeting_combo.setCurrentIndex(tab.meeting_combo.findData(meeting.id))
    inv.update_invitee(db, stored(db, conf)["Person 02"].id, status="invited")
    tab.reload()
    twelve = [f"Person {n:02}" for n in range(12)]
    select_rows(tab, twelve, M.ATTENDANCE)
    steps = tab.undo_stack.count()

    menu_action(tab.bulk_menu, "Attendance", "Present").trigger()
    assert all(stored(db, conf)[n].attendance == {meeting.id: "present"} for n in twelve)
    assert stored(db, conf)["Person 12"].attendance == {}
    assert all(cell(tab, n, M.ATTENDANCE).data() == "Present" for n in twelve)
    assert tab.undo_stack.count() == steps + 1

    menu_action(tab.bulk_menu, "Status", "Confirmed").trigger()
    menu_action(tab.bulk_menu, "Agreement", "Signed").trigger()
    assert all(stored(db, conf)[n].status == "confirmed" for n in twelve)
    assert all(stored(db, conf)[n].isa_signed for n in twelve)
    assert tab.undo_stack.count() == steps + 3

    # Ctrl+Z takes back one whole step; each row gets its own earlier value.
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not any(stored(db, conf)[n].isa_signed for n in twelve)
    assert all(stored(db, conf)[n].status == "confirmed" for n in twelve)
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(db, conf)["Person 02"].status == "invited"
    assert stored(db, conf)["Person 03"].status == "to_invite"
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert all(stored(db, conf)[n].attendance == {} for n in twelve)
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | CTRL_SHIFT)
    assert all(stored(db, conf)[n].attendance == {meeting.id: "present"} for n in twelve)


def test_shift_f10_opens_the_menu_with_set_for_selected(qtbot, tab, monkeypatch):
    shown = []
    monkeypatch.setattr(module.QMenu, "popup", lambda menu, _pos, _at=None: shown.append(menu))
    tab.table.setFocus()
    tab.table.setCurrentIndex(cell(tab, "Person 04", M.STATUS))
    qtbot.keyClick(tab.table, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert shown, "no menu opened"
    texts = [a.text() for a in shown[-1].actions()]
    assert "Set for selected" in texts


# --- combo editors: Enter stores, Esc changes nothing --------------------------------------


def test_combo_editors_obey_enter_and_esc_even_where_the_window_has_them(qtbot, tab, db, conf):
    stolen = []
    for keys in ("Return", "Enter", "Escape"):  # like a window's default button or shortcut
        action = QAction(keys, tab)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False, k=keys: stolen.append(k))
        tab.addAction(action)

    tab.table.setFocus()
    tab.table.setCurrentIndex(cell(tab, "Person 00", M.CATEGORY))
    qtbot.keyClick(tab.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(tab.table.focusWidget(), QComboBox))
    combo = tab.table.focusWidget()
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo, "Education")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(db, conf)["Person 00"].category == "Education / school")
    qtbot.waitUntil(lambda: tab.table.hasFocus())  # the editor closed

    qtbot.keyClick(tab.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(tab.table.focusWidget(), QComboBox))
    combo = tab.table.focusWidget()
    combo.lineEdit().selectAll()
    qtbot.keyClick(combo, Qt.Key.Key_Delete)  # emptied, then Esc
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    tab.flush()  # what a tab change or the window closing does next
    qtbot.waitUntil(lambda: tab.table.hasFocus())
    assert stored(db, conf)["Person 00"].category == "Education / school"

    tab.table.setCurrentIndex(cell(tab, "Person 00", M.STATUS))
    qtbot.keyClick(tab.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(tab.table.focusWidget(), QComboBox))
    qtbot.keyClicks(tab.table.focusWidget(), "C")
    qtbot.keyClick(tab.table.focusWidget(), Qt.Key.Key_Escape)
    tab.flush()
    assert stored(db, conf)["Person 00"].status == "to_invite"
    assert stolen == []


def test_a_plural_category_is_not_offered_twice(qtbot, tab, db, conf):
    inv.update_invitee(
        db, stored(db, conf)["Person 05"].id, category="Voluntary and community organisations"
    )
    tab.reload()
    tab.table.setFocus()
    tab.table.setCurrentIndex(cell(tab, "Person 00", M.CATEGORY))
    qtbot.keyClick(tab.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(tab.table.focusWidget(), QComboBox))
    combo = tab.table.focusWidget()
    items = [combo.itemText(i) for i in range(combo.count())]
    assert "Voluntary and community organisation" in items
    assert "Voluntary and community organisations" not in items
    qtbot.keyClick(combo, Qt.Key.Key_Escape)


# --- the coverage panel says what the rows show -----------------------------------------------


def panel_lines(section):
    return [line.removeprefix("•  ") for line in section.body.text().split("\n") if "•" in line]


def test_every_coverage_line_agrees_with_the_rows(qtbot, db):
    conference_id = create_conference(db, "Nine unsigned")
    rows = [
        # name, category, status, signed, prepared
        ("Ann", "Voluntary and community organisations", "invited", False, None),
        ("Bea", "voluntary & community organisation", "invited", False, dt.date(2025, 1, 2)),
        ("Cal", "Local businesses", "confirmed", False, None),
        ("Dev", "Residents", "invited", False, None),
        ("Eli", "Faith groups", "to_invite", False, None),
        ("Fay", "Landlord", "invited", False, None),
        ("Gus", "Sports Club", "invited", False, None),
        ("Hal", "Mosque committee", "invited", False, None),  # own words: asked to sign
        ("Ida", "Parents forum", "invited", False, None),
        ("Jon", "Police", "confirmed", False, dt.date(2025, 1, 2)),  # statutory
        ("Kim", "Local business", "declined", False, None),  # declined
        ("Lee", "Local business", "confirmed", True, dt.date(2025, 1, 2)),  # signed
        ("Mo", "education", "confirmed", False, None),
    ]
    for name, category, status, signed, prepared in rows:
        inv.add_invitee(
            db,
            conference_id,
            name=name,
            category=category,
            status=status,
            isa_signed=signed,
            prepared_on=prepared,
            q_engaged=name == "Ann",
        )
    tab = make_tab(qtbot, db, conference_id)
    panel = tab.coverage_panel

    def shown(column):
        return {
            tab.proxy.index(r, M.NAME).data(): tab.proxy.index(r, column)
            for r in range(tab.proxy.rowCount())
        }

    # Agreement: every row showing an unticked box is listed, and only those.
    unticked = sorted(
        name
        for name, index in shown(M.ISA_SIGNED).items()
        if index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    )
    assert len(unticked) == 9
    assert sorted(panel_lines(panel.sections["agreement"])) == unticked
    assert panel.sections["agreement"].heading.text().endswith("(9)")
    for name in ("Jon", "Kim", "Mo"):
        assert shown(M.ISA_SIGNED)[name].data() == NOT_NEEDED
    # Not prepared: every row not declined with an empty Prepared on.
    empty = sorted(
        name
        for name, index in shown(M.PREPARED_ON).items()
        if not index.data() and shown(M.STATUS)[name].data() != "Declined"
    )
    assert sorted(panel_lines(panel.sections["prepared"])) == empty
    # Agencies: what no row's category names (plural or not, any case).
    named = {
        vocab.suggested_category(index.data())
        for name, index in shown(M.CATEGORY).items()
        if shown(M.STATUS)[name].data() != "Declined"
    }
    missing = [a for a in inv.SUGGESTED_AGENCIES if a not in named]
    assert panel_lines(panel.sections["agencies"]) == missing
    assert "Voluntary and community organisation" not in missing
    assert "Education / school" not in missing and "Local business" not in missing
    # Questions: those no row ticks.
    ticked = {
        key
        for key, column in (
            ("engaged", M.Q_ENGAGED),
            ("works_in_context", M.Q_WORKS_IN_CONTEXT),
            ("can_change", M.Q_CAN_CHANGE),
            ("youth_voice", M.Q_YOUTH_VOICE),
        )
        if any(
            i.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
            for n, i in shown(column).items()
            if shown(M.STATUS)[n].data() != "Declined"
        )
    }
    expected = [text for key, text in vocab.INVITE_QUESTIONS.items() if key not in ticked]
    assert panel_lines(panel.sections["questions"]) == expected

    # Ticking in the table and the panel stay in step: the bulk "Signed" empties the list.
    select_rows(tab, unticked, M.ISA_SIGNED)
    menu_action(tab.bulk_menu, "Agreement", "Signed").trigger()
    assert panel_lines(panel.sections["agreement"]) == []
    assert not any(
        i.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
        for i in shown(M.ISA_SIGNED).values()
    )


def test_space_ticks_every_selected_row_of_a_tick_column_as_one_step(qtbot, tab, db, conf):
    names = ["Person 01", "Person 03", "Person 05", "Person 07"]
    select_rows(tab, names, M.Q_CAN_CHANGE)
    steps = tab.undo_stack.count()
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)
    assert all(stored(db, conf)[n].q_can_change for n in names)
    assert not stored(db, conf)["Person 02"].q_can_change
    assert tab.undo_stack.count() == steps + 1
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)  # and off again
    assert not any(stored(db, conf)[n].q_can_change for n in names)
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert all(stored(db, conf)[n].q_can_change for n in names)
    # One cell alone still toggles as before.
    tab.table.setCurrentIndex(cell(tab, "Person 02", M.Q_CAN_CHANGE))
    qtbot.keyClick(tab.table, Qt.Key.Key_Space)
    assert stored(db, conf)["Person 02"].q_can_change
