"""The one way the app's changes are undone: `Change`, and `push` to put one on a stack.

A change is made *before* it is pushed, so a change the core refuses never reaches the stack
(the message is the caller's to show); QUndoStack's first redo() is then skipped. A change the
view has already stored itself (a cell edit committed by a model) goes on with `push_made`.
Later undo and redo are guarded: if the core refuses (UserError) or a row has gone
(LookupError), the command marks itself obsolete, the target resynchronises its view from the
database and says why; when they go through, `_settled` lets a feature show the row again.

Commands name rows by their database ids: ids are never reused and undoing a delete puts the
same rows back with the same ids (core/removed_rows.py), so no command needs its own map of
"old id to new id".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QUndoCommand, QUndoStack

from csfacilitator.errors import UserError


class UndoTarget(Protocol):
    """What a command needs of the view it changes: a way to say what went wrong and to show
    the stored state again."""

    def report(self, message: str) -> None: ...

    def resync(self) -> None: ...


class Change(QUndoCommand):
    """Subclasses implement `_do` and `_undo` (each one core operation, or a few)."""

    def __init__(self, target: UndoTarget, text: str):
        super().__init__(text)
        self.target = target
        self._performed = False

    def perform(self) -> None:
        """The first run: raises UserError, having changed nothing, if the core refuses."""
        self._do()
        self._performed = True

    def redo(self) -> None:
        if self._performed:  # push() calls redo(); perform() already made the change
            self._performed = False
            return
        self._guarded(self._do, "redo")

    def undo(self) -> None:
        self._guarded(self._undo, "undo")

    def _guarded(self, step, verb: str) -> None:  # noqa: ANN001 - a bound method
        try:
            step()
        except (UserError, LookupError) as exc:
            self.setObsolete(True)
            reason = str(exc) if isinstance(exc, UserError) else "it is no longer there."
            self.target.resync()
            self.target.report(f"Could not {verb} “{self.text()}”: {reason}")
            return
        self._settled(verb)

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError

    def _settled(self, verb: str) -> None:
        """After a later undo or redo ("undo"/"redo") went through: e.g. show the row again."""


class ShowsAndReloads:
    """The usual UndoTarget of a panel or tab (a mixin, before its Qt base): says what went
    wrong on its `status_message` signal and shows the stored state again with its `reload()`;
    `push_change` makes a change and puts it on its `undo_stack`, or says why not."""

    def report(self, message: str) -> None:
        self.status_message.emit(message)  # type: ignore[attr-defined]

    def resync(self) -> None:
        self.reload()  # type: ignore[attr-defined]

    def push_change(self, change: Change) -> bool:
        return push_or_say(
            self.undo_stack,  # type: ignore[attr-defined]
            change,
            lambda reason: self.report(f"Could not {change.text().lower()}: {reason}"),
            self.resync,
        )


def push(stack: QUndoStack, change: Change) -> None:
    """Make the change, then put it on `stack`; a UserError propagates with nothing pushed."""
    change.perform()
    stack.push(change)


def push_or_say(
    stack: QUndoStack,
    change: Change,
    say: Callable[[str], object],
    then: Callable[[], object] | None = None,
) -> bool:
    """Make the change and put it on `stack`: True when done. A refused change (a UserError,
    nothing pushed) is said through `say`, then `then` runs (e.g. show the stored state again;
    what was typed stays where it is), and False comes back."""
    try:
        push(stack, change)
    except UserError as exc:
        say(str(exc))
        if then is not None:
            then()
        return False
    return True


def push_made(stack: QUndoStack, change: Change) -> None:
    """Put a change the caller has already stored on `stack`, without making it again."""
    change._performed = True
    stack.push(change)


class RowPresence(Change):
    """A row added (`record` None: `add()` makes it) or removed (`record` given), as one
    command run in either direction; undoing a removal puts the same row back (`restore`)."""

    def __init__(self, target, text: str, *, add=None, restore, delete, after, record=None):  # noqa: ANN001
        super().__init__(target, text)
        self.record, self._adding = record, record is None
        self._add, self._restore, self._delete, self._after = add, restore, delete, after

    def _put(self) -> None:
        self.record = self._add() if self.record is None else self._restore(self.record)
        self._after()

    def _take(self) -> None:
        self.record = self._delete(self.record.id)
        self._after()

    def _do(self) -> None:
        self._put() if self._adding else self._take()

    def _undo(self) -> None:
        self._take() if self._adding else self._put()
