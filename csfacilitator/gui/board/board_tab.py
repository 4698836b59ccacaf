"""The Board tab: the live four-column flipchart of one meeting, as the chair captures it.

Everything typed is stored at once (one small transaction per point) and shown by inserting one
row; every change is an undoable command on the tab's one undo stack. The projector is fed from
memory through `board_changed` and `projection()`, never by re-reading the database.

Long because it is where the board's parts meet: the meeting chooser and find above, the four
columns' keys and entry lines, and the turning of each into an undoable command; what each part
does lives in its own module (document, commands, column_view, point_moves, the drawers' panels).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import conferences, meetings, vocab
from csfacilitator.core.board import ProjectionData
from csfacilitator.core.key_meetings import choose_focus
from csfacilitator.core.meetings import meeting_label
from csfacilitator.core.records import MeetingRecord
from csfacilitator.core.textclean import clean_text, split_pasted_lines
from csfacilitator.errors import UserError
from csfacilitator.gui.base_tab import ConferenceTab
from csfacilitator.gui.board.agenda_strip import AgendaStrip
from csfacilitator.gui.board.column_model import PointNode
from csfacilitator.gui.board.column_view import PROMOTE_KEYS, ColumnPane, ColumnView
from csfacilitator.gui.board.commands import (
    AddOutline,
    AddPoints,
    BoardCommand,
    DeletePoint,
    EditPoint,
    MovePoint,
)
from csfacilitator.gui.board.dissent_panel import DissentPanel  # issue 20
from csfacilitator.gui.board.document import BoardDocument, Location
from csfacilitator.gui.board.draft_keeper import DraftKeeper
from csfacilitator.gui.board.entry_field import OutlineItem, pasted_lines, undo_kind
from csfacilitator.gui.board.guard_panel import GuardPanel, NamesDialog
from csfacilitator.gui.board.point_moves import move_target
from csfacilitator.gui.board.referrals_panel import ReferralsPanel
from csfacilitator.gui.plan.plan_promote import BoardPromoter
from csfacilitator.gui.undo import push_or_say
from csfacilitator.gui.widgets.fold import Drawer
from csfacilitator.storage.database import Database

COLUMNS = tuple(vocab.BOARD_COLUMNS)

BOARD_STYLE = """
QLabel#boardHeading { font-size: 12pt; font-weight: 600; padding: 6px 4px 2px 4px; }
QTreeView#boardColumnView { border: 2px solid #c8ccd1; border-radius: 3px; font-size: 11pt; }
QTreeView#boardColumnView:focus { border: 2px solid #1f4e79; }
QLineEdit#boardEntry { padding: 4px; border: 2px solid #c8ccd1; border-radius: 3px; }
QLineEdit#boardEntry:focus { border: 2px solid #1f4e79; }
QLabel#panelNote { color: palette(placeholder-text); }
QLabel#elapsed { font-weight: 600; }
QLabel#findCount { color: palette(placeholder-text); }
QWidget#agendaStrip QToolButton { padding: 4px 8px; border: 1px solid palette(mid); border-radius: 3px; }
QWidget#agendaStrip QToolButton:checked { background: #1f4e79; color: white; font-weight: 600; border-color: #173b5c; }
QWidget#agendaStrip QToolButton:focus { border: 2px solid #f2b134; }
"""


class BoardTab(ConferenceTab):
    """The live flipchart for the selected meeting of the current conference."""

    #: After every change to what the projector shows: points, their order, the current item.
    board_changed = Signal()
    #: The chair asked to show the board on the projector (Present button or F5).
    present_requested = Signal()
    #: Show this intervention on the Action plan tab (a point promoted before was promoted again).
    plan_item_requested = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.setStyleSheet(BOARD_STYLE)
        self.document = BoardDocument(db, self)
        self.meetings: list[MeetingRecord] = []
        self.meeting: MeetingRecord | None = None
        self.conference_title = ""
        self.names_to_keep_out = ""
        self._loaded_conference: int | None = None
        self._seen_meetings: set[int] = set()
        self._last_added: dict[str, int] = {}
        self._find_position = -1

        # -- top bar: meeting, find, present
        self.meeting_combo = QComboBox(self)
        self.meeting_combo.setAccessibleName("Meeting")
        self.meeting_combo.setMinimumContentsLength(22)
        self.meeting_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        meeting_label_widget = QLabel("&Meeting:", self)
        meeting_label_widget.setBuddy(self.meeting_combo)
        self.find_field = QLineEdit(self)
        self.find_field.setAccessibleName("Find")
        self.find_field.setPlaceholderText("Find on the board (Ctrl+F)")
        self.find_field.setClearButtonEnabled(True)
        self.find_field.setToolTip(
            "Points containing this are highlighted. Enter: next match. Esc: clear."
        )
        self.find_field.setMaximumWidth(300)
        find_label = QLabel("F&ind:", self)
        find_label.setBuddy(self.find_field)
        self.find_count = QLabel(self)
        self.find_count.setObjectName("findCount")
        self.find_count.setAccessibleName("Find result")
        self.present_button = QPushButton("Present", self)
        self.present_button.setAccessibleName("Present")
        self.present_button.setProperty("primary", True)
        self.present_button.setToolTip("Show the board on the projector or second screen (F5)")
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(meeting_label_widget)
        top.addWidget(self.meeting_combo)
        top.addSpacing(18)
        top.addWidget(find_label)
        top.addWidget(self.find_field, 1)
        top.addWidget(self.find_count)
        top.addStretch(1)
        top.addWidget(self.present_button)

        self.agenda = AgendaStrip(self)

        # -- the four columns above, the folds below. The folds are built inside the drawer
        # that holds them: a widget Qt has styled (as it is measured) that moves to another
        # parent is styled again, with all it holds. The columns still move into the splitter:
        # styled only once, their scroll bars would stay without the opaque attribute (the
        # first styling clears it; OpaqueScrollBar sets it again only on a change of style).
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.panes: dict[str, ColumnPane] = {}
        self.columns_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.columns_splitter.setChildrenCollapsible(False)
        self.columns_splitter.setHandleWidth(10)
        self.columns_splitter.splitterMoved.connect(lambda *_: self._align_headings())
        for number, key in enumerate(COLUMNS, start=1):
            pane = ColumnPane(self.document.models[key], number, self.columns_splitter)
            self.panes[key] = pane
            self.columns_splitter.addWidget(pane)
            pane.view.action_requested.connect(lambda action, k=key: self._view_action(k, action))
            pane.entry.returnPressed.connect(lambda k=key: self._add_from_entry(k))
            if key == "safety_plan":  # Ctrl+P from the line: promote what was just typed
                promote = QShortcut(QKeySequence(PROMOTE_KEYS), pane.entry)
                promote.setContext(Qt.ShortcutContext.WidgetShortcut)
                promote.activated.connect(self._promote_from_entry)
            pane.entry.paste_lines.connect(lambda lines, k=key: self._add_lines(k, lines))
            pane.entry.board_undo.connect(self.undo_stack.undo)
            pane.entry.board_redo.connect(self.undo_stack.redo)
            pane.entry.to_points.connect(lambda k=key: self._enter_view(k))
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda k=key: self.focus_entry(k))

        # -- below: what to check before sharing, and referrals
        bottom = Drawer(self.splitter)  # one line when folded
        self.guard_panel = GuardPanel(bottom)
        self.referrals_panel = ReferralsPanel(db, self.undo_stack, bottom)
        self.dissent_panel = DissentPanel(db, self.undo_stack, bottom)  # issue 20
        bottom.hold([self.guard_panel, self.referrals_panel, self.dissent_panel])
        self.splitter.addWidget(self.columns_splitter)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([560, 160])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.agenda)
        layout.addWidget(self.splitter, 1)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_find)
        clear_find = QShortcut(QKeySequence("Escape"), self.find_field)
        clear_find.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear_find.activated.connect(self._clear_find)

        # -- wiring
        self.meeting_combo.currentIndexChanged.connect(self._meeting_chosen)
        self.find_field.textChanged.connect(self._find)
        self.find_field.returnPressed.connect(self.find_next)
        self.present_button.clicked.connect(self.present_requested)
        self.agenda.current_requested.connect(self.set_current_item)
        self.document.changed.connect(self._board_changed)
        self.document.flags_changed.connect(self._flags_changed)
        self.document.edit_requested.connect(self._edit_requested)
        self.document.move_requested.connect(self._move_requested)
        self.guard_panel.go_to.connect(self.edit_point)
        self.guard_panel.names_requested.connect(self.edit_names)
        self.referrals_panel.status_message.connect(self.status_message)
        self.dissent_panel.status_message.connect(self.status_message)  # issue 20
        self._set_enabled(False)
        self.drafts = DraftKeeper(self)
        self.promoter = BoardPromoter(self)
        # The plan links are re-read when they may have changed (a load, a delete, its undo;
        # promoting refreshes them itself), not after every point typed.
        with contextlib.suppress(RuntimeError, TypeError):
            self.document.changed.disconnect(self.promoter.refresh)
        self.document.links_may_change.connect(self.promoter.refresh)

    # -- public API ------------------------------------------------------------------------

    def current_meeting_id(self) -> int | None:
        return self.meeting.id if self.meeting is not None else None

    def pane(self, column: str) -> ColumnPane:
        return self.panes[column]

    def projection(self) -> ProjectionData:
        """What the projector shows, built from memory (cheap; called after each change)."""
        label = meeting_label(self.meeting, self.meetings) if self.meeting is not None else ""
        return ProjectionData(
            conference_title=self.conference_title,
            meeting_label=label,
            current_item=self.agenda.current_title(),
            columns=self.document.records(),
        )

    def reload(self) -> None:
        """Refresh meetings, agenda and keep-out names; the points are re-read only when the
        conference or meeting changes (after loading, the in-memory board is the truth)."""
        if self.conference_id is None:
            self._loaded_conference = None
            self.meetings, self.meeting = [], None
            self.conference_title = ""
            self._fill_combo()
            self._load_meeting(None)
            return
        try:  # one read: the details, the meetings and the meeting in focus
            details, records, focus = conferences.conference_and_meetings(
                self.db, self.conference_id
            )
        except UserError as exc:
            self.status_message.emit(str(exc))
            return
        new_conference = self._loaded_conference != self.conference_id
        self._loaded_conference = self.conference_id
        self.conference_title = details.title
        names_changed = details.names_to_keep_out != self.names_to_keep_out
        self.names_to_keep_out = details.names_to_keep_out
        previous = None if new_conference else self.current_meeting_id()
        self.meetings = records
        ids = [m.id for m in records]
        chosen = previous if previous in ids else focus
        added = [m.id for m in records if m.kind == "review" and m.id not in self._seen_meetings]
        self._seen_meetings = set(ids)
        if added and not new_conference:
            chosen = added[-1]  # a review just started elsewhere: show its (empty) board
        if chosen not in ids:
            chosen = None
        self._fill_combo(chosen)
        if new_conference or chosen != previous:
            self._load_meeting(chosen)
            return
        self.meeting = next(m for m in records if m.id == chosen)
        self.agenda.set_meeting(self.meeting)
        if names_changed:
            self.document.set_names(self.names_to_keep_out)
        self.promoter.refresh()
        self.board_changed.emit()

    def set_meeting(self, meeting_id: int) -> None:
        """Show another meeting of this conference (pending text is saved to the current one)."""
        index = self.meeting_combo.findData(meeting_id)
        if index >= 0:
            self.meeting_combo.setCurrentIndex(index)

    def flush(self) -> None:
        """Commit what is still being typed: an open in-place edit, and text in entry fields."""
        super().flush()
        if self.document.meeting_id is None:
            return
        for key, pane in self.panes.items():
            view = pane.view
            if view.state() == ColumnView.State.EditingState:
                editor = view.indexWidget(view.currentIndex())
                if editor is not None:
                    view.commitData(editor)
                    view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            typed = pane.entry.text()
            if not clean_text(typed, multiline=False):
                continue
            with self.drafts.committing(key):
                if self._push(
                    AddPoints(self.document, key, [typed], parent_handle=pane.entry.parent_handle())
                ):
                    pane.entry.take_text()

    def focus_entry(self, column: str) -> None:
        entry = self.panes[column].entry
        entry.setFocus(Qt.FocusReason.ShortcutFocusReason)
        entry.selectAll()

    def focus_find(self) -> None:
        self.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_field.selectAll()

    def set_current_item(self, item_id: int | None) -> None:
        """Mark the agenda item under discussion (starts the meeting's clock the first time)."""
        if self.meeting is None:
            return
        try:
            record = meetings.set_current_item(self.db, self.meeting.id, item_id)
        except UserError as exc:
            self.status_message.emit(str(exc))
            self.agenda.set_meeting(self.meeting)
            return
        self.meeting = record
        self.meetings = [record if m.id == record.id else m for m in self.meetings]
        self.agenda.set_meeting(record)
        self.board_changed.emit()

    def reveal(self, handle: int, *, focus: bool = False) -> None:
        """Select a point in its column and scroll to it."""
        node = self.document.nodes.get(handle)
        if node is None:
            return
        column = self.document.column_of(node)
        view = self.panes[column].view
        index = view.column_model.index_of(node)
        view.setCurrentIndex(index)
        view.scrollTo(index)
        if focus:
            view.setFocus(Qt.FocusReason.OtherFocusReason)

    def edit_point(self, handle: int) -> None:
        """Show a point and open it for editing (from the 'Check before sharing' list)."""
        node = self.document.nodes.get(handle)
        if node is None:
            return
        self.reveal(handle, focus=True)
        view = self.panes[self.document.column_of(node)].view
        view.edit(view.currentIndex())

    def edit_names(self) -> None:
        if self.conference_id is None:
            return
        dialog = NamesDialog(self.names_to_keep_out, self)
        if dialog.exec() != NamesDialog.DialogCode.Accepted:
            return
        self.save_names(dialog.names())

    def save_names(self, names: str) -> None:
        if self.conference_id is None:
            return
        try:
            details = conferences.update_conference(
                self.db, self.conference_id, names_to_keep_out=names
            )
        except UserError as exc:
            self.status_message.emit(str(exc))
            return
        self.names_to_keep_out = details.names_to_keep_out
        self.document.set_names(self.names_to_keep_out)
        self.status_message.emit("Saved the names to keep out.")

    def find_next(self) -> None:
        handles = self.document.matching_handles()
        if not handles:
            return
        self._find_position = (self._find_position + 1) % len(handles)
        self.reveal(handles[self._find_position])

    # -- loading ---------------------------------------------------------------------------

    def _fill_combo(self, chosen: int | None = None) -> None:
        self.meeting_combo.blockSignals(True)
        self.meeting_combo.clear()
        for record in self.meetings:
            self.meeting_combo.addItem(meeting_label(record, self.meetings), record.id)
        index = self.meeting_combo.findData(chosen) if chosen is not None else -1
        self.meeting_combo.setCurrentIndex(index)
        self.meeting_combo.blockSignals(False)

    def _meeting_chosen(self, index: int) -> None:
        meeting_id = self.meeting_combo.itemData(index) if index >= 0 else None
        if meeting_id == self.current_meeting_id():
            return
        self.flush()
        if self.conference_id is not None and meeting_id is not None:
            choose_focus(self.db, self.conference_id, meeting_id)  # the papers follow it
        self._load_meeting(meeting_id)

    def reread_points(self) -> None:
        """Re-read the points of the meeting shown, after another laptop changed them; the
        entry lines and what is typed in them are left as they are."""
        self._load_meeting(self.current_meeting_id())

    def _load_meeting(self, meeting_id: int | None) -> None:
        self.undo_stack.clear()
        self.meeting = next((m for m in self.meetings if m.id == meeting_id), None)
        self._last_added.clear()
        try:
            self.document.load(self.current_meeting_id(), self.names_to_keep_out)
        except UserError as exc:
            self.status_message.emit(str(exc))
            self.document.load(None)
        self.agenda.set_meeting(self.meeting)
        self.referrals_panel.set_meeting(self.current_meeting_id())
        self.dissent_panel.set_meeting(self.current_meeting_id())  # issue 20
        self._find(self.find_field.text())
        self._set_enabled(self.meeting is not None)
        self.drafts.restore()
        self.board_changed.emit()

    def _set_enabled(self, enabled: bool) -> None:
        for pane in self.panes.values():
            pane.setEnabled(enabled)
        self.present_button.setEnabled(enabled)
        self.find_field.setEnabled(enabled)

    def _resync(self) -> None:
        """After an undo or redo could not be stored: show what is really stored."""
        self.undo_stack.clear()
        self._load_meeting(self.current_meeting_id())

    # -- changes ---------------------------------------------------------------------------

    def _push(self, command: BoardCommand) -> bool:
        """Perform a change and put it on the undo stack; a refused change shows why."""
        if self.document.meeting_id is None:
            return False
        command.target = self
        return push_or_say(self.undo_stack, command, self.status_message.emit)

    # What the board's commands need of the board (commands.BoardTarget).

    def report(self, message: str) -> None:
        self.status_message.emit(message)

    def resync(self) -> None:
        QTimer.singleShot(0, self._resync)  # not from inside the undo stack's own undo()

    def show_point(self, handle: int | None) -> None:
        if handle is not None:
            focus = isinstance(QApplication.focusWidget(), ColumnView)
            self.reveal(handle, focus=focus)

    def _board_changed(self) -> None:
        if self.document.needle:
            self._show_find_count(len(self.document.matches))
        self.board_changed.emit()

    def _flags_changed(self) -> None:
        self.guard_panel.set_flags(self.document.flagged())

    def _add_from_entry(self, column: str) -> None:
        entry = self.panes[column].entry
        if not clean_text(entry.text(), multiline=False):
            self.status_message.emit("Type the point first, then press Enter.")
            return
        command = AddPoints(
            self.document, column, [entry.text()], parent_handle=entry.parent_handle()
        )
        with self.drafts.committing(column):  # the point and its draft's removal: one write
            if not self._push(command):
                return
            entry.take_text()
        self._show_added(column, command.handles[-1])

    def _add_lines(
        self, column: str, lines: Sequence[str | OutlineItem], after: int | None = None
    ) -> None:
        """Pasted lines become points, in one undo step: after point `after`, else at the end."""
        parent_handle, row = None, None
        if after is not None:
            where = self.document.location(after)
            parent_handle, row = where.parent_handle, where.row + 1
        command = AddOutline(self.document, column, lines, parent_handle=parent_handle, row=row)
        if self._push(command):
            self._show_added(column, command.handles[-1])
            self.status_message.emit(
                f"Added {len(command.handles)} points to {vocab.BOARD_COLUMNS[column]}."
            )

    def _promote_from_entry(self) -> None:
        """Ctrl+P in the Safety plan's line: the text typed there becomes a point first (as
        Enter would), then the point just added — or the one chosen in the list — is promoted."""
        entry = self.panes["safety_plan"].entry
        if entry.text().strip():
            self._add_from_entry("safety_plan")
        handle = self.panes["safety_plan"].view.current_handle()
        if handle is None:
            self.status_message.emit("Type a Safety plan point first, then press Ctrl+P.")
            return
        self.promoter.promote(handle)

    def _show_added(self, column: str, handle: int) -> None:
        self._last_added[column] = handle
        view = self.panes[column].view
        index = view.column_model.index_of(self.document.node(handle))
        view.setCurrentIndex(index)
        view.scrollTo(index)

    def _enter_view(self, column: str) -> None:
        """Up from an entry field: into the points, at the one just added (or the last)."""
        view = self.panes[column].view
        model = view.column_model
        handle = self._last_added.get(column)
        if (
            handle in self.document.nodes
            and self.document.column_of(self.document.node(handle)) == column
        ):
            view.setCurrentIndex(model.index_of(self.document.node(handle)))
        elif not view.currentIndex().isValid() and model.rowCount():
            view.setCurrentIndex(model.index(model.rowCount() - 1, 0))
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _edit_requested(self, handle: int, text: str) -> None:
        if handle not in self.document.nodes:
            return
        if clean_text(text, multiline=False) == self.document.node(handle).text:
            return
        self._push(EditPoint(self.document, handle, text))

    def _move_requested(
        self, handle: int, column: str, parent_handle: int | None, row: int
    ) -> None:
        if handle not in self.document.nodes:
            return
        target = Location(column, parent_handle, row)
        if target == self.document.location(handle):
            return
        if self._push(MovePoint(self.document, handle, target, "Move point")):
            self.reveal(handle)

    def _undo_or_redo(self, kind: str | None) -> bool:
        """Undo for "undo", redo for "redo"; False for anything else."""
        if kind == "undo":
            self.undo_stack.undo()
        elif kind == "redo":
            self.undo_stack.redo()
        else:
            return False
        return True

    def _view_action(self, column: str, action: str) -> None:
        if self._undo_or_redo(action):
            return
        view = self.panes[column].view
        handle = view.current_handle()
        if action == "paste":
            self._paste_into_column(column, handle)
            return
        if handle is None:
            return
        if action == "copy":
            QGuiApplication.clipboard().setText(self.document.outline_text(handle))
            return
        if action == "delete":
            self._delete(view, handle)
            return
        if action == "promote":
            self.promoter.promote(handle)
            return
        target, label, message = move_target(self.document, action, handle)
        if target is None:
            if message:
                self.status_message.emit(message)
            return
        if self._push(MovePoint(self.document, handle, target, label)):
            self.reveal(handle, focus=True)

    def _delete(self, view: ColumnView, handle: int) -> None:
        node = self.document.node(handle)
        parent = node.parent
        if parent is None:  # a column's root: not a point
            return
        siblings = parent.children
        row = node.row()
        neighbour: PointNode | None
        if row + 1 < len(siblings):
            neighbour = siblings[row + 1]
        elif row > 0:
            neighbour = siblings[row - 1]
        else:
            neighbour = parent if parent.parent is not None else None
        if self._push(DeletePoint(self.document, handle)):
            if neighbour is not None:
                view.setCurrentIndex(view.column_model.index_of(neighbour))
            self.status_message.emit("Point deleted. Ctrl+Z brings it back.")

    def _paste_into_column(self, column: str, after: int | None) -> None:
        lines: Sequence[str | OutlineItem] | None = pasted_lines()
        if lines is None:
            lines = split_pasted_lines(QGuiApplication.clipboard().text())
        if not lines:
            self.status_message.emit("There is no text on the clipboard to paste.")
            return
        self._add_lines(column, lines, after)

    # -- find ------------------------------------------------------------------------------

    def _find(self, text: str) -> None:
        count = self.document.set_needle(text)
        self._find_position = -1
        self._show_find_count(count)

    def _show_find_count(self, count: int) -> None:
        if not clean_text(self.find_field.text(), multiline=False):
            self.find_count.setText("")
        elif count == 0:
            self.find_count.setText("No point matches")
        else:
            self.find_count.setText("1 point matches" if count == 1 else f"{count} points match")

    def _clear_find(self) -> None:
        self.find_field.clear()

    # -- look ------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        QTimer.singleShot(0, self._align_headings)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        QTimer.singleShot(0, self._align_headings)

    def default_focus_widget(self) -> QWidget:
        """Where the keyboard goes when the board is chosen from the keyboard (Alt+4)."""
        return self.panes["concerns"].entry

    def _align_headings(self) -> None:
        """Give every heading the height of the tallest, so the four lists start level."""
        headings = [pane.heading for pane in self.panes.values()]
        tallest = max(h.heightForWidth(h.width()) for h in headings)
        for heading in headings:
            heading.setFixedHeight(max(tallest, heading.sizeHint().height()))

    # -- keys that the main window may also own --------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """F5 and undo/redo arrive here only when no window action took them (e.g. in tests or
        when the board is shown on its own); in the main window its Edit and View menus do."""
        if event.key() == Qt.Key.Key_F5 and not event.modifiers():
            self.present_requested.emit()
            return
        if self._undo_or_redo(undo_kind(event)):
            return
        super().keyPressEvent(event)
