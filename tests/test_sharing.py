"""The information-sharing record (issue 20): every export asks who it is shared with and on
what basis, remembered per conference; `csfacilitator sharing` prints and exports the record;
File → Information sharing record… shows the new columns; the record's Word document reads
back."""

from __future__ import annotations

import csv

import docx
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from csfacilitator.cli import main as cli_main
from csfacilitator.core import conferences
from csfacilitator.core.export_log import (
    SharingAnswer,
    checked_answer,
    list_exports,
    record_export,
    remembered_answer,
)
from csfacilitator.core.lawful_bases import AGREEMENT, CONSENT, OTHER, PUBLIC_TASK
from csfacilitator.errors import UserError
from csfacilitator.gui.dialogs.export_log_dialog import COLUMNS, ExportLogDialog
from csfacilitator.gui.documents import export_dialogs
from csfacilitator.gui.documents.sharing_dialog import SharingDialog


def answer_sharing(qtbot, fill=None, times: int = 1):
    """Answer the sharing question the next `times` exports ask: `fill(dialog)` types into it
    (by keyboard), then Enter accepts. Other tests that export through the window use it."""

    def answer(left: int):
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SharingDialog) or not dialog.isVisible():
            QTimer.singleShot(20, lambda: answer(left))
            return
        if fill is not None:
            fill(dialog)
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
        if left > 1:
            QTimer.singleShot(20, lambda: answer(left - 1))

    QTimer.singleShot(0, lambda: answer(times))


def fill_in(who: str = "Conference partners", basis: str = "agreement"):
    """A `fill` for answer_sharing: who, then the basis, by keyboard."""

    def fill(dialog: SharingDialog):
        dialog.shared_with.selectAll()
        qtbot_keys(dialog.shared_with, who)
        dialog.basis.setCurrentIndex(dialog.basis.findData(basis))

    return fill


def qtbot_keys(widget, text: str) -> None:
    from PySide6.QtTest import QTest

    QTest.keyClicks(widget, text)


def run(paths, *argv):
    return cli_main(["--data-dir", str(paths.root), *map(str, argv)])


# --- the core -----------------------------------------------------------------------------------


def test_an_answer_needs_who_a_known_basis_and_for_other_a_reason():
    with pytest.raises(UserError, match="who"):
        checked_answer("  ", AGREEMENT)
    with pytest.raises(UserError, match="not one of"):
        checked_answer("Police", "because")
    with pytest.raises(UserError, match="reason"):
        checked_answer("Police", OTHER)
    with pytest.raises(UserError, match="consent was given"):
        checked_answer("Parents' forum", CONSENT)
    answer = checked_answer(" Police\tteam ", "Public task")
    assert answer == SharingAnswer("Police team", PUBLIC_TASK)
    assert checked_answer("Forum", CONSENT, consent_given=False).why_text() == (
        "Consent (not given)"
    )


def test_the_record_keeps_who_why_basis_and_meeting_and_remembers_the_answer(db, example_id):
    from csfacilitator.core.meetings import list_meetings

    meeting = list_meetings(db, example_id)[0].id
    fresh = conferences.create_conference(db, "Canal Walk")
    assert remembered_answer(db, fresh) is None
    answer = checked_answer("Housing team", OTHER, "Court order 123")
    record_export(db, fresh, "minutes", "/tmp/m.docx", sharing=answer, meeting_id=meeting)
    (entry,) = list_exports(db, fresh)
    assert (entry.shared_with, entry.basis, entry.reason) == (
        "Housing team",
        OTHER,
        "Court order 123",
    )
    assert entry.meeting_id == meeting and entry.meeting_date is not None
    assert remembered_answer(db, fresh) == answer
    # One conference's answer is not another's; the example offers its agreement.
    assert remembered_answer(db, example_id).basis == AGREEMENT


# --- the command line ---------------------------------------------------------------------------


