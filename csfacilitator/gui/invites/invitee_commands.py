"""The undo steps of the invite list: a cell edit, one value given to several invitees, and
invitees added or removed.

Each step is stored by the table model before it is pushed (the model's `change`,
`change_many`, `adopt_added` and `remove_invitees`); later undo and redo go through the
model again, guarded by `Change` (gui/undo.py). A step knows only the small `InviteeRows`
protocol, not the model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from csfacilitator.core.invitees import InviteeRecord
from csfacilitator.gui.undo import Change

#: What a step changes: an invitee field, or ("attendance", meeting id).
Key = str | tuple[str, int]


class InviteeRows(Protocol):
    """What the steps need of the invite list: write through the core and show the result,
    say what went wrong (`report`) and read the list again (`resync`)."""

    def write(self, invitee_id: int, key: Key, value: object) -> InviteeRecord: ...

    def write_many(self, key: Key, values: dict[int, object]) -> list[InviteeRecord]: ...

    def delete_many(self, invitee_ids: Sequence[int]) -> list[InviteeRecord]: ...

    def restore_many(self, snapshots: Sequence[InviteeRecord]) -> list[InviteeRecord]: ...

    def report(self, message: str) -> None: ...

    def resync(self) -> None: ...


class InviteeChange(Change):
    """A change the model has already stored when it pushes it (with the stack's own push):
    the first redo does nothing; later undo and redo are guarded (gui/undo.py)."""

    def __init__(self, rows: InviteeRows, text: str):
        super().__init__(rows, text)
        self.rows = rows
        self._performed = True  # stored by the model before it was pushed


class EditCommand(InviteeChange):
    """One stored cell edit."""

    def __init__(
        self, rows: InviteeRows, invitee_id: int, key: Key, old: object, new: object, text: str
    ):
        super().__init__(rows, text)
        self.invitee_id, self.key = invitee_id, key
        self.old, self.new = old, new

    def _do(self) -> None:
        self.rows.write(self.invitee_id, self.key, self.new)

    def _undo(self) -> None:
        self.rows.write(self.invitee_id, self.key, self.old)


class BulkCommand(InviteeChange):
    """One value given to several invitees at once; undo puts back each invitee's own earlier
    value, in one transaction."""

    def __init__(
        self,
        rows: InviteeRows,
        key: Key,
        old: dict[int, object],
        new: dict[int, object],
        text: str,
    ):
        super().__init__(rows, text)
        self.key, self.old, self.new = key, old, new

    def _do(self) -> None:
        self.rows.write_many(self.key, self.new)

    def _undo(self) -> None:
        self.rows.write_many(self.key, self.old)


class RowsCommand(InviteeChange):
    """Invitees added or removed; undoing one is doing the other, and rows come back at the
    positions they had, with their own ids."""

    def __init__(self, rows: InviteeRows, records: list[InviteeRecord], text: str, *, added: bool):
        super().__init__(rows, text)
        self.snapshots, self.added = records, added

    def _put(self, present: bool) -> None:
        if present:
            self.snapshots = self.rows.restore_many(self.snapshots)
        else:
            self.snapshots = self.rows.delete_many([s.id for s in self.snapshots])

    def _do(self) -> None:
        self._put(self.added)

    def _undo(self) -> None:
        self._put(not self.added)
