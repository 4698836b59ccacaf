"""Changing and removing the passphrase: the database and its backups, from the library, the
command line and Preferences; an interrupted change finishes when run again.

Every process here, the test's and those it starts, derives keys with fewer rounds
(tests/harness/fast_kdf.py): each conversion opens every file with the old and the new key.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from csfacilitator.core import board, conferences, meetings
from csfacilitator.errors import UserError
from csfacilitator.paths import resolve
from csfacilitator.storage import encryption, open_database
from csfacilitator.storage.backup import backup_database, list_backups
from csfacilitator.storage.encryption import (
    WrongPassphrase,
    change_passphrase,
    is_encrypted,
    is_plain_database,
    remove_encryption,
)
from tests.harness import fast_kdf
from tests.harness.cli_runner import run_cli

OLD = "blue kettle, quiet harbour"
NEW = "seven grey herons at dusk"
SENTINEL = "Sentinel: the heron counts eleven lanterns at Marlow Quay"
CLI = fast_kdf.__name__  # python -m csfacilitator, with the same rounds


@pytest.fixture(scope="module", autouse=True)
def _fewer_rounds():
    with fast_kdf.fewer_rounds():
        yield


def _files_holding(folder: Path, text: str) -> list[str]:
    needle = text.encode("utf-8")
    return [p.name for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def _encrypted_folder(paths, templates, backups: int = 2) -> int:
    templates.seed(paths)  # the migrated template, encrypted here with this module's rounds
    encryption.encrypt_database(paths, OLD)
    db = open_database(paths, OLD)
    try:
        conference_id = conferences.create_conference(db, "Encryption check")
        meeting_id = meetings.list_meetings(db, conference_id)[0].id
        board.add_point(db, meeting_id, "concerns", SENTINEL)
        for _ in range(backups):
            backup_database(paths.database, paths.backups, "manual", passphrase=OLD, thin=False)
    finally:
        db.close()
    return meeting_id


def _texts(paths, passphrase, meeting_id) -> list[str]:
    db = open_database(paths, passphrase)
    try:
        return [p.text for p in board.board_tree(db, meeting_id)["concerns"]]
    finally:
        db.close()


def _opens(path: Path, passphrase: str) -> bool:
    try:
        encryption.check_passphrase(path, passphrase)
    except WrongPassphrase:
        return False
    return True


def test_changing_re_keys_the_database_and_every_backup(paths, templates):
    meeting_id = _encrypted_folder(paths, templates)
    with pytest.raises(WrongPassphrase):
        change_passphrase(paths, "not the passphrase", NEW)
    report = change_passphrase(paths, OLD, NEW)
    assert report.backups_encrypted == 2 and report.left_plain == ()
    assert _opens(paths.database, NEW) and not _opens(paths.database, OLD)
    for b in list_backups(paths.backups):
        assert _opens(b.path, NEW) and not _opens(b.path, OLD)
    assert _texts(paths, NEW, meeting_id) == [SENTINEL]
    assert _files_holding(paths.root, SENTINEL) == []
    assert not [p for p in paths.root.rglob("*") if p.name.endswith((".plain-old", ".encrypting"))]


def test_an_interrupted_change_still_opens_with_the_old_one_and_finishes_when_run_again(
    paths, monkeypatch, templates
):
    meeting_id = _encrypted_folder(paths, templates, backups=3)
    real = encryption.convert_file
    calls = []

    def killed_after_one(path, old, new):
        if calls:
            raise KeyboardInterrupt  # the kill, after the first backup was re-keyed
        calls.append(path)
        real(path, old, new)

    monkeypatch.setattr(encryption, "convert_file", killed_after_one)
    with pytest.raises(KeyboardInterrupt):
        change_passphrase(paths, OLD, NEW)
    monkeypatch.setattr(encryption, "convert_file", real)
    assert _texts(paths, OLD, meeting_id) == [SENTINEL]  # the database is untouched

    report = change_passphrase(paths, OLD, NEW)

    assert report.backups_encrypted == 2  # the one done before is left as it is
    assert all(_opens(b.path, NEW) for b in list_backups(paths.backups))
    assert _texts(paths, NEW, meeting_id) == [SENTINEL]


def test_removing_decrypts_the_database_and_its_backups(paths, templates):
    meeting_id = _encrypted_folder(paths, templates)
    report = remove_encryption(paths, OLD)
    assert report.backups_encrypted == 2
    assert is_plain_database(paths.database)
    assert all(is_plain_database(b.path) for b in list_backups(paths.backups))
    assert _texts(paths, None, meeting_id) == [SENTINEL]
    with pytest.raises(UserError, match="not encrypted"):
        remove_encryption(paths, OLD)


def _cli(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """The command line, with this module's rounds (CLI) and only the app's variables given."""
    return run_cli(
        *args,
        data_dir=data,
        module=CLI,
        clean_env=True,
        env={**fast_kdf.environment(), **env},
    )


@pytest.mark.slow
def test_the_command_line_changes_then_removes_the_passphrase(tmp_path, templates):
    paths = resolve(tmp_path / "data")
    meeting_id = _encrypted_folder(paths, templates)
    no_new = _cli(paths.root, "passphrase", "change", CSFACILITATOR_PASSPHRASE=OLD)
    assert no_new.returncode == 2 and "CSFACILITATOR_NEW_PASSPHRASE" in no_new.stderr

    changed = _cli(
        paths.root,
        "passphrase",
        "change",
        CSFACILITATOR_PASSPHRASE=OLD,
        CSFACILITATOR_NEW_PASSPHRASE=NEW,
    )
    assert changed.returncode == 0, changed.stderr
    assert "Changed the passphrase" in changed.stdout and "Re-keyed 2 backups" in changed.stdout
    old_refused = _cli(paths.root, "list", CSFACILITATOR_PASSPHRASE=OLD)
    assert old_refused.returncode == 2
    assert "The passphrase is not right" in old_refused.stderr

    removed = _cli(paths.root, "passphrase", "remove", CSFACILITATOR_PASSPHRASE=NEW)
    assert removed.returncode == 0, removed.stderr
    assert "no longer encrypted" in removed.stdout
    assert is_plain_database(paths.database)
    assert _texts(paths, None, meeting_id) == [SENTINEL]
    again = _cli(paths.root, "passphrase", "remove")
    assert again.returncode == 2 and "not encrypted" in again.stderr


def _fill(qtbot, current: str, new: str | None = None) -> None:
    from csfacilitator.gui.dialogs.passphrase_dialog import ChangePassphraseDialog

    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ChangePassphraseDialog)
    qtbot.keyClicks(dialog.current, "the wrong words")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "not right" in dialog.error.text()
    dialog.current.clear()
    qtbot.keyClicks(dialog.current, current)
    if new is not None:
        qtbot.keyClicks(dialog.first, new)
        qtbot.keyClicks(dialog.second, new)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)


def test_preferences_change_then_remove_the_passphrase(qtbot, paths, monkeypatch, templates):
    from csfacilitator.gui.dialogs.preferences_dialog import (
        ENCRYPTED_TEXT,
        PLAIN_TEXT,
        PreferencesDialog,
    )

    meeting_id = _encrypted_folder(paths, templates)
    db = open_database(paths, OLD)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    flushed = []
    dialog = PreferencesDialog(db, before_encrypt=lambda: flushed.append(True))
    qtbot.addWidget(dialog)
    dialog.show()
    try:
        assert dialog.encryption_state.text() == ENCRYPTED_TEXT
        assert dialog.change_button.isVisible() and dialog.remove_button.isVisible()
        assert not dialog.encrypt_button.isVisible()

        QTimer.singleShot(0, lambda: _fill(qtbot, OLD, NEW))
        qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
        assert told[-1].startswith("The passphrase is changed.") and "2 backups" in told[-1]
        assert db.passphrase == NEW and _opens(paths.database, NEW) and flushed
        assert all(_opens(b.path, NEW) for b in list_backups(paths.backups))
        board.add_point(db, meeting_id, "concerns", "Written after the change")

        QTimer.singleShot(0, lambda: _fill(qtbot, NEW))
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        assert told[-1].startswith("The database is no longer encrypted.")
        assert not db.encrypted and is_plain_database(paths.database)
        assert not is_encrypted(list_backups(paths.backups)[0].path)
        assert dialog.encryption_state.text() == PLAIN_TEXT
        assert dialog.encrypt_button.isVisible() and not dialog.change_button.isVisible()
        texts = [p.text for p in board.board_tree(db, meeting_id)["concerns"]]
        assert texts == [SENTINEL, "Written after the change"]
    finally:
        db.close()
