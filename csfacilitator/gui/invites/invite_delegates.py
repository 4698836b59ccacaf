"""The invite list's cell editors: each remembers its open editors (so the tab can commit them
before anything else) and names them after their column; combo boxes, suggestions, dates and
notes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QObject,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from csfacilitator.core import vocab
from csfacilitator.gui.invites.date_cell import DateLineEdit
from csfacilitator.gui.invites.invitee_table_model import InviteeTableModel
from csfacilitator.gui.widgets.model_index import Index

M = InviteeTableModel


def header_label(column: int) -> str:
    return M.HEADERS[column][0].replace("\n", " ")


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

    def _submit(self, editor: QWidget) -> None:
        """Store an editor's value and close it (Enter in the notes, a date picked)."""
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

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


class DateDelegate(TrackingDelegate):
    """A date typed or picked from a calendar (date_cell.DateLineEdit); picking one stores it."""

    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = DateLineEdit(parent)
        editor.picked.connect(lambda: self._submit(editor))
        return editor

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
    """Several lines of notes in a taller editor (NotesEdit)."""

    LINES = 5

    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = NotesEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setToolTip("Enter saves; Shift+Enter starts a new line.")
        editor.submitted.connect(lambda: self._submit(editor))
        return editor

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


def install_delegates(
    table: QAbstractItemView, in_use: Callable[[str], Callable[[], list[str]]], parent: QObject
) -> list[TrackingDelegate]:
    """Each column's editor on the invite list's `table`; `in_use(field)` gives what the list
    already holds, offered as suggestions. Returns the delegates, for the tab to commit."""
    text = TrackingDelegate(parent)
    date = DateDelegate(parent)
    by_column: dict[int, TrackingDelegate] = {
        **dict.fromkeys((M.NAME, M.ORGANISATION, M.JOB_TITLE, M.EMAIL, M.PHONE), text),
        M.CATEGORY: CategoryDelegate(vocab.AGENCY_CATEGORIES, in_use("category"), parent),
        M.ROLE: SuggestionDelegate((*vocab.ROLES.values(), "Partner"), in_use("role"), parent),
        M.STATUS: ChoiceDelegate(vocab.INVITEE_STATUSES, parent),
        M.ATTENDANCE: ChoiceDelegate(vocab.ATTENDANCE, parent),
        **dict.fromkeys(M.DATE_COLUMNS, date),
        M.NOTES: NotesDelegate(parent),
    }
    for column, delegate in by_column.items():
        table.setItemDelegateForColumn(column, delegate)
    return list(dict.fromkeys(by_column.values()))
