"""Undoable board changes, on the one undo base (`gui/undo.py`): each is made once *before* it
is pushed (so a refused change never reaches the stack), and later undo and redo are guarded.

Commands name points by handle (see BoardDocument): a handle names a node of the board kept in
memory, and stays with it when undoing a delete puts the point back (with its own id).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Protocol, cast

from csfacilitator.core.board import MAX_DEPTH
from csfacilitator.errors import UserError
from csfacilitator.gui.board.document import BoardDocument, Deleted, Location
from csfacilitator.gui.board.entry_field import OutlineItem, bottom_chain
from csfacilitator.gui.undo import Change, UndoTarget


class BoardTarget(UndoTarget, Protocol):
    """What the board's commands need of the board (`BoardTab`): say why a step failed, show
    the stored board again, and show the point a step changed (None: nothing to show)."""

    def show_point(self, handle: int | None) -> None: ...


class BoardCommand(Change):
    """A change to the board document. `target` is named by the board when it pushes the
    command (`BoardTab._push`), so a command is built from the document alone."""

    target: BoardTarget

    def __init__(self, document: BoardDocument, text: str):
        super().__init__(cast(BoardTarget, None), text)
        self.document = document

    def _settled(self, verb: str) -> None:
        after = self._reveal_after_redo if verb == "redo" else self._reveal_after_undo
        self.target.show_point(after())

    def _reveal_after_redo(self) -> int | None:
        return None

    def _reveal_after_undo(self) -> int | None:
        return None


class AddPoints(BoardCommand):
    """One or more new points in a row (one line typed, or many pasted: one undo step)."""

    def __init__(
        self,
        document: BoardDocument,
        column: str,
        texts: list[str],
        *,
        parent_handle: int | None = None,
        row: int | None = None,
    ):
        label = "Add point" if len(texts) == 1 else f"Add {len(texts)} points"
        super().__init__(document, label)
        self.column, self.texts, self.parent_handle, self.row = column, texts, parent_handle, row
        self.handles: list[int] = []

    def _do(self) -> None:
        handles = self.document.add(
            self.column, self.parent_handle, self.row, self.texts, self.handles or None
        )
        if not self.handles:
            self.handles = handles
            self.row = self.document.location(handles[0]).row
            self.texts = [self.document.node(h).text for h in handles]
            if len(handles) != 1:
                self.setText(f"Add {len(handles)} points")

    def _undo(self) -> None:
        for handle in reversed(self.handles):
            self.document.delete(handle)

    def _reveal_after_redo(self) -> int | None:
        return self.handles[-1]


class AddOutline(BoardCommand):
    """Pasted lines with their levels, as nested points in one undo step.

    `lines` holds (level, text) items (a plain text counts as level 0). Level 0 goes under
    `parent_handle` (None: the column itself), from `row` on; each deeper line goes under the
    line before it that is one level up. With no `row` the lines go at the end, and a first
    line deeper than 0 goes under the last point there (as the entry line's level does).
    Lines deeper than the board allows stay at its deepest level. Each run of lines with the
    same parent is one `AddPoints` inside this command.
    """

    def __init__(
        self,
        document: BoardDocument,
        column: str,
        lines: Sequence[str | OutlineItem],
        *,
        parent_handle: int | None = None,
        row: int | None = None,
    ):
        super().__init__(document, "Add point" if len(lines) == 1 else f"Add {len(lines)} points")
        self.column, self.parent_handle, self.row = column, parent_handle, row
        self.lines: list[OutlineItem] = [
            line if isinstance(line, tuple) else (0, line) for line in lines
        ]
        self.steps: list[AddPoints] = []
        self.handles: list[int] = []

    def _runs(self) -> Generator[tuple[int | None, int | None, list[str]], list[int], None]:
        """(parent handle, row, texts) for each run of lines, worked out as they are added."""
        doc = self.document
        parent = doc.models[self.column].root
        if self.parent_handle is not None:
            parent = doc.node(self.parent_handle)
        base_depth = parent.depth() + 1 if self.parent_handle is not None else 0
        deepest = MAX_DEPTH - 1 - base_depth
        chain = [n.handle for n in bottom_chain(parent)] if self.row is None else []
        open_handles: list[int] = chain  # open_handles[k]: the last point at level k
        top_added = 0
        index = 0
        while index < len(self.lines):
            level = max(0, min(self.lines[index][0], len(open_handles), deepest))
            texts = []
            while index < len(self.lines):
                wanted = max(0, min(self.lines[index][0], len(open_handles), deepest))
                if wanted != level:
                    break
                texts.append(self.lines[index][1])
                index += 1
                if level < deepest and index < len(self.lines) and self.lines[index][0] > level:
                    break  # the next line goes under this one
            under = self.parent_handle if level == 0 else open_handles[level - 1]
            row = None
            if level == 0 and self.row is not None:
                row = self.row + top_added
            handles = yield under, row, texts
            if level == 0:
                top_added += len(handles)
            open_handles = open_handles[:level] + [handles[-1]]

    def _do(self) -> None:
        if self.steps:
            for step in self.steps:
                step._do()
            return
        runs = self._runs()
        try:
            under, row, texts = next(runs)
            while True:
                step = AddPoints(self.document, self.column, texts, parent_handle=under, row=row)
                step._do()
                self.steps.append(step)
                self.handles.extend(step.handles)
                under, row, texts = runs.send(step.handles)
        except StopIteration:
            pass
        except (UserError, KeyError):
            for step in reversed(self.steps):  # nothing half-added
                step._undo()
            self.steps, self.handles = [], []
            raise
        if len(self.handles) != 1:
            self.setText(f"Add {len(self.handles)} points")

    def _undo(self) -> None:
        for step in reversed(self.steps):
            step._undo()

    def _reveal_after_redo(self) -> int | None:
        return self.handles[-1] if self.handles else None


class EditPoint(BoardCommand):
    def __init__(self, document: BoardDocument, handle: int, new_text: str):
        super().__init__(document, "Edit point")
        self.handle = handle
        self.old_text = document.node(handle).text
        self.new_text = new_text

    def _do(self) -> None:
        self.new_text = self.document.edit(self.handle, self.new_text)

    def _undo(self) -> None:
        self.document.edit(self.handle, self.old_text)

    def _reveal_after_redo(self) -> int | None:
        return self.handle

    def _reveal_after_undo(self) -> int | None:
        return self.handle


class DeletePoint(BoardCommand):
    def __init__(self, document: BoardDocument, handle: int):
        node = document.node(handle)
        count = sum(1 for _ in node.walk()) - 1
        label = "Delete point" if not count else f"Delete point and {count} sub-point(s)"
        super().__init__(document, label)
        self.handle = handle
        self.deleted: Deleted | None = None

    def _do(self) -> None:
        self.deleted = self.document.delete(self.handle)

    def _undo(self) -> None:
        if self.deleted is not None:  # always: undo follows the delete
            self.document.restore(self.deleted)

    def _reveal_after_undo(self) -> int | None:
        return self.handle


class MovePoint(BoardCommand):
    """Reorder, indent, outdent or move to another column (by keys or by dragging)."""

    def __init__(self, document: BoardDocument, handle: int, target: Location, label: str):
        super().__init__(document, label)
        self.handle = handle
        self.origin = document.location(handle)
        self.destination = target

    def _do(self) -> None:
        t = self.destination
        self.document.move(self.handle, t.column, t.parent_handle, t.row)
        self.destination = self.document.location(self.handle)

    def _undo(self) -> None:
        o = self.origin
        self.document.move(self.handle, o.column, o.parent_handle, o.row)

    def _reveal_after_redo(self) -> int | None:
        return self.handle

    def _reveal_after_undo(self) -> int | None:
        return self.handle
