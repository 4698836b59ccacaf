"""The invite list's table view: its Name column kept in view while it scrolls sideways, and
what it says when it shows no rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast, overload

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt
from PySide6.QtGui import QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QFrame, QTableView, QWidget

from csfacilitator.gui.invites.invite_delegates import TrackingDelegate
from csfacilitator.gui.invites.invitee_table_model import InviteeFilterProxy, InviteeTableModel
from csfacilitator.gui.widgets.model_index import Index

M = InviteeTableModel

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

    @classmethod
    def showing(cls, model: QAbstractItemModel) -> InviteTable:
        """The invite list's table over `model` (the filter proxy): cells chosen one by one,
        typing edits, columns at their starting widths, sorted by a header click."""
        table = cls()
        table.setAccessibleName("Invite list")
        table.setModel(model)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        # Arrow keys move between cells; Tab leaves the table (and, while editing, moves on).
        table.setTabKeyNavigation(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 14)
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(48)
        table.setSortingEnabled(True)
        for column, width in COLUMN_WIDTHS.items():
            table.setColumnWidth(column, width)
        return table

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
