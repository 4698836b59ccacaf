"""The board of one meeting held in memory: four column models kept in step with the database.

After loading, the models are the source of truth for what is shown and projected: every
operation stores one small change through `core.board` and then applies the same change to the
models row by row. Points are known to undo commands by a *handle* that survives a delete and
restore (which may give the point a new database id).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal

from csfacilitator.core import board, vocab
from csfacilitator.core.board import PointRecord
from csfacilitator.core.privacy_guard import GuardMatch, check_text, names_pattern
from csfacilitator.errors import UserError
from csfacilitator.gui.board.column_model import ColumnModel, PointNode
from csfacilitator.storage.database import Database

#: (handle, (child trees...)): which handle each point of a deleted subtree had.
HandleTree = tuple[int, tuple["HandleTree", ...]]


@dataclass(frozen=True)
class Location:
    column: str
    parent_handle: int | None
    row: int


@dataclass(frozen=True)
class Deleted:
    """What undoing a delete needs: the stored subtree, its handles and where it was."""

    snapshot: PointRecord
    handles: HandleTree
    location: Location


class BoardDocument(QObject):
    #: After any change to the points (add, edit, move, delete, undo, redo, load).
    changed = Signal()
    #: The set of flagged points (or what they say) changed.
    flags_changed = Signal()
    #: Which points are in the action plan may have changed: a load, a delete or its undo
    #: (an added, edited or moved point keeps its links, so those do not re-read them).
    links_may_change = Signal()
    #: The views asked for an edit or a move; the tab turns these into undoable commands.
    edit_requested = Signal(int, str)
    move_requested = Signal(int, str, object, int)

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.token = f"{id(self):x}"
        self.meeting_id: int | None = None
        self.models = {key: ColumnModel(key, self, self) for key in vocab.BOARD_COLUMNS}
        self.nodes: dict[int, PointNode] = {}
        self.flags: dict[int, list[GuardMatch]] = {}
        self.matches: set[int] = set()
        self.needle = ""
        self._names: re.Pattern[str] | None = None
        self._next_handle = 1
        self._draft_key: str | None = None

    # -- loading ---------------------------------------------------------------------------

    def load(self, meeting_id: int | None, names_to_keep_out: str = "") -> None:
        self.meeting_id = meeting_id
        self._names = names_pattern(names_to_keep_out)
        self.nodes.clear()
        self.flags.clear()
        self.matches.clear()
        tree = board.board_tree(self.db, meeting_id) if meeting_id is not None else {}
        for key, model in self.models.items():
            nodes = [self._build(record, None) for record in tree.get(key, ())]
            model.reset_nodes(nodes)
        self.flags_changed.emit()
        self.links_may_change.emit()
        self.changed.emit()

    def set_names(self, names_to_keep_out: str) -> None:
        """The keep-out list changed: check every point again."""
        self._names = names_pattern(names_to_keep_out)
        self.flags.clear()
        for node in self.nodes.values():
            self._check(node)
        for model in self.models.values():
            model.refresh_all([Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole])
        self.flags_changed.emit()

    def _build(self, record: PointRecord, handles: HandleTree | None) -> PointNode:
        handle = handles[0] if handles is not None else self._new_handle()
        node = PointNode(handle, record.id, record.text, None)
        self.nodes[handle] = node
        self._check(node)
        child_handles = handles[1] if handles is not None else ()
        for index, child in enumerate(record.children):
            sub = child_handles[index] if index < len(child_handles) else None
            child_node = self._build(child, sub)
            child_node.parent = node
            node.children.append(child_node)
        return node

    def _new_handle(self) -> int:
        handle = self._next_handle
        self._next_handle += 1
        return handle

    def _check(self, node: PointNode) -> None:
        found = check_text(node.text, self._names)
        if found:
            self.flags[node.handle] = found
        else:
            self.flags.pop(node.handle, None)
        if self.needle and board.point_matches(node.text, self.needle):
            self.matches.add(node.handle)
        else:
            self.matches.discard(node.handle)

    # -- reading ---------------------------------------------------------------------------

    def node(self, handle: int) -> PointNode:
        return self.nodes[handle]

    def column_of(self, node: PointNode) -> str:
        top = node
        while top.parent is not None and top.parent.parent is not None:
            top = top.parent
        for key, model in self.models.items():
            if top.parent is model.root:
                return key
        raise KeyError(node.handle)

    def model_of(self, handle: int) -> ColumnModel:
        return self.models[self.column_of(self.nodes[handle])]

    def location(self, handle: int) -> Location:
        node = self.nodes[handle]
        parent = node.parent
        parent_handle = None if parent is None or parent.parent is None else parent.handle
        return Location(self.column_of(node), parent_handle, node.row())

    def _parent_node(self, column: str, parent_handle: int | None) -> PointNode:
        if parent_handle is None:
            return self.models[column].root
        return self.nodes[parent_handle]

    def records(self) -> dict[str, tuple[PointRecord, ...]]:
        """The board as plain records, from memory (for the projector)."""
        meeting_id = self.meeting_id or 0

        def build(node: PointNode, column: str, parent_id: int | None, row: int) -> PointRecord:
            children = tuple(
                build(child, column, node.id, index) for index, child in enumerate(node.children)
            )
            return PointRecord(
                node.stored_id(), meeting_id, column, parent_id, row, node.text, children
            )

        return {
            key: tuple(build(n, key, None, i) for i, n in enumerate(model.root.children))
            for key, model in self.models.items()
        }

    def count(self) -> int:
        return len(self.nodes)

    def outline_text(self, handle: int) -> str:
        """A point and its sub-points as indented plain-text bullets (for copy and drag)."""
        lines = []

        def walk(node: PointNode, depth: int) -> None:
            lines.append(f"{'    ' * depth}- {node.text}")
            for child in node.children:
                walk(child, depth + 1)

        walk(self.nodes[handle], 0)
        return "\n".join(lines)

    def flagged(self) -> list[tuple[PointNode, str, list[GuardMatch]]]:
        """Flagged points in board order: (node, column, matches)."""
        result = []
        for key, model in self.models.items():
            for top in model.root.children:
                for node in top.walk():
                    if node.handle in self.flags:
                        result.append((node, key, self.flags[node.handle]))
        return result

    # -- requests from the views -------------------------------------------------------------

    def request_edit(self, handle: int, text: str) -> None:
        self.edit_requested.emit(handle, text)

    def request_move(self, handle: int, column: str, parent_handle: int | None, row: int) -> None:
        self.move_requested.emit(handle, column, parent_handle, row)

    # -- changes: one stored change, then the same change to the models -----------------------

    def _open_meeting(self) -> int:
        """The meeting whose board is loaded; the tab stores nothing while there is none."""
        if self.meeting_id is None:
            raise UserError("Choose a meeting before adding points to the board.")
        return self.meeting_id

    def _finish(self, flags_before: bool) -> None:
        if flags_before or self.flags:
            self.flags_changed.emit()
        self.changed.emit()

    @contextmanager
    def clearing_draft(self, key: str) -> Iterator[None]:
        """Points added inside this block remove the draft `key` in the same write."""
        self._draft_key = key
        try:
            yield
        finally:
            self._draft_key = None

    def add(
        self,
        column: str,
        parent_handle: int | None,
        row: int | None,
        texts: list[str],
        handles: list[int] | None = None,
    ) -> list[int]:
        """Store new points and show them; returns their handles."""
        had_flags = bool(self.flags)
        parent = self._parent_node(column, parent_handle)
        records = board.add_points(
            self.db,
            self._open_meeting(),
            column,
            texts,
            parent_id=parent.id,
            position=row,
            draft_key=self._draft_key,
        )
        nodes = []
        for index, record in enumerate(records):
            given = handles[index] if handles and index < len(handles) else None
            nodes.append(self._build(record, (given, ()) if given is not None else None))
        model = self.models[self.column_of(parent) if parent.parent is not None else column]
        model.insert_nodes(parent, records[0].position, nodes)
        self._finish(had_flags)
        return [node.handle for node in nodes]

    def edit(self, handle: int, text: str) -> str:
        """Store a point's new text; returns the text as stored (cleaned)."""
        had_flags = bool(self.flags)
        node = self.nodes[handle]
        record = board.edit_point(self.db, node.stored_id(), text)
        node.text = record.text
        self._check(node)
        self.model_of(handle).node_changed(node)
        self._finish(had_flags or handle in self.flags)
        return record.text

    def delete(self, handle: int) -> Deleted:
        had_flags = bool(self.flags)
        node = self.nodes[handle]
        location = self.location(handle)
        snapshot = board.delete_point(self.db, node.stored_id())
        model = self.models[location.column]
        model.remove_node(node)
        for gone in node.walk():
            self.nodes.pop(gone.handle, None)
            self.flags.pop(gone.handle, None)
            self.matches.discard(gone.handle)

        def handles_of(n: PointNode) -> HandleTree:
            return (n.handle, tuple(handles_of(c) for c in n.children))

        self._finish(had_flags)
        self.links_may_change.emit()
        return Deleted(snapshot, handles_of(node), location)

    def restore(self, deleted: Deleted) -> int:
        """Put a deleted subtree back where it was, with the same handles."""
        had_flags = bool(self.flags)
        where = deleted.location
        parent_handle = where.parent_handle if where.parent_handle in self.nodes else None
        parent = self._parent_node(where.column, parent_handle)
        snapshot = dataclasses.replace(
            deleted.snapshot, parent_id=parent.id, position=where.row, column=where.column
        )
        record = board.restore_point(self.db, snapshot)
        node = self._build(record, deleted.handles)
        self.models[record.column].insert_nodes(parent, record.position, [node])
        self._finish(had_flags)
        self.links_may_change.emit()
        return node.handle

    def move(self, handle: int, column: str, parent_handle: int | None, row: int | None) -> None:
        """Move a point (and its sub-points); `row` counts the new siblings without it."""
        node = self.nodes[handle]
        parent = self._parent_node(column, parent_handle)
        if parent is not self.models[column].root:
            column = self.column_of(parent)
        record = board.move_point(
            self.db, node.stored_id(), column=column, parent_id=parent.id, position=row
        )
        source = self.model_of(handle)
        target = self.models[record.column]
        if source is target:
            source.move_node(node, parent, record.position)
        else:
            source.remove_node(node)
            target.insert_nodes(parent, record.position, [node])
        self._finish(bool(self.flags))

    # -- find ------------------------------------------------------------------------------

    def set_needle(self, needle: str) -> int:
        """Mark the points containing `needle` (any case); returns how many match."""
        self.needle = needle
        before, self.matches = (
            self.matches,
            {h for h, node in self.nodes.items() if board.point_matches(node.text, needle)},
        )
        for model in self.models.values():
            model.refresh_all([Qt.ItemDataRole.BackgroundRole], before ^ self.matches)
        return len(self.matches)

    def matching_handles(self) -> list[int]:
        """Matches in board order (column by column, top to bottom)."""
        result: list[int] = []
        for model in self.models.values():
            for top in model.root.children:
                result.extend(n.handle for n in top.walk() if n.handle in self.matches)
        return result
