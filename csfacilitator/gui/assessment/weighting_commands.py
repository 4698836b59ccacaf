"""Undo commands for the context weighting, on the one undo base (`gui/undo.py`). Each keeps
the whole weighting before and after, so undo and redo put back exactly what was there,
whatever the change was."""

from __future__ import annotations

from typing import Protocol

from csfacilitator.core.weighting import Weighting
from csfacilitator.gui.undo import Change, UndoTarget


class WeightingTarget(UndoTarget, Protocol):
    """What the commands act on (the weighting panel). Each method stores, then shows what it
    stored; a refused change raises UserError having changed nothing."""

    def apply_weighting(self, conference_id: int, weighting: Weighting, selected: int) -> None: ...

    def take_snapshot(self, conference_id: int, meeting_id: int) -> None: ...

    def put_back_snapshot(
        self, conference_id: int, meeting_id: int, previous: Weighting | None
    ) -> None: ...


class SetWeighting(Change):
    """One change to the working copy: resize, rename, reorder, link, add or remove."""

    target: WeightingTarget

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
        super().__init__(target, text)
        self.conference_id = conference_id
        self.before, self.after = before, after
        self.selected_before, self.selected_after = selected_before, selected_after

    def _do(self) -> None:
        self.target.apply_weighting(self.conference_id, self.after, self.selected_after)

    def _undo(self) -> None:
        self.target.apply_weighting(self.conference_id, self.before, self.selected_before)


class KeepSnapshot(Change):
    """Keep a copy of the working copy for a meeting; undo puts back what the meeting had."""

    target: WeightingTarget

    def __init__(
        self,
        target: WeightingTarget,
        conference_id: int,
        meeting_id: int,
        previous: Weighting | None,
        label: str,
    ):
        super().__init__(target, f"keep the weighting for {label}")
        self.conference_id, self.meeting_id = conference_id, meeting_id
        self.previous = previous

    def _do(self) -> None:
        self.target.take_snapshot(self.conference_id, self.meeting_id)

    def _undo(self) -> None:
        # None: the meeting had no copy before, so it has none again.
        self.target.put_back_snapshot(self.conference_id, self.meeting_id, self.previous)
