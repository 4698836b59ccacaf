"""Asking for the database passphrase: at start, when choosing one, and encrypting from the GUI.

A typed passphrase is judged by opening the database with it (never by comparing it with a
stored copy), so a wrong one is told in plain words and the dialog stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from csfacilitator import APP_NAME
from csfacilitator.errors import UserError
from csfacilitator.gui.widgets.dialog_parts import accept_cancel, intro_label, stack
from csfacilitator.paths import DataPaths
from csfacilitator.storage import encryption

KEEP_IT_SAFE = (
    "A passphrase cannot be reset: without it nobody, you included, can open the data again. "
    "Keep it somewhere safe."
)
FIRST_RUN_INTRO = (
    f"{APP_NAME} keeps everything on this computer. You can protect it with a passphrase, so "
    "that nobody can read the conferences without it, even if the laptop is lost. You will type "
    f"it each time {APP_NAME} starts and when you unlock it.\n\nYou can also do this later, in "
    "Edit → Preferences."
)
ENCRYPT_INTRO = (
    "The database and its backups will be encrypted with this passphrase. You will type it "
    f"each time {APP_NAME} starts and when you unlock it."
)


def _password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setMinimumWidth(280)
    return field


def _show_error(label: QLabel, text: str) -> None:
    """Show a message under the fields; the dialog grows to fit it rather than squeezing it."""
    label.setText(text)
    label.show()
    window = label.window()
    layout = window.layout()
    if layout is None:  # every dialog here has one
        return
    layout.activate()
    needed = layout.totalHeightForWidth(window.width())
    if needed > window.height():
        window.resize(window.width(), needed)


def _add_rows(form: QFormLayout, rows: list[tuple[str, QLineEdit]], parent: QWidget) -> None:
    """A row a field, under a label whose Alt key reaches it."""
    for text, field in rows:
        label = QLabel(text, parent)
        label.setBuddy(field)
        form.addRow(label, field)


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("passphraseError")
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


class _WaitCursor:
    """Opening SQLCipher takes a moment (its key derivation is slow on purpose)."""

    def __enter__(self):
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        return self

    def __exit__(self, *exc):
        QGuiApplication.restoreOverrideCursor()
        return False


class PassphraseDialog(QDialog):
    """The passphrase of an existing encrypted database; accepted only when it opens it."""

    def __init__(self, db_path: Path, parent: QWidget | None = None, *, reject_text="Quit"):
        super().__init__(parent)
        self.db_path = db_path
        self.setWindowTitle(f"{APP_NAME} – Passphrase")
        intro = intro_label(
            f"The data in {db_path.parent} is encrypted. Type its passphrase to open it.", self
        )
        self.field = _password_field(self, "Passphrase")
        form = QFormLayout()
        _add_rows(form, [("&Passphrase:", self.field)], self)
        self.error = _error_label(self)
        buttons, self.open_button, self.cancel_button = accept_cancel(self, "Open", reject_text)
        self.open_button.setDefault(True)
        stack(self, intro, form, self.error, buttons)
        self.setMinimumWidth(460)
        self.passphrase: str | None = None

    def accept(self) -> None:
        typed = self.field.text()
        try:
            with _WaitCursor():
                encryption.check_passphrase(self.db_path, typed)
        except UserError as exc:
            _show_error(self.error, str(exc))
            self.field.selectAll()
            self.field.setFocus()
            return
        self.passphrase = typed
        super().accept()


class NewPassphraseDialog(QDialog):
    """Choosing a passphrase: typed twice, long enough, with the warning that it cannot be reset."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        title: str = "Encrypt the database",
        intro: str = ENCRYPT_INTRO,
        accept_text: str = "Encrypt",
        reject_text: str = "Cancel",
        warning: str = KEEP_IT_SAFE,
        validate: Callable[[str, str], str] = encryption.validate_new_passphrase,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        opening = intro_label(intro, self)
        self._validate = validate
        warning_label = intro_label(warning, self)
        warning_label.setStyleSheet("font-weight: 600;")
        self.first = _password_field(self, "Passphrase")
        self.second = _password_field(self, "Type it again")
        form = QFormLayout()
        _add_rows(form, [("&Passphrase:", self.first), ("Type it &again:", self.second)], self)
        self.error = _error_label(self)
        buttons, self.accept_button, self.reject_button = accept_cancel(
            self, accept_text, reject_text
        )
        self.accept_button.setDefault(True)
        stack(self, opening, warning_label, form, self.error, buttons)
        self.setMinimumWidth(480)
        self.passphrase: str | None = None

    def accept(self) -> None:
        try:
            chosen = self._validate(self.first.text(), self.second.text())
        except UserError as exc:
            _show_error(self.error, str(exc))
            self.first.setFocus()
            return
        self.passphrase = chosen
        super().accept()