def test_cli_export_records_the_answer_refuses_without_one_and_sharing_exports(
    paths, db, example_id, tmp_path, capsys
):
    fresh = conferences.create_conference(db, "Canal Walk")
    out = tmp_path / "plan.docx"
    assert run(paths, "export", "plan", fresh, "--out", out) == 2
    message = capsys.readouterr().err.strip()
    assert "\n" not in message and "--shared-with" in message
    assert not out.exists()
    assert (
        run(
            paths,
            "export",
            "plan",
            fresh,
            "--out",
            out,
            "--shared-with",
            "Police",
            "--basis",
            "other",
        )
        == 2
    )
    assert "reason" in capsys.readouterr().err
    assert (
        run(
            paths,
            "export",
            "plan",
            fresh,
            "--out",
            out,
            "--shared-with",
            "Police",
            "--basis",
            "public_task",
        )
        == 0
    )
    assert out.exists()
    # Next time the remembered answer is used without asking again.
    assert run(paths, "export", "plan", fresh, "--out", tmp_path / "again.docx") == 0
    entries = list_exports(db, fresh)
    assert [(e.shared_with, e.basis) for e in entries] == [("Police", PUBLIC_TASK)] * 2
    capsys.readouterr()

    assert run(paths, "sharing", "Canal Walk") == 0
    printed = capsys.readouterr().out
    assert "shared with Police; basis: Public task" in printed
    assert "Intervention plan" in printed

    table, word = tmp_path / "record.csv", tmp_path / "record.docx"
    assert run(paths, "sharing", fresh, "--csv", table, "--docx", word) == 0
    with table.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(COLUMNS)
    assert [row[4:6] for row in rows[1:]] == [["Police", "Public task"]] * 2
    cells = [c.text for t in docx.Document(word).tables for r in t.rows for c in r.cells]
    assert "Police" in cells and "Public task" in cells and "Intervention plan" in cells

    # The record is also a registry kind: `export sharing_record`.
    kind_out = tmp_path / "kind.docx"
    assert run(paths, "export", "sharing_record", fresh, "--out", kind_out) == 0
    text = "\n".join(p.text for p in docx.Document(kind_out).paragraphs)
    assert "Information sharing record" in text and "Canal Walk" in text


# --- the window ---------------------------------------------------------------------------------


