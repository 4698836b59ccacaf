"""Closing a conference: the date, what changed, what partners measured and what they said.

Nothing typed is lost: "Save for later" keeps the text without closing, and Cancel asks first
when something was typed. An already closed conference opens here to edit the outcome, or to
reopen it (the text stays).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import closing
from csfacilitator.core.dates import format_date, parse_user_date
from csfacilitator.errors import UserError
from csfacilitator.gui.widgets.date_field import DateField
from csfacilitator.storage.database import Database

#: (attribute, label, placeholder) of the three texts, in the order they are asked.
FIELDS = (
    (
        "summary",
        "&What changed in the context",
        "How the place or group is safer now, and what the partners did that made it so.",
    ),
    (
        "measures",
        "&Measures the partners tracked",
        "For example: police calls about anti-social behaviour in the park, Nov–Jan: 19 last "
        "year, 11 this year.",
    ),
    (
        "feedback",
        "&Partners' feedback",
        "What partners, residents and young people said about the conference and the plan.",
    ),
)


class ClosingDialog(QDialog):
    """Asks for the outcome; `result_text` says what happened, for the status bar."""

    def __init__(self, db: Database, conference_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.conference_id = db, conference_id
        self.outcome = closing.get_outcome(db, conference_id)
        self.result_text = ""
        closed = self.outcome.is_closed
        self.setWindowTitle("Conference outcome" if closed else "Close conference")
        self.setAccessibleName(self.windowTitle())

        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Closed on {format_date(self.outcome.closed_on) or 'an unrecorded date'}. "
            "Correct the outcome below, or reopen the conference to review it again."
            if closed
            else "Close the conference once the partners agree the context is safer. Record "
            "the outcome: it goes into the conference file and the final record.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        date_caption = QLabel("&Closed on:", self)
        self.closed_on = DateField(self)
        self.closed_on.setAccessibleName("Closed on")
        self.closed_on.set_value(self.outcome.closed_on or dt.date.today())
        self.closed_on.setMaximumWidth(200)
        date_caption.setBuddy(self.closed_on.edit)
        layout.addWidget(date_caption)
        layout.addWidget(self.closed_on)

        self.fields: dict[str, QPlainTextEdit] = {}
        for key, label, placeholder in FIELDS:
            caption = QLabel(label, self)
            edit = QPlainTextEdit(self)
            edit.setAccessibleName(label.replace("&", ""))
            edit.setPlaceholderText(placeholder)
            edit.setTabChangesFocus(True)
            edit.setPlainText(getattr(self.outcome, key))
            edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
            caption.setBuddy(edit)
            layout.addWidget(caption)
            layout.addWidget(edit, 1)
            self.fields[key] = edit

        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        buttons = QDialogButtonBox(self)
        self.close_button = buttons.addButton(
            "Save outcome" if closed else "Close conference",
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.close_button.setProperty("primary", True)
        self.close_button.style().polish(self.close_button)  # the property came after polish
        self.close_button.setDefault(True)
        self.later_button: QPushButton | None = None
        self.reopen_button: QPushButton | None = None
        if closed:
            self.reopen_button = buttons.addButton(
                "Reopen conference", QDialogButtonBox.ButtonRole.ActionRole
            )
            self.reopen_button.clicked.connect(self._reopen)
        else:
            self.later_button = buttons.addButton(
                "Save for later", QDialogButtonBox.ButtonRole.ActionRole
            )
            self.later_button.setToolTip("Keep what is written without closing the conference")
            self.later_button.clicked.connect(self._save_for_later)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        self.close_button.clicked.connect(self._close)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumSize(560, 560)
        self.fields["summary"].setFocus()

    def texts(self) -> dict[str, str]:
        return {key: edit.toPlainText() for key, edit in self.fields.items()}

    def _changed(self) -> bool:
        return any(
            " ".join(text.split()) != " ".join(getattr(self.outcome, key).split())
            for key, text in self.texts().items()
        )

    def _fail(self, exc: UserError) -> None:
        self.error.setText(str(exc))
        self.error.show()

    def _close(self) -> None:
        try:
            day = parse_user_date(self.closed_on.edit.text())
            self.outcome = closing.close_conference(
                self.db, self.conference_id, closed_on=day, **self.texts()
            )
        except UserError as exc:
            self._fail(exc)
            return
        self.result_text = f"Closed the conference on {format_date(self.outcome.closed_on)}."
        self.accept()

    def _save_for_later(self) -> None:
        try:
            self.outcome = closing.save_outcome(self.db, self.conference_id, **self.texts())
        except UserError as exc:
            self._fail(exc)
            return
        self.result_text = "Saved the outcome; the conference stays open."
        self.accept()

    def _reopen(self) -> None:
        try:
            closing.save_outcome(self.db, self.conference_id, **self.texts())
            self.outcome = closing.reopen_conference(self.db, self.conference_id)
        except UserError as exc:
            self._fail(exc)
            return
        self.result_text = "Reopened the conference: it is under review again."
        self.accept()

    def reject(self) -> None:
        if self._changed():
            answer = QMessageBox.question(
                self,
                self.windowTitle(),
                "Keep what you have written? It will be saved without closing the conference.",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                try:
                    closing.save_outcome(self.db, self.conference_id, **self.texts())
                except UserError as exc:
                    self._fail(exc)
                    return
                self.result_text = "Saved the outcome; nothing else changed."
        super().reject()
