"""The Invite list tab: who is invited and why, their preparation and attendance, and what the
list still lacks (the coverage panel beside the table).

The table is in invite_table, its cell editors in invite_delegates (the date cell in date_cell),
the Columns menu in invite_columns, the model in invitee_table_model and its undo steps in
invitee_commands. Long because the tab wires every action on the one table and its selection:
add, remove, the address book, CSV import and export, one value for several invitees, the
meeting whose attendance is shown, and the table's menu."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import address_book, invitee_csv, vocab
from csfacilitator.core.conferences import get_conference
from csfacilitator.core.key_meetings import focus_meeting
from csfacilitator.core.meetings import list_meetings
from csfacilitator.core.records import MeetingRecord
from csfacilitator.core.textclean import safe_file_stem
from csfacilitator.errors import UserError
from csfacilitator.gui.base_tab import ConferenceTab
from csfacilitator.gui.documents.export_dialogs import export_interactively
from csfacilitator.gui.invites.address_book_dialog import AddressBookDialog
from csfacilitator.gui.invites.coverage_panel import CoveragePanel
from csfacilitator.gui.invites.invite_columns import ALL_COLUMNS_KEYS, ColumnChooser
from csfacilitator.gui.invites.invite_columns import DEFAULT_HIDDEN as DEFAULT_HIDDEN
from csfacilitator.gui.invites.invite_columns import (
    HIDDEN_COLUMNS_SETTING as HIDDEN_COLUMNS_SETTING,
)
from csfacilitator.gui.invites.invite_delegates import install_delegates
from csfacilitator.gui.invites.invite_table import InviteTable
from csfacilitator.gui.invites.invitee_import_dialog import ImportPreviewDialog
from csfacilitator.gui.invites.invitee_table_model import (
    ATTENDANCE_KEY,
    ID_ROLE,
    InviteeFilterProxy,
    InviteeTableModel,
    format_date,
)
from csfacilitator.storage.database import Database

M = InviteeTableModel

NO_MEETING = "No meetings yet"
CSV_OPEN_FILTER = "CSV files (*.csv *.txt);;All files (*)"
KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # the meeting combo's kind label, for the header


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.rstrip("…"))
    button.setToolTip(tip)
    return button


def meeting_label(meeting: MeetingRecord) -> str:
    kind = vocab.label(vocab.MEETING_KINDS, meeting.kind)
    return f"{kind}, {format_date(meeting.date)}" if meeting.date else f"{kind} (no date yet)"


# --- the tab ----------------------------------------------------------------------------------


class InviteTab(ConferenceTab):
    """Invitees in an editable, sortable, filterable table; every change is stored at once and
    can be undone; the coverage panel updates as the table changes."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.model = InviteeTableModel(db, self.undo_stack, self)
        self.proxy = InviteeFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self._connect()
        self.reload()

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.add_button = QPushButton("Add invitee")
        self.add_button.setAccessibleName("Add invitee")
        self.add_button.setToolTip("Add an invitee at the end of the list (Insert)")
        self.remove_button = QPushButton("Remove invitee")
        self.remove_button.setAccessibleName("Remove invitee")
        self.remove_button.setToolTip(
            "Remove the selected invitees (Delete); Ctrl+Z brings them back"
        )
        self.address_button = _button(
            "Add from address book…", "Pick people invited to your other conferences"
        )
        self.import_button = _button(
            "Import CSV…", "Add people from a CSV file saved by Excel or another program"
        )
        self.export_button = _button(
            "Export CSV…", "Save the invite list as a CSV file that Excel can open"
        )
        self.bulk_button = QToolButton()
        self.bulk_button.setText("Set for selected")
        self.bulk_button.setAccessibleName("Set for selected")
        self.bulk_button.setToolTip(
            "Give every selected invitee the same status, attendance or agreement, as one step "
            "Ctrl+Z undoes (also in the table's menu: Shift+F10; Space on a tick box ticks "
            "every selected row)"
        )
        self.bulk_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_button = QToolButton()
        self.columns_button.setText("Columns")
        self.columns_button.setAccessibleName("Columns")
        self.columns_button.setToolTip(
            f"Choose the columns shown; {ALL_COLUMNS_KEYS} shows or hides all the others"
        )
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Name, organisation, category or role")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search")
        self.search.setMinimumWidth(220)
        self.search.setMaximumWidth(480)
        search_label = QLabel("Search:")
        search_label.setBuddy(self.search)

        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", "")
        for key, text in vocab.INVITEE_STATUSES.items():
            self.status_filter.addItem(text, key)
        self.status_filter.setAccessibleName("Status")
        status_label = QLabel("Status:")
        status_label.setBuddy(self.status_filter)

        self.meeting_combo = QComboBox()
        self.meeting_combo.setAccessibleName("Attendance at")
        self.meeting_combo.setMinimumContentsLength(22)
        meeting_label_ = QLabel("Attendance at:")
        meeting_label_.setBuddy(self.meeting_combo)

        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.address_button)
        actions.addWidget(self.remove_button)
        actions.addWidget(self.bulk_button)
        actions.addStretch(1)
        actions.addWidget(self.columns_button)
        actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)
        bar = QHBoxLayout()
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)
        bar.addSpacing(12)
        bar.addWidget(status_label)
        bar.addWidget(self.status_filter)
        bar.addStretch(0)
        bar.addSpacing(24)
        bar.addWidget(meeting_label_)
        bar.addWidget(self.meeting_combo)

        self.table = InviteTable.showing(self.proxy)

        self.delegates = install_delegates(self.table, self._in_use, self)

        self.columns = ColumnChooser(self.table, self.columns_button, self)
        self.columns.message.connect(self.status_message)
        self.all_columns_action = self.columns.all_action
        self.column_actions = self.columns.actions
        self._build_bulk_menu()
        self.table.toggle_selected = self.toggle_selected_ticks

        self.coverage_panel = CoveragePanel()
        self.coverage_panel.setMinimumWidth(220)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.coverage_panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([1080, 260])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self.add_action = QAction("Add invitee", self)
        self.add_action.setShortcut(QKeySequence(Qt.Key.Key_Insert))
        self.add_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.add_action)
        self.remove_action = QAction("Remove invitee", self)
        self.remove_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.remove_action)

    # --- columns shown (invite_columns) -----------------------------------------------------

    def hidden_columns(self) -> set[int]:
        return self.columns.hidden()

    def set_column_shown(self, column: int, shown: bool) -> None:
        self.columns.set_shown(column, shown)

    def show_all_columns(self, every: bool) -> None:
        """Every column (True), or back to the compact default set (False)."""
        self.columns.show_all(every)

    # --- several invitees at once -------------------------------------------------------------

    def _build_bulk_menu(self) -> None:
        self.bulk_menu = QMenu("Set for selected", self)
        self.fill_bulk_menu(self.bulk_menu)
        self.bulk_menu.aboutToShow.connect(self._refill_bulk_menu)
        self.bulk_button.setMenu(self.bulk_menu)
        self.menu_action = QAction("Menu for the selected cells", self)
        self.menu_action.setShortcut(QKeySequence("Shift+F10"))
        self.menu_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.menu_action.triggered.connect(self._menu_at_current)
        self.table.addAction(self.menu_action)

    def fill_bulk_menu(self, menu: QMenu) -> None:
        """Status, attendance (at the meeting chosen) and agreement for every selected row."""
        status = menu.addMenu("&Status")
        for key, text in vocab.INVITEE_STATUSES.items():
            status.addAction(text, partial(self.set_for_selected, "status", key))
        attendance = menu.addMenu("&Attendance")
        attendance.setEnabled(self.model.meeting_id is not None)
        for key, text in vocab.ATTENDANCE.items():
            attendance.addAction(text, partial(self.set_for_selected, ATTENDANCE_KEY, key))
        agreement = menu.addMenu("A&greement")
        agreement.addAction("Signed", partial(self.set_for_selected, "isa_signed", True))
        agreement.addAction("Not signed", partial(self.set_for_selected, "isa_signed", False))

    def toggle_selected_ticks(self) -> bool:
        """Space on a tick box while several rows are selected in its column: all of them
        take the opposite of the current cell's tick, as one undo step."""
        current = self.table.currentIndex()
        column = current.column()
        if not current.isValid() or column not in M.FLAG_COLUMNS:
            return False
        ids = list(
            dict.fromkeys(
                index.data(ID_ROLE)
                for index in self.table.selectionModel().selectedIndexes()
                if index.column() == column
            )
        )
        if len(ids) < 2 or current.data(ID_ROLE) not in ids:
            return False
        ticked = current.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        self.set_for_selected_in(ids, M.FIELDS[column], not ticked)
        return True

    def set_for_selected_in(self, ids: list[int], field: str, value: object) -> None:
        self.flush()
        if self.model.change_many(ids, field, value):
            who = "1 invitee" if len(ids) == 1 else f"{len(ids)} invitees"
            self.status_message.emit(f"Changed {who} — Ctrl+Z to undo")

    def _refill_bulk_menu(self) -> None:
        self.bulk_menu.clear()
        self.fill_bulk_menu(self.bulk_menu)

    def set_for_selected(self, field: str, value: object) -> None:
        """One value for every selected invitee: one transaction, one undo step."""
        ids = self.selected_ids()
        if not ids:
            self.status_message.emit("Select the invitees to change first.")
            return
        self.set_for_selected_in(ids, field, value)

    def _menu_at_current(self) -> None:
        index = self.table.currentIndex()
        rect = self.table.visualRect(index) if index.isValid() else QRect()
        self._context_menu(rect.center() if index.isValid() else QPoint(8, 8))

    def _in_use(self, field: str) -> Callable[[], list[str]]:
        """What the list already uses for a field: the user's own words become suggestions."""
        return lambda: [getattr(r, field) for r in self.model.records()]

    def _connect(self) -> None:
        self.add_button.clicked.connect(self.add_invitee)
        self.add_action.triggered.connect(self.add_invitee)
        self.remove_button.clicked.connect(self.remove_selected)
        self.address_button.clicked.connect(self.add_from_address_book)
        self.import_button.clicked.connect(self.import_csv)
        self.export_button.clicked.connect(self.export_csv)
        self.remove_action.triggered.connect(self.remove_selected)
        self.search.textChanged.connect(self.proxy.set_search)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(self.status_filter.currentData() or "")
        )
        self.meeting_combo.currentIndexChanged.connect(self._meeting_chosen)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.selectionModel().currentChanged.connect(self._update_buttons)
        self.proxy.rowsInserted.connect(self._update_buttons)
        self.proxy.rowsRemoved.connect(self._update_buttons)
        self.model.error.connect(self.status_message)
        for signal in (
            self.model.modelReset,
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.dataChanged,
        ):
            signal.connect(self._refresh_coverage)

    # --- ConferenceTab contract -------------------------------------------------------------

    def reload(self) -> None:
        self.flush()
        current = self.table.currentIndex()
        place = (current.data(ID_ROLE), current.column()) if current.isValid() else None
        self.model.load(self.conference_id)
        self._load_meetings()
        if place is not None:  # keep the user's place when the tab is shown again
            row = self.model.row_of(place[0])
            if row is not None:
                index = self.proxy.mapFromSource(self.model.index(row, place[1]))
                self.table.setCurrentIndex(index)
        enabled = self.conference_id is not None
        for widget in (
            self.add_button,
            self.address_button,
            self.import_button,
            self.export_button,
            self.bulk_button,
            self.search,
            self.status_filter,
            self.table,
        ):
            widget.setEnabled(enabled)
        self.add_action.setEnabled(enabled)
        self._update_buttons()

    def flush(self) -> None:
        super().flush()
        for delegate in self.delegates:
            delegate.commit_open_editors()

    # --- actions ----------------------------------------------------------------------------

    def default_focus_widget(self) -> QWidget:
        """Where the keyboard goes when the invite list is chosen from the keyboard (Alt+3)."""
        return self.table

    def add_invitee(self) -> None:
        """Add "New invitee" at the end and open its name for typing."""
        if self.conference_id is None:
            return
        self.flush()
        row = self.model.add_invitee()
        if row is None:
            return
        self.proxy.reveal(self.model.record(row).id)
        index = self.proxy.mapFromSource(self.model.index(row, M.NAME))
        self.table.setFocus()
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.edit(index)

    def add_from_address_book(self) -> None:
        """Open the address book; the partners chosen there are added as one undo step."""
        if self.conference_id is None:
            return
        self.flush()
        partners = address_book.list_partners(self.db, self.conference_id)
        dialog = AddressBookDialog(partners, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._add_partners(dialog.chosen_keys()))
        self.address_dialog = dialog
        dialog.open()

    def _add_partners(self, keys: list[str]) -> None:
        if self.conference_id is None:
            return
        try:
            added = address_book.add_from_address_book(self.db, self.conference_id, keys)
        except UserError as exc:
            self.warn("Add from address book", str(exc))
            return
        self._adopt(added, "from the address book")

    def import_csv(self) -> None:
        """Ask for a CSV file and show its preview; Import there adds as one undo step."""
        if self.conference_id is None:
            return
        self.flush()
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import invitees from CSV", str(Path.home()), CSV_OPEN_FILTER
        )
        if chosen:
            self.open_import_preview(Path(chosen))

    def open_import_preview(self, path: Path) -> None:
        try:
            preview = invitee_csv.read_csv(path)
        except UserError as exc:
            self.warn("Import CSV", str(exc))
            return
        dialog = ImportPreviewDialog(preview, self.model.records(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._import(preview, dialog.mapping()))
        self.import_dialog = dialog
        dialog.open()

    def _import(self, preview: invitee_csv.CsvPreview, mapping: dict[int, str]) -> None:
        if self.conference_id is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # thousands take seconds
        try:
            result = invitee_csv.import_rows(self.db, self.conference_id, preview, mapping)
        except UserError as exc:
            QApplication.restoreOverrideCursor()
            self.warn("Import CSV", str(exc))
            return
        QApplication.restoreOverrideCursor()
        self._adopt(result.added, f"from {preview.path.name}", result.summary())

    def _adopt(self, added, source: str, message: str = "") -> None:
        """Show invitees the core added together, as one undo step, and select them."""
        count = f"{len(added)} invitee{'' if len(added) == 1 else 's'}"
        self.model.adopt_added(added, f"Add {count} {source}")
        self.status_message.emit(message or f"Added {count} {source}.")
        if not added:
            return
        self.search.clear()
        self.status_filter.setCurrentIndex(0)
        ids = {record.id for record in added}
        rows = sorted(
            self.proxy.mapFromSource(self.model.index(row, M.NAME)).row()
            for row, record in enumerate(self.model.records())
            if record.id in ids
        )
        selection = QItemSelection()
        last = self.proxy.columnCount() - 1
        start = 0
        while start < len(rows):  # one range per block of neighbouring rows
            end = start
            while end + 1 < len(rows) and rows[end + 1] == rows[end] + 1:
                end += 1
            selection.select(self.proxy.index(rows[start], 0), self.proxy.index(rows[end], last))
            start = end + 1
        model = self.table.selectionModel()
        model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        first = self.proxy.index(rows[0], M.NAME)
        model.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.scrollTo(first)
        self.table.setFocus()

    def export_csv(self) -> None:
        if self.conference_id is None:
            return
        self.flush()
        title = get_conference(self.db, self.conference_id).title
        suggested = Path.home() / f"{safe_file_stem(title)} - invite list.csv"
        conference_id = self.conference_id
        written = export_interactively(
            self,
            self.db,
            conference_id,
            "invitees",
            suggested,
            lambda path: invitee_csv.export_csv(self.db, conference_id, path),
            title="Export invite list",
            file_filter="CSV (*.csv)",
        )
        if written is not None:
            self.status_message.emit(f"Wrote {written}")

    def warn(self, title: str, text: str) -> None:
        """Tell the user why something could not be done (a dialog; also in the status bar)."""
        self.status_message.emit(text)
        QMessageBox.warning(self, title, text)

    def selected_ids(self) -> list[int]:
        """Invitees with a selected cell (or the current cell), top to bottom as shown."""
        indexes = self.table.selectionModel().selectedIndexes()
        if not indexes and self.table.currentIndex().isValid():
            indexes = [self.table.currentIndex()]
        ids: list[int] = []
        for index in sorted(indexes, key=lambda i: i.row()):
            invitee_id = index.data(ID_ROLE)
            if invitee_id is not None and invitee_id not in ids:
                ids.append(invitee_id)
        return ids

    def remove_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.status_message.emit("Select an invitee to remove first.")
            return
        self.flush()
        current = self.table.currentIndex()
        row, column = current.row(), max(current.column(), 0)
        removed = self.model.remove_invitees(ids)
        if not removed:
            return
        who = removed[0].name if len(removed) == 1 else f"{len(removed)} invitees"
        self.status_message.emit(f"Removed {who} — Ctrl+Z to undo")
        if self.proxy.rowCount():
            target = self.proxy.index(min(max(row, 0), self.proxy.rowCount() - 1), column)
            self.table.setCurrentIndex(target)
        self.table.setFocus()
        self._update_buttons()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Undo and redo when no window-wide shortcut took them first (nor a text field)."""
        if event.matches(QKeySequence.StandardKey.Undo):
            self.flush()
            self.undo_stack.undo()
            return
        if event.matches(QKeySequence.StandardKey.Redo):
            self.flush()
            self.undo_stack.redo()
            return
        super().keyPressEvent(event)

    # --- helpers ----------------------------------------------------------------------------

    def _load_meetings(self) -> None:
        previous = self.meeting_combo.currentData()
        meetings = [] if self.conference_id is None else list_meetings(self.db, self.conference_id)
        self.meeting_combo.blockSignals(True)
        self.meeting_combo.clear()
        for row, meeting in enumerate(meetings):
            self.meeting_combo.addItem(meeting_label(meeting), meeting.id)
            kind = vocab.label(vocab.MEETING_KINDS, meeting.kind)
            self.meeting_combo.setItemData(row, kind, KIND_ROLE)
        if not meetings:
            self.meeting_combo.addItem(NO_MEETING, None)
        choice = self.meeting_combo.findData(previous) if previous is not None else -1
        if choice < 0 and meetings and self.conference_id is not None:
            choice = self.meeting_combo.findData(focus_meeting(self.db, self.conference_id))
        self.meeting_combo.setCurrentIndex(max(choice, 0))
        self.meeting_combo.setEnabled(bool(meetings))
        self.meeting_combo.blockSignals(False)
        self._meeting_chosen()

    def _meeting_chosen(self, *_args) -> None:
        meeting_id = self.meeting_combo.currentData()
        if meeting_id is None:
            self.model.set_meeting(None)
            return
        kind = self.meeting_combo.currentData(KIND_ROLE) or ""
        self.model.set_meeting(meeting_id, self.meeting_combo.currentText(), kind)

    def _refresh_coverage(self, *_args) -> None:
        self.coverage_panel.show_invitees(self.model.records())

    def _update_buttons(self, *_args) -> None:
        has_rows = self.proxy.rowCount() > 0
        selected = self.table.selectionModel().hasSelection() or self.table.currentIndex().isValid()
        self.remove_button.setEnabled(self.conference_id is not None and has_rows and selected)
        self.remove_action.setEnabled(self.remove_button.isEnabled())

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.add_action)
        if index.isValid():
            menu.addAction(self.remove_action)
            bulk = menu.addMenu("Set for selected")
            self.fill_bulk_menu(bulk)
            column = index.column()
            if column in M.DATE_COLUMNS or (column == M.ATTENDANCE and self.model.meeting_id):
                what = "attendance" if column == M.ATTENDANCE else "date"
                clear = menu.addAction(f"Clear {what}")
                target = QPersistentModelIndex(index)
                clear.triggered.connect(partial(self._clear_cell, target))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _clear_cell(self, index: QPersistentModelIndex) -> None:
        if not index.isValid():
            return
        self.proxy.setData(self.proxy.index(index.row(), index.column()), "")
