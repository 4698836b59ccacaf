"""The Overview's Related conferences panel (issue 20): other open or recent conferences about
the same place or area (core/related.py), each with its reason and a button that opens it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from csfacilitator.core import vocab
from csfacilitator.core.related import RelatedConference, related_conferences
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

MAX_SHOWN = 6


class RelatedPanel(QGroupBox):
    open_requested = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__("Related conferences", parent)
        self.setAccessibleName("Related conferences")
        self.db = db
        self.related: list[RelatedConference] = []
        self.buttons: list[QPushButton] = []
        self._layout = QVBoxLayout(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Related conferences note")
        self._layout.addWidget(self.note)

    def set_conference(self, conference_id: int | None) -> None:
        for button in self.buttons:
            button.parentWidget().deleteLater()
        self.buttons = []
        self.related = []
        if conference_id is not None:
            try:
                self.related = related_conferences(self.db, conference_id)
            except UserError as exc:
                self.note.setText(str(exc))
                return
        if not self.related:
            self.note.setText(
                "No open or recent conference names this context or area. Conferences about "
                "the same place or area show here, with a way to open them."
            )
            return
        count = len(self.related)
        self.note.setText(
            f"{count} other conference{'s are' if count != 1 else ' is'} about this place or "
            "area. Keep the plans joined up:"
        )
        for related in self.related[:MAX_SHOWN]:
            row = QWidget(self)
            line = QVBoxLayout(row)  # the button, then its reason under it: fits a narrow column
            line.setContentsMargins(0, 4, 0, 4)
            line.setSpacing(2)
            status = vocab.label(vocab.STATUSES, related.status)
            label = QLabel(
                f"{related.reason[0].upper()}{related.reason[1:]} ({status.lower()})", row
            )
            label.setWordWrap(True)
            text = f"Open “{related.title}”"
            button = QPushButton(text, row)
            button.setAccessibleName(text)
            button.setToolTip(f"Open the conference “{related.title}”")
            button.clicked.connect(
                lambda _c=False, cid=related.conference_id: self.open_requested.emit(cid)
            )
            top = QHBoxLayout()
            top.addWidget(button)
            top.addStretch(1)
            line.addLayout(top)
            line.addWidget(label)
            self._layout.addWidget(row)
            self.buttons.append(button)
