"""One board column as a Qt tree model over plain in-memory nodes.

The models never touch the database. `BoardDocument` changes them row by row after each stored
change, so a new point costs one row, never a reload. Edits and drops made through the views
are handed to the document as requests, which become undoable commands.

The model is a QStandardItemModel: the view lays out the whole column again after every insert
(QTreeView does, for any row added to an expanded parent), asking the model and the delegate
about every row; with the rows held in C++ items and every role (the row's height included)
set on them, none of those questions reaches Python. The PointNode tree is what the board
reasons with; each node's item is derived from it (`_dress`) by this class alone, only when
the node, its flags, matches, links or the column's width change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QSignalBlocker,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel

from csfacilitator.core import vocab
from csfacilitator.core.privacy_guard import GuardMatch
from csfacilitator.core.textclean import one_line, shortened
from csfacilitator.gui.widgets.model_index import Index

if TYPE_CHECKING:
    from csfacilitator.core.plan import BoardLink

MIME_TYPE = "application/x-csfacilitator-board-point"
# About a third of a column; the whole text is kept, shown in the editor (F2) and projected.
DISPLAY_LIMIT = 600

HandleRole = Qt.ItemDataRole.UserRole + 1
MatchRole = Qt.ItemDataRole.UserRole + 2
FlagRole = Qt.ItemDataRole.UserRole + 3
DepthRole = Qt.ItemDataRole.UserRole + 4
#: The point's place in the action plan (core.plan.BoardLink) once promoted, else None.
LinkRole = Qt.ItemDataRole.UserRole + 5

MATCH_COLOUR = QColor("#ffe27a")
_POINT_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsEditable
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemIsDropEnabled
)


class PointNode:
    """A point as the board holds it in memory. `handle` never changes, even when undoing a
    delete gives the point a new database id; undo commands refer to points by handle."""

    __slots__ = ("handle", "id", "text", "parent", "children", "_row", "item")

    def __init__(self, handle: int, point_id: int | None, text: str, parent: PointNode | None):
        self.handle = handle
        self.id = point_id
        self.text = text
        self.parent = parent
        self.children: list[PointNode] = []
        #: Where this node was last seen among its siblings: a hint, checked before use.
        self._row = 0
        #: Its row in the column model while it is shown there (set by ColumnModel only; a
        #: column's root has none: its model's invisible root item is asked for each time, as
        #: a Python reference kept to an item Qt deletes would outlive it).
        self.item: QStandardItem | None = None

    def row(self) -> int:
        """This node's place among its siblings. The last place seen is tried first: one check
        instead of a scan of the siblings, needed only after a change before this node."""
        parent = self.parent
        if parent is None:
            return 0
        siblings = parent.children
        row = self._row
        if row < len(siblings) and siblings[row] is self:
            return row
        row = self._row = siblings.index(self)
        return row

    def depth(self) -> int:
        depth, node = 0, self.parent
        while node is not None and node.parent is not None:
            depth += 1
            node = node.parent
        return depth

    def walk(self) -> Iterator[PointNode]:
        """This node and every node under it, parents first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def stored_id(self) -> int:
        """The point's database id: every node but a column's root has one."""
        if self.id is None:
            raise KeyError(f"board node {self.handle} is a column's root, not a stored point")
        return self.id

    def contains(self, other: PointNode) -> bool:
        node: PointNode | None = other
        while node is not None:
            if node is self:
                return True
            node = node.parent
        return False


class ColumnDocument(Protocol):
    """What a column model reads from and asks of its document (`BoardDocument`)."""

    token: str
    nodes: dict[int, PointNode]
    flags: dict[int, list[GuardMatch]]
    matches: set[int]

    def outline_text(self, handle: int) -> str: ...

    def request_edit(self, handle: int, text: str) -> None: ...

    def request_move(
        self, handle: int, column: str, parent_handle: int | None, row: int
    ) -> None: ...


class PointItem(QStandardItem):
    """A point's row in a column model: its node, and the roles derived from it (`_dress`)."""

    def __init__(self, node: PointNode):
        super().__init__()
        self.node = node


class LongPointItem(PointItem):
    """The row of a point longer than DISPLAY_LIMIT: shown shortened, edited whole. A
    QStandardItem keeps one value for both roles, so this one answers EditRole itself (a call
    into Python on each layout, for these rare rows only)."""

    def data(self, role: int = Qt.ItemDataRole.UserRole + 1) -> Any:  # Qt's own default
        if role == Qt.ItemDataRole.EditRole:
            return self.node.text
        return super().data(role)


def _is_long(node: PointNode) -> bool:
    return len(node.text) > DISPLAY_LIMIT


#: Measures a point's row (its node, the text shown): set by the column's view.
Measure = Callable[[PointNode, str], QSize]


