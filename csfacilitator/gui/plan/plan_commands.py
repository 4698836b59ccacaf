"""Undoable changes to the plan, on the one undo base (`gui/undo.py`): each is made before it
is pushed, and later undo and redo are guarded. Commands name rows by kind and id: ids are
never reused, and undoing a removal puts the need or intervention back with its own id (and
its interventions' and progress records' ids), so an id held by a command means its row."""

from __future__ import annotations

from typing import Protocol

from csfacilitator.core import plan, reviews
from csfacilitator.gui.autosave import AutosaveGroup
from csfacilitator.gui.plan.plan_model import INTERVENTION, NEED
from csfacilitator.gui.undo import Change, UndoTarget
from csfacilitator.storage.database import Database

FIELD_WORDS = {
    "text": "wording",
    "agency": "agency / team",
    "owner": "owner",
    "timescale": "timescale",
    "due_date": "due date",
    "status": "status",
    "priority_id": "priority",
}


class PlanTarget(UndoTarget, Protocol):
    """What the plan's commands need of the tab (`plan_tab.PlanTab`): `report` says why a step
    failed (and what was undone), `resync` re-reads the plan."""

    db: Database
    autosave: AutosaveGroup

    def after_command(self, focus: tuple[str, int] | None) -> None: ...


class PlanCommand(Change):
    """A change to the plan. `apply` and `revert` return the row to select after them."""

    target: PlanTarget

    def __init__(self, target: PlanTarget, text: str):
        super().__init__(target, text)
        self.focus: tuple[str, int] | None = None

    def _do(self) -> None:
        self.target.autosave.flush()
        self.focus = self.apply()

    def _undo(self) -> None:
        self.target.autosave.flush()
        self.focus = self.revert()

    def _settled(self, verb: str) -> None:
        self.target.after_command(self.focus)
        self.target.report(f"{'Undone' if verb == 'undo' else 'Redone'}: {self.text()}")

    def apply(self):
        raise NotImplementedError

    def revert(self):
        raise NotImplementedError


class RowPresence(PlanCommand):
    """Adding a row and removing it are the same command run in opposite directions."""

    def __init__(self, target: PlanTarget, text: str, kind: str, row_id: int, *, added: bool):
        super().__init__(target, text)
        self.kind, self.row_id, self.added = kind, row_id, added
        self.snapshot: plan.NeedSnapshot | plan.InterventionSnapshot | None = None

    def apply(self):
        return self._restore() if self.added else self._remove()

    def revert(self):
        return self._remove() if self.added else self._restore()

    def _remove(self):
        db = self.target.db
        if self.kind == NEED:
            self.snapshot = plan.delete_need(db, self.row_id)
            return None
        self.snapshot = plan.delete_intervention(db, self.row_id)
        return (NEED, self.snapshot.intervention.need_id)

    def _restore(self):
        db = self.target.db
        if self.kind == NEED:
            self.row_id = plan.restore_need(db, self.snapshot).id
        else:
            self.row_id = plan.restore_intervention(db, self.snapshot).id
        return (self.kind, self.row_id)


class EditCommand(PlanCommand):
    def __init__(
        self, target: PlanTarget, kind: str, row_id: int, field: str, old: object, new: object
    ):
        what = "need" if kind == NEED and field == "text" else FIELD_WORDS.get(field, field)
        super().__init__(target, f"Edit {what}")
        self.kind, self.row_id, self.field, self.old, self.new = kind, row_id, field, old, new

    def _set(self, value):
        if self.kind == NEED and self.field == "priority_id":
            plan.set_need_priority(self.target.db, self.row_id, value)
        elif self.kind == NEED:
            plan.update_need(self.target.db, self.row_id, value)
        else:
            plan.update_intervention(self.target.db, self.row_id, **{self.field: value})
        return (self.kind, self.row_id)

    def apply(self):
        return self._set(self.new)

    def revert(self):
        return self._set(self.old)


class MoveCommand(PlanCommand):
    def __init__(self, target: PlanTarget, kind: str, row_id: int, old: int, new: int):
        direction = "up" if new < old else "down"
        super().__init__(target, f"Move {'need' if kind == NEED else 'intervention'} {direction}")
        self.kind, self.row_id, self.old, self.new = kind, row_id, old, new

    def _move(self, delta: int):
        mover = plan.move_need if self.kind == NEED else plan.move_intervention
        mover(self.target.db, self.row_id, delta)
        return (self.kind, self.row_id)

    def apply(self):
        return self._move(self.new - self.old)

    def revert(self):
        return self._move(self.old - self.new)


class ReviewStatusCommand(PlanCommand):
    """The status an action reached, as recorded at a review (its note is left as it is)."""

    def __init__(
        self,
        target: PlanTarget,
        intervention_id: int,
        meeting_id: int,
        old: tuple[str, str],
        new: str,
    ):
        super().__init__(target, "Record status at the review")
        self.row_id, self.meeting_id = intervention_id, meeting_id
        self.old_update, self.old_action = old  # (status recorded, the action's own status)
        self.new = new

    def apply(self):
        reviews.record_progress(self.target.db, self.row_id, self.meeting_id, self.new, None)
        return (INTERVENTION, self.row_id)

    def revert(self):
        db = self.target.db
        reviews.record_progress(db, self.row_id, self.meeting_id, self.old_update, None)
        plan.update_intervention(db, self.row_id, status=self.old_action)
        return (INTERVENTION, self.row_id)
