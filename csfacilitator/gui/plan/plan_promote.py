"""Promote to plan: a Safety plan point on the board becomes an intervention in one action.

Ctrl+P (or "Promote to action plan" in the point's menu) asks nothing: the point goes under the
need `core.plan.promote_point` chooses, keeps its link to the board, and one undo step on the
board's stack takes it out of the plan again. A point already promoted is not promoted twice:
the board asks the window to show its intervention on the Action plan tab instead. Points in
the plan carry a "→ plan" mark on the board.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QObject, SignalInstance

from csfacilitator.core import plan
from csfacilitator.core.plan import Promotion, WithdrawnPromotion
from csfacilitator.errors import NotFound, UserError
from csfacilitator.gui.board.commands import BoardCommand
from csfacilitator.gui.board.document import BoardDocument

log = logging.getLogger(__name__)


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class PromotePoint(BoardCommand):
    """Put a point into the action plan; undo takes the intervention (and a need made for it,
    if nothing else went into it) out again."""

    def __init__(self, document: BoardDocument, handle: int, after=lambda: None):
        super().__init__(document, "Promote to action plan")
        self.handle = handle
        self.after = after
        self.promotion: Promotion | None = None
        self.withdrawn: WithdrawnPromotion | None = None

    def _redo(self) -> None:
        point_id = self.document.node(self.handle).id
        if self.withdrawn is None:
            self.promotion = plan.promote_point(self.document.db, point_id)
        else:
            self.promotion = plan.restore_promotion(self.document.db, self.withdrawn, point_id)
            self.withdrawn = None
        self.after()

    def _undo(self) -> None:
        promotion = self.promotion
        try:
            self.withdrawn = plan.withdraw_promotion(
                self.document.db, promotion.intervention.id, drop_need=promotion.need_created
            )
        except NotFound:
            self.withdrawn = None  # removed in the plan meanwhile: nothing left to take out
        self.after()

    def _reveal_after_redo(self) -> int | None:
        return self.handle

    def _reveal_after_undo(self) -> int | None:
        return self.handle


class PromotingBoard(Protocol):
    """What the promoter needs of the board tab (`BoardTab`)."""

    document: BoardDocument
    status_message: SignalInstance
    plan_item_requested: SignalInstance
    data_changed: SignalInstance

    def _push(self, command: BoardCommand) -> bool: ...


class BoardPromoter(QObject):
    """The board tab's link with the plan: promotes points and keeps their marks current."""

    def __init__(self, board: PromotingBoard):
        super().__init__(board)
        self.board = board
        self.document = board.document
        self.links: dict[int, plan.BoardLink] = {}
        self.document.changed.connect(self.refresh)

    def refresh(self) -> None:
        """Re-read which points of the meeting are in the plan (one small query)."""
        meeting_id = self.document.meeting_id
        try:
            links = plan.linked_points(self.document.db, meeting_id) if meeting_id else {}
        except UserError as exc:
            log.warning("Could not read the plan links: %s", exc)
            links = {}
        self.links = links
        for model in self.document.models.values():
            model.set_links(links)

    def promote(self, handle: int) -> None:
        """Ctrl+P on a point: into the plan, or, if it is there already, show it there."""
        board = self.board
        node = self.document.nodes.get(handle)
        if node is None:
            return
        if self.document.column_of(node) != plan.PROMOTION_COLUMN:
            board.status_message.emit(
                "Only Safety plan points go to the action plan: Alt+Right moves a point along."
            )
            return
        try:
            existing = plan.intervention_for_point(self.document.db, node.id)
        except UserError as exc:
            board.status_message.emit(str(exc))
            return
        if existing is not None:
            board.status_message.emit(f"“{_short(node.text)}” is already in the action plan.")
            board.plan_item_requested.emit(existing.id)
            return
        command = PromotePoint(self.document, handle, self.refresh)
        if board._push(command):
            need = command.promotion.need.text
            board.status_message.emit(
                f"Added to the action plan under “{_short(need)}”. Ctrl+Z takes it out again."
            )
            board.data_changed.emit()