class ColumnModel(QStandardItemModel):
    def __init__(self, column: str, document: ColumnDocument, parent: QObject | None = None):
        super().__init__(parent)
        self.setColumnCount(1)
        self.column = column
        self.heading = vocab.BOARD_COLUMNS[column]
        self.document = document
        self.root = PointNode(0, None, "", None)
        #: Point id -> where it is in the action plan (set by the board's promoter). Typed to
        #: be asked with a node's id, which only the root lacks.
        self.links: dict[int | None, BoardLink] = {}
        self._measure: Measure | None = None

    # -- reading -----------------------------------------------------------------------

    def node_at(self, index: Index) -> PointNode:
        if not index.isValid():
            return self.root
        item = self.itemFromIndex(index)
        return item.node if isinstance(item, PointItem) else self.root

    def index_of(self, node: PointNode) -> QModelIndex:
        if node is self.root or node.parent is None or node.item is None:
            return QModelIndex()
        return node.item.index()

    def _item_of(self, node: PointNode) -> QStandardItem | None:
        return self.invisibleRootItem() if node is self.root else node.item

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and section == 0:
            return self.heading
        return None

    def _roles(self, node: PointNode) -> dict[int, Any]:
        """Every role of a point's row, derived from the node and the document."""
        text = node.text
        long = _is_long(node)
        shown = shortened(text, DISPLAY_LIMIT)
        depth = node.depth()
        flags = self.document.flags.get(node.handle)
        matched = node.handle in self.document.matches
        link = self.links.get(node.id)
        tips = []
        if flags:
            found = "; ".join(f"{m.label.lower()} “{m.matched}”" for m in flags)
            tips.append(f"Check before sharing: this may hold a personal detail ({found}).")
        if long:
            tips.append(f"Shortened here: press F2 to see all {len(text):,} characters.")
        if link is not None:
            tips.append(
                f"In the action plan as “{one_line(link.intervention_text, 80)}”, under "
                f"“{one_line(link.need_text, 80)}”. Ctrl+P shows it there."
            )
        parts = [f"sub-point, level {depth + 1}" if depth else "point"]
        if flags:
            parts.append("check before sharing")
        if matched:
            parts.append("matches find")
        if link is not None:
            parts.append("in the action plan")
        return {
            Qt.ItemDataRole.DisplayRole: shown,
            HandleRole: node.handle,
            DepthRole: depth,
            MatchRole: matched,
            FlagRole: [m.label for m in flags or ()],
            LinkRole: link,
            Qt.ItemDataRole.BackgroundRole: MATCH_COLOUR if matched else None,
            Qt.ItemDataRole.ToolTipRole: "\n".join(tips) if tips else None,
            Qt.ItemDataRole.AccessibleDescriptionRole: ", ".join(parts),
            Qt.ItemDataRole.SizeHintRole: (
                self._measure(node, shown) if self._measure is not None else None
            ),
        }

    def _dress(self, node: PointNode) -> None:
        """Set the roles of the node's row. Its callers block the model's signals (or the row
        is not in the model yet) and then say what changed, as the board did before."""
        item = node.item
        if item is None:
            return
        for role, value in self._roles(node).items():
            item.setData(value, role)

    def _item_for(self, node: PointNode) -> PointItem:
        """A new row for the node and, under it, for each of its sub-points."""
        item = (LongPointItem if _is_long(node) else PointItem)(node)
        item.setFlags(_POINT_FLAGS)
        node.item = item
        self._dress(node)
        if node.children:
            item.appendRows([self._item_for(child) for child in node.children])
        return item

    def set_measure(self, measure: Measure) -> None:
        """How the view measures a row; every row is measured again (see `remeasure`)."""
        self._measure = measure
        self.remeasure()

    def remeasure(self) -> None:
        """Measure every row again (the column's width changed): the view lays them out."""
        measure = self._measure
        if measure is None:
            return
        size_role = Qt.ItemDataRole.SizeHintRole
        with QSignalBlocker(self):  # unblocked even if measuring raises
            for top in self.root.children:
                for node in top.walk():
                    if node.item is not None:
                        node.item.setData(
                            measure(node, node.item.data(Qt.ItemDataRole.DisplayRole)), size_role
                        )

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        """An in-place edit: handed to the document, which turns it into an undoable command."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        self.document.request_edit(self.node_at(index).handle, str(value))
        return True

    # -- drag and drop -----------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME_TYPE, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        data = QMimeData()
        valid = [i for i in indexes if i.isValid()]
        if valid:
            node = self.node_at(valid[0])
            token = f"{self.document.token}:{node.handle}"
            data.setData(MIME_TYPE, QByteArray(token.encode()))
            data.setText(self.document.outline_text(node.handle))
        return data

    def _dragged(self, data: QMimeData) -> PointNode | None:
        if not data.hasFormat(MIME_TYPE):
            return None
        try:
            token, handle = bytes(data.data(MIME_TYPE).data()).decode().split(":")
            if token != self.document.token:
                return None
            return self.document.nodes.get(int(handle))
        except ValueError:
            return None

    def canDropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        node = self._dragged(data)
        return node is not None and not node.contains(self.node_at(parent))

    def dropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Ask for the move; return False so the source view does not remove anything itself."""
        node = self._dragged(data)
        target = self.node_at(parent)
        if node is None or node.contains(target):
            return False
        if row < 0:
            row = len(target.children)
        if node.parent is target and node.row() < row:
            row -= 1
        parent_handle = None if target is self.root else target.handle
        self.document.request_move(node.handle, self.column, parent_handle, row)
        return False

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return False  # only the document removes rows

    # -- changes, made by the document only ------------------------------------------------

    def reset_nodes(self, nodes: list[PointNode]) -> None:
        self.beginResetModel()
        with QSignalBlocker(self):
            for top in self.root.children:
                for gone in top.walk():
                    gone.item = None  # their rows go now; a node kept elsewhere must not reach them
            root = self.invisibleRootItem()
            root.removeRows(0, root.rowCount())
            self.root.children = nodes
            for node in nodes:
                node.parent = self.root
            if nodes:
                root.appendRows([self._item_for(node) for node in nodes])
        self.endResetModel()

    def insert_nodes(self, parent: PointNode, row: int, nodes: list[PointNode]) -> None:
        """Put the nodes (with their sub-points) under `parent` from `row` on: one insert."""
        row = max(0, min(row, len(parent.children)))
        for offset, node in enumerate(nodes):
            node.parent = parent
            node._row = row + offset
            parent.children.insert(row + offset, node)
        items = [self._item_for(node) for node in nodes]
        parent_item = self._item_of(parent)
        if parent_item is not None:
            parent_item.insertRows(row, items)

    def remove_node(self, node: PointNode) -> None:
        parent = node.parent
        if parent is None:  # a column's root, or a node no longer in the model
            return
        row = node.row()
        parent.children.pop(row)
        for gone in node.walk():
            gone.item = None  # its row goes with the one removed
        parent_item = self._item_of(parent)
        if parent_item is not None:
            parent_item.removeRow(row)

    def move_node(self, node: PointNode, new_parent: PointNode, row: int) -> None:
        """Move within this column; `row` counts the new siblings without the node itself.
        Shown as the row removed and put back (a QStandardItemModel has no move of rows)."""
        old_parent, old_row = node.parent, node.row()
        if old_parent is None:  # a column's root, or a node no longer in the model
            return
        siblings = len(new_parent.children) - (1 if new_parent is old_parent else 0)
        row = max(0, min(row, siblings))
        if new_parent is old_parent and row == old_row:
            return
        self.remove_node(node)
        self.insert_nodes(new_parent, row, [node])

    def node_changed(self, node: PointNode) -> None:
        """The node's text (and so its flags) changed: its row is derived again."""
        item = node.item
        if item is None:
            return
        if isinstance(item, LongPointItem) != _is_long(node):
            # Its row answers EditRole itself only if long: a new row of the right kind.
            parent, row = node.parent, node.row()
            if parent is not None:
                self.remove_node(node)
                self.insert_nodes(parent, row, [node])
            return
        self._redress(node)

    def _redress(self, node: PointNode, roles: Sequence[int] = ()) -> None:
        """Derive one row again and say so (with `roles`, what the listeners should look at)."""
        with QSignalBlocker(self):
            self._dress(node)
        index = self.index_of(node)
        self.dataChanged.emit(index, index, list(roles))

    def set_links(self, links: Mapping[int, BoardLink]) -> None:
        """Which points are in the action plan; repaints only the rows whose mark changed."""
        before, self.links = self.links, {k: v for k, v in links.items()}
        changed = {
            k for k in before.keys() | self.links.keys() if before.get(k) != self.links.get(k)
        }
        if not changed:
            return
        pending = list(self.root.children)
        while pending:
            node = pending.pop()
            pending.extend(node.children)
            if node.id in changed:
                self._redress(node)

    def refresh_all(self, roles: list[int], handles: set[int] | None = None) -> None:
        """Derive the rows again and say so with `roles` (what the views and the projector
        should look at): every row (the flags changed everywhere), or only the points
        `handles` (a find: the rows whose match changed)."""
        if handles is not None:
            for top in self.root.children:
                for node in top.walk():
                    if node.handle in handles:
                        self._redress(node, roles)
            return
        with QSignalBlocker(self):
            for top in self.root.children:
                for node in top.walk():
                    self._dress(node)
        pending = [self.root]
        while pending:
            node = pending.pop()
            if node.children:
                parent = self.index_of(node)
                first = self.index(0, 0, parent)
                last = self.index(len(node.children) - 1, 0, parent)
                self.dataChanged.emit(first, last, roles)
                pending.extend(node.children)
