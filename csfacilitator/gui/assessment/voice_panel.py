"""Young people's voice, under the report's "Young people's views" section: each thing young
people said, in their words and without names, how, when and by whom it was heard, the plan's
need or action that answers it, and what was done ("you said, we did"; core/voice.py).

The section above stays the lead practitioner's summary of what the views mean; these rows are
the words themselves, so each thing is said once.

Keys: type the words in Quote and press Enter to add (How, Day and By stay for the next one,
as several voices often come from one session). In the table, F2 or Enter edits the cell
(How opens a list), Alt+Up and Alt+Down move, Delete removes; Linked to, below the table,
links the chosen voice to a need or action of the plan. Every change is one undo step.
A word that looks like a name is pointed out in words as it is typed, never refused. The
table's model and keys are voice_table.py's.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import voice as core
from csfacilitator.core.voice import VoiceRecord
from csfacilitator.errors import UserError
from csfacilitator.gui.assessment.record_rows import (
    ValueChange,
    enable_row_buttons,
    row_buttons,
    set_up_records_table,
)
from csfacilitator.gui.assessment.voice_table import (
    BY,
    DID,
    HOW,
    SAID,
    WHEN,
    MethodDelegate,
    VoiceModel,
    VoiceTable,
)
from csfacilitator.gui.undo import Change, RowPresence, ShowsAndReloads, push_or_say
from csfacilitator.gui.widgets.form_parts import buddy_label, panel_button, quiet_label
from csfacilitator.storage.database import Database

#: The report section the voices sit under (both report structures have it).
VOICE_AFTER = "young_people_views"
NAME_NOTE = "Young people's words are kept without names: write “a young person” or “a friend”."


# -- undo -----------------------------------------------------------------------------------------


class _EditVoice(ValueChange[object]):
    def __init__(self, panel: VoicePanel, record: VoiceRecord, field: str, value: object):
        super().__init__(panel, "Edit a voice")
        self.panel, self.voice_id, self.field = panel, record.id, field
        self.before = getattr(record, field)
        self.after = value

    def _apply(self, value: object) -> None:
        self.panel.shown(core.update_voice(self.panel.db, self.voice_id, **{self.field: value}))


class _LinkVoice(ValueChange[tuple[int | None, int | None]]):
    def __init__(self, panel: VoicePanel, record: VoiceRecord, choice: core.LinkChoice):
        super().__init__(panel, "Link a voice" if choice.label != "No link" else "Unlink a voice")
        self.panel, self.voice_id = panel, record.id
        self.before = (record.need_id, record.intervention_id)
        self.after = (choice.need_id, choice.intervention_id)

    def _apply(self, link: tuple[int | None, int | None]) -> None:
        need_id, intervention_id = link
        self.panel.shown(
            core.link_voice(
                self.panel.db, self.voice_id, need_id=need_id, intervention_id=intervention_id
            )
        )


class _MoveVoice(Change):
    def __init__(self, panel: VoicePanel, record: VoiceRecord, delta: int):
        super().__init__(panel, "Move a voice")
        self.panel, self.voice_id, self.delta = panel, record.id, delta

    def _do(self) -> None:
        self.panel.shown(core.move_voice(self.panel.db, self.voice_id, self.delta))

    def _undo(self) -> None:
        self.panel.shown(core.move_voice(self.panel.db, self.voice_id, -self.delta))


# -- the panel ------------------------------------------------------------------------------------


class VoicePanel(ShowsAndReloads, QWidget):
    """The young people's voices of the open conference."""

    status_message = Signal(str)

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.undo_stack = db, undo_stack
        self.conference_id: int | None = None
        self._select_id: int | None = None
        self._choices: list[core.LinkChoice] = []
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(250)
        self._check_timer.timeout.connect(self.check_names)
        self._build()

    # ---------------------------------------------------------------------------- building

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        heading = QLabel("Young people's voice", self)
        heading.setObjectName("outcomeHeading")
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        font.setBold(True)
        heading.setFont(font)
        note = quiet_label(
            "Each thing young people said, in their words and without names, and what was "
            "done about it. The section above says what the views mean; the words go here, "
            "once. They print in the review and closing records and the “You said, we did” "
            "handout.",
            self,
        )
        layout.addWidget(heading)
        layout.addWidget(note)

        form = QGridLayout()
        form.setHorizontalSpacing(6)
        form.setVerticalSpacing(4)
        self.quote_edit = QLineEdit(self)
        self.quote_edit.setPlaceholderText("What young people said, in their words; Enter adds it")
        self.quote_edit.setMaxLength(core.MAX_TEXT * 2)
        quote_label = buddy_label("&Quote", self.quote_edit, self)
        self.add_button = panel_button("A&dd", "Add the voice typed in Quote (Enter)", self)
        form.addWidget(quote_label, 0, 0)
        form.addWidget(self.quote_edit, 0, 1, 1, 5)
        form.addWidget(self.add_button, 0, 6)

        self.method_combo = QComboBox(self)
        for key, label in core.METHODS:
            self.method_combo.addItem(label, key)
        how_label = buddy_label("Gathered thro&ugh", self.method_combo, self)
        self.day_edit = QLineEdit(self)
        self.day_edit.setPlaceholderText("3 Sep 2026")
        self.day_edit.setMaximumWidth(120)
        day_label = buddy_label("Da&y", self.day_edit, self)
        self.by_edit = QLineEdit(self)
        self.by_edit.setPlaceholderText("A role or agency, never a young person")
        by_label = buddy_label("&By", self.by_edit, self)
        form.addWidget(how_label, 1, 0)
        form.addWidget(self.method_combo, 1, 1)
        form.addWidget(day_label, 1, 2)
        form.addWidget(self.day_edit, 1, 3)
        form.addWidget(by_label, 1, 4)
        form.addWidget(self.by_edit, 1, 5, 1, 2)
        form.setColumnStretch(5, 1)
        layout.addLayout(form)

        self.warning = QLabel(self)
        self.warning.setObjectName("nameWarning")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            "QLabel#nameWarning { background: #FFF4DB; color: #4A3B12; "
            "border: 1px solid #C9A227; border-radius: 4px; padding: 6px; }"
        )
        self.warning.hide()
        layout.addWidget(self.warning)

        self.model = VoiceModel(self)
        self.model.edit_requested.connect(self._edit_requested)
        self.table = VoiceTable(self)
        self.table.setModel(self.model)
        table_label = buddy_label("Re&corded voices", self.table, self)
        self.table.setItemDelegate(MethodDelegate(self.table))
        set_up_records_table(
            self.table,
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed,
        )
        header = self.table.horizontalHeader()
        for column, width in ((HOW, 96), (WHEN, 92), (BY, 110)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(SAID, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DID, QHeaderView.ResizeMode.Stretch)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.table.setMinimumHeight(250)
        self.table.setToolTip(
            "F2 or Enter edits the cell; Alt+Up and Alt+Down move; Delete removes."
        )
        self.table.move_requested.connect(self.move_current)
        self.table.remove_requested.connect(self.remove_current)
        layout.addWidget(table_label)
        layout.addWidget(self.table, 1)

        below = QHBoxLayout()
        below.setSpacing(6)
        self.link_combo = QComboBox(self)
        self.link_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.link_combo.setMinimumContentsLength(24)
        self.link_combo.setToolTip("The plan's need or action that answers the chosen voice")
        link_label = buddy_label("&Linked to", self.link_combo, self)
        self.link_combo.activated.connect(self._link_chosen)
        self.row_buttons = row_buttons("voice", self, self.move_current, self.remove_current)
        self.up_button, self.down_button, self.remove_button = self.row_buttons
        below.addWidget(link_label)
        below.addWidget(self.link_combo, 1)
        below.addWidget(self.up_button)
        below.addWidget(self.down_button)
        below.addWidget(self.remove_button)
        layout.addLayout(below)

        for edit in (self.quote_edit, self.day_edit, self.by_edit):
            edit.returnPressed.connect(self.add_typed)
        self.add_button.clicked.connect(self.add_typed)
        self.quote_edit.textChanged.connect(self._check_timer.start)
        self.by_edit.textChanged.connect(self._check_timer.start)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self._update_buttons()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        # The report's scroll area gave a height-for-width panel less than it needs at wide
        # sizes (the table then ran under the row below it); its minimum size is enough.
        return False

    def tab_chain(self) -> list[QWidget]:
        return [
            self.quote_edit,
            self.add_button,
            self.method_combo,
            self.day_edit,
            self.by_edit,
            self.table,
            self.link_combo,
            self.up_button,
            self.down_button,
            self.remove_button,
        ]

    # ---------------------------------------------------------------------------- loading

    def set_conference(self, conference_id: int | None) -> None:
        if conference_id != self.conference_id:
            for edit in (self.quote_edit, self.day_edit, self.by_edit):
                edit.clear()
        self.conference_id = conference_id
        self.reload()

    def reload(self) -> None:
        current = self.current_record()
        keep = self._select_id if self._select_id is not None else (current.id if current else None)
        column = max(self.table.currentIndex().column(), SAID)
        self._select_id = None
        rows: list[VoiceRecord] = []
        self._choices = []
        if self.conference_id is not None:
            try:
                rows = core.list_voices(self.db, self.conference_id)
                self._choices = core.link_choices(self.db, self.conference_id)
            except UserError as exc:
                self.status_message.emit(str(exc))
        self.model.set_rows(rows)
        with QSignalBlocker(self.link_combo):
            self.link_combo.clear()
            for choice in self._choices:
                self.link_combo.addItem(choice.label.strip(), choice)
        row = self.model.row_of(keep)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, column))
        self._current_changed()

    def current_record(self) -> VoiceRecord | None:
        return self.model.record_at(self.table.currentIndex())

    def _current_changed(self, *_args) -> None:
        record = self.current_record()
        with QSignalBlocker(self.link_combo):
            wanted = (record.need_id, record.intervention_id) if record else (None, None)
            found = next(
                (n for n, c in enumerate(self._choices)
                 if (c.need_id, c.intervention_id) == wanted),
                0,
            )  # fmt: skip
            self.link_combo.setCurrentIndex(found if self._choices else -1)
        self._update_buttons()
        self.check_names()

    def _update_buttons(self) -> None:
        record = self.current_record()
        row = self.model.row_of(record.id) if record else -1
        enable_row_buttons(self.row_buttons, row, len(self.model.rows))
        self.link_combo.setEnabled(record is not None)

    def shown(self, record: VoiceRecord | None) -> None:
        """After a change: select `record` (if given), show the stored state, tell the tab."""
        if record is not None:
            self._select_id = record.id
        self.reload()

    # ---------------------------------------------------------------------------- names

    def check_names(self) -> list[core.NameWarning]:
        """Point out words that look like names: in what is being typed, else in the chosen
        voice. Shown in words ("Check for names: ...") and said in the status bar."""
        if self.conference_id is None:
            self.warning.hide()
            return []
        typed = self.quote_edit.text().strip() or self.by_edit.text().strip()
        record = self.current_record()
        try:
            if typed:
                found = core.name_warnings(
                    self.db, self.conference_id, self.quote_edit.text(), self.by_edit.text()
                )
            elif record is not None:
                found = core.name_warnings(
                    self.db, self.conference_id, record.text, record.gathered_by, record.we_did
                )
            else:
                found = []
        except UserError:
            found = []
        if found:
            lines = "\n".join(w.line() for w in found[:4])
            self.warning.setText(f"Check for names.\n{lines}\n{NAME_NOTE}")
            self.warning.setAccessibleName("Check for names")
        self.warning.setVisible(bool(found))
        return found

    # ---------------------------------------------------------------------------- changing

    def add_typed(self) -> None:
        if self.conference_id is None:
            return
        text, day, by = self.quote_edit.text(), self.day_edit.text(), self.by_edit.text()
        method = self.method_combo.currentData()
        cid = self.conference_id
        change = RowPresence(
            self,
            "Add a voice",
            add=lambda: core.add_voice(
                self.db, cid, text, method=method, gathered_on=day, gathered_by=by
            ),
            restore=lambda removed: core.restore_voice(self.db, removed),
            delete=lambda voice_id: core.remove_voice(self.db, voice_id),
            after=self._after_presence,
        )
        if not push_or_say(self.undo_stack, change, self.status_message.emit):
            return  # what was typed stays in the boxes
        warned = self.check_names_of(change.record)
        self.quote_edit.clear()  # How, Day and By stay for the next voice of the same session
        self.quote_edit.setFocus()
        if warned:
            self.status_message.emit(f"Added the voice. Check for names: {warned[0].line()}")
        else:
            self.status_message.emit("Added the voice.")

    def check_names_of(self, record: VoiceRecord | None) -> list[core.NameWarning]:
        if record is None or self.conference_id is None:
            return []
        return core.name_warnings(
            self.db, self.conference_id, record.text, record.gathered_by, record.we_did
        )

    def _after_presence(self) -> None:
        self.reload()

    def _edit_requested(self, voice_id: int, field: str, value: object) -> None:
        record = next((r for r in self.model.rows if r.id == voice_id), None)
        if record is None:
            return
        if self.push_change(_EditVoice(self, record, field, value)):
            warned = self.check_names_of(self.current_record())
            if warned:
                self.status_message.emit(f"Check for names: {warned[0].line()}")

    def _link_chosen(self, index: int) -> None:
        record = self.current_record()
        if record is None or not 0 <= index < len(self._choices):
            return
        choice = self._choices[index]
        if (choice.need_id, choice.intervention_id) == (record.need_id, record.intervention_id):
            return
        self.push_change(_LinkVoice(self, record, choice))

    def move_current(self, delta: int) -> None:
        record = self.current_record()
        if record is None:
            return
        row = self.model.row_of(record.id)
        if 0 <= row + delta < len(self.model.rows):
            self.push_change(_MoveVoice(self, record, delta))

    def remove_current(self) -> None:
        record = self.current_record()
        if record is None:
            return
        row = self.model.row_of(record.id)
        change = RowPresence(
            self,
            "Remove a voice",
            record=record,
            restore=lambda removed: core.restore_voice(self.db, removed),
            delete=lambda voice_id: core.remove_voice(self.db, voice_id),
            after=self._after_presence,
        )
        if not self.push_change(change):
            return
        if self.model.rows:
            self.table.setCurrentIndex(self.model.index(min(row, len(self.model.rows) - 1), SAID))
        self.status_message.emit("Removed the voice. Press Ctrl+Z to bring it back.")
        self.table.setFocus()
