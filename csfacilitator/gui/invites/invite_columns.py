"""Which columns of the invite list are shown: a compact set by default, each of the others one
tick away in the Columns menu, all of them one keystroke away (Ctrl+Shift+C); the choice is
remembered (by field name, so a new column cannot shift it)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from csfacilitator.gui.invites.invite_delegates import header_label
from csfacilitator.gui.invites.invite_table import InviteTable
from csfacilitator.gui.invites.invitee_table_model import InviteeTableModel

M = InviteeTableModel

#: Columns hidden until asked for (the Columns menu, or Ctrl+Shift+C for all of them).
DEFAULT_HIDDEN = frozenset({M.JOB_TITLE, M.ROLE, M.INVITED_ON, M.EMAIL, M.PHONE, M.NOTES})
ALL_COLUMNS_KEYS = "Ctrl+Shift+C"
HIDDEN_COLUMNS_SETTING = "invites/hidden_columns"  # field names, so a new column cannot shift it


class ColumnChooser(QObject):
    """The Columns button's menu over one table; `message` says what Ctrl+Shift+C did."""

    message = Signal(str)

    def __init__(self, table: InviteTable, button: QToolButton, owner: QWidget):
        """`owner` (the tab) holds the Ctrl+Shift+C shortcut, so it works anywhere in it."""
        super().__init__(owner)
        self.table = table
        menu = QMenu(button)
        self.all_action = QAction("Show &all columns", owner)
        self.all_action.setCheckable(True)
        self.all_action.setShortcut(QKeySequence(ALL_COLUMNS_KEYS))
        self.all_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.all_action.toggled.connect(self.show_all)
        owner.addAction(self.all_action)
        menu.addAction(self.all_action)
        menu.addSeparator()
        self.actions: dict[int, QAction] = {}
        for column in range(M.COLUMN_COUNT):
            if column == M.NAME:
                continue
            action = menu.addAction(header_label(column))
            action.setCheckable(True)
            action.setToolTip(M.HEADERS[column][1])
            action.toggled.connect(partial(self.set_shown, column))
            self.actions[column] = action
        menu.setToolTipsVisible(True)
        button.setMenu(menu)
        saved = QSettings().value(HIDDEN_COLUMNS_SETTING, None)
        hidden = set(DEFAULT_HIDDEN)
        if isinstance(saved, (list, str)):
            fields = [saved] if isinstance(saved, str) else saved
            by_field = {field: column for column, field in M.FIELDS.items()}
            hidden = {by_field[f] for f in fields if f in by_field and by_field[f] != M.NAME}
        self._apply(hidden)

    def hidden(self) -> set[int]:
        return {c for c in range(M.COLUMN_COUNT) if self.table.isColumnHidden(c)}

    def _apply(self, hidden: set[int]) -> None:
        for column, action in self.actions.items():
            self.table.setColumnHidden(column, column in hidden)
            action.blockSignals(True)
            action.setChecked(column not in hidden)
            action.blockSignals(False)
        self.all_action.blockSignals(True)
        self.all_action.setChecked(not hidden)
        self.all_action.blockSignals(False)
        self.table.frozen.place()

    def set_shown(self, column: int, shown: bool) -> None:
        hidden = self.hidden()
        (hidden.discard if shown else hidden.add)(column)
        self._remember(hidden)

    def show_all(self, every: bool) -> None:
        """Every column (True), or back to the compact default set (False)."""
        self._remember(set() if every else set(DEFAULT_HIDDEN))
        shown = "All columns shown" if every else "The usual columns shown"
        self.message.emit(f"{shown} ({ALL_COLUMNS_KEYS} to switch).")

    def _remember(self, hidden: set[int]) -> None:
        self._apply(hidden)
        QSettings().setValue(HIDDEN_COLUMNS_SETTING, [M.FIELDS[c] for c in sorted(hidden)])
