"""The action plan's grid: needs (top rows) and their interventions in a tree, edited in place.

`PlanGridTab` builds the grid (model, tree, delegate and the row actions on it) and does what
they ask: every finished cell edit is stored at once and pushed on the tab's undo stack; adding,
removing and moving rows, and linking a need to a priority, are undoable too. `PlanTab`
(plan_tab) puts the header, the details, the goals and the review page around it.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
)

from csfacilitator.core import plan, vocab
from csfacilitator.core.plan import InterventionRecord, NeedRecord
from csfacilitator.core.textclean import clean_text, one_line
from csfacilitator.errors import UserError
from csfacilitator.gui.base_tab import ConferenceTab
from csfacilitator.gui.plan.plan_commands import (
    EditCommand,
    MoveCommand,
    RowPresence,
)
from csfacilitator.gui.plan.plan_delegate import PlanDelegate, PlanTreeView
from csfacilitator.gui.plan.plan_details import PlanDetails
from csfacilitator.gui.plan.plan_model import (
    COL_AGENCY,
    COL_DUE,
    COL_OWNER,
    COL_STATUS,
    COL_TEXT,
    COL_TIMESCALE,
    ID_ROLE,
    INTERVENTION,
    NEED,
    NeedNode,
    PlanModel,
    PlanNode,
)
from csfacilitator.gui.undo import push_made, push_or_say
from csfacilitator.gui.widgets.type_to_edit import TypeToEdit

# Plain strings: a QKeySequence must not be built before the application exists.
ADD_NEED_KEYS = "Ctrl+Shift+Ins"
ADD_INTERVENTION_KEYS = "Ins"
REMOVE_KEYS = "Del"
MOVE_UP_KEYS = "Alt+Up"
MOVE_DOWN_KEYS = "Alt+Down"


def key_text(keys: str) -> str:
    """How the keys read on this system (e.g. "Ctrl+Shift+Ins"), for tooltips and hints."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