def test_window_export_asks_once_remembers_and_the_record_shows_it(
    open_window, qtbot, monkeypatch, tmp_path
):
    window = open_window(example="alone")  # the example as add_example adds it: no sharing record
    cid = window.conference_id
    monkeypatch.setattr(export_dialogs, "confirm_flags", lambda *_a: True)
    target = tmp_path / "plan.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    seen = {}

    def other_without_reason_then_with(dialog: SharingDialog):
        seen["offered"] = (dialog.shared_with.text(), dialog.basis.currentData())
        dialog.shared_with.selectAll()
        qtbot.keyClicks(dialog.shared_with, "Youth justice team")
        dialog.basis.setFocus()
        dialog.basis.setCurrentIndex(dialog.basis.findData(OTHER))
        assert "required" in dialog.reason_label.text()
        qtbot.keyClick(dialog.basis, Qt.Key.Key_Return)  # no reason yet: refused, stays open
        assert dialog.isVisible() and "reason" in dialog.error.text()
        assert dialog.focusWidget() is dialog.reason
        qtbot.keyClicks(dialog.reason, "Court order")

    answer_sharing(qtbot, other_without_reason_then_with)
    window.document_actions["plan"].trigger()
    assert target.exists()
    assert seen["offered"] == ("Conference partners (invite list)", AGREEMENT)
    (entry,) = list_exports(window.db, cid)
    assert (entry.shared_with, entry.basis, entry.reason) == (
        "Youth justice team",
        OTHER,
        "Court order",
    )

    # The next export offers that answer; Enter keeps it. A per-meeting paper names its meeting.
    target = tmp_path / "minutes.docx"
    answer_sharing(qtbot)
    window.document_actions["minutes"].trigger()
    assert target.exists()
    newest = list_exports(window.db, cid)[0]
    assert (newest.kind, newest.shared_with, newest.reason) == (
        "minutes",
        "Youth justice team",
        "Court order",
    )
    assert newest.meeting_id is not None

    # Cancel: nothing written, nothing recorded.
    target = tmp_path / "agenda.docx"

    def cancel():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SharingDialog):
            QTimer.singleShot(20, cancel)
            return
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(0, cancel)
    monkeypatch.setattr(
        "csfacilitator.gui.documents.document_export.confirm_past_meeting", lambda *a: True
    )
    window.document_actions["agenda"].trigger()
    assert not target.exists() and len(list_exports(window.db, cid)) == 2

    # File → Information sharing record… shows who, basis and why, and saves as CSV and Word.
    assert window.export_log_action.text() == "Information sharin&g record…"
    window.export_log_action.trigger()
    dialog = window.findChild(ExportLogDialog)
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Information sharing record"
    model = dialog.view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == list(COLUMNS)
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[1:3] == ["Minutes", window.title_label.text()]
    assert row[3] and row[4:7] == ["Youth justice team", "Other", "Court order"]
    saved = tmp_path / "record.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    qtbot.mouseClick(dialog.csv_button, Qt.MouseButton.LeftButton)
    assert saved.exists() and "Youth justice team" in saved.read_text(encoding="utf-8-sig")
    saved = tmp_path / "record.docx"
    qtbot.mouseClick(dialog.word_button, Qt.MouseButton.LeftButton)
    assert "Court order" in [
        c.text for t in docx.Document(saved).tables for r in t.rows for c in r.cells
    ]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_sharing_dialog_labels_match_accessible_names(qtbot):
    dialog = SharingDialog("Minutes", SharingAnswer("Partners", CONSENT, "", True))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.consent.isVisible() and dialog.consent.isChecked()
    assert dialog.ok_button.isDefault()
    assert dialog.shared_with.accessibleName() == "Shared with"
    assert dialog.basis.accessibleName() == "Basis"
    assert dialog.reason.accessibleName() == "Reason"
    dialog.basis.setCurrentIndex(dialog.basis.findData(AGREEMENT))
    assert not dialog.consent.isVisible()


def test_a_database_saved_at_schema_0009_upgrades_with_its_export_log_kept(tmp_path):
    """Schema 0010: the export log's rows gain the sharing columns, empty ("Not recorded")."""
    import sqlalchemy as sa

    from csfacilitator.paths import resolve
    from csfacilitator.storage.database import open_database
    from csfacilitator.storage.migrations.runner import upgrade_to_head

    paths = resolve(tmp_path / "data")
    paths.root.mkdir(parents=True)
    engine = sa.create_engine(f"sqlite:///{paths.database}")
    upgrade_to_head(engine, "0009")
    with engine.begin() as c:
        c.exec_driver_sql(
            "INSERT INTO conference (id, uid, title, status, archived, context_type, "
            "context_name, area, referral_source, threshold, threshold_rationale, chair, "
            "lead_practitioner, coordinator_1, coordinator_2, place_manager, assessment_period, "
            "notes, coordinator_contact, report_structure, names_to_keep_out, "
            "invitation_template, outcome_summary, outcome_measures, partner_feedback, "
            "legal_hold, created_at, updated_at) VALUES (1, 'u-1', 'Saved at 0009', 'referral', "
            "0, 'neighbourhood', '', '', '', '', '', '', '', '', '', '', '', '', '', "
            "'thematic', '', '', '', '', '', 0, '2026-01-01', '2026-01-01')"
        )
        c.exec_driver_sql(
            "INSERT INTO export_log (conference_id, at, kind, path, flags_allowed) "
            "VALUES (1, '2026-01-02 10:00:00', 'minutes', '/tmp/old.docx', 0)"
        )
    engine.dispose()
    database = open_database(paths)
    try:
        (entry,) = list_exports(database, 1)
        assert (entry.kind, entry.path, entry.shared_with, entry.basis) == (
            "minutes",
            "/tmp/old.docx",
            "",
            "",
        )
        assert entry.meeting_id is None and entry.why_text == "Not recorded"
        assert remembered_answer(database, 1) is None
    finally:
        database.close()
