"""The Overview's Related conferences panel (issue 20): the context register's other names and
map reference for this context, the conferences linked to this one by hand (with a reason,
addable by keyboard), and other open or recent conferences about the same place or area
(core/related.py), each with a button that opens it.

The "Link to" picker lists every other conference, so it is filled when first used (focused,
opened, scrolled or linked from), not each time a conference is shown: with 1,000 conferences
reading them all cost a seventh of a second on every start."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import conferences, related, vocab
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

MAX_SHOWN = 6


class _PickerOnDemand(QComboBox):
    """A combo box that asks for its items (`fill`) just before anyone can see or choose one."""

    def __init__(self, fill: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        self._fill = fill

    def showPopup(self) -> None:  # noqa: N802 - Qt API
        self._fill()
        super().showPopup()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        self._fill()  # the arrow keys and typed letters choose among the items
        super().focusInEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        self._fill()
        super().wheelEvent(event)


class RelatedPanel(QGroupBox):
    open_requested = Signal(int)
    status_message = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__("Related conferences", parent)
        self.setAccessibleName("Related conferences")
        self.db = db
        self.conference_id: int | None = None
        self.related: list[related.RelatedConference] = []
        self.links: list[related.Link] = []
        self.buttons: list[QPushButton] = []
        self.unlink_buttons: list[QPushButton] = []
        self._rows: list[QWidget] = []

        self.aliases = QLineEdit(self)
        self.aliases.setAccessibleName("Also called")
        self.aliases.setPlaceholderText("Other names for this place, separated by ;")
        self.aliases.editingFinished.connect(self._save_register)
        self.map_ref = QLineEdit(self)
        self.map_ref.setAccessibleName("Map reference")
        self.map_ref.setPlaceholderText("Grid reference, what3words or map link (optional)")
        self.map_ref.editingFinished.connect(self._save_register)
        form = QFormLayout()
        for text, widget in (("Also &called:", self.aliases), ("Map refere&nce:", self.map_ref)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)

        self._others_for: int | None = None  # the conference the picker was filled for
        self.other = _PickerOnDemand(self.fill_others, self)
        self.other.setAccessibleName("Link to conference")
        self.reason = QComboBox(self)
        self.reason.setAccessibleName("Reason")
        for key, label_text in related.LINK_REASONS:
            self.reason.addItem(label_text, key)
        self.link_button = QPushButton("Lin&k", self)
        self.link_button.setAccessibleName("Link")
        self.link_button.clicked.connect(self.link)
        link_row = QHBoxLayout()
        link_label = QLabel("Li&nk to:", self)
        link_label.setBuddy(self.other)
        link_row.addWidget(link_label)
        link_row.addWidget(self.other, 1)
        link_row.addWidget(self.reason)
        link_row.addWidget(self.link_button)

        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Related conferences note")
        self._list = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(link_row)
        layout.addWidget(self.note)
        layout.addLayout(self._list)

    # -- content --------------------------------------------------------------------------------

    def set_conference(self, conference_id: int | None) -> None:
        self.conference_id = conference_id
        for row in self._rows:
            row.deleteLater()
        self._rows, self.buttons, self.unlink_buttons = [], [], []
        self.related, self.links = [], []
        if conference_id is None:
            return
        try:
            register = related.get_register(self.db, conference_id)
            self.links = related.list_links(self.db, conference_id)
            self.related = related.related_conferences(self.db, conference_id)
            # Whether there is another conference to link to (this one is stored): a count,
            # not the conference list's query of rows and dates.
            any_other = conferences.count_conferences(self.db) > 1
        except UserError as exc:
            self.note.setText(str(exc))
            return
        if not self.aliases.hasFocus():
            self.aliases.setText("; ".join(register.aliases.splitlines()))
        if not self.map_ref.hasFocus():
            self.map_ref.setText(register.map_ref)
        self.other.clear()
        self._others_for = None
        if self.other.hasFocus():  # already in use: filled now, as on focus
            self.fill_others()
        self.link_button.setEnabled(any_other)
        for link in self.links:
            self._add_row(link.conference_id, link.title, link.reason_text, link.id)
        for found in self.related[:MAX_SHOWN]:
            status = vocab.label(vocab.STATUSES, found.status).lower()
            reason = f"{found.reason[0].upper()}{found.reason[1:]} ({status})"
            self._add_row(found.conference_id, found.title, reason, None)
        if not self.links and not self.related:
            self.note.setText(
                "No open or recent conference names this context or area, and none is linked."
            )
        else:
            count = len(self.links) + len(self.related)
            self.note.setText(
                f"{count} other conference{'s are' if count != 1 else ' is'} about this place, "
                "area or setting. Keep the plans joined up:"
            )

    def fill_others(self) -> None:
        """Put every other conference in the "Link to" picker (once per conference shown)."""
        if self.conference_id is None or self._others_for == self.conference_id:
            return
        try:
            others = [
                r for r in conferences.list_conferences(self.db) if r.id != self.conference_id
            ]
        except UserError as exc:
            self.status_message.emit(str(exc))
            return
        self._others_for = self.conference_id
        self.other.clear()
        for summary in others:
            self.other.addItem(summary.title or "Untitled conference", summary.id)
        self.link_button.setEnabled(bool(others))

    def _add_row(self, conference_id: int, title: str, reason: str, link_id: int | None) -> None:
        row = QWidget(self)
        line = QVBoxLayout(row)  # the buttons, then the reason under them: fits a narrow column
        line.setContentsMargins(0, 4, 0, 4)
        line.setSpacing(2)
        text = f"Open “{title}”"
        button = QPushButton(text, row)
        button.setAccessibleName(text)
        button.setToolTip(f"Open the conference “{title}”")
        button.clicked.connect(lambda _c=False, cid=conference_id: self.open_requested.emit(cid))
        top = QHBoxLayout()
        top.addWidget(button)
        if link_id is not None:
            unlink = QPushButton("Unlink", row)
            unlink.setAccessibleName("Unlink")  # the name is the label; which link, described
            unlink.setAccessibleDescription(f"Unlink “{title}” from this conference")
            unlink.setToolTip(f"Unlink “{title}” from this conference")
            unlink.clicked.connect(lambda _c=False, lid=link_id: self.unlink(lid))
            top.addWidget(unlink)
            self.unlink_buttons.append(unlink)
        top.addStretch(1)
        label = QLabel(reason[0].upper() + reason[1:], row)
        label.setWordWrap(True)
        line.addLayout(top)
        line.addWidget(label)
        self._list.addWidget(row)
        self._rows.append(row)
        self.buttons.append(button)

    # -- changes --------------------------------------------------------------------------------

    def _save_register(self) -> None:
        if self.conference_id is None:
            return
        aliases = "\n".join(part.strip() for part in self.aliases.text().split(";"))
        try:
            related.set_register(
                self.db, self.conference_id, aliases=aliases, map_ref=self.map_ref.text()
            )
        except UserError as exc:
            self.status_message.emit(str(exc))
            return
        self.set_conference(self.conference_id)

    def link(self) -> None:
        self.fill_others()  # Link pressed before the picker was used: its first conference
        if self.conference_id is None or self.other.currentIndex() < 0:
            return
        try:
            related.add_link(
                self.db, self.conference_id, self.other.currentData(), self.reason.currentData()
            )
        except UserError as exc:
            self.status_message.emit(str(exc))
            return
        self.status_message.emit(f"Linked to “{self.other.currentText()}”.")
        self.set_conference(self.conference_id)

    def unlink(self, link_id: int) -> None:
        related.remove_link(self.db, link_id)
        if self.conference_id is not None:
            self.set_conference(self.conference_id)
