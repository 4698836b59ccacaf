"""Edit → Preferences…: retention, idle lock and backup interval, encrypting the database
(or changing its passphrase, or removing the encryption), and the lock passphrase.

The limits and defaults come from core/preferences.py; the values are saved when OK is pressed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import lock_passphrase
from csfacilitator.core.preferences import (
    ALL,
    NOTIFY_DUE,
    Preference,
    get_preference,
    set_preference,
)
from csfacilitator.errors import UserError

ENCRYPTED_TEXT = (
    "The database and its backups are encrypted. CS Facilitator asks for the passphrase when it "
    "starts and when you unlock it."
)
PLAIN_TEXT = (
    "The database is not encrypted: anyone who can read this computer's files can read it. "
    "Encrypting protects it with a passphrase."
)
LOCK_ENCRYPTED_TEXT = "The lock (Ctrl+L) asks for the database passphrase."
LOCK_PASSPHRASE_TEXT = (
    "The lock (Ctrl+L) asks for the lock passphrase. It guards the open window; encrypting the "
    "database is what protects the file."
)
LOCK_PRIVACY_TEXT = (
    "Without a passphrase the lock is only a privacy screen: anyone at this laptop can press "
    "Enter to return. Set a lock passphrase (or encrypt the database) to make it a lock."
)
NEVER = "Never"


def _spin_box(pref: Preference, value: int, parent: QWidget) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(pref.minimum, pref.maximum)
    spin.setSuffix(f" {pref.unit}")
    if pref.minimum == 0:
        spin.setSpecialValueText(NEVER)  # shown for 0
    spin.setValue(value)
    spin.setAccessibleName(pref.label)
    spin.setAccessibleDescription(f"From {pref.minimum} to {pref.maximum} {pref.unit}")
    return spin


class PreferencesDialog(QDialog):
    def __init__(
        self,
        db,  # noqa: ANN001 - Database
        parent: QWidget | None = None,
        *,
        before_encrypt: Callable[[], None] | None = None,
    ):
        super().__init__(parent)
        self.db = db
        self._before_encrypt = before_encrypt
        self.setWindowTitle("Preferences")
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for pref in ALL:
            spin = _spin_box(pref, get_preference(db, pref), self)
            label = QLabel(f"{pref.label}:", self)
            label.setBuddy(spin)
            form.addRow(label, spin)
            self.spins[pref.key] = spin
        # issue 20: reminders of what is due today or late (gui/reminders.py)
        self.notify = QCheckBox(f"&{NOTIFY_DUE.label}", self)
        self.notify.setAccessibleName(NOTIFY_DUE.label)
        self.notify.setChecked(bool(get_preference(db, NOTIFY_DUE)))
        form.addRow(self.notify)
        hint = QLabel(
            f"{NEVER} (0) turns the list or the idle lock off. Nothing is ever deleted by "
            "itself: a conference due for deletion is listed on the home page for you to delete.",
            self,
        )
        hint.setObjectName("conferenceMeta")
        hint.setWordWrap(True)
        form.addRow(hint)

        privacy = QGroupBox("Encryption", self)
        self.encryption_state = QLabel(privacy)
        self.encryption_state.setWordWrap(True)
        self.encryption_state.setTextFormat(Qt.TextFormat.PlainText)
        self.encrypt_button = QPushButton("Encrypt the database…", privacy)
        self.encrypt_button.setAccessibleName("Encrypt the database…")
        self.encrypt_button.clicked.connect(self.encrypt)
        self.change_button = QPushButton("Change passphrase…", privacy)
        self.change_button.setAccessibleName("Change passphrase…")
        self.change_button.clicked.connect(self.change_passphrase)
        self.remove_button = QPushButton("Remove encryption…", privacy)
        self.remove_button.setAccessibleName("Remove encryption…")
        self.remove_button.clicked.connect(self.remove_encryption)
        box = QVBoxLayout(privacy)
        box.addWidget(self.encryption_state)
        row = QHBoxLayout()
        for button in (self.encrypt_button, self.change_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)

        lock = QGroupBox("Lock", self)
        self.lock_state = QLabel(lock)
        self.lock_state.setWordWrap(True)
        self.lock_state.setTextFormat(Qt.TextFormat.PlainText)
        self.set_lock_button = QPushButton("Set lock passphrase…", lock)
        self.set_lock_button.setAccessibleName("Set lock passphrase…")
        self.set_lock_button.clicked.connect(self.set_lock_passphrase)
        self.clear_lock_button = QPushButton("Remove lock passphrase", lock)
        self.clear_lock_button.setAccessibleName("Remove lock passphrase")
        self.clear_lock_button.clicked.connect(self.clear_lock_passphrase)
        lock_box = QVBoxLayout(lock)
        lock_box.addWidget(self.lock_state)
        lock_row = QHBoxLayout()
        lock_row.addWidget(self.set_lock_button)
        lock_row.addWidget(self.clear_lock_button)
        lock_row.addStretch(1)
        lock_box.addLayout(lock_row)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        for which, name in (
            (QDialogButtonBox.StandardButton.Ok, "OK"),
            (QDialogButtonBox.StandardButton.Cancel, "Cancel"),
        ):
            buttons.button(which).setAccessibleName(name)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(privacy)
        layout.addWidget(lock)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self._show_encryption_state()

    def _show_encryption_state(self) -> None:
        encrypted = self.db.encrypted
        self.encryption_state.setText(ENCRYPTED_TEXT if encrypted else PLAIN_TEXT)
        self.encrypt_button.setVisible(not encrypted)
        self.change_button.setVisible(encrypted)
        self.remove_button.setVisible(encrypted)
        self._show_lock_state()

    def _show_lock_state(self) -> None:
        encrypted = self.db.encrypted
        has_own = not encrypted and lock_passphrase.has_lock_passphrase(self.db)
        if encrypted:
            text = LOCK_ENCRYPTED_TEXT
        elif has_own:
            text = LOCK_PASSPHRASE_TEXT
        else:
            text = LOCK_PRIVACY_TEXT
        self.lock_state.setText(text)
        self.set_lock_button.setVisible(not encrypted)
        self.set_lock_button.setText(
            "Change lock passphrase…" if has_own else "Set lock passphrase…"
        )
        self.set_lock_button.setAccessibleName(self.set_lock_button.text())
        self.clear_lock_button.setVisible(has_own)

    def set_lock_passphrase(self) -> None:
        from csfacilitator.gui.dialogs.passphrase_dialog import set_lock_passphrase_interactively

        set_lock_passphrase_interactively(self, self.db)
        self._show_lock_state()

    def clear_lock_passphrase(self) -> None:
        try:
            lock_passphrase.clear_lock_passphrase(self.db)
        except UserError as exc:
            QMessageBox.warning(self, "Preferences", str(exc))
        self._show_lock_state()

    def values(self) -> dict[str, int]:
        return {key: spin.value() for key, spin in self.spins.items()}

    def accept(self) -> None:
        try:
            for pref in ALL:
                set_preference(self.db, pref, self.spins[pref.key].value())
            set_preference(self.db, NOTIFY_DUE, int(self.notify.isChecked()))  # issue 20
        except UserError as exc:
            QMessageBox.warning(self, "Preferences", str(exc))
            return
        super().accept()

    def encrypt(self) -> None:
        from csfacilitator.gui.dialogs.passphrase_dialog import encrypt_interactively

        encrypt_interactively(self, self.db, before=self._before_encrypt)
        self._show_encryption_state()

    def change_passphrase(self) -> None:
        from csfacilitator.gui.dialogs.passphrase_dialog import change_passphrase_interactively

        change_passphrase_interactively(self, self.db, before=self._before_encrypt)
        self._show_encryption_state()

    def remove_encryption(self) -> None:
        from csfacilitator.gui.dialogs.passphrase_dialog import remove_encryption_interactively

        remove_encryption_interactively(self, self.db, before=self._before_encrypt)
        self._show_encryption_state()


def show_preferences(
    parent: QWidget, db, *, before_encrypt: Callable[[], None] | None = None
) -> bool:  # noqa: ANN001
    """Show the dialog; True when the preferences were saved."""
    dialog = PreferencesDialog(db, parent, before_encrypt=before_encrypt)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
