"""The wording of the invitation letters: edit it with placeholders, see the first invitee's
letter as you type, and go on to export. The wording is saved with the conference as it is
typed (so Cancel never loses it); the standard wording is stored as empty, so it stays current.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core.conferences import update_conference
from csfacilitator.core.papers.meeting_paper import MeetingPaper
from csfacilitator.core.textclean import clean_text
from csfacilitator.export.invitations import (
    DEFAULT_TEMPLATE,
    PLACEHOLDERS,
    LetterParagraph,
    preview_letter,
    template_or_default,
    template_problems,
)
from csfacilitator.gui.autosave import AutosaveGroup
from csfacilitator.storage.database import Database

INTRO = (
    "Every invitee gets this letter, with the words in braces filled in for them. "
    "Start a line with # for a heading (## for a smaller one) or - for a bullet; {agenda} on a "
    "line of its own lists the agenda."
)
BUTTON_COLUMNS = 6


def letter_html(paragraphs: list[LetterParagraph]) -> str:
    """A rendered letter as simple HTML for the preview."""
    parts: list[str] = []
    open_list = ""
    for paragraph in paragraphs:
        wanted = {"bullet": "ul", "item": "ol"}.get(paragraph.kind, "")
        if open_list and wanted != open_list:
            parts.append(f"</{open_list}>")
            open_list = ""
        if wanted and not open_list:
            parts.append(f"<{wanted}>")
            open_list = wanted
        text = html.escape(paragraph.text).replace("\n", "<br>")
        if paragraph.kind == "heading1":
            parts.append(f"<h2>{text}</h2>")
        elif paragraph.kind == "heading2":
            parts.append(f"<h3>{text}</h3>")
        elif wanted:
            note = f" <i>– {html.escape(paragraph.note)}</i>" if paragraph.note else ""
            parts.append(f"<li>{text}{note}</li>")
        else:
            parts.append(f"<p>{text}</p>")
    if open_list:
        parts.append(f"</{open_list}>")
    return "\n".join(parts)


def stored_form(text: str) -> str:
    """What is saved: empty for the standard wording, so improvements to it reach everyone."""
    cleaned = clean_text(text)
    return "" if cleaned == clean_text(DEFAULT_TEMPLATE) else cleaned


class InvitationTemplateDialog(QDialog):
    def __init__(self, db: Database, paper: MeetingPaper, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.paper = paper
        self.setWindowTitle("Invitation letters")
        self.setAccessibleName("Invitation letters")
        self.resize(1100, 680)
        self.autosave = AutosaveGroup(self)

        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)

        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Wording")
        self.editor.setTabChangesFocus(True)
        self.editor.setPlainText(template_or_default(paper.invitation_template))
        wording_label = QLabel("&Wording:", self)
        wording_label.setBuddy(self.editor)
        self.saver = self.autosave.watch(self.editor, self._save)
        self.autosave.failed.connect(self._show_save_problem)

        buttons = QGridLayout()
        buttons.setSpacing(4)
        self.insert_buttons: dict[str, QPushButton] = {}
        for index, (key, label) in enumerate(PLACEHOLDERS.items()):
            button = QPushButton(label, self)
            button.setAccessibleName(label)
            button.setToolTip(f"Insert {{{key}}} at the cursor")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, k=key: self.insert_placeholder(k))
            buttons.addWidget(button, index // BUTTON_COLUMNS, index % BUTTON_COLUMNS)
            self.insert_buttons[key] = button
        insert_label = QLabel("Insert:", self)

        self.problems = QLabel(self)
        self.problems.setAccessibleName("Warnings")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setStyleSheet("color: #8a4b00;")
        self.saved_note = QLabel("Your wording is saved with this conference as you type.", self)
        self.saved_note.setWordWrap(True)

        self.preview_label = QLabel(self)
        self.preview_label.setTextFormat(Qt.TextFormat.PlainText)
        self.preview = QTextBrowser(self)
        self.preview.setAccessibleName("Preview")
        self.preview.setOpenLinks(False)
        self.preview_label.setBuddy(self.preview)

        self.reset_button = QPushButton("&Reset to standard wording", self)
        self.reset_button.setAccessibleName("Reset to standard wording")
        self.reset_button.setAutoDefault(False)
        self.reset_button.clicked.connect(self.reset_to_standard)
        box = QDialogButtonBox(self)
        self.export_button = box.addButton("&Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setAccessibleName("Export")
        self.export_button.setToolTip("Save the letters as a Word document")
        self.cancel_button = box.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setToolTip("Close without exporting; your wording is kept")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(wording_label)
        left.addWidget(self.editor, 1)
        left.addWidget(insert_label)
        left.addLayout(buttons)
        left.addWidget(self.problems)
        left.addWidget(self.saved_note)
        right = QVBoxLayout()
        right.addWidget(self.preview_label)
        right.addWidget(self.preview, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reset_button)
        bottom.addStretch(1)
        bottom.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        layout.addLayout(bottom)

        self.editor.textChanged.connect(self.refresh)
        self.refresh()
        self.editor.setFocus()

    # -- reading ---------------------------------------------------------------------------

    def template_text(self) -> str:
        return self.editor.toPlainText()

    def refresh(self) -> None:
        """Update the preview and the warnings from what is typed now."""
        text = self.template_text()
        invitee, paragraphs = preview_letter(self.paper, text)
        who = invitee.name or "the first invitee"
        if not self.paper.invitees:
            who += " (a sample: nobody is on the invite list yet)"
        self.preview_label.setText(f"Preview: the letter to {who}")
        self.preview.setHtml(letter_html(paragraphs))
        problems = template_problems(text)
        if not text.strip():
            problems.insert(0, "The wording is empty, so the standard wording will be used.")
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    # -- editing ---------------------------------------------------------------------------

    def insert_placeholder(self, key: str) -> None:
        self.editor.insertPlainText(f"{{{key}}}")
        self.editor.setFocus()

    def reset_to_standard(self) -> None:
        """Put the standard wording back as one edit, so Ctrl+Z in the editor undoes it."""
        cursor = self.editor.textCursor()
        cursor.select(cursor.SelectionType.Document)
        cursor.insertText(DEFAULT_TEMPLATE.rstrip("\n"))
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def _save(self, text: str) -> None:
        update_conference(self.db, self.paper.conference_id, invitation_template=stored_form(text))
        self.saved_note.setText("Your wording is saved with this conference as you type.")

    def _show_save_problem(self, message: str) -> None:
        self.saved_note.setText(message)

    # -- closing ---------------------------------------------------------------------------

    def done(self, result: int) -> None:  # Export, Cancel, Escape and the close box all end here
        self.autosave.flush()
        super().done(result)
