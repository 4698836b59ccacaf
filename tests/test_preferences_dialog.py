"""Edit → Preferences…, and the passphrase dialogs (choosing one, typing one, at start)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMessageBox

from csfacilitator.app import create_window
from csfacilitator.core import conferences
from csfacilitator.core.preferences import (
    ALL,
    BACKUP_MINUTES,
    IDLE_LOCK_MINUTES,
    RETENTION_MONTHS,
    get_preference,
    set_preference,
)
from csfacilitator.gui.dialogs import passphrase_dialog
from csfacilitator.gui.dialogs.passphrase_dialog import (
    NewPassphraseDialog,
    PassphraseDialog,
    startup_passphrase,
)
from csfacilitator.gui.dialogs.preferences_dialog import (
    ENCRYPTED_TEXT,
    PLAIN_TEXT,
    PreferencesDialog,
)
from csfacilitator.storage import open_database
from csfacilitator.storage.encryption import is_encrypted

PASSPHRASE = "blue kettle, quiet harbour"


def _dialog(qtbot, db, **kw) -> PreferencesDialog:
    dialog = PreferencesDialog(db, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _type_into(qtbot, spin, text: str) -> None:
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, text)


def _button(dialog, which) -> object:
    return dialog.findChild(QDialogButtonBox).button(which)


def test_preferences_show_the_stored_values_with_units_and_limits(qtbot, db):
    set_preference(db, RETENTION_MONTHS, 36)
    set_preference(db, IDLE_LOCK_MINUTES, 0)
    dialog = _dialog(qtbot, db)
    for pref in ALL:
        spin = dialog.spins[pref.key]
        assert (spin.minimum(), spin.maximum()) == (pref.minimum, pref.maximum)
        assert spin.accessibleName() == pref.label
        label = next(
            lb for lb in dialog.findChildren(QLabel) if lb.buddy() is spin
        )  # the visible label names the same thing
        assert label.text() == f"{pref.label}:"
    assert dialog.spins[RETENTION_MONTHS.key].text() == "36 months"
    assert dialog.spins[IDLE_LOCK_MINUTES.key].text() == "Never"
    assert dialog.spins[BACKUP_MINUTES.key].text() == "5 minutes"
    assert dialog.encryption_state.text() == PLAIN_TEXT
    assert dialog.encrypt_button.isVisible()
    assert dialog.encrypt_button.accessibleName() == "Encrypt the database…"


def test_ok_saves_what_was_typed_and_cancel_saves_nothing(qtbot, db):
    dialog = _dialog(qtbot, db)
    _type_into(qtbot, dialog.spins[RETENTION_MONTHS.key], "12")
    _type_into(qtbot, dialog.spins[IDLE_LOCK_MINUTES.key], "999")  # beyond the limit: refused
    _type_into(qtbot, dialog.spins[BACKUP_MINUTES.key], "15")
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert get_preference(db, RETENTION_MONTHS) == 12
    assert get_preference(db, IDLE_LOCK_MINUTES) == 99  # the third 9 was not accepted
    assert get_preference(db, BACKUP_MINUTES) == 15

    again = _dialog(qtbot, db)
    assert again.spins[RETENTION_MONTHS.key].value() == 12
    _type_into(qtbot, again.spins[RETENTION_MONTHS.key], "48")
    qtbot.mouseClick(
        _button(again, QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert get_preference(db, RETENTION_MONTHS) == 12


def test_edit_preferences_in_the_window_changes_the_idle_lock(qtbot, paths, templates):
    templates.seed(paths)  # a migrated database, copied: this is not a first start
    window = create_window(paths.root)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    def choose_three_minutes():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PreferencesDialog)
        _type_into(qtbot, dialog.spins[IDLE_LOCK_MINUTES.key], "3")
        dialog.accept()

    QTimer.singleShot(0, choose_three_minutes)
    window.preferences_action.trigger()
    assert get_preference(window.db, IDLE_LOCK_MINUTES) == 3
    assert window.locker.idle_timer.interval() == 3 * 60_000
    assert window.preferences_action.shortcut().toString() == "Ctrl+,"
    window.close()


def test_encrypt_from_preferences_converts_the_open_database(qtbot, paths, monkeypatch, templates):
    example = templates.seed(paths, example=True, joined_up=True)  # as the app adds it
    window = create_window(paths.root)
    qtbot.addWidget(window)
    window.open_conference(example)
    title = conferences.get_conference(window.db, window.conference_id).title
    told = []
    monkeypatch.setattr(passphrase_dialog, "ask_new_passphrase", lambda parent: PASSPHRASE)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    dialog = _dialog(qtbot, window.db, parent=window, before_encrypt=window.flush)

    qtbot.mouseClick(dialog.encrypt_button, Qt.MouseButton.LeftButton)

    assert told and told[0].startswith("The database is encrypted.")
    assert window.db.encrypted and is_encrypted(paths.database)
    assert dialog.encryption_state.text() == ENCRYPTED_TEXT
    assert not dialog.encrypt_button.isVisible()
    assert title.encode() not in paths.database.read_bytes()
    # The window goes on working on the encrypted database.
    conferences.update_conference(window.db, window.conference_id, title="Renamed after")
    assert conferences.get_conference(window.db, window.conference_id).title == "Renamed after"
    window.close()


def test_a_new_passphrase_must_be_typed_twice_the_same(qtbot):
    dialog = NewPassphraseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.first.accessibleName() == "Passphrase"
    assert dialog.second.accessibleName() == "Type it again"
    qtbot.keyClicks(dialog.first, PASSPHRASE)
    qtbot.keyClicks(dialog.second, PASSPHRASE + "!")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "not the same" in dialog.error.text()
    dialog.second.clear()
    qtbot.keyClicks(dialog.second, PASSPHRASE)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.passphrase == PASSPHRASE


def test_the_passphrase_dialog_stays_open_until_the_passphrase_opens_the_database(
    qtbot, paths, templates
):
    templates.seed(paths, PASSPHRASE)  # an encrypted database (made once per session)
    dialog = PassphraseDialog(paths.database)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.field, "the wrong words")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.passphrase is None
    assert dialog.error.text().startswith("The passphrase is not right for this database")
    # The dialog grows to fit its message instead of squeezing it into one line.
    assert dialog.error.height() >= dialog.error.heightForWidth(dialog.error.width())
    dialog.field.clear()
    qtbot.keyClicks(dialog.field, PASSPHRASE)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.passphrase == PASSPHRASE


@pytest.mark.parametrize("choice", ["encrypt", "not now"])
def test_the_first_start_offers_encryption(qtbot, paths, choice):
    paths.root.mkdir(parents=True)

    def answer():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewPassphraseDialog)
        if choice == "not now":
            qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
            return
        qtbot.keyClicks(dialog.first, PASSPHRASE)
        qtbot.keyClicks(dialog.second, PASSPHRASE)
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    proceed, passphrase = startup_passphrase(paths)
    assert proceed
    assert passphrase == (PASSPHRASE if choice == "encrypt" else None)
    db = open_database(paths, passphrase)
    db.close()
    assert is_encrypted(paths.database) == (choice == "encrypt")
    # The next start finds a database: an encrypted one asks, a plain one asks nothing.
    if choice == "not now":
        assert startup_passphrase(paths) == (True, None)
        return

    def quit_():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PassphraseDialog)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, quit_)
    assert startup_passphrase(paths) == (False, None)
