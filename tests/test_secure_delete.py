"""Deleting means gone: after a conference is deleted (CLI or GUI), its text is in no byte of
the database file, its WAL or its shared-memory file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from csfacilitator.core import assessment, board, conferences, invitees, meetings
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database
from csfacilitator.storage.backup import backup_database, list_backups
from csfacilitator.storage.reclaim import reclaim_space
from tests.harness.cli_runner import run_cli

SENTINEL = "Violet kestrel sentinel 7f3a9c behind the launderette"
KEPT = "Marigold heron kept 41b7 near the library"


def fill(db, marker: str) -> int:
    """A conference whose text carries `marker` in a title, a point, a long section (overflow
    pages), an invitee and a draft."""
    from csfacilitator.core import drafts

    conference_id = conferences.create_conference(db, f"Conference {marker}")
    meeting_id = meetings.list_meetings(db, conference_id)[0].id
    board.add_point(db, meeting_id, "concerns", f"Seen at dusk: {marker}")
    long_text = ("Background paragraph. " * 900) + marker
    assessment.set_section(db, conference_id, "summary", long_text)
    invitees.add_invitee(db, conference_id, name=f"Invitee {marker}", role="Youth worker")
    drafts.save_drafts(db, conference_id, {"board:x": f"Half typed {marker}"})
    return conference_id


def raw_bytes(db_path: Path) -> dict[str, bytes]:
    found = {}
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{db_path}{suffix}")
        if path.exists():
            found[path.name] = path.read_bytes()
    return found


def holding(db_path: Path, text: str) -> list[str]:
    needle = text.encode("utf-8")
    return [name for name, data in raw_bytes(db_path).items() if needle in data]


def test_delete_then_reclaim_leaves_no_trace_in_file_wal_or_shm(db, paths):
    doomed = fill(db, SENTINEL)
    fill(db, KEPT)
    assert holding(paths.database, SENTINEL)
    conferences.delete_conference(db, doomed)
    # secure_delete alone is not enough: the WAL still holds the frames written before.
    assert holding(paths.database, SENTINEL), "the check would not see a leftover"
    reclaim_space(db)  # the database stays open, as in the app
    assert holding(paths.database, SENTINEL) == []
    assert holding(paths.database, KEPT)  # the search does find text that is there
    assert [c.title for c in conferences.list_conferences(db)] == [f"Conference {KEPT}"]
    fill(db, "after the delete")  # and the database carries on
    db.close()
    assert holding(paths.database, SENTINEL) == []


def test_cli_delete_refuses_without_yes_then_deletes_for_good(tmp_path):
    paths = resolve(tmp_path / "d")
    database = open_database(paths)
    doomed = fill(database, SENTINEL)
    fill(database, KEPT)
    database.close()
    backup_database(paths.database, paths.backups, "manual")

    refused = run_cli("delete", str(doomed), data_dir=paths.root)
    assert refused.returncode == 2
    assert f"Conference {SENTINEL}" in refused.stderr and "--yes" in refused.stderr
    assert holding(paths.database, SENTINEL)  # nothing was deleted

    deleted = run_cli("delete", f"Conference {SENTINEL}", "--yes", data_dir=paths.root)
    assert deleted.returncode == 0, deleted.stderr
    assert "Older backups still hold it" in deleted.stdout
    assert holding(paths.database, SENTINEL) == []
    assert len(list_backups(paths.backups)) == 1  # kept: the user did not ask to purge them


def test_cli_delete_can_purge_older_backups_keeping_a_fresh_one(tmp_path):
    paths = resolve(tmp_path / "d")
    database = open_database(paths)
    doomed = fill(database, SENTINEL)
    fill(database, KEPT)
    database.close()
    older = [backup_database(paths.database, paths.backups, r) for r in ("start", "close")]
    mine = paths.backups / "my own copy.sqlite3"
    mine.write_bytes(b"not ours")

    deleted = run_cli("delete", str(doomed), "--yes", "--purge-backups", data_dir=paths.root)
    assert deleted.returncode == 0, deleted.stderr
    assert "Removed 2 older backups" in deleted.stdout
    assert not any(p.exists() for p in older)
    assert mine.read_bytes() == b"not ours"
    (fresh,) = list_backups(paths.backups)
    assert fresh.reason == "after-delete"
    assert SENTINEL.encode() not in fresh.path.read_bytes()
    assert KEPT.encode() in fresh.path.read_bytes()
    listed = run_cli("backup", "--list", data_dir=paths.root)
    assert listed.returncode == 0
    (line,) = listed.stdout.splitlines()
    assert "After a deletion" in line and "1 conference," in line and fresh.path.name in line


def test_gui_delete_leaves_no_trace_and_can_still_be_undone(qtbot, paths, templates, monkeypatch):
    templates.seed(paths)  # a migrated database, copied: this is not a first start
    from csfacilitator.app import create_window

    window = create_window(paths=paths)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    doomed = fill(window.db, SENTINEL)
    fill(window.db, KEPT)
    window.show_home()
    window.home.select(doomed)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(window.home.delete_button, Qt.MouseButton.LeftButton)
    assert window.home.model.rowCount() == 1
    assert holding(paths.database, SENTINEL) == []
    # Undo works from the snapshot kept in memory for this session.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.home.model.rowCount() == 2
    titles = [c.title for c in conferences.list_conferences(window.db)]
    assert f"Conference {SENTINEL}" in titles
    window.close()
