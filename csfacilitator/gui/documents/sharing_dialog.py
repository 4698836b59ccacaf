"""The sharing question every export asks before the save dialog: who the document is being
shared with and the lawful basis (core/export_log.py). Quick by keyboard: the conference's last
answer is filled in and Enter accepts it; Alt+W, Alt+B, Alt+R reach the fields."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from csfacilitator.core.export_log import (
    SharingAnswer,
    checked_answer,
    remembered_answer,
)
from csfacilitator.core.lawful_bases import BASES, CONSENT, OTHER
from csfacilitator.errors import UserError
from csfacilitator.gui.widgets.dialog_parts import accept_cancel, stack
from csfacilitator.storage.database import Database


class SharingDialog(QDialog):
    def __init__(
        self,
        what: str,
        offered: SharingAnswer | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(f"Sharing the {what[0].lower()}{what[1:]}")
        self._answer: SharingAnswer | None = None
        intro = QLabel(
            "Who is this being shared with, and on what basis? It goes in the information "
            "sharing record."
            + (
                " The last answer for this conference is filled in: Enter keeps it."
                if offered
                else ""
            ),
            self,
        )
        intro.setWordWrap(True)
        self.shared_with = QLineEdit(self)
        self.shared_with.setAccessibleName("Shared with")
        self.shared_with.setPlaceholderText("e.g. the conference partners, the police team")
        self.basis = QComboBox(self)
        self.basis.setAccessibleName("Basis")
        for key, label in BASES:
            self.basis.addItem(label, key)
        self.consent = QCheckBox("Consent was &given", self)
        self.consent.setAccessibleName("Consent was given")
        self.reason_label = QLabel("&Reason:", self)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason")
        self.reason_label.setBuddy(self.reason)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.hide()

        form = QFormLayout()
        with_label = QLabel("Shared &with:", self)
        with_label.setBuddy(self.shared_with)
        basis_label = QLabel("&Basis:", self)
        basis_label.setBuddy(self.basis)
        form.addRow(with_label, self.shared_with)
        form.addRow(basis_label, self.basis)
        form.addRow("", self.consent)
        form.addRow(self.reason_label, self.reason)

        buttons, self.ok_button, _cancel = accept_cancel(self, "Record and continue")
        self.ok_button.setDefault(True)
        stack(self, intro, form, self.error, buttons)
        self.basis.currentIndexChanged.connect(lambda _i: self._basis_changed())
        if offered is not None:
            self.shared_with.setText(offered.shared_with)
            self.basis.setCurrentIndex(max(0, self.basis.findData(offered.basis)))
            self.consent.setChecked(bool(offered.consent_given))
            self.reason.setText(offered.reason)
        self._basis_changed()
        self.shared_with.setFocus()
        self.shared_with.selectAll()
        self.resize(520, self.sizeHint().height())

    def _basis_changed(self) -> None:
        key = self.basis.currentData()
        self.consent.setVisible(key == CONSENT)
        self.reason_label.setText("&Reason (required):" if key == OTHER else "&Reason:")

    def answer(self) -> SharingAnswer | None:
        return self._answer

    def accept(self) -> None:
        key = self.basis.currentData()
        try:
            self._answer = checked_answer(
                self.shared_with.text(),
                key,
                self.reason.text(),
                self.consent.isChecked() if key == CONSENT else None,
            )
        except UserError as exc:
            self.error.setText(str(exc))
            self.error.show()
            (
                self.reason
                if key == OTHER and self.shared_with.text().strip()
                else self.shared_with
            ).setFocus()
            return
        super().accept()


def ask_sharing(
    parent: QWidget, db: Database, conference_id: int, what: str
) -> SharingAnswer | None:
    """Ask who `what` is shared with and why (the conference's last answer offered); None if
    the user cancels."""
    dialog = SharingDialog(what, remembered_answer(db, conference_id), parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()
    finally:
        dialog.deleteLater()