class PlanGridTab(ConferenceTab):
    """The plan grid of the Action plan tab and the editing of its rows."""

    # Set by PlanTab, which builds the rest of the tab.
    details: PlanDetails
    _collapsed: set[int]

    # What the rest of the tab does after a change to the rows (PlanTab).

    def reload_plan(self, select: tuple[str, int] | None = None) -> None:
        raise NotImplementedError

    def _show_details(self) -> None:
        raise NotImplementedError

    def _update_actions(self) -> None:
        raise NotImplementedError

    def _changed(self) -> None:
        raise NotImplementedError

    def after_command(self, focus: tuple[str, int] | None) -> None:
        raise NotImplementedError

    # What the plan's commands need of the tab (plan_commands.PlanTarget).

    def report(self, message: str) -> None:
        self.status_message.emit(message)

    def resync(self) -> None:
        self.reload_plan()

    # --- building -------------------------------------------------------------------------

    def _build_grid(self) -> None:
        self.model = PlanModel(self)
        self.model.edit_handler = self._commit_edit
        self.tree = PlanTreeView(self)
        self.tree.setAccessibleName("Intervention plan")
        self.tree.setModel(self.model)
        self.delegate = PlanDelegate(self.tree, self._agency_suggestions)
        self.tree.setItemDelegate(self.delegate)
        self.delegate.closeEditor.connect(self._editor_closed)
        self.delegate.message.connect(self.status_message)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        # Typing edits the current cell and Tab moves along the row, as in the invite list.
        self.type_to_edit = TypeToEdit.install(self.tree)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.tree.placeholder = (
            "No needs in the plan yet.\nAdd the first identified need or problem with "
            f"“Add need” ({key_text(ADD_NEED_KEYS)}), then its interventions with "
            f"“Add intervention” ({key_text(ADD_INTERVENTION_KEYS)}).\nOn the Board, "
            "Ctrl+P in the Safety plan column sends a point here."
        )
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (COL_AGENCY, 180),
            (COL_OWNER, 130),
            (COL_TIMESCALE, 130),
            (COL_DUE, 118),
            (COL_STATUS, 130),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(column, width)
        header.setMinimumSectionSize(60)
        self.tree.collapsed.connect(lambda index: self._collapsed.add(index.data(ID_ROLE)))
        self.tree.expanded.connect(lambda index: self._collapsed.discard(index.data(ID_ROLE)))
        self.tree.selectionModel().currentChanged.connect(self._current_changed)

    def _action(self, label: str, keys: str, tip: str, slot) -> QAction:
        action = QAction(label, self.tree)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setToolTip(f"{tip} ({key_text(keys)})")
        action.triggered.connect(slot)
        self.tree.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.add_need_action = self._action(
            "Add need", ADD_NEED_KEYS, "Add an identified need or problem", self.add_need
        )
        self.add_intervention_action = self._action(
            "Add intervention",
            ADD_INTERVENTION_KEYS,
            "Add an intervention to the selected need",
            self.add_intervention,
        )
        self.remove_action = self._action(
            "Remove", REMOVE_KEYS, "Remove the selected need or intervention", self.remove_current
        )
        self.move_up_action = self._action(
            "Move up", MOVE_UP_KEYS, "Move the selected row up", lambda: self.move_current(-1)
        )
        self.move_down_action = self._action(
            "Move down", MOVE_DOWN_KEYS, "Move the selected row down", lambda: self.move_current(1)
        )
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    # --- current row -----------------------------------------------------------------------

    def _select(self, index: QModelIndex) -> None:
        index = index.siblingAtColumn(COL_TEXT)
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)

    def _current_node(self) -> PlanNode | None:
        return self.model.node(self.tree.currentIndex())

    def _current_key(self) -> tuple[str, int] | None:
        node = self._current_node()
        if node is None or node.id is None:
            return None
        return (node.kind, node.id)

    def _current_changed(self, *_args) -> None:
        self._show_details()
        self._update_actions()

    def set_priority(self, priority_id: int | None) -> None:
        """Link the selected need to an assessment priority (undoable)."""
        node = self._current_node()
        if not isinstance(node, NeedNode) or node.record is None:
            return
        old = node.record.priority_id
        if old == priority_id:
            return
        try:
            record = plan.set_need_priority(self.db, node.record.id, priority_id)
        except UserError as exc:
            self.status_message.emit(str(exc))
            self._show_details()
            return
        self.model.replace(node, record)
        push_made(
            self.undo_stack,
            EditCommand(self, NEED, record.id, "priority_id", old, priority_id),
        )
        chosen = self.model.priority_text(record)
        self.status_message.emit(
            f"Linked the need to the priority “{one_line(chosen, 60)}”."
            if chosen
            else "The need is no longer linked to a priority."
        )

    # --- editing ---------------------------------------------------------------------------

    def flush(self) -> None:
        """Commit a cell being edited and any progress notes still being typed."""
        self._finish_cell_edit()
        super().flush()

    def _finish_cell_edit(self) -> None:
        if self.tree.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.tree.indexWidget(self.tree.currentIndex())
        if editor is not None:
            self.delegate.commitData.emit(editor)
            self.delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def _editor_closed(self, *_args) -> None:
        if self.model.pending is not None:
            self.model.drop_pending()
            self._update_actions()

    def _commit_edit(self, node: PlanNode, field: str, value: object) -> bool:
        """Store one finished cell edit; called by the model. False keeps the old value."""
        if node.record is None:
            return self._commit_new_row(node, value)
        try:
            if isinstance(node, NeedNode):
                record: NeedRecord | InterventionRecord = plan.update_need(
                    self.db, node.record.id, clean_text(value)
                )
            else:
                record = plan.update_intervention(self.db, node.record.id, **{field: value})
        except UserError as exc:
            self.status_message.emit(str(exc))
            return False
        old, new = getattr(node.record, field), getattr(record, field)
        self.model.replace(node, record)
        if old != new:
            push_made(self.undo_stack, EditCommand(self, node.kind, record.id, field, old, new))
            self._changed()
            if field == "text" and node.kind == INTERVENTION:
                self._show_details()
        return True

    def _commit_new_row(self, node: PlanNode, value: object) -> bool:
        if not clean_text(value).strip():
            return False  # nothing typed: the empty row is dropped when the editor closes
        row = self.model.index_of(node).row()
        # a new need belongs to the open conference, a new intervention to a stored need
        owner_id = self.conference_id if isinstance(node, NeedNode) else node.parent.id
        if owner_id is None:
            return False
        try:
            if isinstance(node, NeedNode):
                record: NeedRecord | InterventionRecord = plan.add_need(
                    self.db, owner_id, clean_text(value), position=row
                )
            else:
                record = plan.add_intervention(self.db, owner_id, clean_text(value), position=row)
        except UserError as exc:
            self.status_message.emit(str(exc))
            return False
        self.model.replace(node, record)
        if isinstance(node, NeedNode):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        word = "need" if node.kind == NEED else "intervention"
        push_made(
            self.undo_stack, RowPresence(self, f"Add {word}", node.kind, record.id, added=True)
        )
        hint = (
            f" — {key_text(ADD_INTERVENTION_KEYS)} adds its interventions" if word == "need" else ""
        )
        self.status_message.emit(f"Added {word} “{one_line(record.text, 60)}”{hint}")
        self._changed()
        self._show_details()
        return True

    def _agency_suggestions(self) -> list[str]:
        seen = {a.casefold(): a for a in vocab.AGENCY_CATEGORIES}
        for need in self.model.needs():
            for item in need.interventions:
                if item.agency:
                    seen.setdefault(item.agency.casefold(), item.agency)
        return sorted(seen.values(), key=str.casefold)

    # --- actions ---------------------------------------------------------------------------

    def add_need(self) -> None:
        """Open an empty need row after the selected need (or at the end) to type into."""
        if self.conference_id is None:
            return
        self.flush()
        node = self._current_node()
        if node is None:
            row = self.model.need_count()
        else:
            need = node if isinstance(node, NeedNode) else node.parent
            row = self.model.index_of(need).row() + 1
        index = self.model.insert_pending_need(row)
        self.tree.setFirstColumnSpanned(index.row(), QModelIndex(), True)
        self._select(index)
        self.tree.setFocus()
        self.tree.edit(index)

    def add_intervention(self) -> None:
        """Open an empty intervention row under the selected need (after the selected one)."""
        if self.conference_id is None:
            return
        self.flush()
        node = self._current_node()
        if node is None and self.model.need_count():
            node = self.model.node(self.model.index(self.model.need_count() - 1, 0))
        if node is None:
            self.status_message.emit("Add a need first: interventions belong to a need.")
            return
        if isinstance(node, NeedNode):
            need, row = node, len(node.children)
        else:
            need, row = node.parent, self.model.index_of(node).row() + 1
        self.tree.setExpanded(self.model.index_of(need), True)
        index = self.model.insert_pending_intervention(need, row)
        self._select(index)
        self.tree.setFocus()
        self.tree.edit(index)

    def remove_current(self) -> None:
        self.flush()
        node = self._current_node()
        if node is None or node.record is None:
            return
        text = one_line(node.record.text, 50)
        word = "need" if isinstance(node, NeedNode) else "intervention"
        command = RowPresence(
            self, f"Remove {word} “{one_line(text, 30)}”", node.kind, node.record.id, added=False
        )
        if not push_or_say(self.undo_stack, command, self.status_message.emit, self.reload_plan):
            return
        focus = command.focus
        if isinstance(node, NeedNode):
            snapshot = command.snapshot
            count = len(snapshot.interventions) if isinstance(snapshot, plan.NeedSnapshot) else 0
            extra = f" and its {count} intervention{'s' if count != 1 else ''}" if count else ""
            message = f"Removed need “{text}”{extra} — Ctrl+Z to undo"
            row = self.model.index_of(node).row()
            neighbour = self.model.index(
                row + 1 if row + 1 < self.model.need_count() else row - 1, 0
            )
            focus = (NEED, neighbour.data(ID_ROLE)) if neighbour.isValid() else None
        else:
            message = f"Removed intervention “{text}” — Ctrl+Z to undo"
            siblings = node.parent.children
            position = siblings.index(node)
            others = [c.id for c in siblings if c is not node and c.id is not None]
            if others:
                focus = (INTERVENTION, others[min(position, len(others) - 1)])
        self.reload_plan(focus)
        self.status_message.emit(message)

    def move_current(self, delta: int) -> None:
        self.flush()
        node = self._current_node()
        if node is None or node.id is None:
            return
        index = self.model.index_of(node)
        old = index.row()
        siblings = (
            self.model.need_count() if isinstance(node, NeedNode) else len(node.parent.children)
        )
        new = max(0, min(siblings - 1, old + delta))
        if new == old:
            self.status_message.emit(
                "Already at the top." if delta < 0 else "Already at the bottom."
            )
            return
        move = MoveCommand(self, node.kind, node.id, old, new)
        if not push_or_say(self.undo_stack, move, self.status_message.emit, self.reload_plan):
            return
        self.reload_plan((node.kind, node.id))