def ask_new_passphrase(parent: QWidget | None, **texts) -> str | None:
    dialog = NewPassphraseDialog(parent, **texts)
    try:
        return dialog.passphrase if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def startup_passphrase(paths: DataPaths) -> tuple[bool, str | None]:
    """Before the window opens: (go on?, passphrase).

    An encrypted database asks for its passphrase (Quit ends the app). A data folder with no
    database yet offers to create it encrypted; "Not now" keeps it plain.
    """
    db_path = paths.database
    if encryption.is_encrypted(db_path):
        dialog = PassphraseDialog(db_path)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False, None
        return True, dialog.passphrase
    if db_path.exists():
        return True, None
    chosen = ask_new_passphrase(
        None,
        title=f"Welcome to {APP_NAME}",
        intro=FIRST_RUN_INTRO,
        accept_text="Encrypt with this passphrase",
        reject_text="Not now",
    )
    return True, chosen


def encrypt_interactively(parent: QWidget, db, before=None) -> bool:  # noqa: ANN001
    """Preferences → Encrypt the database…: choose a passphrase, convert, reconnect."""
    if db.encrypted:
        return False
    passphrase = ask_new_passphrase(parent)
    if passphrase is None:
        return False
    return _run_conversion(
        parent,
        "Encrypt the database",
        lambda: encryption.encrypt_open_database(db, passphrase),
        before,
        if_failed="Nothing was changed.",
        done="The database is encrypted.",
        backups="encrypted",
        left_plain="These files still hold unencrypted data (they could not be read to convert); "
        "delete them when you no longer need them",
    )


def _run_conversion(
    parent: QWidget,
    title: str,
    convert: Callable[[], encryption.EncryptionReport],
    before: Callable[[], object] | None,
    *,
    if_failed: str,
    done: str,
    backups: str,
    left_plain: str,
) -> bool:
    """Commit what is being typed, convert under a wait cursor, and say what was done: how many
    backups were converted too, and which files were left as they were."""
    if before is not None:
        before()  # commit text still being typed before the connections close
    try:
        with _WaitCursor():
            report = convert()
    except UserError as exc:
        QMessageBox.warning(parent, title, f"{exc}\n\n{if_failed}")
        return False
    message = done
    if report.backups_encrypted:
        message += f" {report.backups_encrypted} backups were {backups} too."
    if report.left_plain:
        listed = "\n".join(str(p) for p in report.left_plain)
        message += f"\n\n{left_plain}:\n{listed}"
    QMessageBox.information(parent, title, message)
    return True


class ChangePassphraseDialog(QDialog):
    """Preferences → Change passphrase… / Remove encryption…: the current passphrase (checked
    against the open database), and for a change the new one typed twice."""

    def __init__(self, db, parent: QWidget | None = None, *, remove: bool = False):  # noqa: ANN001
        super().__init__(parent)
        self.db = db
        self.remove = remove
        action = "Remove encryption" if remove else "Change passphrase"
        self.setWindowTitle(action)
        intro = intro_label(REMOVE_INTRO if remove else CHANGE_INTRO, self)
        self.current = _password_field(self, "Current passphrase")
        form = QFormLayout()
        rows = [("&Current passphrase:", self.current)]
        self.first = self.second = None
        if not remove:
            self.first = _password_field(self, "New passphrase")
            self.second = _password_field(self, "Type the new one again")
            rows += [("&New passphrase:", self.first), ("Type it &again:", self.second)]
        _add_rows(form, rows, self)
        self.error = _error_label(self)
        buttons, self.accept_button, self.reject_button = accept_cancel(self, action, "Cancel")
        self.accept_button.setDefault(True)
        parts: list[QWidget | QFormLayout] = [intro]
        if not remove:
            warning = intro_label(KEEP_IT_SAFE, self)
            warning.setStyleSheet("font-weight: 600;")
            parts.append(warning)
        stack(self, *parts, form, self.error, buttons)
        self.setMinimumWidth(480)
        self.current_passphrase: str | None = None
        self.new_passphrase: str | None = None

    def _refuse(self, message: str, field: QLineEdit) -> None:
        _show_error(self.error, message)
        field.selectAll()
        field.setFocus()

    def accept(self) -> None:
        try:
            current = encryption.normalize_passphrase(self.current.text())
        except UserError as exc:
            self._refuse(str(exc), self.current)
            return
        if current != self.db.passphrase:
            self._refuse(encryption.WRONG_PASSPHRASE, self.current)
            return
        if self.first is not None and self.second is not None:  # not removing: a new one
            try:
                chosen = encryption.validate_new_passphrase(self.first.text(), self.second.text())
            except UserError as exc:
                self._refuse(str(exc), self.first)
                return
            if chosen == current:
                self._refuse("The new passphrase is the same as the current one.", self.first)
                return
            self.new_passphrase = chosen
        self.current_passphrase = current
        super().accept()


