"""Team → Connect to a team store…: the URL and the password. The password is never written
in plain text: kept in the system keyring when there is one and the person asks, otherwise
asked once per session."""

from __future__ import annotations

import importlib

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from csfacilitator.gui.widgets.dialog_parts import accept_cancel, intro_label, stack


def keyring_available() -> bool:
    """Whether the `keyring` library is here with a real backend (not its "fail" one)."""
    try:
        keyring = importlib.import_module("keyring")  # by name: it stays out of the bundle
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - no keyring, or one that cannot even start
        return False
    return not type(backend).__module__.startswith("keyring.backends.fail")


class ConnectDialog(QDialog):
    def __init__(self, url: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a team store")
        intro = intro_label(
            "Your team's PostgreSQL store, as your administrator gave it, for example "
            "postgresql+psycopg://anna@team.example.org/csf?sslmode=require",
            self,
        )
        self.url = QLineEdit(url, self)
        self.url.setAccessibleName("Address")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.remember = QCheckBox("Remember the password in the system keyring", self)
        self.remember.setAccessibleName(self.remember.text())
        if keyring_available():
            self.remember.setChecked(True)
        else:
            self.remember.setEnabled(False)
            self.remember.setToolTip("No system keyring here: you will be asked once per session")
        form = QFormLayout()
        url_label = QLabel("Address:", self)
        url_label.setBuddy(self.url)
        password_label = QLabel("Password:", self)
        password_label.setBuddy(self.password)
        form.addRow(url_label, self.url)
        form.addRow(password_label, self.password)
        form.addRow("", self.remember)
        buttons, _connect, _cancel = accept_cancel(self, "Connect")
        stack(self, intro, form, buttons)
        self.resize(560, self.sizeHint().height())

    def values(self) -> tuple[str, str, bool]:
        return self.url.text().strip(), self.password.text(), self.remember.isChecked()
