"""Feeds the projector from the live board, point by point.

The board's four column models already say exactly what changed (Qt's rowsInserted and
dataChanged, emitted by `BoardDocument` after each stored change), so an Enter hands the projector
the one new bullet and an edit the one changed bullet; nothing re-reads or re-copies the other
points. Structural changes (a delete, a move, undoing them, a meeting loaded) rebuild only the
column concerned, from memory. The header (title, meeting, current item) is compared on each
`board_changed` and passed on only when it changed.

Points flagged by the privacy guard (`BoardDocument.flags`) are handed over masked: the projector
never receives their text.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt

from csfacilitator.core.meetings import meeting_label
from csfacilitator.gui.board.column_model import PointNode
from csfacilitator.gui.board.projector_layout import Entry, entry, index_of

if TYPE_CHECKING:
    from csfacilitator.gui.board.board_tab import BoardTab
    from csfacilitator.gui.board.document import BoardDocument
    from csfacilitator.gui.board.projector import ProjectorWindow

#: dataChanged with only these roles says nothing about a point's text (find, flags' tooltips).
_NOT_TEXT = frozenset(
    {
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
    }
)


class ProjectorFeed(QObject):
    """Keeps one projector in step with one board tab."""

    def __init__(self, tab: BoardTab, projector: ProjectorWindow):
        super().__init__(projector)
        self.tab = tab
        self.document: BoardDocument = tab.document
        self.projector = projector
        #: Handles of the points shown masked, as last handed over.
        self._masked: set[int] = set()
        for key, model in self.document.models.items():
            model.rowsInserted.connect(
                lambda parent, first, last, k=key: self._inserted(k, parent, first, last)
            )
            model.dataChanged.connect(
                lambda top, bottom, roles=(), k=key: self._data_changed(k, top, bottom, roles)
            )
            for signal in (
                model.rowsRemoved,
                model.modelReset,
                model.layoutChanged,
            ):
                signal.connect(lambda *_args, k=key: self.rebuild_column(k))
        self.document.flags_changed.connect(self._flags_changed)
        tab.board_changed.connect(self.update_header)
        self.rebuild()

    # -- whole board ----------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Hand over the whole board (on opening)."""
        self.update_header()
        self._masked = set(self.document.flags)
        for key in self.document.models:
            self.rebuild_column(key)

    def rebuild_column(self, key: str) -> None:
        model = self.document.models[key]
        flags = self.document.flags
        entries: list[Entry] = []
        for top in model.root.children:
            self._flatten(top, 0, flags, entries)
        self._masked.difference_update(
            h for h in list(self._masked) if h not in self.document.nodes
        )
        self.projector.set_column(key, entries)

    def update_header(self) -> None:
        tab = self.tab
        label = meeting_label(tab.meeting, tab.meetings) if tab.meeting is not None else ""
        self.projector.set_header(tab.conference_title, label, tab.agenda.current_title())

    # -- one point at a time --------------------------------------------------------------------

    def _flatten(
        self, node: PointNode, depth: int, flags: Container[int], into: list[Entry]
    ) -> None:
        masked = node.handle in flags
        if masked:
            self._masked.add(node.handle)
        else:
            self._masked.discard(node.handle)
        into.append(entry(node.stored_id(), depth, node.text, masked))
        for child in node.children:
            self._flatten(child, depth + 1, flags, into)

    def _inserted(self, key: str, parent: QModelIndex, first: int, last: int) -> None:
        model = self.document.models[key]
        parent_node = model.node_at(parent)
        siblings = parent_node.children
        depth = 0 if parent_node is model.root else parent_node.depth() + 1
        entries: list[Entry] = []
        for node in siblings[first : last + 1]:
            self._flatten(node, depth, self.document.flags, entries)
        # Where the first new point goes: after the one just before it in reading order.
        before = None
        if first > 0:
            before = siblings[first - 1]
            while before.children:
                before = before.children[-1]
        elif parent_node is not model.root:
            before = parent_node
        shown = self.projector.content.column(key)
        index = 0 if before is None else index_of(shown, before.id)
        if index is None:  # out of step (should not happen): hand over the whole column
            self.rebuild_column(key)
            return
        if before is not None:
            index += 1
        self.projector.insert_entries(key, index, entries, anchor=siblings[last].id)

    def _data_changed(
        self, key: str, top: QModelIndex, bottom: QModelIndex, roles: Sequence[int]
    ) -> None:
        if roles and _NOT_TEXT.issuperset(roles):
            return
        model = self.document.models[key]
        parent = top.parent()
        for row in range(top.row(), bottom.row() + 1):
            node = model.node_at(model.index(row, 0, parent))
            if node is not model.root:
                self._update_point(key, node, anchor=True)

    def _update_point(self, key: str, node: PointNode, *, anchor: bool) -> None:
        shown = self.projector.content.column(key)
        index = index_of(shown, node.id)
        if index is None:
            self.rebuild_column(key)
            return
        masked = node.handle in self.document.flags
        if masked:
            self._masked.add(node.handle)
        else:
            self._masked.discard(node.handle)
        new = entry(node.stored_id(), shown[index].depth, node.text, masked)
        self.projector.replace_entry(key, index, new, anchor=anchor and new != shown[index])

    def _flags_changed(self) -> None:
        """Mask or unmask only the points whose flag changed (the keep-out list, an edit)."""
        now = set(self.document.flags)
        for handle in now.symmetric_difference(self._masked):
            node = self.document.nodes.get(handle)
            if node is None:
                self._masked.discard(handle)
                continue
            self._update_point(self.document.column_of(node), node, anchor=False)
