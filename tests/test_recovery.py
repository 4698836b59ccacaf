"""Going back: a damaged database is kept aside (never deleted) and the newest good backup is
offered; Restore from backup (GUI and CLI) backs up what is there first."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from csfacilitator.core import conferences
from csfacilitator.errors import DatabaseTooNew, StorageError
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database
from csfacilitator.storage.backup import backup_database, list_backups
from csfacilitator.storage.recovery import (
    describe_backup,
    newest_good_backup,
    restore_backup,
    set_aside,
    set_aside_if_damaged,
)
from tests.conftest import PASSPHRASE
from tests.harness.cli_runner import run_cli

FIRST_SCHEMA = Path(__file__).parent / "data" / "schema-0001.sqlite3"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _titles(paths) -> list[str]:
    database = open_database(resolve(paths.root))
    try:
        return sorted(c.title for c in conferences.list_conferences(database))
    finally:
        database.close()


def _saved_then_damaged(paths, templates, titles=("Kestrel Parade", "Mill Road underpass")) -> Path:
    """A database with a backup, then more work, then pages in the middle overwritten; it
    starts as a copy of the migrated template (conftest), as one someone already uses."""
    templates.seed_empty_folder(paths)
    database = open_database(paths)
    for title in titles:
        conferences.create_conference(database, title)
    database.close()
    backup = backup_database(paths.database, paths.backups, "close")
    database = open_database(paths)
    for i in range(25):  # enough pages that the middle ones hold table data
        conferences.create_conference(database, f"Later work {i} " + "x" * 600)
    database.close()
    data = bytearray(paths.database.read_bytes())
    pages = len(data) // 4096
    noise = random.Random(7)
    for page in range(pages // 2 - 2, pages // 2 + 2):
        data[page * 4096 : (page + 1) * 4096] = bytes(noise.randrange(256) for _ in range(4096))
    paths.database.write_bytes(bytes(data))
    return backup


# -- keeping a damaged file aside ------------------------------------------------------------


def test_a_damaged_database_is_kept_aside_byte_for_byte(paths, templates):
    _saved_then_damaged(paths, templates)
    before = _digest(paths.database)
    damage = set_aside_if_damaged(paths.database)
    assert damage is not None and "malformed" in damage.problem
    assert damage.set_aside.name.startswith("csfacilitator.sqlite3.corrupt-")
    assert _digest(damage.set_aside) == before
    assert not paths.database.exists()
    assert set_aside_if_damaged(paths.database) is None  # nothing there now: nothing to do


@pytest.mark.encrypted_too
def test_a_healthy_or_unrecognised_file_is_left_where_it_is(db, paths):
    db.close()
    assert set_aside_if_damaged(paths.database) is None
    assert paths.database.exists()
    # No SQLite header and random-looking throughout: encrypted. Opening asks for the
    # passphrase; without one it is not judged, and not moved.
    paths.database.write_bytes(os.urandom(8192))
    assert set_aside_if_damaged(paths.database) is None
    assert paths.database.exists()
    # No header and not ciphertext either (issue 11, item 9): a damaged plain file, kept aside.
    paths.database.write_bytes(b"\x8a" * 8192)
    damage = set_aside_if_damaged(paths.database)
    assert damage is not None and "header is damaged" in damage.problem
    assert damage.set_aside.read_bytes() == b"\x8a" * 8192


def test_setting_aside_moves_the_wal_and_shm_too_and_never_overwrites(paths):
    paths.root.mkdir(parents=True)
    first = []
    for round_ in range(2):
        for suffix, content in (("", b"main"), ("-wal", b"wal"), ("-shm", b"shm")):
            Path(f"{paths.database}{suffix}").write_bytes(content + bytes([round_]))
        first.append(set_aside(paths.database))
    assert first[0] != first[1]
    for index, target in enumerate(first):
        assert target.read_bytes() == b"main" + bytes([index])
        assert Path(f"{target}-wal").read_bytes() == b"wal" + bytes([index])
        assert Path(f"{target}-shm").read_bytes() == b"shm" + bytes([index])
    assert sorted(p.name for p in paths.root.iterdir() if p.is_file()) == sorted(
        f"{t.name}{s}" for t in first for s in ("", "-wal", "-shm")
    )


def test_the_cli_reports_damage_then_restores_the_latest_backup(tmp_path, templates):
    paths = resolve(tmp_path / "d")
    _saved_then_damaged(paths, templates)
    damaged = _digest(paths.database)
    listed = run_cli("list", data_dir=paths.root)
    assert listed.returncode == 2
    message = listed.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert "damaged" in message and "csfacilitator restore --latest" in message
    aside = next(paths.root.glob("csfacilitator.sqlite3.corrupt-*[0-9]"))
    assert str(aside) in message
    assert _digest(aside) == damaged
    restored = run_cli("restore", "--latest", data_dir=paths.root)
    assert restored.returncode == 0, restored.stderr
    assert "Restored the backup made" in restored.stdout and "2 conferences" in restored.stdout
    assert _titles(paths) == ["Kestrel Parade", "Mill Road underpass"]
    assert _digest(aside) == damaged  # still there, untouched


def test_cli_restore_sets_a_damaged_database_aside_itself(tmp_path, templates):
    paths = resolve(tmp_path / "d")
    _saved_then_damaged(paths, templates)
    restored = run_cli("restore", "--latest", data_dir=paths.root)
    assert restored.returncode == 0, restored.stderr
    assert "kept aside as" in restored.stdout
    assert len(list(paths.root.glob("csfacilitator.sqlite3.corrupt-*[0-9]"))) == 1
    assert _titles(paths) == ["Kestrel Parade", "Mill Road underpass"]


# -- at start, in the GUI --------------------------------------------------------------------


def _click_in_message_box(text: str) -> list[str]:
    """Click a button of the next modal message box once it shows; returns what it said."""
    said: list[str] = []

    def attempt() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, attempt)
            return
        said.append(box.text() + "\n" + box.informativeText())
        for button in box.buttons():
            if button.text() == text:
                button.click()
                return

    QTimer.singleShot(0, attempt)
    return said


def test_gui_start_on_a_damaged_database_offers_and_restores_the_newest_backup(
    qtbot, paths, templates
):
    from csfacilitator.app import create_window

    _saved_then_damaged(paths, templates)
    damaged = _digest(paths.database)
    said = _click_in_message_box("Restore newest backup")
    window = create_window(paths=paths)
    qtbot.addWidget(window)
    assert "damaged" in said[0] and "kept aside" in said[0] and "2 conferences" in said[0]
    assert window.home.model.rowCount() == 2
    aside = next(paths.root.glob("csfacilitator.sqlite3.corrupt-*[0-9]"))
    assert _digest(aside) == damaged
    assert aside.name in said[0]
    window.close()


def test_gui_start_can_begin_empty_or_quit_keeping_the_damaged_file(
    qtbot, paths, monkeypatch, templates
):
    from csfacilitator import app
    from csfacilitator.gui.dialogs import restore_dialog

    _saved_then_damaged(paths, templates)
    damaged = _digest(paths.database)
    monkeypatch.setattr(restore_dialog, "ask_after_damage", lambda *_a, **_k: "quit")
    with pytest.raises(app.StartCancelled):
        app._open_checked(paths)
    # Quit decides nothing: the file is back in place, so the question comes again next time.
    assert _digest(paths.database) == damaged
    assert not list(paths.root.glob("*.corrupt-*"))
    monkeypatch.setattr(restore_dialog, "ask_after_damage", lambda *_a, **_k: "empty")
    database = app._open_checked(paths)
    try:
        assert conferences.list_conferences(database) == []
    finally:
        database.close()
    aside = next(paths.root.glob("*.corrupt-*[0-9]"))
    assert _digest(aside) == damaged


# -- restoring -------------------------------------------------------------------------------


def test_restore_backs_up_what_is_there_first(db, paths):
    conferences.create_conference(db, "Old plan")
    db.close()
    backup = backup_database(paths.database, paths.backups, "manual")
    conferences.create_conference(db, "Newer work")  # the engine reconnects after close()
    db.close()
    result = restore_backup(paths, backup)
    assert _titles(paths) == ["Old plan"]
    assert sorted(describe_backup(result.before).titles) == ["Newer work", "Old plan"]
    assert result.set_aside is None
    with sqlite3.connect(paths.database) as c:
        assert c.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert c.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    c.close()
    # The database object that was closed carries on, and sees the restored data.
    assert [x.title for x in conferences.list_conferences(db)] == ["Old plan"]


@pytest.mark.encrypted_too
def test_an_older_backup_is_restored_and_upgraded(db, paths):
    db.close()
    old = paths.backups / "20200101-000000-000000Z-before-upgrade-from-0001.sqlite3"
    shutil.copy(FIRST_SCHEMA, old)
    restore_backup(paths, old)
    assert _titles(paths) == ["Saved at schema 0001"]


@pytest.mark.parametrize("kind", ["foreign", "too new", "damaged"])
def test_an_unusable_backup_is_refused_and_nothing_changes(db, paths, tmp_path, kind):
    conferences.create_conference(db, "Current work")
    db.close()
    bad = tmp_path / "bad.sqlite3"
    if kind == "foreign":
        with sqlite3.connect(bad) as c:
            c.execute("CREATE TABLE recipes (name TEXT)")
        c.close()
    else:
        shutil.copy(backup_database(paths.database, paths.backups, "manual"), bad)
        if kind == "too new":
            with sqlite3.connect(bad) as c:
                c.execute("UPDATE alembic_version SET version_num = '9999'")
            c.close()
        else:
            data = bytearray(bad.read_bytes())
            data[4096 * 3 : 4096 * 5] = b"\xee" * 8192
            bad.write_bytes(bytes(data))
    backups_before = sorted(p.name for p in paths.backups.iterdir())
    error = DatabaseTooNew if kind == "too new" else StorageError
    with pytest.raises(error, match="cannot be restored|newer version"):
        restore_backup(paths, bad)
    assert _titles(paths) == ["Current work"]
    assert sorted(p.name for p in paths.backups.iterdir()) == backups_before


def test_the_newest_good_backup_skips_damaged_and_empty_ones(db, paths):
    conferences.create_conference(db, "Worth having")
    db.close()
    good = backup_database(paths.database, paths.backups, "close")
    damaged = backup_database(paths.database, paths.backups, "periodic")
    damaged.write_bytes(damaged.read_bytes()[:4096] + b"\x00\xff" * 8192)
    conferences.delete_conference(db, 1)
    db.close()
    empty = backup_database(paths.database, paths.backups, "start")
    assert [b.path for b in list_backups(paths.backups)] == [empty, damaged, good]
    found, contents = newest_good_backup(paths)
    assert found.path == good and contents.titles == ("Worth having",)


# -- File -> Restore from backup... -----------------------------------------------------------


def test_restore_from_backup_in_the_window(qtbot, paths, monkeypatch):
    from csfacilitator.app import create_window
    from csfacilitator.gui.dialogs.restore_dialog import RestoreDialog

    window = create_window(paths=paths)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    first = conferences.create_conference(window.db, "Wrenmoor Park")
    backup_database(paths.database, paths.backups, "periodic")
    conferences.create_conference(window.db, "Typed after the backup")
    backup_database(paths.database, paths.backups, "close")
    window.open_conference(first)
    window.overview.fields["title"].setFocus()
    qtbot.keyClicks(window.overview.fields["title"], " (renamed)")  # pending, not yet saved

    shown = {}

    def choose_second_row() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RestoreDialog):
            QTimer.singleShot(20, choose_second_row)
            return
        model = dialog.model
        shown["rows"] = [
            [model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())
        ]
        shown["restore_name"] = dialog.restore_button.accessibleName()
        qtbot.keyClick(dialog.view, Qt.Key.Key_Down)  # from the newest to the one before
        shown["details"] = dialog.details.text()
        qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
        if dialog.isVisible():  # Return in the view does not reach the default button
            qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *_a: asked.append(text) or QMessageBox.StandardButton.Yes,
    )
    QTimer.singleShot(0, choose_second_row)
    window.restore_action.trigger()

    rows = shown["rows"]
    assert [r[1] for r in rows] == ["When the app closed", "Automatic, while working"]
    assert rows[0][3].startswith("2 conferences") and rows[1][3].startswith("1 conference,")
    assert shown["restore_name"] == "Restore"
    assert "Wrenmoor Park" in shown["details"] and "Typed after" not in shown["details"]
    assert "backed up first" in asked[0]
    # What the user sees: the list of conferences, holding what the backup held.
    assert window.pages.currentWidget() is window.home
    assert window.conference_id is None
    assert window.home.model.rowCount() == 1
    assert "Restored the backup" in window.statusBar().currentMessage()
    assert not window.undo_group.canUndo()
    assert _titles(paths) == ["Wrenmoor Park"]
    before = [b for b in list_backups(paths.backups) if b.reason == "before-restore"]
    assert len(before) == 1
    # The typing that was pending when Restore was chosen went into that backup.
    assert sorted(describe_backup(before[0].path).titles) == [
        "Typed after the backup",
        "Wrenmoor Park (renamed)",
    ]
    # The app carries on working on the restored data.
    window.new_conference()
    assert len(_titles(paths)) == 2
    window.close()


def test_restore_dialog_greys_out_a_backup_that_cannot_be_used(qtbot, db, paths):
    from csfacilitator.gui.dialogs.restore_dialog import RestoreDialog

    conferences.create_conference(db, "Fine")
    good = backup_database(paths.database, paths.backups, "manual")
    broken = backup_database(paths.database, paths.backups, "periodic")
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 9000)
    dialog = RestoreDialog(paths)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    assert dialog.model.index(0, 3).data().startswith("Cannot be used")
    assert not dialog.model.item(0, 0).isEnabled()
    assert dialog.selected()[0].path == good  # the first usable one is preselected
    assert dialog.restore_button.isEnabled()
    dialog.buttons.rejected.emit()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_an_encrypted_database_is_backed_up_and_restored_encrypted(paths, templates):
    pytest.importorskip("sqlcipher3")
    passphrase = PASSPHRASE
    templates.seed(paths, passphrase)  # the session's encrypted database (conftest), copied
    templates.remember_key(passphrase)  # as `db` does: its key is derived once per session
    database = open_database(paths, passphrase)
    conferences.create_conference(database, "Kept secret")
    backup = backup_database(paths.database, paths.backups, "manual", passphrase=passphrase)
    conferences.create_conference(database, "Typed later")
    database.close()
    assert b"Kept secret" not in backup.read_bytes()
    assert describe_backup(backup).usable is False  # unreadable without the passphrase
    assert describe_backup(backup, passphrase).titles == ("Kept secret",)
    result = restore_backup(paths, backup, passphrase)
    assert b"Typed later" not in result.before.read_bytes()
    assert sorted(describe_backup(result.before, passphrase).titles) == [
        "Kept secret",
        "Typed later",
    ]
    assert [c.title for c in conferences.list_conferences(database)] == ["Kept secret"]
    database.close()
    with pytest.raises(StorageError, match="cannot be restored"):
        restore_backup(paths, backup)  # without the passphrase: refused, nothing changed
    assert sorted(p.name for p in paths.backups.iterdir()) == sorted(
        [backup.name, result.before.name]
    )
