"""Undoable changes to the plan, on the one undo base (`gui/undo.py`): each is made before it
is pushed, and later undo and redo are guarded. Commands name rows through `Ref` handles,
because a row removed and restored gets a new id when another row has taken its old one."""

from __future__ import annotations

from dataclasses import replace
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


class Ref:
    """A stable handle on one row for undo commands; its id follows the row if it changes."""

    __slots__ = ("kind", "id")

    def __init__(self, kind: str, record_id: int):
        self.kind = kind
        self.id = record_id


class RefRegistry:
    """One Ref per (kind, id), so every command naming a row follows it when its id changes."""

    def __init__(self) -> None:
        self._refs: dict[tuple[str, int], Ref] = {}

    def clear(self) -> None:
        self._refs.clear()

    def get(self, kind: str, record_id: int) -> Ref:
        ref = self._refs.get((kind, record_id))
        if ref is None:
            ref = self._refs[(kind, record_id)] = Ref(kind, record_id)
        return ref

    def forget(self, *refs: Ref) -> None:
        for ref in refs:
            if self._refs.get((ref.kind, ref.id)) is ref:
                del self._refs[(ref.kind, ref.id)]

    def rebind(self, ref: Ref, record_id: int) -> None:
        self.forget(ref)
        ref.id = record_id
        self._refs[(ref.kind, record_id)] = ref


class PlanTarget(UndoTarget, Protocol):
    """What the plan's commands need of the tab (`plan_tab.PlanTab`): `report` says why a step
    failed (and what was undone), `resync` re-reads the plan."""

    db: Database
    refs: RefRegistry
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

    def __init__(self, tab: PlanTarget, text: str, ref: Ref, *, added: bool, snapshot=None):
        super().__init__(tab, text)
        self.ref = ref
        self.added = added
        self.snapshot = snapshot
        self.child_refs: list[Ref] = []
        self.need_ref: Ref | None = None

    def apply(self):
        return self._restore() if self.added else self._remove()

    def revert(self):
        return self._remove() if self.added else self._restore()

    def _remove(self):
        tab = self.target
        if self.ref.kind == NEED:
            self.snapshot = plan.delete_need(tab.db, self.ref.id)
            self.child_refs = [
                tab.refs.get(INTERVENTION, i.intervention.id) for i in self.snapshot.interventions
            ]
            tab.refs.forget(self.ref, *self.child_refs)
            return None
        record = self.snapshot.intervention if self.snapshot else None
        if self.need_ref is None:
            need_id = (
                record.need_id if record else plan.get_intervention(tab.db, self.ref.id).need_id
            )
            self.need_ref = tab.refs.get(NEED, need_id)
        self.snapshot = plan.delete_intervention(tab.db, self.ref.id)
        tab.refs.forget(self.ref)
        return (NEED, self.need_ref.id)

    def _restore(self):
        tab = self.target
        if self.ref.kind == NEED:
            record = plan.restore_need(tab.db, self.snapshot)
            tab.refs.rebind(self.ref, record.id)
            ordered = sorted(self.snapshot.interventions, key=lambda i: i.intervention.position)
            by_old_id = {r.id: r for r in self.child_refs}
            for old, new in zip(ordered, record.interventions, strict=False):
                ref = by_old_id.get(old.intervention.id)
                if ref is not None:
                    tab.refs.rebind(ref, new.id)
            return (NEED, record.id)
        snapshot = self.snapshot
        if self.need_ref is not None:
            moved = replace(snapshot.intervention, need_id=self.need_ref.id)
            snapshot = replace(snapshot, intervention=moved)
        record = plan.restore_intervention(tab.db, snapshot)
        tab.refs.rebind(self.ref, record.id)
        return (INTERVENTION, record.id)


class EditCommand(PlanCommand):
    def __init__(self, tab: PlanTarget, ref: Ref, field: str, old: object, new: object):
        what = "need" if ref.kind == NEED and field == "text" else FIELD_WORDS.get(field, field)
        super().__init__(tab, f"Edit {what}")
        self.ref, self.field, self.old, self.new = ref, field, old, new

    def _set(self, value):
        if self.ref.kind == NEED and self.field == "priority_id":
            plan.set_need_priority(self.target.db, self.ref.id, value)
        elif self.ref.kind == NEED:
            plan.update_need(self.target.db, self.ref.id, value)
        else:
            plan.update_intervention(self.target.db, self.ref.id, **{self.field: value})
        return (self.ref.kind, self.ref.id)

    def apply(self):
        return self._set(self.new)

    def revert(self):
        return self._set(self.old)


class MoveCommand(PlanCommand):
    def __init__(self, tab: PlanTarget, ref: Ref, old: int, new: int):
        direction = "up" if new < old else "down"
        super().__init__(tab, f"Move {'need' if ref.kind == NEED else 'intervention'} {direction}")
        self.ref, self.old, self.new = ref, old, new

    def _move(self, delta: int):
        mover = plan.move_need if self.ref.kind == NEED else plan.move_intervention
        mover(self.target.db, self.ref.id, delta)
        return (self.ref.kind, self.ref.id)

    def apply(self):
        return self._move(self.new - self.old)

    def revert(self):
        return self._move(self.old - self.new)


class ReviewStatusCommand(PlanCommand):
    """The status an action reached, as recorded at a review (its note is left as it is)."""

    def __init__(
        self,
        tab: PlanTarget,
        ref: Ref,
        meeting_id: int,
        old: tuple[str, str],
        new: str,
    ):
        super().__init__(tab, "Record status at the review")
        self.ref, self.meeting_id = ref, meeting_id
        self.old_update, self.old_action = old  # (status recorded, the action's own status)
        self.new = new

    def apply(self):
        reviews.record_progress(self.target.db, self.ref.id, self.meeting_id, self.new, None)
        return (INTERVENTION, self.ref.id)

    def revert(self):
        db = self.target.db
        reviews.record_progress(db, self.ref.id, self.meeting_id, self.old_update, None)
        plan.update_intervention(db, self.ref.id, status=self.old_action)
        return (INTERVENTION, self.ref.id)
