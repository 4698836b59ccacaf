"""The papers from the GUI: the invitation wording dialog (typed into, previewed, saved), the
export menu actions, and the meeting's purpose field that the agenda prints."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from csfacilitator.core.conferences import conference_meetings, create_conference, get_conference
from csfacilitator.core.export_log import list_exports
from csfacilitator.core.invitees import add_invitee
from csfacilitator.core.meetings import default_purpose, get_meeting, list_meetings, update_meeting
from csfacilitator.core.papers import meeting_paper
from csfacilitator.core.papers.meeting_paper import gather as gather_meeting_paper
from csfacilitator.export.invitations import DEFAULT_TEMPLATE
from csfacilitator.gui.documents import document_export
from csfacilitator.gui.documents.document_export import export_document
from csfacilitator.gui.invites.invitation_template_dialog import InvitationTemplateDialog
from tests.test_sharing import answer_sharing, fill_in

PAPERS = ("report", "agenda", "invitations", "signin")


@pytest.fixture
def conference_id(db):
    cid = create_conference(
        db,
        "Northside Park",
        context_name="Northside Park",
        chair="Priya Shah",
        coordinator_1="Ana Ruiz",
        venue="Eastbury Community Hall",
        conference_date=dt.date(2030, 3, 12),
    )
    update_meeting(db, conference_meetings(db, cid)[0], time=dt.time(10, 0))
    add_invitee(db, cid, name="Helen Ward", organisation="Police", status="confirmed")
    add_invitee(db, cid, name="Ian Cole", organisation="Church", status="declined")
    add_invitee(db, cid, name="Carla Diaz", organisation="Residents")
    return cid


@pytest.fixture
def dialog(qtbot, db, conference_id):
    widget = InvitationTemplateDialog(db, gather_meeting_paper(db, conference_id))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def stored_template(db, cid) -> str:
    return get_conference(db, cid).invitation_template


def test_dialog_opens_on_the_standard_wording_with_a_preview(dialog):
    assert dialog.editor.toPlainText() == DEFAULT_TEMPLATE
    assert dialog.preview_label.text() == "Preview: the letter to Helen Ward"
    preview = dialog.preview.toPlainText()
    assert "Dear Helen Ward," in preview
    assert "Tuesday 12 March 2030 at 10:00, at Eastbury Community Hall" in preview
    assert "{" not in preview
    assert not dialog.problems.isVisible()
    assert dialog.editor.accessibleName() == "Wording"
    assert dialog.preview.accessibleName() == "Preview"
    assert [b.accessibleName() for b in dialog.insert_buttons.values()] == [
        b.text() for b in dialog.insert_buttons.values()
    ]
    assert dialog.export_button.accessibleName() == "Export"
    assert dialog.reset_button.accessibleName() == "Reset to standard wording"


def test_typing_updates_the_preview_and_is_saved_to_the_conference(
    qtbot, db, conference_id, dialog
):
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "Hello ")
    qtbot.mouseClick(dialog.insert_buttons["name"], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.editor, " from ")
    qtbot.mouseClick(dialog.insert_buttons["organisation"], Qt.MouseButton.LeftButton)
    assert dialog.editor.toPlainText() == "Hello {name} from {organisation}"
    assert dialog.editor.hasFocus()  # the insert buttons hand the cursor back
    qtbot.waitUntil(lambda: dialog.preview.toPlainText() == "Hello Helen Ward from Police")
    qtbot.waitUntil(
        lambda: stored_template(db, conference_id) == "Hello {name} from {organisation}"
    )


def test_unknown_placeholders_are_warned_about_not_refused(qtbot, dialog):
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "Dear {nme} {")
    qtbot.waitUntil(dialog.problems.isVisible)
    assert "{nme} is not a placeholder" in dialog.problems.text()
    assert "brace on its own" in dialog.problems.text()
    assert dialog.preview.toPlainText() == "Dear {nme} {"
    assert dialog.export_button.isEnabled()


def test_reset_restores_the_standard_wording_stored_as_empty_and_undoable(
    qtbot, db, conference_id, dialog
):
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "My own words")
    qtbot.waitUntil(lambda: stored_template(db, conference_id) == "My own words")
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert dialog.editor.toPlainText() == DEFAULT_TEMPLATE.rstrip("\n")
    qtbot.waitUntil(lambda: stored_template(db, conference_id) == "")
    assert "Dear Helen Ward," in dialog.preview.toPlainText()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dialog.editor.toPlainText() == "My own words"


def test_cancel_keeps_what_was_typed(qtbot, db, conference_id, dialog):
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "Kept {name}")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # before the autosave
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert stored_template(db, conference_id) == "Kept {name}"


def test_empty_wording_says_the_standard_one_will_be_used(qtbot, dialog):
    dialog.editor.selectAll()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Delete)
    qtbot.waitUntil(dialog.problems.isVisible)
    assert "standard wording will be used" in dialog.problems.text()
    assert "Dear Helen Ward," in dialog.preview.toPlainText()


def test_preview_with_nobody_invited_uses_a_sample(qtbot, db):
    cid = create_conference(db, "Quiet Corner")
    widget = InvitationTemplateDialog(db, gather_meeting_paper(db, cid))
    qtbot.addWidget(widget)
    assert "a sample" in widget.preview_label.text()
    assert "Dear Sam Example," in widget.preview.toPlainText()


def test_export_invitations_from_the_dialog_writes_letters_and_logs(
    qtbot, db, conference_id, tmp_path, monkeypatch
):
    import docx

    target = tmp_path / "letters.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    def user_edits_then_exports(self):
        self.editor.selectAll()
        qtbot.keyClicks(self.editor, "# Welcome {name}")
        qtbot.mouseClick(self.export_button, Qt.MouseButton.LeftButton)
        return self.result()

    monkeypatch.setattr(InvitationTemplateDialog, "exec", user_edits_then_exports)
    monkeypatch.setattr(document_export, "_one_file_each", lambda *a: False)
    answer_sharing(qtbot, fill_in("The invitees"))  # issue 20: who it goes to, and why
    written = export_document(None, db, conference_id, "invitations")
    assert written == target
    texts = [p.text for p in docx.Document(str(target)).paragraphs]
    headings = [t for t in texts if t.startswith("Welcome")]
    assert headings == ["Welcome Helen Ward", "Welcome Carla Diaz"]  # declined left out
    assert stored_template(db, conference_id) == "# Welcome {name}"
    assert [e.kind for e in list_exports(db, conference_id)] == ["invitations"]


def test_nobody_to_write_to_is_said_before_the_dialog(qtbot, db, monkeypatch):
    cid = create_conference(db, "Quiet Corner")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    monkeypatch.setattr(
        InvitationTemplateDialog, "exec", lambda self: pytest.fail("dialog should not open")
    )
    assert export_document(None, db, cid, "invitations") is None
    assert len(warnings) == 1 and "Nobody is on the invite list" in warnings[0]


# --- the main window ------------------------------------------------------------------------


def test_export_menu_offers_the_four_papers_first(window):
    texts = [a.text() for a in window.export_menu.actions()]
    assert texts[:4] == [
        "Assessment re&port…",
        "&Agenda…",
        "Invitation &letters…",
        "&Sign-in sheet…",
    ]
    assert window.export_menu.actions()[4].isSeparator()
    assert not any(window.document_actions[k].isEnabled() for k in PAPERS)  # nothing open yet


def test_agenda_action_exports_the_boards_meeting(open_window, qtbot, tmp_path, monkeypatch):
    import docx

    window = open_window(example="joined_up")  # as "Open the example" leaves it
    assert all(window.document_actions[k].isEnabled() for k in PAPERS)
    meeting = get_meeting(window.db, window.board.current_meeting_id())
    target = tmp_path / "agenda.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    asked = []

    def answer(_parent, _title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes if len(asked) > 1 else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    answer_sharing(qtbot)  # issue 20: the example's remembered answer, Enter keeps it
    window.document_actions["agenda"].trigger()  # the example's conference is over: asked
    if meeting.date is not None and meeting.date < dt.date.today():
        assert "already happened" in asked[0] and not target.exists()  # "No" writes nothing
        window.document_actions["agenda"].trigger()
    assert target.is_file()
    items = docx.Document(str(target)).tables[1]
    assert [row.cells[1].text for row in items.rows[1:]] == [a.title for a in meeting.agenda]
    assert str(target) in window.statusBar().currentMessage()


def test_meeting_purpose_is_typed_saved_and_shown_per_meeting(open_window, qtbot):
    window = open_window(example="joined_up")  # as "Open the example" leaves it
    panel = window.overview.meetings
    records = list_meetings(window.db, window.conference_id)
    conference = next(r for r in records if r.kind == "conference")
    review = next(r for r in records if r.kind == "review")
    panel.reload_meetings(select_meeting=conference.id)
    assert panel.purpose.accessibleName() == "Purpose"
    # Nothing typed yet: the wording the agenda will print is shown as real text.
    printed = meeting_paper.gather(window.db, window.conference_id, conference.id).purpose_text
    assert conference.purpose == "" and panel.purpose.toPlainText() == printed
    assert printed.startswith(default_purpose("conference", "Wrenmoor")[:20])
    assert panel.purpose.placeholderText() == ""
    panel.purpose.setFocus()
    qtbot.keyClick(panel.purpose, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.purpose, "Agree who does what after dark.")
    qtbot.waitUntil(
        lambda: get_meeting(window.db, conference.id).purpose == "Agree who does what after dark."
    )
    panel.list.setFocus()
    panel.reload_meetings(select_meeting=review.id)
    assert panel.purpose.toPlainText() == (
        review.purpose
        or meeting_paper.gather(window.db, window.conference_id, review.id).purpose_text
    )
    panel.reload_meetings(select_meeting=conference.id)
    assert panel.purpose.toPlainText() == "Agree who does what after dark."


def test_invitations_can_be_one_file_per_person_each_logged(
    qtbot, db, conference_id, tmp_path, monkeypatch
):
    import docx

    folder = tmp_path / "letters"
    folder.mkdir()
    monkeypatch.setattr(InvitationTemplateDialog, "exec", lambda self: 1)
    monkeypatch.setattr(document_export, "_one_file_each", lambda *a: True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    answer_sharing(qtbot, fill_in("The invitees"))  # issue 20: asked once for all the letters
    assert export_document(None, db, conference_id, "invitations") == folder
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and any("Helen Ward" in n for n in names)
    assert all(len(docx.Document(str(folder / n)).paragraphs) > 3 for n in names)
    assert sorted(Path(e.path).name for e in list_exports(db, conference_id)) == names
