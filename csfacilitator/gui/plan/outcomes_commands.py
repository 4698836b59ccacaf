"""The undo steps of the goals and measures (gui/plan/outcomes_panel.py and the values asked at
a review, measures_at_review.py): each is one core/outcomes.py operation, undone by another.
"""

from __future__ import annotations

from collections.abc import Callable

from csfacilitator.core import outcomes
from csfacilitator.core.removed_rows import RemovedRows
from csfacilitator.gui.undo import Change
from csfacilitator.storage.database import Database


class AddRowChange(Change):
    """Adding a goal or measure: undo removes it; redo puts the same row back."""

    def __init__(self, target, text: str, create: Callable[[], int],  # noqa: ANN001
                 remove: Callable[[int], RemovedRows]):  # fmt: skip
        super().__init__(target, text)
        self.db: Database = target.db
        self.create, self.remove = create, remove
        self.row_id: int | None = None
        self.removed: RemovedRows | None = None

    def _do(self) -> None:
        if self.removed is None:
            self.row_id = self.create()
        else:
            outcomes.restore_rows(self.db, self.removed)
        self.target.resync()

    def _undo(self) -> None:
        assert self.row_id is not None  # undo follows a do
        self.removed = self.remove(self.row_id)
        self.target.resync()


class RemoveRowChange(Change):
    def __init__(self, target, text: str, remove: Callable[[], RemovedRows]):  # noqa: ANN001
        super().__init__(target, text)
        self.db: Database = target.db
        self.remove = remove
        self.removed: RemovedRows | None = None

    def _do(self) -> None:
        self.removed = self.remove()
        self.target.resync()

    def _undo(self) -> None:
        assert self.removed is not None  # undo follows a do
        outcomes.restore_rows(self.db, self.removed)
        self.target.resync()


class EditRowChange(Change):
    """Changing a goal or a measure: `apply(values)` with the new values, undo with the old."""

    def __init__(self, target, text: str, apply: Callable[[dict], object],  # noqa: ANN001
                 old: dict, new: dict):  # fmt: skip
        super().__init__(target, text)
        self.apply, self.old, self.new = apply, old, new

    def _do(self) -> None:
        self.apply(self.new)
        self.target.resync()

    def _undo(self) -> None:
        self.apply(self.old)
        self.target.resync()


class RecordValueChange(Change):
    """A measure's value (and note) at a meeting; undo puts back what was there."""

    def __init__(self, target, measure_id: int, meeting_id: int,  # noqa: ANN001
                 old: tuple[str, str], new: tuple[str, str], text: str):  # fmt: skip
        super().__init__(target, text)
        self.db: Database = target.db
        self.measure_id, self.meeting_id, self.old, self.new = measure_id, meeting_id, old, new

    def _set(self, value: tuple[str, str]) -> None:
        outcomes.record_value(self.db, self.measure_id, self.meeting_id, *value)
        self.target.resync()

    def _do(self) -> None:
        self._set(self.new)

    def _undo(self) -> None:
        self._set(self.old)
