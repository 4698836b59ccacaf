"""Promote to plan: a Safety plan point on the board becomes an intervention of the plan.

Ctrl+P (or "Promote to action plan" in the point's menu) opens a small panel in the Safety plan
column, above its entry line: under which need (the one `core.plan.suggested_need` offers, named
after the point's topic, which can be reworded or swapped for another need of the plan), and
the agency, owner and due date agreed. Every question can be skipped: Enter adds the action
with what is filled in, Esc adds nothing. The point keeps its link to the board, and one undo
step on the board's stack takes it out of the plan again (with its need, if made for it). A
point already promoted is not promoted twice: the board asks the window to show its
intervention on the Action plan tab instead. Points in the plan carry a "→ plan" mark.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import plan, vocab
from csfacilitator.core.dates import parse_user_date
from csfacilitator.core.plan import Promotion, WithdrawnPromotion
from csfacilitator.core.textclean import one_line
from csfacilitator.errors import NotFound, UserError
from csfacilitator.gui.board.commands import BoardCommand
from csfacilitator.gui.board.document import BoardDocument
from csfacilitator.gui.widgets.date_field import DateField

if TYPE_CHECKING:
    from csfacilitator.gui.board.column_view import ColumnPane

log = logging.getLogger(__name__)


class PromotePoint(BoardCommand):
    """Put a point into the action plan; undo takes the intervention (and a need made for it,
    if nothing else went into it) out again."""

    def __init__(
        self,
        document: BoardDocument,
        handle: int,
        after=lambda: None,
        *,
        need: str | None = None,
        **fields: object,
    ):
        super().__init__(document, "Promote to action plan")
        self.handle = handle
        self.after = after
        self.need = need
        self.fields = fields
        self.promotion: Promotion | None = None
        self.withdrawn: WithdrawnPromotion | None = None

    def _do(self) -> None:
        point_id = self.document.node(self.handle).id
        if point_id is None:  # a column's root, never a point that can be promoted
            raise LookupError("the point is not stored")
        if self.withdrawn is None:
            self.promotion = plan.promote_point(
                self.document.db, point_id, need=self.need, **self.fields
            )
        else:
            self.promotion = plan.restore_promotion(self.document.db, self.withdrawn, point_id)
            self.withdrawn = None
        self.after()

    def _undo(self) -> None:
        promotion = self.promotion
        if promotion is None:  # undo runs only after a _do that promoted the point
            raise LookupError("the point was not promoted")
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
    conference_id: int | None

    def _push(self, command: BoardCommand) -> bool: ...

    def pane(self, column: str) -> ColumnPane: ...

    def reveal(self, handle: int, *, focus: bool = False) -> None: ...


class PromotePanel(QFrame):
    """The questions asked when a point is promoted, inline in the Safety plan column."""

    #: The user pressed Enter (or "Add to plan"): the answers are in the fields.
    accepted = Signal()
    #: The user pressed Esc (or "Cancel").
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("promotePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Promote to action plan")
        self.setStyleSheet("QFrame#promotePanel { border: 2px solid #1f4e79; border-radius: 3px; }")
        self.handle: int | None = None
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.need = QComboBox(self)
        self.need.setEditable(True)
        self.need.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.need.setAccessibleName("Need")
        self.need.setToolTip(
            "The identified need this action answers: reword it, or pick another need of the plan"
        )
        self.need.setMinimumContentsLength(10)
        self.need.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.agency = QLineEdit(self)
        self.agency.setAccessibleName("Agency")
        self.agency.setPlaceholderText("Who does it (optional)")
        self.agency_names = QStringListModel(list(vocab.AGENCY_CATEGORIES), self.agency)
        completer = QCompleter(self.agency_names, self.agency)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.agency.setCompleter(completer)
        self.owner = QLineEdit(self)
        self.owner.setAccessibleName("Owner")
        self.owner.setPlaceholderText("Named person (optional)")
        self.due = DateField(self)
        self.due.setAccessibleName("Due")
        self.due.edit.setPlaceholderText("e.g. 5 Nov 2026 (optional)")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.add_button = QPushButton("Add to plan", self)
        self.add_button.setAccessibleName("Add to plan")
        self.add_button.setToolTip("Add the action with what is filled in (Enter)")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setToolTip("Do not promote the point (Esc)")
        self.add_button.clicked.connect(self.accepted)
        self.cancel_button.clicked.connect(self.cancelled)
        hint = QLabel("Enter adds it; leave anything empty to fill in later. Esc cancels.", self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setContentsMargins(0, 0, 0, 0)
        for text, field in (
            ("&Need:", self.need),
            ("A&gency:", self.agency),
            ("O&wner:", self.owner),
            ("D&ue:", self.due),
        ):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        for widget in (self.need, self.need.lineEdit(), self.agency, self.owner, self.due.edit):
            if widget is not None:  # the need box is editable, so it has its line edit
                widget.installEventFilter(self)
        self.hide()

    def ask(
        self,
        handle: int,
        point_text: str,
        suggestion: str,
        needs: list[str],
        agencies: Sequence[str] = (),
    ) -> None:
        """Show the questions for one point, the suggested need filled in; the agencies the
        plan already names are offered along with the usual ones."""
        self.handle = handle
        seen = {a.casefold(): a for a in vocab.AGENCY_CATEGORIES}
        for agency in agencies:
            seen.setdefault(agency.casefold(), agency)
        self.agency_names.setStringList(sorted(seen.values(), key=str.casefold))
        self.title.setText(f"Promote “{one_line(point_text, 70)}” to the action plan")
        self.need.clear()
        self.need.addItems(needs)
        self.need.setEditText(suggestion)
        self.agency.clear()
        self.owner.clear()
        self.due.set_value(None)
        self.error.hide()
        self.show()
        self.agency.setFocus(Qt.FocusReason.OtherFocusReason)

    def answers(self) -> dict[str, object]:
        """The fields as typed; raises UserError for a due date that is not a date."""
        due = parse_user_date(self.due.edit.text())
        return {
            "need": self.need.currentText(),
            "agency": self.agency.text(),
            "owner": self.owner.text(),
            "due_date": due,
        }

    def say(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.KeyPress:
            popup = self.agency.completer().popup()
            if watched is self.agency and popup is not None and popup.isVisible():
                return False  # Enter or Esc is for the suggestions first
            if watched in (self.need, self.need.lineEdit()) and self.need.view().isVisible():
                return False
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accepted.emit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.cancelled.emit()
                return True
        return False


class BoardPromoter(QObject):
    """The board tab's link with the plan: promotes points and keeps their marks current."""

    def __init__(self, board: PromotingBoard):
        super().__init__(cast(QObject, board))  # the board tab, a QWidget
        self.board = board
        self.document = board.document
        self.links: dict[int, plan.BoardLink] = {}
        self.document.changed.connect(self.refresh)
        self._panel: PromotePanel | None = None

    @property
    def panel(self) -> PromotePanel:
        """The questions, built (hidden) the first time a point is promoted: a board that
        promotes nothing does not build them as it starts."""
        if self._panel is None:
            pane = self.board.pane(plan.PROMOTION_COLUMN)
            panel = PromotePanel(pane)
            # Above the column's entry line (a ColumnPane: heading, points, entry).
            column = pane.layout()
            if not isinstance(column, QBoxLayout):
                raise TypeError("a board column is laid out top to bottom")
            column.insertWidget(column.indexOf(pane.entry), panel)
            panel.accepted.connect(self._accept)
            panel.cancelled.connect(self._cancel)
            self._panel = panel
        return self._panel

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
        shown = self._panel is not None and self._panel.isVisible()
        if shown and self.panel.handle not in self.document.nodes:
            self._close()  # the point went (undo, another meeting)

    def promote(self, handle: int) -> None:
        """Ctrl+P on a point: ask where it goes and who does it, or, if it is in the plan
        already, show it there."""
        board = self.board
        node = self.document.nodes.get(handle)
        conference_id = board.conference_id
        if node is None or node.id is None or conference_id is None:
            return
        if self.document.column_of(node) != plan.PROMOTION_COLUMN:
            board.status_message.emit(
                "Only Safety plan points go to the action plan: Alt+Right moves a point along."
            )
            return
        try:
            existing = plan.intervention_for_point(self.document.db, node.id)
            if existing is None:
                suggestion = plan.suggested_need(self.document.db, node.id)
                stored = plan.get_plan(self.document.db, conference_id)
                needs = [n.text for n in stored]
                agencies = [i.agency for n in stored for i in n.interventions if i.agency]
        except UserError as exc:
            board.status_message.emit(str(exc))
            return
        if existing is not None:
            board.status_message.emit(f"“{one_line(node.text, 50)}” is already in the action plan.")
            board.plan_item_requested.emit(existing.id)
            return
        self.panel.ask(handle, node.text, suggestion, needs, agencies)

    def _accept(self) -> None:
        board = self.board
        handle = self.panel.handle
        if handle not in self.document.nodes:
            self._close()
            return
        try:
            answers = self.panel.answers()
        except UserError as exc:
            self.panel.say(str(exc))
            self.panel.due.setFocus()
            return
        need = self.panel.need.currentText()  # what answers() holds under "need"
        del answers["need"]
        fields = {k: v for k, v in answers.items() if v not in ("", None)}
        command = PromotePoint(self.document, handle, self.refresh, need=need, **fields)
        board.status_message.emit("")
        messages: list[str] = []
        board.status_message.connect(messages.append)
        try:
            pushed = board._push(command)
        finally:
            board.status_message.disconnect(messages.append)
        if not pushed:
            self.panel.say(messages[-1] if messages else "The point could not be promoted.")
            return
        self._close()
        promotion = command.promotion
        if promotion is None:  # pushed means performed, and performing stores the promotion
            return
        board.status_message.emit(
            f"Added to the action plan under “{one_line(promotion.need.text, 50)}”. "
            "Ctrl+Z takes it out again."
        )

    def _cancel(self) -> None:
        self._close()
        self.board.status_message.emit("Not promoted: nothing was added to the action plan.")

    def _close(self) -> None:
        handle = self.panel.handle
        self.panel.hide()
        self.panel.handle = None
        if handle in self.document.nodes:
            self.board.reveal(handle, focus=True)
