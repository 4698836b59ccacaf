"""One board column as a Qt tree model over plain in-memory nodes.

The models never touch the database. `BoardDocument` changes them row by row (begin/end
Insert/Remove/Move) after each stored change, so a new point costs one row, never a reload.
Edits and drops made through the views are handed to the document as requests, which become
undoable commands.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, overload

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtGui import QColor

from csfacilitator.core import vocab
from csfacilitator.core.privacy_guard import GuardMatch
from csfacilitator.core.textclean import one_line
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
# Asked for every row on every layout: combined once, not per call.
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

    __slots__ = ("handle", "id", "text", "parent", "children", "_row")

    def __init__(self, handle: int, point_id: int | None, text: str, parent: PointNode | None):
        self.handle = handle
        self.id = point_id
        self.text = text
        self.parent = parent
        self.children: list[PointNode] = []
        #: Where this node was last seen among its siblings: a hint, checked before use.
        self._row = 0

    def row(self) -> int:
        """This node's place among its siblings. The view asks for it for every row on each
        layout (through parent()), so the last place seen is tried first: one check instead
        of a scan of the siblings, which is needed only after a change before this node."""
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


class ColumnModel(QAbstractItemModel):
    def __init__(self, column: str, document: ColumnDocument, parent: QObject | None = None):
        super().__init__(parent)
        self.column = column
        self.heading = vocab.BOARD_COLUMNS[column]
        self.document = document
        self.root = PointNode(0, None, "", None)
        #: Point id -> where it is in the action plan (set by the board's promoter). Typed to
        #: be asked with a node's id, which only the root lacks.
        self.links: dict[int | None, BoardLink] = {}

    # -- reading -----------------------------------------------------------------------

    def node_at(self, index: Index) -> PointNode:
        return index.internalPointer() if index.isValid() else self.root

    def index_of(self, node: PointNode) -> QModelIndex:
        if node is self.root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    def index(self, row: int, column: int = 0, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Asked for every row on each layout of the view: kept to one Python call."""
        children = (parent.internalPointer() if parent.isValid() else self.root).children
        if column != 0 or not 0 <= row < len(children):
            return QModelIndex()
        child = children[row]
        child._row = row  # keeps row() a single check after a change earlier in the list
        return self.createIndex(row, 0, child)

    @overload
    def parent(self) -> QObject | None: ...

    @overload
    def parent(self, index: Index) -> QModelIndex: ...

    def parent(self, index: Index | None = None) -> QModelIndex | QObject | None:
        """The index's parent row; with no index, the model's owner (QObject.parent)."""
        if index is None:
            return super().parent()
        if not index.isValid():
            return QModelIndex()
        parent: PointNode | None = index.internalPointer().parent
        if parent is None or parent.parent is None:  # a top-level row, or a column's root
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self.root.children)
        return len(parent.internalPointer().children) if parent.column() == 0 else 0

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        """Asked for every row on each layout of the view: one call here instead of Qt's
        default, which asks rowCount and then columnCount (each a call into Python)."""
        return bool((parent.internalPointer() if parent.isValid() else self.root).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 1

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and section == 0:
            return self.heading
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: PointNode = index.internalPointer()
        if role == Qt.ItemDataRole.DisplayRole:
            if len(node.text) > DISPLAY_LIMIT:
                return node.text[:DISPLAY_LIMIT].rstrip() + " …"
            return node.text
        if role == Qt.ItemDataRole.EditRole:
            return node.text
        if role == HandleRole:
            return node.handle
        if role == DepthRole:
            return node.depth()
        if role == MatchRole:
            return node.handle in self.document.matches
        if role == FlagRole:
            return [m.label for m in self.document.flags.get(node.handle, ())]
        if role == LinkRole:
            return self.links.get(node.id)
        if role == Qt.ItemDataRole.BackgroundRole:
            return MATCH_COLOUR if node.handle in self.document.matches else None
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            flags = self.document.flags.get(node.handle)
            if flags:
                found = "; ".join(f"{m.label.lower()} “{m.matched}”" for m in flags)
                tips.append(f"Check before sharing: this may hold a personal detail ({found}).")
            if len(node.text) > DISPLAY_LIMIT:
                tips.append(f"Shortened here: press F2 to see all {len(node.text):,} characters.")
            link = self.links.get(node.id)
            if link is not None:
                tips.append(
                    f"In the action plan as “{one_line(link.intervention_text, 80)}”, under "
                    f"“{one_line(link.need_text, 80)}”. Ctrl+P shows it there."
                )
            return "\n".join(tips) if tips else None
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            parts = [f"sub-point, level {node.depth() + 1}" if node.depth() else "point"]
            if node.handle in self.document.flags:
                parts.append("check before sharing")
            if node.handle in self.document.matches:
                parts.append("matches find")
            if node.id in self.links:
                parts.append("in the action plan")
            return ", ".join(parts)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _POINT_FLAGS if index.isValid() else Qt.ItemFlag.ItemIsDropEnabled

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        """An in-place edit: handed to the document, which turns it into an undoable command."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        node: PointNode = index.internalPointer()
        self.document.request_edit(node.handle, str(value))
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
            node: PointNode = valid[0].internalPointer()
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
        self.root.children = nodes
        for node in nodes:
            node.parent = self.root
        self.endResetModel()

    def insert_nodes(self, parent: PointNode, row: int, nodes: list[PointNode]) -> None:
        row = max(0, min(row, len(parent.children)))
        self.beginInsertRows(self.index_of(parent), row, row + len(nodes) - 1)
        for offset, node in enumerate(nodes):
            node.parent = parent
            node._row = row + offset
            parent.children.insert(row + offset, node)
        self.endInsertRows()

    def remove_node(self, node: PointNode) -> None:
        parent = node.parent
        if parent is None:  # a column's root, or a node no longer in the model
            return
        row = node.row()
        self.beginRemoveRows(self.index_of(parent), row, row)
        parent.children.pop(row)
        self.endRemoveRows()

    def move_node(self, node: PointNode, new_parent: PointNode, row: int) -> None:
        """Move within this column; `row` counts the new siblings without the node itself."""
        old_parent, old_row = node.parent, node.row()
        if old_parent is None:  # a column's root, or a node no longer in the model
            return
        siblings = len(new_parent.children) - (1 if new_parent is old_parent else 0)
        row = max(0, min(row, siblings))
        if new_parent is old_parent and row == old_row:
            return
        destination = row + 1 if new_parent is old_parent and row > old_row else row
        self.beginMoveRows(
            self.index_of(old_parent), old_row, old_row, self.index_of(new_parent), destination
        )
        old_parent.children.pop(old_row)
        new_parent.children.insert(row, node)
        node.parent = new_parent
        self.endMoveRows()

    def node_changed(self, node: PointNode) -> None:
        index = self.index_of(node)
        self.dataChanged.emit(index, index)

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
                index = self.index_of(node)
                self.dataChanged.emit(index, index)

    def refresh_all(self, roles: list[int]) -> None:
        """Repaint every row (find or flags changed everywhere)."""
        pending = [self.root]
        while pending:
            node = pending.pop()
            if node.children:
                parent = self.index_of(node)
                first = self.index(0, 0, parent)
                last = self.index(len(node.children) - 1, 0, parent)
                self.dataChanged.emit(first, last, roles)
                pending.extend(node.children)
