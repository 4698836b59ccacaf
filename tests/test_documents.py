"""One registry of document kinds drives the window, the command line and the export log, and
the same checks run before every paper, wherever it is exported from."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from csfacilitator.cli import main as cli_main
from csfacilitator.core import board, conferences, documents, meetings
from csfacilitator.core.export_log import list_exports
from csfacilitator.gui.documents import document_export
from csfacilitator.storage import open_database

SOURCE = Path(__file__).parent.parent / "csfacilitator"
PHONE = "Call Jay on 07700 900123 after school"


def conference_meeting(db, cid):
    return next(m for m in meetings.list_meetings(db, cid) if m.kind == "conference")


def test_the_registry_is_the_only_place_a_kind_is_named():
    """The export log is written only with a kind from the registry (or the two data files
    written elsewhere), never with a name spelled out in a module of its own."""
    keys = set(documents.BY_KEY)
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(?:record|report)_export\([^)]*?\"(\w+)\"", text, re.S):
            assert match.group(1) in documents.OTHER_LABELS, (path, match.group(1))
        menus_and_commands = path.parts[-2] in ("gui", "commands") or path.name == "cli.py"
        if not menus_and_commands:
            continue
        for key in keys - {"review", "plan", "report"}:  # also words of the practice
            assert not re.search(rf"['\"]{key}['\"]", text), (path, key)
    labels = [k.menu_text.replace("&", "")[0] for k in documents.KINDS]
    letters = [k.menu_text[k.menu_text.index("&") + 1].lower() for k in documents.KINDS]
    assert len(set(letters)) == len(letters), labels  # unique access letters in the menu
    shortcuts = [k.shortcut for k in documents.KINDS if k.shortcut]
    assert len(set(shortcuts)) == len(shortcuts)


def test_every_kind_has_its_functions():
    for kind in documents.KINDS:
        for which in ("gather", "filename", "save"):
            assert callable(kind.function(which)), (kind.key, which)


@pytest.fixture
def example(paths, seed_example):
    cid = seed_example()
    database = open_database(paths)
    board.add_point(database, conference_meeting(database, cid).id, "safety_plan", PHONE)
    database.close()
    return cid


def run(paths, *argv):
    return cli_main(["--data-dir", str(paths.root), *map(str, argv)])


def test_cli_refuses_flagged_points_in_one_line_unless_allowed(paths, example, tmp_path, capsys):
    out = tmp_path / "minutes.docx"
    assert run(paths, "export", "minutes", example, "--out", out) == 2
    message = capsys.readouterr().err.strip()
    assert "\n" not in message and "07700 900123" in message and "--allow-flagged" in message
    assert not out.exists()

    assert run(paths, "export", "minutes", example, "--out", out, "--allow-flagged") == 0
    assert out.is_file()
    database = open_database(paths)
    try:
        (entry,) = list_exports(database, example)
    finally:
        database.close()
    assert (entry.kind, entry.flags_allowed) == ("minutes", True)
    assert run(paths, "exports") == 0
    assert "despite flagged personal details" in capsys.readouterr().out


def test_every_kind_that_carries_board_or_plan_text_is_checked(paths, example, tmp_path):
    database = open_database(paths)
    try:
        from csfacilitator.core import plan, voice

        need = plan.get_plan(database, example)[0]
        action = plan.add_intervention(database, need.id, "Ring 07700 900456 about the gate")
        # The handout prints a voice's linked action as its reply: it is checked there too.
        voice.add_voice(database, example, "The gate is locked", intervention_id=action.id)
    finally:
        database.close()
    for kind in documents.KINDS:
        if documents.PERSONAL_DETAILS in kind.checks:
            out = tmp_path / f"{kind.key}.out"
            assert run(paths, "export", kind.key, example, "--out", out) == 2, kind.key
            assert not out.exists()


def test_cli_warns_about_a_paper_for_a_meeting_already_held(paths, example, tmp_path, capsys):
    database = open_database(paths)
    try:
        pre = next(m for m in meetings.list_meetings(database, example) if m.kind == "pre_meeting")
    finally:
        database.close()
    out = tmp_path / "agenda.docx"
    assert run(paths, "export", "agenda", example, "--meeting", pre.id, "--out", out) == 0
    assert "already happened" in capsys.readouterr().err
    assert out.is_file()


@pytest.fixture
def window(open_window, example):
    return open_window(example)


def test_the_export_menu_is_the_registry(window):
    texts = [a.text() for a in window.export_menu.actions() if not a.isSeparator()]
    assert texts == [k.menu_text for k in documents.KINDS]
    for kind in documents.KINDS:
        action = window.document_actions[kind.key]
        assert action.shortcut().toString() == (kind.shortcut or "")


def test_ctrl_e_in_an_entry_field_exports_the_minutes(window, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(
        document_export,
        "export_document",
        lambda parent, db, cid, key, *a, **k: asked.append(key),
    )
    window.tabs.setCurrentWidget(window.board)
    entry = window.board.pane("concerns").entry
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus)
    qtbot.keyClicks(entry, "half typed")
    qtbot.keyClick(entry, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["minutes"]


def test_review_record_is_off_until_a_review_is_held(qtbot, paths, templates):
    templates.seed(paths)  # a migrated database, copied: this is not a first start
    from csfacilitator.app import create_window

    database = open_database(paths)
    cid = conferences.create_conference(database, "No review yet")
    database.close()
    win = create_window(paths.root, cid)
    qtbot.addWidget(win)
    try:
        assert not win.document_actions["review"].isEnabled()
        assert win.document_actions["minutes"].isEnabled()
        from csfacilitator.core import reviews

        reviews.start_review(win.db, cid, dt.date.today())
        win.export_menu.aboutToShow.emit()
        assert win.document_actions["review"].isEnabled()
    finally:
        win.close()


def test_window_asks_before_exporting_flagged_points_and_logs_the_choice(
    window, qtbot, tmp_path, monkeypatch
):
    shown = []

    def decide(parent, findings, on_review):
        shown.extend(f.line() for f in findings)
        return True

    monkeypatch.setattr(document_export.export_dialogs, "confirm_flags", decide)
    target = tmp_path / "plan.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    from tests.test_sharing import answer_sharing  # issue 20: every export asks who and why

    answer_sharing(qtbot)
    window.document_actions["minutes"].trigger()
    assert any("07700 900123" in line for line in shown)
    (entry,) = list_exports(window.db, window.conference_id)
    assert entry.flags_allowed and Path(entry.path) == target
