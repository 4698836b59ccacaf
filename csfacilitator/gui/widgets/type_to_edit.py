"""Type to edit, for grids: the keys a spreadsheet user expects, on any QAbstractItemView.

- Typing a character starts editing the current cell, and the character goes into the editor
  (as in the invite list). A cell that cannot be edited hands the key to the first editable
  cell of its row; where there is none, the key is refused with a beep. The view's own
  type-ahead search (`keyboardSearch`), which silently moved the selection to another row,
  never runs.
- Tab and Shift+Tab move across the row to the next editable cell; at either end of the row
  they move on to the next control, so the grid never traps the keyboard (Ctrl+Tab always
  leaves). While a cell is being edited its editor has the keys and the delegate decides.
- Keys a tree view keeps for itself ("+", "-", "*" fold and unfold rows) are typed into the
  cell like any other character.

`TypeToEdit.install(view)` once the view has its model; `paint_current_cell` draws the frame
that shows which cell typing goes to when whole rows are selected.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTreeView, QWidget

_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
#: The frame round the current cell: dark enough on white and on the selection colour.
CURRENT_CELL_COLOUR = "#f2b134"


def typed_text(event: QKeyEvent) -> str:
    """The characters a key press types ('' for commands, arrows, Tab, Enter and so on)."""
    if event.modifiers() & _COMMAND_MODIFIERS:
        return ""
    text = event.text()
    return text if text and text.isprintable() else ""


def _column_shown(view: QAbstractItemView, index: QModelIndex) -> bool:
    if isinstance(view, QTreeView):
        if index.column() > 0 and view.isFirstColumnSpanned(index.row(), index.parent()):
            return False  # a spanned row shows its first cell only
        return not view.isColumnHidden(index.column())
    hidden = getattr(view, "isColumnHidden", None)
    return not (hidden is not None and hidden(index.column()))


def editable(view: QAbstractItemView, index: QModelIndex) -> bool:
    return (
        index.isValid()
        and bool(index.flags() & Qt.ItemFlag.ItemIsEditable)
        and _column_shown(view, index)
    )


def edit_target(view: QAbstractItemView, index: QModelIndex) -> QModelIndex:
    """The cell typing goes to: the current one, else the first editable cell of its row."""
    if editable(view, index):
        return index
    if index.isValid():
        for column in range(view.model().columnCount(index.parent())):
            sibling = index.siblingAtColumn(column)
            if editable(view, sibling):
                return sibling
    return QModelIndex()


def next_cell(view: QAbstractItemView, index: QModelIndex, step: int) -> QModelIndex:
    """The next editable cell of the row in the direction of `step` (+1 or -1), if any."""
    if not index.isValid():
        return QModelIndex()
    column = index.column() + step
    count = view.model().columnCount(index.parent())
    while 0 <= column < count:
        sibling = index.siblingAtColumn(column)
        if editable(view, sibling):
            return sibling
        column += step
    return QModelIndex()


class TypeToEdit(QObject):
    """The event filter that gives a view the keys above (see the module's notes)."""

    def __init__(self, view: QAbstractItemView, *, tab_along_row: bool = True):
        super().__init__(view)
        self.view = view
        self.tab_along_row = tab_along_row

    @classmethod
    def install(cls, view: QAbstractItemView, *, tab_along_row: bool = True) -> TypeToEdit:
        """Give `view` these keys. With `tab_along_row` False, Tab (when no cell is being
        edited) leaves the view at once, as the invite list's does; typing still edits."""
        view.setEditTriggers(view.editTriggers() | QAbstractItemView.EditTrigger.AnyKeyPressed)
        helper = cls(view, tab_along_row=tab_along_row)
        view.installEventFilter(helper)
        return helper

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is not self.view or event.type() != QEvent.Type.KeyPress:
            return False
        if self.view.state() == QAbstractItemView.State.EditingState:
            return False
        key = event.key()
        mods = event.modifiers()
        if (
            self.tab_along_row
            and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and not (mods & _COMMAND_MODIFIERS)
        ):
            forward = key == Qt.Key.Key_Tab and not (mods & Qt.KeyboardModifier.ShiftModifier)
            return self._tab(forward)
        if typed_text(event):
            self._type(event)
            return True
        return False

    def _tab(self, forward: bool) -> bool:
        view = self.view
        target = next_cell(view, view.currentIndex(), 1 if forward else -1)
        if target.isValid():
            view.setCurrentIndex(target)
            view.scrollTo(target)
        else:
            # The end of the row: on to the next control, as Tab does everywhere else.
            QWidget.focusNextPrevChild(view, forward)
        return True

    def _type(self, event: QKeyEvent) -> None:
        view = self.view
        target = edit_target(view, view.currentIndex())
        if not target.isValid():
            QApplication.beep()
            return
        if target != view.currentIndex():
            view.setCurrentIndex(target)
        if not view.edit(target, QAbstractItemView.EditTrigger.AnyKeyPressed, event):
            QApplication.beep()


def paint_current_cell(painter: QPainter, rect: QRect, view: QAbstractItemView, index) -> None:
    """A frame round the current cell while the view has the focus (for views that select
    whole rows, where Qt's own focus mark runs round the row and says nothing of the cell)."""
    if not view.hasFocus() or index != view.currentIndex():
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(QPen(QColor(CURRENT_CELL_COLOUR), 3))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect.adjusted(2, 2, -2, -2))
    painter.restore()
