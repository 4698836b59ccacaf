"""Undo commands for the context weighting. Each keeps the whole weighting before and after, so
undo and redo put back exactly what was there, whatever the change was."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QUndoCommand

from csfacilitator.core.weighting import Weighting


class WeightingTarget(Protocol):
    """What the commands act on (the weighting panel)."""

    def apply_weighting(self, conference_id: int, weighting: Weighting, selected: int) -> bool: ...

    def take_snapshot(self, conference_id: int, meeting_id: int) -> bool: ...

    def put_back_snapshot(
        self, conference_id: int, meeting_id: int, previous: Weighting | None
    ) -> bool: ...


class SetWeighting(QUndoCommand):
    """One change to the working copy: resize, rename, reorder, link, add or remove."""

    def __init__(
        self,
        target: WeightingTarget,
        conference_id: int,
        before: Weighting,
        after: Weighting,
        text: str,
        selected_before: int,
        selected_after: int,
    ):
        super().__init__(text)
        self.target, self.conference_id = target, conference_id
        self.before, self.after = before, after
        self.selected_before, self.selected_after = selected_before, selected_after

    def redo(self) -> None:
        if not self.target.apply_weighting(self.conference_id, self.after, self.selected_after):
            self.setObsolete(True)

    def undo(self) -> None:
        self.target.apply_weighting(self.conference_id, self.before, self.selected_before)


class KeepSnapshot(QUndoCommand):
    """Keep a copy of the working copy for a meeting; undo puts back what the meeting had."""

    def __init__(
        self,
        target: WeightingTarget,
        conference_id: int,
        meeting_id: int,
        previous: Weighting | None,
        label: str,
    ):
        super().__init__(f"keep the weighting for {label}")
        self.target, self.conference_id, self.meeting_id = target, conference_id, meeting_id
        self.previous = previous

    def redo(self) -> None:
        if not self.target.take_snapshot(self.conference_id, self.meeting_id):
            self.setObsolete(True)

    def undo(self) -> None:
        # None: the meeting had no copy before, so it has none again.
        self.target.put_back_snapshot(self.conference_id, self.meeting_id, self.previous)
