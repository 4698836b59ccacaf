"""A conference's meetings (pre-meeting, conference, reviews), each with an editable agenda."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import meetings, vocab
from csfacilitator.core.meetings import default_purpose, meeting_label
from csfacilitator.core.records import AgendaItemRecord, MeetingRecord
from csfacilitator.core.removed_rows import RemovedRows
from csfacilitator.errors import UserError
from csfacilitator.gui.autosave import AutosaveGroup
from csfacilitator.gui.undo import Change, push_or_say
from csfacilitator.gui.widgets.date_field import DateField, TimeField
from csfacilitator.storage.database import Database


def _button(text: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    button.setToolTip(tip)
    return button


class _RemoveAgendaItem(Change):
    def __init__(self, panel: MeetingsPanel, item_id: int):
        super().__init__(panel, "Remove agenda item")
        self.panel, self.item_id = panel, item_id
        self.record: AgendaItemRecord | None = None

    def _do(self) -> None:
        self.record = meetings.delete_agenda_item(self.panel.db, self.item_id)
        self.panel.reload_meetings()

    def _undo(self) -> None:
        record = self.record
        if record is None:  # never: undo follows _do
            return
        restored = meetings.add_agenda_item(
            self.panel.db,
            record.meeting_id,
            record.title,
            record.lead,
            position=record.position,
        )
        self.item_id = restored.id
        self.panel.reload_meetings(select_item=restored.id)


class _RemoveMeeting(Change):
    """Removing a meeting removes its board too; undo puts back exactly those rows, with the
    ids they had, so every open view and every other undo step still names the right rows."""

    def __init__(self, panel: MeetingsPanel, meeting_id: int):
        super().__init__(panel, "Remove meeting")
        self.panel, self.meeting_id = panel, meeting_id
        self.removed: RemovedRows | None = None

    def _do(self) -> None:
        self.removed = meetings.delete_meeting(self.panel.db, self.meeting_id)
        self.panel.reload_meetings()

    def _undo(self) -> None:
        if self.removed is None:  # never: undo follows _do
            return
        meetings.restore_meeting(self.panel.db, self.removed)
        self.panel.reload_meetings(select_meeting=self.meeting_id)


class MeetingsPanel(QWidget):
    status_message = Signal(str)
    data_changed = Signal()

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack
        self.conference_id: int | None = None
        #: The context in a few words (core.meetings.place_of), which a purpose left empty
        #: names: given by the Overview with the details it has read.
        self.place = ""
        self._records: list[MeetingRecord] = []
        self.autosave = AutosaveGroup(self)
        self.autosave.failed.connect(self.status_message)

        box = QGroupBox("Meetings", self)
        box.setAccessibleName("Meetings")
        self.list = QListWidget(box)
        self.list.setAccessibleName("Meetings")
        self.list.setMaximumHeight(4 * self.list.fontMetrics().height() + 12)
        self.list.currentRowChanged.connect(lambda _r: self._show_selected())
        self.add_review = _button("Add review", "Add a review meeting with the review agenda")
        self.add_pre = _button("Add pre-meeting")
        self.remove_meeting = _button("Remove meeting…")
        self.add_review.clicked.connect(lambda: self._add("review"))
        self.add_pre.clicked.connect(lambda: self._add("pre_meeting"))
        self.remove_meeting.clicked.connect(self._remove_meeting)
        buttons = QHBoxLayout()
        for button in (self.add_review, self.add_pre):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_meeting)

        self.kind = QComboBox(box)
        for key, text in vocab.MEETING_KINDS.items():
            self.kind.addItem(text, key)
        self.kind.setAccessibleName("Kind")
        self.kind.activated.connect(lambda _i: self._save_meeting(kind=self.kind.currentData()))
        self.date = DateField(box)
        self.date.setAccessibleName("Date")
        self.date.committed.connect(lambda value: self._save_meeting(date=value))
        self.date.invalid.connect(self.status_message)
        self.time = TimeField(box)
        self.time.setAccessibleName("Time")
        self.time.committed.connect(lambda value: self._save_meeting(time=value))
        self.time.invalid.connect(self.status_message)
        self.venue = QLineEdit(box)
        self.venue.setAccessibleName("Venue")
        self.venue.setPlaceholderText("In or near the context, e.g. the community hall")
        self.autosave.watch(self.venue, lambda text: self._save_meeting(venue=text))
        self.purpose = QPlainTextEdit(box)
        self.purpose.setAccessibleName("Purpose")
        self.purpose.setToolTip(
            "What the meeting is for, in plain words, printed on the agenda as shown here. "
            "Until you change it, this is the standard wording for the kind of meeting."
        )
        self.purpose.setTabChangesFocus(True)
        self.purpose.setFixedHeight(3 * self.purpose.fontMetrics().lineSpacing() + 14)
        self.autosave.watch(self.purpose, lambda text: self._save_meeting(purpose=text))
        details = QFormLayout()
        for label_text, widget in (
            ("Kind", self.kind),
            ("Date", self.date),
            ("Time", self.time),
            ("Venue", self.venue),
            ("Purpose", self.purpose),
        ):
            label = QLabel(f"{label_text}:", box)
            label.setBuddy(widget)
            details.addRow(label, widget)

        agenda_label = QLabel("Agenda:", box)
        self.agenda = QTableWidget(0, 2, box)
        agenda_label.setBuddy(self.agenda)
        self.agenda.setAccessibleName("Agenda")
        self.agenda.setHorizontalHeaderLabels(["Item", "Led by"])
        self.agenda.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.agenda.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.agenda.horizontalHeader().resizeSection(1, 140)
        self.agenda.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.agenda.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.agenda.setWordWrap(False)
        self.agenda.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.agenda.itemChanged.connect(self._agenda_edited)
        self.add_item = _button("Add item", "Add an agenda item after the selected one (Insert)")
        self.remove_item = _button("Remove item", "Remove the selected agenda item (Delete)")
        self.item_up = _button("Move up", "Alt+Up")
        self.item_down = _button("Move down", "Alt+Down")
        self.add_item.clicked.connect(self._add_item)
        self.remove_item.clicked.connect(self._remove_item)
        self.item_up.clicked.connect(lambda: self._move_item(-1))
        self.item_down.clicked.connect(lambda: self._move_item(1))
        for keys, slot in (
            ("Insert", self._add_item),
            ("Delete", self._remove_item),
            ("Alt+Up", lambda: self._move_item(-1)),
            ("Alt+Down", lambda: self._move_item(1)),
        ):
            QShortcut(
                QKeySequence(keys), self.agenda, slot, context=Qt.ShortcutContext.WidgetShortcut
            )
        agenda_buttons = QHBoxLayout()
        for button in (self.add_item, self.remove_item, self.item_up, self.item_down):
            agenda_buttons.addWidget(button)
        agenda_buttons.addStretch(1)

        inner = QVBoxLayout(box)
        inner.addWidget(self.list)
        inner.addLayout(buttons)
        inner.addLayout(details)
        inner.addWidget(agenda_label)
        inner.addWidget(self.agenda, 1)
        inner.addLayout(agenda_buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 12, 12)
        layout.addWidget(box)

    # -- loading ---------------------------------------------------------------------------

    def set_conference(self, conference_id: int | None, place: str = "") -> None:
        """Show another conference's meetings; `place` as for `self.place`. The Overview,
        which has just read the details, shows them itself: data_changed is not emitted."""
        self.flush()
        self.conference_id = conference_id
        self.place = place
        self._load()

    def reload_meetings(
        self, *, select_meeting: int | None = None, select_item: int | None = None
    ) -> None:
        if self._load(select_meeting=select_meeting, select_item=select_item):
            self.data_changed.emit()

    def _load(self, *, select_meeting: int | None = None, select_item: int | None = None) -> bool:
        """Read and show the meetings; False when there is no conference to read."""
        if self.conference_id is None:
            return False
        keep = select_meeting if select_meeting is not None else self.current_meeting_id()
        self._records = meetings.list_meetings(self.db, self.conference_id)
        with QSignalBlocker(self.list):
            self.list.clear()
            for record in self._records:
                item = QListWidgetItem(meeting_label(record, self._records, detailed=True))
                item.setData(Qt.ItemDataRole.UserRole, record.id)
                self.list.addItem(item)
            ids = [r.id for r in self._records]
            # Blocked too: the row's change would show the meeting (and read its paper), then
            # the line below would show it again.
            self.list.setCurrentRow(ids.index(keep) if keep in ids else self._default_row())
        self._show_selected(select_item=select_item)
        return True

    def _default_row(self) -> int:
        for index, record in enumerate(self._records):
            if record.kind == "conference":
                return index
        return 0 if self._records else -1

    def current_meeting_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _current(self) -> MeetingRecord | None:
        meeting_id = self.current_meeting_id()
        return next((r for r in self._records if r.id == meeting_id), None)

    def _show_selected(self, select_item: int | None = None) -> None:
        self.autosave.flush()
        record = self._current()
        for widget in (
            self.kind,
            self.date,
            self.time,
            self.venue,
            self.purpose,
            self.agenda,
            self.remove_meeting,
            self.add_item,
            self.remove_item,
            self.item_up,
            self.item_down,
        ):
            widget.setEnabled(record is not None)
        if record is None:
            self.agenda.setRowCount(0)
            return
        with QSignalBlocker(self.kind):
            self.kind.setCurrentIndex(max(0, self.kind.findData(record.kind)))
        self.date.set_value(record.date)
        self.time.set_value(record.time)
        self.autosave.discard()
        if self.venue.text() != record.venue:
            self.venue.setText(record.venue)
        self._show_purpose(record)
        with QSignalBlocker(self.agenda):
            self.agenda.setRowCount(len(record.agenda))
            for row, item in enumerate(record.agenda):
                title = QTableWidgetItem(item.title)
                title.setData(Qt.ItemDataRole.UserRole, item.id)
                title.setToolTip(item.title)
                self.agenda.setItem(row, 0, title)
                self.agenda.setItem(row, 1, QTableWidgetItem(item.lead))
        if select_item is not None:
            for row, item in enumerate(record.agenda):
                if item.id == select_item:
                    self.agenda.setCurrentCell(row, 0)

    def _show_purpose(self, record) -> None:  # noqa: ANN001 - MeetingRecord
        """The purpose as the agenda will print it: the typed text, else the standard wording
        shown as real text (not a grey placeholder), so what is seen is what is printed."""
        text = (
            record.purpose if record.purpose.strip() else default_purpose(record.kind, self.place)
        )
        if self.purpose.toPlainText() != text:
            with QSignalBlocker(self.purpose):
                self.purpose.setPlainText(text)

    def flush(self) -> None:
        self.autosave.flush()

    # -- editing ---------------------------------------------------------------------------

    def _save_meeting(self, **changes: object) -> None:
        meeting_id = self.current_meeting_id()
        if meeting_id is None:
            return
        try:
            record = meetings.update_meeting(self.db, meeting_id, **changes)
        except UserError as exc:
            self.status_message.emit(str(exc))
            return
        self._records = [record if r.id == record.id else r for r in self._records]
        self.list.currentItem().setText(meeting_label(record, self._records, detailed=True))
        if "purpose" not in changes:
            self._show_purpose(record)
        self.data_changed.emit()

    def _add(self, kind: str) -> None:
        if self.conference_id is None:
            return
        record = meetings.add_meeting(self.db, self.conference_id, kind)
        self.reload_meetings(select_meeting=record.id)
        self.date.setFocus()
        self.status_message.emit(
            f"Added a {vocab.label(vocab.MEETING_KINDS, kind).lower()}: set its date."
        )

    def _remove_meeting(self) -> None:
        record = self._current()
        if record is None:
            return
        from csfacilitator.core.board import board_tree

        points = sum(len(points) for points in board_tree(self.db, record.id).values())
        answer = QMessageBox.question(
            self,
            "Remove meeting",
            f"Remove the {meeting_label(record, self._records, detailed=True)} meeting, its agenda and its {points} board "
            "point(s)? You can undo this with Ctrl+Z.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._push(_RemoveMeeting(self, record.id))

    # -- UndoTarget ------------------------------------------------------------------------

    def report(self, message: str) -> None:
        self.status_message.emit(message)

    def resync(self) -> None:
        self.reload_meetings()

    def _push(self, change: Change) -> bool:
        return push_or_say(self.undo_stack, change, self.status_message.emit, self.reload_meetings)

    def _agenda_edited(self, item: QTableWidgetItem) -> None:
        row = item.row()
        first = self.agenda.item(row, 0)
        if first is None:  # never: an edited row has its first cell
            return
        item_id = first.data(Qt.ItemDataRole.UserRole)
        try:
            if item.column() == 0:
                meetings.update_agenda_item(self.db, item_id, title=item.text())
            else:
                meetings.update_agenda_item(self.db, item_id, lead=item.text())
        except UserError as exc:
            self.status_message.emit(str(exc))
            self._show_selected(select_item=item_id)
            return
        self.data_changed.emit()

    def _selected_item_id(self) -> int | None:
        row = self.agenda.currentRow()
        first = self.agenda.item(row, 0) if row >= 0 else None
        if first is None:
            return None
        return first.data(Qt.ItemDataRole.UserRole)

    def _add_item(self) -> None:
        meeting_id = self.current_meeting_id()
        if meeting_id is None:
            return
        row = self.agenda.currentRow()
        position = row + 1 if row >= 0 else None
        item = meetings.add_agenda_item(self.db, meeting_id, "New item", position=position)
        self.reload_meetings(select_item=item.id)
        self.agenda.setFocus()
        new = self.agenda.item(self.agenda.currentRow(), 0)
        if new is not None:  # the reload selected it
            self.agenda.editItem(new)

    def _remove_item(self) -> None:
        item_id = self._selected_item_id()
        if item_id is not None and self._push(_RemoveAgendaItem(self, item_id)):
            self.status_message.emit("Removed the agenda item — Ctrl+Z to undo.")

    def _move_item(self, delta: int) -> None:
        item_id = self._selected_item_id()
        if item_id is None:
            return
        meetings.move_agenda_item(self.db, item_id, delta)
        self.reload_meetings(select_item=item_id)
