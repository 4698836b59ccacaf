"""One column of the board on screen: its heading, the tree of points, and the entry field.

The view paints points as wrapped bullets through a delegate (point_delegate.py) and turns
the board's keys into named actions the tab carries out: Tab / Shift+Tab indent and outdent,
Alt+arrows reorder or change column, Delete removes, Ctrl+V pastes lines as points.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QLabel,
    QMenu,
    QScrollBar,
    QStyle,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import vocab
from csfacilitator.gui.board.column_model import (
    ColumnModel,
    Index,
    LinkRole,
    PointNode,
)
from csfacilitator.gui.board.entry_field import (
    ADD_NESTED_KEYS,
    NEST_KEYS,
    UNNEST_KEYS,
    EntryField,
    undo_kind,
)
from csfacilitator.gui.board.point_delegate import COLUMN_COLOURS, PointDelegate
from csfacilitator.gui.widgets.type_to_edit import typed_text

EMPTY_HINT = "No points yet. Type in the box below and press Enter."
PROMOTE_KEYS = "Ctrl+P"
_ALT = Qt.KeyboardModifier.AltModifier
_ALT_KEYS: dict[int, str] = {
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
    Qt.Key.Key_Left: "left",
    Qt.Key.Key_Right: "right",
}


class OpaqueScrollBar(QScrollBar):
    """A scroll bar that says it paints all of itself (its groove covers it, unless the
    platform's scroll bars only show while scrolling), so an Enter repaints the scroll bar
    alone, not the frame and the background behind it first; the app's style then copies its
    groove from a cache over the window's colour (gui/style.py). A style sheet applied again
    clears the attribute, so it is set again on every change of style."""

    def __init__(self, orientation: Qt.Orientation, parent: QWidget | None = None):
        super().__init__(orientation, parent)
        self._say_opaque()

    def _say_opaque(self) -> None:
        transient = self.style().styleHint(QStyle.StyleHint.SH_ScrollBar_Transient, None, self)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, not transient)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            self._say_opaque()


class ColumnView(QTreeView):
    """The points of one column. Keys become `action_requested(name)` for the tab to carry out."""

    action_requested = Signal(str)

    def __init__(self, model: ColumnModel, parent: QWidget | None = None):
        super().__init__(parent)
        #: Where letters typed on the list go (the column's entry line), so none are lost.
        self.entry: EntryField | None = None
        self.setObjectName("boardColumnView")
        #: The current point while its row is taken out to be put back (a move, see
        #: ColumnModel.move_node): it stays the current point, as a moved row would.
        self._held: PointNode | None = None
        # Before setModel: Qt's own handler (connected by setModel) moves the current index
        # off a row about to be removed, so a slot connected after it never sees it there.
        model.rowsAboutToBeRemoved.connect(self._hold_current)
        self.setModel(model)
        self._column_model = model
        self.setAccessibleName(model.heading)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setExpandsOnDoubleClick(False)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setIndentation(22)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # The style's small-icon size, set once: unset, every row measured or painted asks
        # the (Python) style for it, and an Enter measures the whole column again.
        self.setIconSize(QSize(16, 16))
        self.setVerticalScrollBar(OpaqueScrollBar(Qt.Orientation.Vertical, self))
        self.delegate = PointDelegate(self, model)
        self.setItemDelegate(self.delegate)
        model.set_measure(self.delegate.size_for)
        self._relayout = QTimer(self, singleShot=True, interval=0)
        self._relayout.timeout.connect(self._layout_again)
        self._width = self._measured_width = -1
        model.modelReset.connect(self.expandAll)
        model.rowsInserted.connect(self._expand_inserted)
        model.dataChanged.connect(self._data_changed)

    @property
    def column_model(self) -> ColumnModel:
        return self._column_model

    def drawBranches(self, painter: QPainter, rect: QRect, index: Index) -> None:  # noqa: N802 - bullets replace them
        return

    def drawRow(  # noqa: N802 - Qt API
        self, painter: QPainter, option: QStyleOptionViewItem, index: Index
    ) -> None:
        """A row's selection, find highlight and focus frame start at its bullet: painted
        across the indent, a selected sub-point showed a solid block left of its text."""
        indent = self._column_model.node_at(index).depth() * self.indentation()
        painter.save()
        painter.setClipRect(option.rect.adjusted(indent, 0, 0, 0), Qt.ClipOperation.IntersectClip)
        super().drawRow(painter, option, index)
        painter.restore()

    def _hold_current(self, parent: QModelIndex, first: int, last: int) -> None:
        current = self.currentIndex()
        self._held = None
        if not current.isValid():
            return
        node = self._column_model.node_at(current)
        if node.item is None:  # ColumnModel.remove_node lets go of the rows it takes out first
            self._held = node

    def _expand_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            self.expand(parent)
        model = self._column_model
        siblings = model.node_at(parent).children
        for row in range(first, last + 1):
            if siblings[row].children:  # a point typed has none: nothing to open, nor to keep
                self.expandRecursively(model.index(row, 0, parent))
        held, self._held = self._held, None
        if held is not None and held.item is not None and held.item.model() is model:
            self.setCurrentIndex(model.index_of(held))  # put back in this column: current again

    def _data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Sequence[int] = ()
    ) -> None:
        if (
            not roles
            or Qt.ItemDataRole.DisplayRole in roles
            or Qt.ItemDataRole.DecorationRole in roles
        ):
            self._relayout.start()

    def _layout_again(self) -> None:
        if self._measured_width != self._width:  # the rows' heights, once per burst of resizes
            self._measured_width = self._width
            self.delegate.clear_cache()
            self._column_model.remeasure()
        self.scheduleDelayedItemsLayout()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the rows' heights, stored on them, too
            self._measured_width = -1
            self._relayout.start()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.viewport().width() != self._width:
            self._width = self.viewport().width()
            self._relayout.start()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.model().rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            rect = self.viewport().rect().adjusted(12, 12, -12, -12)
            painter.drawText(
                rect,
                Qt.AlignmentFlag.AlignTop
                | Qt.AlignmentFlag.AlignHCenter
                | Qt.TextFlag.TextWordWrap,
                EMPTY_HINT,
            )
            painter.end()

    def current_handle(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.column_model.node_at(index).handle

    def event(self, event: QEvent) -> bool:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key()
            in (
                Qt.Key.Key_Tab,
                Qt.Key.Key_Backtab,
            )
        ):
            mods = event.modifiers()
            backwards = event.key() == Qt.Key.Key_Backtab or bool(
                mods & Qt.KeyboardModifier.ShiftModifier
            )
            if mods & Qt.KeyboardModifier.ControlModifier:
                # Ctrl+Tab always leaves the column, as in other editors that use Tab.
                return self.focusNextPrevChild(not backwards)
            if (
                self.currentIndex().isValid()
                and self.state() != QAbstractItemView.State.EditingState
            ):
                self.action_requested.emit("outdent" if backwards else "indent")
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        kind = undo_kind(event)
        if kind is not None:
            self.action_requested.emit(kind)
            return
        if event.modifiers() == _ALT and event.key() in _ALT_KEYS:
            self.action_requested.emit(_ALT_KEYS[event.key()])
            return
        if event.key() == Qt.Key.Key_Delete and not event.modifiers():
            self.action_requested.emit("delete")
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.action_requested.emit("paste")
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.action_requested.emit("copy")
            return
        if QKeySequence(event.keyCombination()) == QKeySequence(PROMOTE_KEYS):
            self.action_requested.emit("promote")
            return
        if typed_text(event) and self.entry is not None and self.entry.isEnabled():
            # Typing on the list (having forgotten to go back to the line) types into the
            # line; the list's own type-ahead would have swallowed the letters.
            self.entry.setFocus(Qt.FocusReason.OtherFocusReason)
            QApplication.sendEvent(self.entry, event)
            return
        if event.key() == Qt.Key.Key_Escape and self.currentIndex().isValid():
            # Let go of the point, so Tab moves on to the next control again.
            self.clearSelection()
            self.setCurrentIndex(QModelIndex())
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - Qt API
        """No type-ahead: typed letters go to the entry line (see keyPressEvent)."""

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        if event.reason() == event.Reason.Keyboard:  # the Menu key: the current point's menu
            index = self.currentIndex()
            where = self.viewport().mapToGlobal(self.visualRect(index).center())
        else:
            index = self.indexAt(event.pos())
            where = event.globalPos()
        if index.isValid():
            self.setCurrentIndex(index)
            self.context_menu(index).exec(where)

    def context_menu(self, index: QModelIndex) -> QMenu:
        """Edit, promote (in the Safety plan column) or show in the plan, copy, delete."""
        menu = QMenu(self)
        edit = menu.addAction("Edit point")
        edit.setShortcut(QKeySequence("F2"))
        edit.triggered.connect(lambda: self.edit(index))
        if self.column_model.column == "safety_plan":
            linked = index.data(LinkRole) is not None
            promote = menu.addAction("Show in action plan" if linked else "Promote to action plan")
            promote.setShortcut(QKeySequence(PROMOTE_KEYS))
            promote.triggered.connect(lambda: self.action_requested.emit("promote"))
        menu.addSeparator()
        copy = menu.addAction("Copy")
        copy.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        copy.triggered.connect(lambda: self.action_requested.emit("copy"))
        delete = menu.addAction("Delete point")
        delete.setShortcut(QKeySequence("Del"))
        delete.triggered.connect(lambda: self.action_requested.emit("delete"))
        return menu


class ColumnPane(QFrame):
    """Heading, points and entry field of one column."""

    def __init__(self, model: ColumnModel, number: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.column = model.column
        heading_text = vocab.BOARD_COLUMNS[self.column]
        self.setObjectName("boardColumn")
        self.setProperty("column", self.column)
        self.heading = QLabel(heading_text, self)
        self.heading.setObjectName("boardHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet(
            f"QLabel#boardHeading {{ border-top: 5px solid {COLUMN_COLOURS[self.column]}; }}"
        )
        self.view = ColumnView(model, self)
        self.heading.setBuddy(self.view)
        self.entry = EntryField(self, model)
        self.entry.setObjectName("boardEntry")
        self.entry.set_label(f"Add to {heading_text}")
        self.entry.setToolTip(
            f"Type a point and press Enter (Ctrl+{number} jumps here).\n"
            f"{NEST_KEYS} (once typed): make it a sub-point of the point above · "
            f"{UNNEST_KEYS}: back out a level · {ADD_NESTED_KEYS}: add it as a sub-point.\n"
            "Paste several lines to add one point per line, nested as they were."
        )
        self.view.entry = self.entry
        promote = " · Ctrl+P: promote to the action plan" if self.column == "safety_plan" else ""
        self.view.setToolTip(
            "F2 or double-click: edit · Tab / Shift+Tab: make a sub-point or lift it out · "
            "Alt+Up/Down: reorder · Alt+Left/Right: move to another column · Delete: remove · "
            f"Esc then Tab: leave the column{promote} · "
            "Typing: goes into the line below, as a new point"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.entry)
