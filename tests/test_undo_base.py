"""The one undo base: made before it is pushed, guarded after, obsolete and resynced on failure."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from csfacilitator.errors import UserError
from csfacilitator.gui.undo import Change, push


class Target:
    def __init__(self):
        self.messages: list[str] = []
        self.resyncs = 0

    def report(self, message: str) -> None:
        self.messages.append(message)

    def resync(self) -> None:
        self.resyncs += 1


class Counter(Change):
    def __init__(self, target, store: list[int], *, refuse_first=False, undo_fails=None):
        super().__init__(target, "Add one")
        self.store, self.refuse_first, self.undo_fails = store, refuse_first, undo_fails

    def _do(self) -> None:
        if self.refuse_first:
            raise UserError("Not allowed.")
        self.store.append(1)

    def _undo(self) -> None:
        if self.undo_fails is not None:
            raise self.undo_fails
        self.store.pop()


def test_made_once_before_push_then_undone_and_redone(qtbot):
    stack, store, target = QUndoStack(), [], Target()
    push(stack, Counter(target, store))
    assert store == [1] and stack.count() == 1  # push's redo() did not add a second
    stack.undo()
    assert store == []
    stack.redo()
    assert store == [1] and target.messages == []


def test_a_refused_change_never_reaches_the_stack(qtbot):
    stack, store = QUndoStack(), []
    with pytest.raises(UserError, match="Not allowed"):
        push(stack, Counter(Target(), store, refuse_first=True))
    assert store == [] and stack.count() == 0


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (UserError("The meeting was removed."), "The meeting was removed."),
        (KeyError(7), "it is no longer there."),
    ],
)
def test_a_failed_undo_resyncs_says_why_and_leaves_the_stack(qtbot, failure, reason):
    stack, store, target = QUndoStack(), [], Target()
    push(stack, Counter(target, store, undo_fails=failure))
    stack.undo()
    assert target.resyncs == 1
    assert target.messages == [f"Could not undo “Add one”: {reason}"]
    assert stack.count() == 0  # obsolete: dropped, so Ctrl+Z moves on to the step before
