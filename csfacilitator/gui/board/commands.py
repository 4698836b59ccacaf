"""Undoable board changes. Each command is performed once *before* it is pushed (so a refused
change never reaches the stack); QUndoStack's first redo() is then skipped.

Commands name points by handle (see BoardDocument), so they keep working when undoing a delete
gives points new database ids.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from csfacilitator.errors import UserError
from csfacilitator.gui.board.document import BoardDocument, Deleted, Location


class BoardCommand(QUndoCommand):
    #: Called with a message when an undo or redo could not be stored.
    on_failure: Callable[[str], None] | None = None
    #: Called with the handle of the point to show after undo/redo (or None).
    on_reveal: Callable[[int | None], None] | None = None

    def __init__(self, document: BoardDocument, text: str):
        super().__init__(text)
        self.document = document
        self._skip_redo = False

    def perform(self) -> None:
        """The first run; raises UserError (and changes nothing) if the change is refused."""
        self._redo()
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:  # QUndoStack.push() calls redo(); perform() already did it
            self._skip_redo = False
            return
        self._guarded(self._redo, self._reveal_after_redo)

    def undo(self) -> None:
        self._guarded(self._undo, self._reveal_after_undo)

    def _guarded(self, action: Callable[[], None], reveal: Callable[[], int | None]) -> None:
        try:
            action()
        except (UserError, KeyError) as exc:
            self.setObsolete(True)
            if self.on_failure is not None:
                message = str(exc) if isinstance(exc, UserError) else "That point has gone."
                self.on_failure(f"Could not {self.text().lower()}: {message}")
            return
        if self.on_reveal is not None:
            self.on_reveal(reveal())

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError

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

    def _redo(self) -> None:
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


class EditPoint(BoardCommand):
    def __init__(self, document: BoardDocument, handle: int, new_text: str):
        super().__init__(document, "Edit point")
        self.handle = handle
        self.old_text = document.node(handle).text
        self.new_text = new_text

    def _redo(self) -> None:
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

    def _redo(self) -> None:
        self.deleted = self.document.delete(self.handle)

    def _undo(self) -> None:
        self.document.restore(self.deleted)

    def _reveal_after_undo(self) -> int | None:
        return self.handle


class MovePoint(BoardCommand):
    """Reorder, indent, outdent or move to another column (by keys or by dragging)."""

    def __init__(self, document: BoardDocument, handle: int, target: Location, label: str):
        super().__init__(document, label)
        self.handle = handle
        self.origin = document.location(handle)
        self.target = target

    def _redo(self) -> None:
        t = self.target
        self.document.move(self.handle, t.column, t.parent_handle, t.row)
        self.target = self.document.location(self.handle)

    def _undo(self) -> None:
        o = self.origin
        self.document.move(self.handle, o.column, o.parent_handle, o.row)

    def _reveal_after_redo(self) -> int | None:
        return self.handle

    def _reveal_after_undo(self) -> int | None:
        return self.handle
