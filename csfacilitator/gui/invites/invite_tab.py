"""The Invite list tab: who is invited and why, their preparation and attendance, and what the
list still lacks (the coverage panel beside the table)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import cast, overload

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QValidator,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import address_book, invitee_csv, vocab
from csfacilitator.core.conferences import get_conference
from csfacilitator.core.dates import as_date
from csfacilitator.core.key_meetings import focus_meeting
from csfacilitator.core.meetings import list_meetings
from csfacilitator.core.records import MeetingRecord
from csfacilitator.core.textclean import safe_file_stem
from csfacilitator.errors import UserError
from csfacilitator.gui.base_tab import ConferenceTab
from csfacilitator.gui.documents.export_dialogs import export_interactively
from csfacilitator.gui.invites.address_book_dialog import AddressBookDialog
from csfacilitator.gui.invites.coverage_panel import CoveragePanel
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
Index = QModelIndex | QPersistentModelIndex

#: Starting widths (pixels): the default columns fit beside the coverage panel at 1366x768;
#: the others, once shown, scroll sideways under the name kept in view.
COLUMN_WIDTHS = {
    M.NAME: 146,
    M.ORGANISATION: 114,
    M.JOB_TITLE: 150,
    M.CATEGORY: 130,
    M.ROLE: 120,
    M.STATUS: 86,
    M.ATTENDANCE: 96,
    M.Q_ENGAGED: 84,
    M.Q_WORKS_IN_CONTEXT: 82,
    M.Q_CAN_CHANGE: 74,
    M.Q_YOUTH_VOICE: 94,
    M.INVITED_ON: 92,
    M.PREPARED_ON: 92,
    M.ISA_SIGNED: 84,
    M.EMAIL: 210,
    M.PHONE: 120,
    M.NOTES: 260,
}
#: Columns hidden until asked for (the Columns menu, or Ctrl+Shift+C for all of them).
DEFAULT_HIDDEN = frozenset({M.JOB_TITLE, M.ROLE, M.INVITED_ON, M.EMAIL, M.PHONE, M.NOTES})
ALL_COLUMNS_KEYS = "Ctrl+Shift+C"
HIDDEN_COLUMNS_SETTING = "invites/hidden_columns"  # field names, so a new column cannot shift it
NO_MEETING = "No meetings yet"
CSV_OPEN_FILTER = "CSV files (*.csv *.txt);;All files (*)"
KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # the meeting combo's kind label, for the header


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.rstrip("…"))
    button.setToolTip(tip)
    return button


def header_label(column: int) -> str:
    return M.HEADERS[column][0].replace("\n", " ")


def meeting_label(meeting: MeetingRecord) -> str:
    kind = vocab.label(vocab.MEETING_KINDS, meeting.kind)
    return f"{kind}, {format_date(meeting.date)}" if meeting.date else f"{kind} (no date yet)"


# --- delegates --------------------------------------------------------------------------------


class TrackingDelegate(QStyledItemDelegate):
    """Remembers its open editors so the tab can commit them (flush) before anything else, and
    names each editor after its column for screen readers."""

    TRACKED = "tracked_editor"  # a property on each editor made here (InviteTable.commitData)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.open_editors: list[QWidget] = []

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        editor = self.make_editor(parent, option, index)
        editor.setAccessibleName(header_label(index.column()))
        editor.setProperty(self.TRACKED, True)
        self.open_editors.append(editor)
        editor.destroyed.connect(lambda *_: self._forget(editor))
        return editor

    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        return super().createEditor(parent, option, index)

    def updateEditorGeometry(  # noqa: N802
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        """The cell's rectangle, widened if the editor (a combo box, a date) needs more room."""
        super().updateEditorGeometry(editor, option, index)
        wanted = editor.sizeHint().width()
        if isinstance(editor, QComboBox) and editor.width() < wanted:
            editor.resize(wanted, editor.height())

    def destroyEditor(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        self._forget(editor)
        super().destroyEditor(editor, index)

    def _forget(self, editor: QWidget) -> None:
        if editor in self.open_editors:
            self.open_editors.remove(editor)

    def commit_open_editors(self) -> None:
        for editor in list(self.open_editors):
            if not getattr(editor, "was_cancelled", False):
                self.commitData.emit(editor)


class ComboEditor(QComboBox):
    """A combo box as a cell editor. Enter, Return and Esc are the editor's even where the
    window has them as shortcuts: Enter stores the value and closes the editor, Esc closes it
    changing nothing (the delegate's own key handling does both; see ComboDelegate)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.was_cancelled = False

    def event(self, event: QEvent) -> bool:  # noqa: D102
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
        ):
            event.accept()  # a key the editor needs is not a shortcut's
            return True
        return super().event(event)


class ComboDelegate(TrackingDelegate):
    """Shared by the combo box editors: Enter commits and closes, Esc closes and stores nothing
    - not even when the tab is flushed while the closed editor waits to be deleted."""

    def combo(self, parent: QWidget) -> ComboEditor:
        return ComboEditor(parent)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            isinstance(editor, ComboEditor)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
            and not editor.view().isVisible()
        ):
            editor.was_cancelled = True
            self._forget(editor)
        return super().eventFilter(editor, event)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        if not isinstance(editor, ComboEditor) or editor.was_cancelled:
            return
        model.setData(index, self.editor_value(editor), Qt.ItemDataRole.EditRole)

    def editor_value(self, editor: ComboEditor) -> object:
        return editor.currentText()


class SuggestionDelegate(ComboDelegate):
    """An editable combo box: pick a suggestion or type your own words."""

    def __init__(
        self,
        suggestions: tuple[str, ...],
        in_use: Callable[[], list[str]] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.suggestions = suggestions
        self.in_use = in_use

    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = self.combo(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        items = list(self.suggestions)
        known = {self.key(item) for item in items}
        for extra in sorted(self.in_use() if self.in_use else [], key=str.casefold):
            if extra and self.key(extra) not in known:
                known.add(self.key(extra))
                items.append(extra)
        combo.addItems(items)
        combo.setMaxVisibleItems(min(len(items), 24))
        return combo

    def key(self, text: str) -> str:
        """How two entries are told apart in the list (categories: vocab.category_key)."""
        return text.casefold()

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if not isinstance(editor, QComboBox):
            return
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        line = editor.lineEdit()
        if line is not None:
            line.selectAll()


class CategoryDelegate(SuggestionDelegate):
    """The agency category: "Voluntary and community organisations" typed elsewhere on the list
    is the suggested agency, so it is not offered twice."""

    def key(self, text: str) -> str:
        return vocab.suggested_category(text) or vocab.category_key(text)


class ChoiceDelegate(ComboDelegate):
    """A fixed list (a vocabulary): shows labels, stores keys."""

    def __init__(self, choices: dict[str, str], parent: QObject | None = None):
        super().__init__(parent)
        self.choices = choices

    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = self.combo(parent)
        for key, text in self.choices.items():
            combo.addItem(text, key)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if not isinstance(editor, QComboBox):
            return
        position = editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.setCurrentIndex(max(position, 0))

    def editor_value(self, editor: ComboEditor) -> object:
        return editor.currentData()


class DateValidator(QValidator):
    """Acceptable: empty (no date) or anything as_date understands; else Intermediate, so
    Enter keeps the editor open instead of losing what was typed."""

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        try:
            as_date(text)
        except UserError:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos

    def fixup(self, text: str) -> str:
        try:
            return to_editor_text(as_date(text))
        except UserError:
            return text


def to_editor_text(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def calendar_icon(size: int = 16) -> QIcon:
    """A small calendar drawn in the palette's text colour (no icon theme needed offline)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    colour = QApplication.palette().color(QPalette.ColorRole.Text)
    painter.setPen(colour)
    painter.drawRect(1, 2, size - 3, size - 4)
    painter.fillRect(1, 2, size - 2, 4, colour)
    for row in range(2):
        for col in range(3):
            painter.fillRect(4 + col * 3, 8 + row * 3, 2, 2, colour)
    painter.end()
    return QIcon(pixmap)


class DateLineEdit(QLineEdit):
    """Type a date (20/02/2025, 20 Feb 25, today) or pick one from the calendar (the icon, F4
    or Alt+Down). Empty means no date."""

    picked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setValidator(DateValidator(self))
        self.setPlaceholderText("dd/mm/yyyy")
        self.setToolTip(
            "Type a date such as 20/02/2025, or leave it empty for no date (F4: calendar)"
        )
        self.calendar_action = self.addAction(
            calendar_icon(), QLineEdit.ActionPosition.TrailingPosition
        )
        self.calendar_action.setText("Choose from a calendar")
        self.calendar_action.triggered.connect(self.show_calendar)
        self.calendar: QCalendarWidget | None = None

    def value(self) -> str:
        return self.text()

    def set_value(self, iso: str) -> None:
        self.setText(to_editor_text(dt.date.fromisoformat(iso)) if iso else "")
        self.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_F4 or (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self.show_calendar()
            return
        super().keyPressEvent(event)

    def show_calendar(self) -> None:
        """A calendar popping up below the field; Enter or a click picks the date."""
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.setAccessibleName("Calendar")
            self.calendar.setGridVisible(True)
            self.calendar.activated.connect(self._pick)
            self.calendar.clicked.connect(self._pick)
        try:
            current = as_date(self.text()) or dt.date.today()
        except UserError:
            current = dt.date.today()
        self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self.calendar.adjustSize()
        self.calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self.calendar.show()
        self.calendar.setFocus()

    def _pick(self, date: QDate) -> None:
        self.setText(to_editor_text(dt.date(date.year(), date.month(), date.day())))
        if self.calendar is not None:
            self.calendar.hide()
        self.setFocus()
        self.picked.emit()


class DateDelegate(TrackingDelegate):
    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = DateLineEdit(parent)
        editor.picked.connect(lambda: self._submit(editor))
        return editor

    def _submit(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if isinstance(editor, DateLineEdit):
            editor.set_value(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        if isinstance(editor, DateLineEdit):
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(  # noqa: N802
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        super().updateEditorGeometry(editor, option, index)
        editor.resize(
            max(editor.width(), editor.fontMetrics().horizontalAdvance("00/00/00000") + 34),
            editor.height(),
        )


class NotesEdit(QPlainTextEdit):
    """Several lines of notes: Enter finishes, Shift+Enter starts a new line."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class NotesDelegate(TrackingDelegate):
    LINES = 5

    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = NotesEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setToolTip("Enter saves; Shift+Enter starts a new line.")
        editor.submitted.connect(lambda: self._submit(editor))
        return editor

    def _submit(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if isinstance(editor, NotesEdit):
            editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        if isinstance(editor, NotesEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(  # noqa: N802
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        """Taller than the row, and kept inside the visible part of the table."""
        rect = QRect(option.rect)
        rect.setWidth(max(rect.width(), 280))
        rect.setHeight(max(rect.height(), editor.fontMetrics().lineSpacing() * self.LINES + 12))
        parent = editor.parentWidget()
        area = parent.rect() if parent is not None else rect
        if rect.bottom() > area.bottom():
            rect.moveBottom(area.bottom())
        if rect.right() > area.right():
            rect.moveRight(area.right())
        editor.setGeometry(rect)


class FrozenNameView(QTableView):
    """The Name column drawn over the table's left edge while the table is scrolled sideways,
    so every row keeps its name in view while questions are ticked far to the right.

    It shares the table's model and selection (one selection, one current cell) and takes no
    focus: the keyboard stays in the table, arrows run across every column, and a name is
    always edited in the table's own cell (the table scrolls back to show it)."""

    def __init__(self, table: InviteTable):
        super().__init__(table)
        self.table = table
        self.setModel(table.model())
        self.setSelectionModel(table.selectionModel())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(table.selectionBehavior())
        self.setSelectionMode(table.selectionMode())
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setAccessibleName("Names kept in view")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(table.verticalScrollMode())
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        header.sectionClicked.connect(self._sort)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("FrozenNameView { border-right: 2px solid palette(mid); }")
        for column in range(self.model().columnCount()):
            self.setColumnHidden(column, column != M.NAME)
        self.verticalScrollBar().valueChanged.connect(table.verticalScrollBar().setValue)
        table.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        table.horizontalScrollBar().valueChanged.connect(self.place)
        table.horizontalScrollBar().rangeChanged.connect(self.place)
        table.horizontalHeader().sectionResized.connect(self._resized)
        table.horizontalHeader().sortIndicatorChanged.connect(
            lambda section, order: header.setSortIndicator(section, order)
        )
        self.clicked.connect(lambda _index: table.setFocus(Qt.FocusReason.MouseFocusReason))
        self.doubleClicked.connect(table.edit)
        self.hide()

    def _resized(self, column: int, _old: int, new: int) -> None:
        if column == M.NAME:
            self.setColumnWidth(M.NAME, new)
            self.place()

    def _sort(self, _section: int) -> None:
        """A click on this Name header sorts the table as a click on its own would."""
        header = self.table.horizontalHeader()
        ascending = Qt.SortOrder.AscendingOrder
        descending = Qt.SortOrder.DescendingOrder
        same = header.sortIndicatorSection() == M.NAME and header.sortIndicatorOrder() == ascending
        self.table.sortByColumn(M.NAME, descending if same else ascending)

    def place(self, *_args) -> None:
        """Over the table's left edge while it is scrolled sideways; hidden otherwise, when the
        table's own Name cells are where these would be."""
        table = self.table
        scrolled = table.horizontalScrollBar().value() > 0
        if not scrolled or table.isColumnHidden(M.NAME):
            self.hide()
            return
        frame = table.frameWidth()
        self.verticalHeader().setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
        self.horizontalHeader().setFixedHeight(table.horizontalHeader().height())
        self.setColumnWidth(M.NAME, table.columnWidth(M.NAME))
        self.setGeometry(
            frame,
            frame,
            table.columnWidth(M.NAME) + 2,
            table.viewport().height() + table.horizontalHeader().height(),
        )
        self.verticalScrollBar().setValue(table.verticalScrollBar().value())
        self.show()
        self.raise_()

    def covered_width(self) -> int:
        """How much of the table's viewport this covers (0 while hidden)."""
        return self.width() if self.isVisible() else 0


class InviteTable(QTableView):
    """The table, saying what to do when it shows no rows, with its Name column kept in view
    (FrozenNameView) while it scrolls sideways."""

    #: Set by the tab: Space on a tick box of several selected rows ticks them all (True if
    #: it did, so the single-cell toggle does not run as well).
    toggle_selected: Callable[[], bool] | None = None

    def setModel(self, model) -> None:  # noqa: N802
        super().setModel(model)
        self.frozen = FrozenNameView(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if (
            event.key() == Qt.Key.Key_Space
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.toggle_selected is not None
            and self.toggle_selected()
        ):
            return
        super().keyPressEvent(event)

    def placeholder(self) -> str:
        model = self.model()
        if model is None or model.rowCount():
            return ""
        source = model.sourceModel() if isinstance(model, InviteeFilterProxy) else model
        if source is not None and source.rowCount():
            return "No invitee matches the search or the status chosen."
        if not self.isEnabled():
            return ""
        return "No one is on the invite list yet. Press Add invitee (or Insert) to start."

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        text = self.placeholder()
        if text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            area = self.viewport().rect().adjusted(16, 24, -16, -16)
            flags = (
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            )
            painter.drawText(area, int(flags), text)
            painter.end()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.frozen.place()

    def updateGeometries(self) -> None:  # noqa: N802
        super().updateGeometries()
        if hasattr(self, "frozen"):
            self.frozen.place()

    def scrollTo(self, index, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> None:  # noqa: N802
        """Show a cell without leaving it under the kept-in-view names; moving onto a name does
        not scroll sideways (the name is in view already)."""
        bar = self.horizontalScrollBar()
        before = bar.value()
        super().scrollTo(index, hint)
        if not index.isValid() or self.isColumnHidden(M.NAME):
            return
        if index.column() == M.NAME:
            bar.setValue(before)
            self.frozen.place()
            return
        self.frozen.place()
        covered = self.frozen.covered_width()
        left = self.visualRect(index).left()
        if covered and left < covered:
            bar.setValue(bar.value() - (covered - left))

    def commitData(self, editor: QWidget) -> None:  # noqa: N802
        """Store an open editor's value; a late commit from one already closed is dropped.

        Qt's delegates commit on Enter a moment later (a queued call, so the editor sees the
        key first). A key pressed before that moment (Insert for the next invitee, a tab
        change) flushes and closes the editor, committing it then; the late commit would
        store nothing and Qt would warn of an editor that does not belong to the view."""
        delegates = {self.itemDelegateForColumn(c) for c in range(self.model().columnCount())}
        if editor.property(TrackingDelegate.TRACKED) and not any(
            editor in d.open_editors for d in delegates if isinstance(d, TrackingDelegate)
        ):
            return
        super().commitData(editor)

    @overload
    def edit(self, index: Index, /) -> None: ...

    @overload
    def edit(
        self, index: Index, trigger: QAbstractItemView.EditTrigger, event: QEvent | None, /
    ) -> bool: ...

    def edit(
        self,
        index: Index,
        trigger: QAbstractItemView.EditTrigger | None = None,
        event: QEvent | None = None,
        /,
    ) -> bool | None:  # noqa: D102
        if trigger is None:
            super().edit(index)
            started: bool | None = None
        else:
            # Qt passes no event (None) for some triggers, though its stubs say QEvent.
            started = super().edit(index, trigger, cast(QEvent, event))
        if (trigger is None or started) and index.isValid() and index.column() == M.NAME:
            self.horizontalScrollBar().setValue(0)  # a name is typed in the table's own cell
        return started


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

        self.table = InviteTable()
        self.table.setAccessibleName("Invite list")
        self.table.setModel(self.proxy)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Arrow keys move between cells; Tab leaves the table (and, while editing, moves on).
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 14)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(48)
        self.table.setSortingEnabled(True)
        for column, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)

        self.delegates: list[TrackingDelegate] = []
        text_delegate = self._delegate(TrackingDelegate(self))
        for column in (M.NAME, M.ORGANISATION, M.JOB_TITLE, M.EMAIL, M.PHONE):
            self.table.setItemDelegateForColumn(column, text_delegate)
        self.table.setItemDelegateForColumn(
            M.CATEGORY,
            self._delegate(
                CategoryDelegate(vocab.AGENCY_CATEGORIES, self._in_use("category"), self)
            ),
        )
        roles = (*vocab.ROLES.values(), "Partner")
        self.table.setItemDelegateForColumn(
            M.ROLE, self._delegate(SuggestionDelegate(roles, self._in_use("role"), self))
        )
        self.table.setItemDelegateForColumn(
            M.STATUS, self._delegate(ChoiceDelegate(vocab.INVITEE_STATUSES, self))
        )
        self.table.setItemDelegateForColumn(
            M.ATTENDANCE, self._delegate(ChoiceDelegate(vocab.ATTENDANCE, self))
        )
        date_delegate = self._delegate(DateDelegate(self))
        for column in M.DATE_COLUMNS:
            self.table.setItemDelegateForColumn(column, date_delegate)
        self.table.setItemDelegateForColumn(M.NOTES, self._delegate(NotesDelegate(self)))

        self._build_columns_menu()
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

    # --- columns shown ----------------------------------------------------------------------

    def _build_columns_menu(self) -> None:
        """A compact set of columns by default; each of the others one tick away in the Columns
        menu, and all of them one keystroke away (Ctrl+Shift+C). The choice is remembered."""
        menu = QMenu(self.columns_button)
        self.all_columns_action = QAction("Show &all columns", self)
        self.all_columns_action.setCheckable(True)
        self.all_columns_action.setShortcut(QKeySequence(ALL_COLUMNS_KEYS))
        self.all_columns_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.all_columns_action.toggled.connect(self.show_all_columns)
        self.addAction(self.all_columns_action)
        menu.addAction(self.all_columns_action)
        menu.addSeparator()
        self.column_actions: dict[int, QAction] = {}
        for column in range(M.COLUMN_COUNT):
            if column == M.NAME:
                continue
            action = menu.addAction(header_label(column))
            action.setCheckable(True)
            action.setToolTip(M.HEADERS[column][1])
            action.toggled.connect(lambda on, c=column: self.set_column_shown(c, on))
            self.column_actions[column] = action
        menu.setToolTipsVisible(True)
        self.columns_button.setMenu(menu)
        saved = QSettings().value(HIDDEN_COLUMNS_SETTING, None)
        hidden = set(DEFAULT_HIDDEN)
        if isinstance(saved, (list, str)):
            fields = [saved] if isinstance(saved, str) else saved
            by_field = {field: column for column, field in M.FIELDS.items()}
            hidden = {by_field[f] for f in fields if f in by_field and by_field[f] != M.NAME}
        self._apply_hidden(hidden)

    def hidden_columns(self) -> set[int]:
        return {c for c in range(M.COLUMN_COUNT) if self.table.isColumnHidden(c)}

    def _apply_hidden(self, hidden: set[int]) -> None:
        for column, action in self.column_actions.items():
            self.table.setColumnHidden(column, column in hidden)
            action.blockSignals(True)
            action.setChecked(column not in hidden)
            action.blockSignals(False)
        self.all_columns_action.blockSignals(True)
        self.all_columns_action.setChecked(not hidden)
        self.all_columns_action.blockSignals(False)
        self.table.frozen.place()

    def set_column_shown(self, column: int, shown: bool) -> None:
        hidden = self.hidden_columns()
        (hidden.discard if shown else hidden.add)(column)
        self._remember_hidden(hidden)

    def show_all_columns(self, every: bool) -> None:
        """Every column (True), or back to the compact default set (False)."""
        self._remember_hidden(set() if every else set(DEFAULT_HIDDEN))
        shown = "All columns shown" if every else "The usual columns shown"
        self.status_message.emit(f"{shown} ({ALL_COLUMNS_KEYS} to switch).")

    def _remember_hidden(self, hidden: set[int]) -> None:
        self._apply_hidden(hidden)
        QSettings().setValue(HIDDEN_COLUMNS_SETTING, [M.FIELDS[c] for c in sorted(hidden)])

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

    def _delegate(self, delegate: TrackingDelegate) -> TrackingDelegate:
        self.delegates.append(delegate)
        return delegate

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
