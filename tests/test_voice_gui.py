"""Young people's voice on the Assessment tab, driven by keyboard (issue 19): Enter adds a voice
with how, when and by whom (kept for the next one), a likely name is pointed out in words as it
is typed, F2 edits a cell in place (How from a list), Linked to chooses the plan's action,
Alt+Down moves, Delete removes, and every change undoes and redoes; accessible names are the
visible labels; the panel sits under the report's young people's views section."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QPushButton

from csfacilitator.core import plan, voice
from csfacilitator.core.conferences import create_conference
from csfacilitator.gui.assessment.voice_table import DID, HOW, SAID


@pytest.fixture
def conference_id(db):
    cid = create_conference(db, "Larkfield Park")
    need = plan.add_need(db, cid, "The underpass is dark")
    plan.add_intervention(db, need.id, "Fix the underpass lights")
    return cid


@pytest.fixture
def tab(assessment_tab):
    return assessment_tab


def _type(qtbot, widget, text):
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    widget.selectAll() if isinstance(widget, QLineEdit) else None
    qtbot.keyClicks(widget, text)


def _add(qtbot, panel, text):
    _type(qtbot, panel.quote_edit, text)
    qtbot.keyClick(panel.quote_edit, Qt.Key.Key_Return)


def test_enter_adds_a_voice_and_how_day_and_by_stay_for_the_next(qtbot, db, conference_id, tab):
    panel = tab.voice_panel
    panel.method_combo.setFocus()
    qtbot.keyClick(panel.method_combo, Qt.Key.Key_Home)
    qtbot.keyClick(panel.method_combo, Qt.Key.Key_Down)  # Survey -> Detached youth work
    _type(qtbot, panel.day_edit, "22/9/2026")
    _type(qtbot, panel.by_edit, "Detached youth team")
    _add(qtbot, panel, "The underpass is scary after dark")
    _add(qtbot, panel, "There's nothing to do on a Friday")
    first, second = voice.list_voices(db, conference_id)
    assert first.text == "The underpass is scary after dark"
    assert (second.method, second.gathered_on, second.gathered_by) == (
        "detached", dt.date(2026, 9, 22), "Detached youth team"
    )  # fmt: skip
    assert panel.quote_edit.text() == "" and panel.by_edit.text() == "Detached youth team"
    assert panel.model.rowCount() == 2 and panel.quote_edit.hasFocus()

    tab.undo_stack.undo()
    assert [v.id for v in voice.list_voices(db, conference_id)] == [first.id]
    tab.undo_stack.redo()
    assert [v.id for v in voice.list_voices(db, conference_id)] == [first.id, second.id]
    assert panel.model.rowCount() == 2


def test_a_bad_day_is_refused_in_a_sentence_and_the_words_stay(qtbot, db, conference_id, tab):
    panel, said = tab.voice_panel, []
    tab.status_message.connect(said.append)
    _type(qtbot, panel.day_edit, "someday")
    _add(qtbot, panel, "Buses don't stop late")
    assert voice.list_voices(db, conference_id) == []
    assert "not a date" in said[-1] and panel.quote_edit.text() == "Buses don't stop late"
    assert tab.undo_stack.count() == 0


def test_a_likely_name_is_pointed_out_in_words_as_it_is_typed(qtbot, db, conference_id, tab):
    panel, said = tab.voice_panel, []
    tab.status_message.connect(said.append)
    _type(qtbot, panel.quote_edit, "Jayden says the shop man shouts at us")
    qtbot.waitUntil(panel.warning.isVisible, timeout=2000)
    assert "Check for names." in panel.warning.text() and "“Jayden”" in panel.warning.text()
    qtbot.keyClick(panel.quote_edit, Qt.Key.Key_Return)  # a warning, never a refusal
    assert [v.text for v in voice.list_voices(db, conference_id)] == [
        "Jayden says the shop man shouts at us"
    ]
    assert "Check for names" in said[-1]
    _type(qtbot, panel.quote_edit, "the park is fine in the day")
    qtbot.waitUntil(lambda: "“Jayden”" in panel.warning.text() or not panel.warning.isVisible())


def test_f2_edits_in_place_and_how_is_chosen_from_a_list(qtbot, db, conference_id, tab):
    record = voice.add_voice(db, conference_id, "It's dark", method="survey")
    panel = tab.voice_panel
    panel.reload()
    table = panel.table
    table.setFocus()
    table.setCurrentIndex(panel.model.index(0, SAID))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "It's dark"
    editor.selectAll()
    qtbot.keyClicks(editor, "It's too dark by the pavilion")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits on its next turn
    qtbot.waitUntil(lambda: voice.get_voice(db, record.id).text == "It's too dark by the pavilion")

    table.setCurrentIndex(panel.model.index(0, DID))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == ""  # nothing written yet
    qtbot.keyClicks(editor, "Lights fixed in October")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: voice.get_voice(db, record.id).we_did == "Lights fixed in October")

    table.setCurrentIndex(panel.model.index(0, HOW))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox) and combo.currentData() == "survey"
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: voice.get_voice(db, record.id).method == "detached")

    for method, we_did, text in (
        ("survey", "Lights fixed in October", "It's too dark by the pavilion"),
        ("survey", "", "It's too dark by the pavilion"),
        ("survey", "", "It's dark"),
    ):
        tab.undo_stack.undo()
        stored = voice.get_voice(db, record.id)
        assert (stored.method, stored.we_did, stored.text) == (method, we_did, text)
    assert voice.get_voice(db, record.id) == record


def test_linked_to_chooses_the_plans_action_by_keyboard(qtbot, db, conference_id, tab):
    record = voice.add_voice(db, conference_id, "The underpass is scary")
    panel = tab.voice_panel
    panel.reload()
    panel.table.setCurrentIndex(panel.model.index(0, SAID))
    assert panel.link_combo.currentText() == "No link"
    panel.link_combo.setFocus()
    qtbot.waitUntil(panel.link_combo.hasFocus)
    qtbot.keyClick(panel.link_combo, Qt.Key.Key_Down)  # the need
    qtbot.keyClick(panel.link_combo, Qt.Key.Key_Down)  # its action
    linked = voice.get_voice(db, record.id)
    assert linked.link_text == "Action: Fix the underpass lights (Not started)"
    assert panel.link_combo.currentText() == "Action: Fix the underpass lights"
    assert "From the plan: We have agreed to do this" in panel.model.index(0, DID).data()
    tab.undo_stack.undo()
    assert voice.get_voice(db, record.id).need_id is not None  # one step: the need
    tab.undo_stack.undo()
    assert not voice.get_voice(db, record.id).linked
    assert panel.link_combo.currentText() == "No link"


def test_alt_down_moves_delete_removes_and_undo_brings_it_back(qtbot, db, conference_id, tab):
    a = voice.add_voice(db, conference_id, "First")
    b = voice.add_voice(db, conference_id, "Second")
    panel = tab.voice_panel
    panel.reload()
    table = panel.table
    table.setFocus()
    table.setCurrentIndex(panel.model.index(0, SAID))
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [v.id for v in voice.list_voices(db, conference_id)] == [b.id, a.id]
    assert panel.current_record().id == a.id  # the moved voice stays chosen
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [v.id for v in voice.list_voices(db, conference_id)] == [b.id]
    tab.undo_stack.undo()
    assert [v.id for v in voice.list_voices(db, conference_id)] == [b.id, a.id]
    assert panel.model.rowCount() == 2


def test_accessible_names_are_the_visible_labels_and_the_panel_follows_the_views(tab):
    panel = tab.voice_panel
    labelled = 0
    for label in panel.findChildren(QLabel):
        if label.buddy() is not None:
            assert label.buddy().accessibleName() == label.text().replace("&", "")
            labelled += 1
    for button in panel.findChildren(QPushButton):
        assert button.accessibleName() == button.text().replace("&", "")
    assert labelled == 6
    layout = tab.sections_layout
    views = tab._blocks["young_people_views"]
    assert layout.indexOf(panel) == layout.indexOf(views) + 1


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_table_never_runs_under_the_row_below_it(qtbot, db, conference_id, tab, size):
    for n in range(6):
        voice.add_voice(db, conference_id, f"Voice {n} " + "words " * 20, we_did="done " * 20)
    tab.resize(*size)
    panel = tab.voice_panel
    panel.reload()
    _type(qtbot, panel.quote_edit, "Jayden said so")
    qtbot.waitUntil(panel.warning.isVisible, timeout=2000)
    qtbot.wait(50)
    table_bottom = panel.table.mapTo(panel, panel.table.rect().bottomLeft()).y()
    link_top = panel.link_combo.mapTo(panel, panel.link_combo.rect().topLeft()).y()
    assert table_bottom < link_top <= panel.height() - panel.link_combo.height()


def test_the_export_menu_writes_the_handout_for_the_open_conference(
    open_window, qtbot, tmp_path, monkeypatch
):

    import docx
    from PySide6.QtWidgets import QFileDialog

    from tests.test_sharing import answer_sharing

    window = open_window(example="joined_up")  # as "Open the example" leaves it
    action = window.document_actions["you-said-we-did"]
    assert action.text() == "&You said, we did handout…" and action.isEnabled()
    target = tmp_path / "handout.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    answer_sharing(qtbot)  # the example's remembered sharing answer; Enter keeps it
    action.trigger()
    qtbot.waitUntil(target.is_file, timeout=10_000)
    text = "\n".join(c.text for t in docx.Document(str(target)).tables for r in t.rows
                     for c in r.cells)  # fmt: skip
    assert "“Men in cars wait in the car park and shout at the girls.”" in text