CHANGE_INTRO = (
    "The database and its backups will be encrypted with the new passphrase. If this is "
    "interrupted, do it again with the same two passphrases to finish."
)
REMOVE_INTRO = (
    "The database and its backups will be decrypted: anyone who can read this computer's files "
    "will be able to read the conferences. Type the current passphrase to confirm."
)
REMOVE_CONFIRM = (
    "Remove the encryption? Anyone who can read this computer's files, or a lost laptop's disk, "
    "will be able to read every conference."
)


def _converted(parent: QWidget, db, title: str, current: str, new, before) -> bool:  # noqa: ANN001
    return _run_conversion(
        parent,
        title,
        lambda: encryption.change_open_database(db, current, new),
        before,
        if_failed="If it stopped half-way, do it again.",
        done="The passphrase is changed."
        if new is not None
        else "The database is no longer encrypted.",
        backups="re-keyed" if new is not None else "decrypted",
        left_plain="These backups were left as they were (the passphrase does not open them, or "
        "they are damaged)",
    )


def change_passphrase_interactively(parent: QWidget, db, before=None) -> bool:  # noqa: ANN001
    """Preferences → Change passphrase…: current and new passphrase, convert, reconnect."""
    if not db.encrypted:
        return False
    dialog = ChangePassphraseDialog(db, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        current, new = dialog.current_passphrase, dialog.new_passphrase
    finally:
        dialog.deleteLater()
    if current is None:  # never: accepting sets it
        return False
    return _converted(parent, db, "Change passphrase", current, new, before)


def remove_encryption_interactively(parent: QWidget, db, before=None) -> bool:  # noqa: ANN001
    """Preferences → Remove encryption…: confirm, the current passphrase, decrypt, reconnect."""
    if not db.encrypted:
        return False
    sure = QMessageBox.question(
        parent,
        "Remove encryption",
        REMOVE_CONFIRM,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    if sure != QMessageBox.StandardButton.Yes:
        return False
    dialog = ChangePassphraseDialog(db, parent, remove=True)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        current = dialog.current_passphrase
    finally:
        dialog.deleteLater()
    if current is None:  # never: accepting sets it
        return False
    return _converted(parent, db, "Remove encryption", current, None, before)


LOCK_INTRO = (
    "The lock (Ctrl+L, or after idle time) will ask for this passphrase before it shows the "
    "window again. It is kept only as a scrambled check, in this data folder."
)
LOCK_WARNING = (
    "It guards the open window, not the file: while the database is not encrypted, anyone who "
    "can restart CS Facilitator or read this computer's files can still read the data."
)


def set_lock_passphrase_interactively(parent: QWidget | None, db) -> bool:  # noqa: ANN001
    """Ask for a new lock passphrase twice and store it; True when one was set."""
    from csfacilitator.core import lock_passphrase

    chosen = ask_new_passphrase(
        parent,
        title="Set a lock passphrase",
        intro=LOCK_INTRO,
        accept_text="Set passphrase",
        warning=LOCK_WARNING,
        validate=lock_passphrase.validate_new,
    )
    if chosen is None:
        return False
    try:
        lock_passphrase.set_lock_passphrase(db, chosen)
    except UserError as exc:
        QMessageBox.warning(parent, "Set a lock passphrase", f"{exc}\n\nNothing was changed.")
        return False
    return True
