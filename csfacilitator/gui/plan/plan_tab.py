"""The Action plan tab: the intervention plan (Appendix B of the guidance) and its reviews.

Plan mode edits the plan in a tree: needs are the top rows, their interventions below (the
grid and the editing of its rows are plan_grid's `PlanGridTab`, which this tab extends). Review
mode records the progress on each action at a review meeting (see review_panel). The header
above both comes from the conference's details and attendance.

Long because it is the one place the tab's parts meet: it builds the header, details, goals and
review page around the grid, switches between the plan and review modes, starts a review and
opens the closing dialog; what each part does lives in its own module.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import closing, plan, reviews
from csfacilitator.core.dates import format_date
from csfacilitator.core.plan import NeedRecord, PriorityOption
from csfacilitator.core.reviews import HistoryEntry
from csfacilitator.errors import UserError
from csfacilitator.gui.plan.outcomes_panel import OutcomesPanel
from csfacilitator.gui.plan.plan_commands import (
    ReviewStatusCommand,
)
from csfacilitator.gui.plan.plan_details import PlanDetails
from csfacilitator.gui.plan.plan_grid import (
    PlanGridTab,
    key_text,
)
from csfacilitator.gui.plan.plan_header import PlanHeaderPanel
from csfacilitator.gui.plan.plan_model import (
    ID_ROLE,
    INTERVENTION,
    InterventionNode,
    NeedNode,
    overdue_foreground,
)
from csfacilitator.gui.plan.review_panel import ReviewPanel
from csfacilitator.gui.undo import push_made
from csfacilitator.gui.widgets.fold import Fold

# Plain strings: a QKeySequence must not be built before the application exists.
PLAN_MODE_KEYS = "Ctrl+Shift+P"
REVIEW_MODE_KEYS = "Ctrl+Shift+R"

PLAN_MODE, REVIEW_MODE = 0, 1

TAB_STYLE = """
QToolButton#modeButton { padding: 4px 14px; border: 1px solid palette(mid); }
QToolButton#modeButton:checked { background: #1f4e79; color: white; font-weight: 600;
    border-color: #173b5c; }
QToolButton#modeButton:focus { border: 2px solid #f2b134; }
"""


class PlanTab(PlanGridTab):
    """Needs and interventions of the open conference, their reviews, and closing."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.setStyleSheet(TAB_STYLE)
        self.today = dt.date.today  # replaceable, for tests
        self._notes_id: int | None = None
        self._collapsed: set[int] = set()
        self._priorities: list[PriorityOption] = []
        self._histories: dict[int, list[HistoryEntry]] = {}
        self._closed = False

        self.header_panel = PlanHeaderPanel(self)

        self._build_grid()

        self.details = PlanDetails(self)
        self.notes = self.details.notes
        self.autosave.watch(self.notes, self._save_progress)
        self.details.priority_chosen.connect(self.set_priority)

        self.review_panel = ReviewPanel(db, self.autosave, self)
        self.review_panel.today = lambda: self.today()
        self.review_panel.status_message.connect(self.status_message)
        self.review_panel.status_recorded.connect(self._review_status_recorded)
        # Goals & measures (issue 19): under the plan; the review panel asks for their values.
        self.outcomes_panel = OutcomesPanel(db, self.undo_stack, self)
        self.outcomes_panel.status_message.connect(self.status_message)
        self.review_panel.measures.undo_stack = self.undo_stack
        self.model.modelReset.connect(self.outcomes_panel.refresh_links)  # needs added or renamed

        self._build_actions()
        toolbar = self._build_toolbar()

        # Folded to one line until opened where the screen is short (a 1366×768 laptop), so
        # the plan keeps its rows; the header says how many goals and measures there are.
        tall = (screen := QGuiApplication.primaryScreen()) is not None and (
            screen.availableGeometry().height() >= 900
        )
        self.outcomes_fold = Fold("Goals and measures", "plan/outcomes_open", self, default=tall)
        fold_layout = QVBoxLayout(self.outcomes_fold.body)
        fold_layout.setContentsMargins(0, 0, 0, 0)
        fold_layout.addWidget(self.outcomes_panel)
        self.outcomes_panel.summary_changed.connect(self.outcomes_fold.set_summary)
        self.outcomes_fold.expanded_changed.connect(self._fit_outcomes)
        self.plan_page = QSplitter(Qt.Orientation.Vertical, self)
        self.plan_page.addWidget(self.tree)
        self.plan_page.addWidget(self.details)
        self.plan_page.addWidget(self.outcomes_fold)
        self.plan_page.setStretchFactor(0, 4)
        self.plan_page.setStretchFactor(1, 1)
        self.plan_page.setStretchFactor(2, 2)
        self.plan_page.setChildrenCollapsible(False)
        self.plan_page.setSizes([400, 130, 260])
        self._fit_outcomes(self.outcomes_fold.is_expanded())
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.plan_page)
        self.pages.addWidget(self.review_panel)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.header_panel)
        layout.addLayout(toolbar)
        layout.addWidget(self.pages, 1)

        self._update_actions()

    def _fit_outcomes(self, expanded: bool) -> None:
        """Folded, the goals take their header line and the plan grid everything else."""
        fold = self.outcomes_fold
        tree, details, goals = self.plan_page.sizes()
        if expanded:
            fold.setMaximumHeight(16777215)
            if goals < 200:
                self.plan_page.setSizes([max(tree - 260, 120), details, 260])
            return
        line = fold.header.sizeHint().height() + 4
        fold.setMaximumHeight(line)
        if goals > line:  # the room it gives up goes to the plan grid
            self.plan_page.setSizes([tree + goals - line, details, line])

    # --- building -------------------------------------------------------------------------

    def _mode_button(self, text: str, keys: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName("modeButton")
        button.setText(text)
        button.setAccessibleName(text.replace("&", ""))
        button.setCheckable(True)
        button.setToolTip(f"{tip} ({key_text(keys)})")
        button.setMinimumHeight(28)
        shortcut = QAction(self)
        shortcut.setShortcut(QKeySequence(keys))
        shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.triggered.connect(button.click)
        self.addAction(shortcut)
        return button

    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(4)
        self.plan_mode_button = self._mode_button(
            "Plan", PLAN_MODE_KEYS, "Edit the needs and interventions"
        )
        self.review_mode_button = self._mode_button(
            "Review", REVIEW_MODE_KEYS, "Record progress on each action at a review meeting"
        )
        self.mode_group = QButtonGroup(self)
        self.mode_group.setExclusive(True)
        self.mode_group.addButton(self.plan_mode_button, PLAN_MODE)
        self.mode_group.addButton(self.review_mode_button, REVIEW_MODE)
        self.plan_mode_button.setChecked(True)
        self.mode_group.idClicked.connect(self.set_mode)
        row.addWidget(self.plan_mode_button)
        row.addWidget(self.review_mode_button)
        row.addSpacing(16)

        self.buttons: dict[str, QToolButton] = {}
        self.plan_buttons = QWidget(self)
        plan_row = QHBoxLayout(self.plan_buttons)
        plan_row.setContentsMargins(0, 0, 0, 0)
        plan_row.setSpacing(4)
        for action in (
            self.add_need_action,
            self.add_intervention_action,
            self.remove_action,
            self.move_up_action,
            self.move_down_action,
        ):
            button = QToolButton(self.plan_buttons)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setAccessibleName(action.text())
            button.setMinimumHeight(28)
            plan_row.addWidget(button)
            self.buttons[action.text()] = button
            if action is self.remove_action:
                plan_row.addSpacing(12)
        row.addWidget(self.plan_buttons)
        row.addStretch(1)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Plan summary")
        row.addWidget(self.summary)
        row.addSpacing(16)

        self.start_review_button = QPushButton("Start review meeting…", self)
        self.start_review_button.setAccessibleName("Start review meeting")
        self.start_review_button.setToolTip(
            "Hold a review: carry every open action forward and record progress on each"
        )
        self.start_review_button.clicked.connect(self.start_review)
        self.close_button = QPushButton("Close conference…", self)
        self.close_button.setAccessibleName("Close conference")
        self.close_button.clicked.connect(self.edit_outcome)
        row.addWidget(self.start_review_button)
        row.addWidget(self.close_button)
        return row

    # --- loading --------------------------------------------------------------------------

    def set_conference(self, conference_id: int | None) -> None:
        self._collapsed.clear()
        self.review_panel.conference_id = None
        self.set_mode(PLAN_MODE)
        super().set_conference(conference_id)

    def reload(self) -> None:
        """Re-read the header, the plan and the review shown (called when the tab is shown)."""
        header = None
        if self.conference_id is not None:
            try:
                header = plan.plan_header(self.db, self.conference_id)
                self._closed = closing.get_outcome(self.db, self.conference_id).is_closed
            except UserError as exc:
                self.status_message.emit(str(exc))
        self.header_panel.show_header(header)
        self.outcomes_panel.set_conference(self.conference_id)
        self._reload_review()
        self.reload_plan(self._current_key())

    def reload_plan(self, select: tuple[str, int] | None = None) -> None:
        """Re-read the plan (after an undo, a move or a reload) keeping selection and folding."""
        self.autosave.flush()
        needs: list[NeedRecord] = []
        self._priorities, self._histories = [], {}
        if self.conference_id is not None:
            try:
                needs = plan.get_plan(self.db, self.conference_id)
                self._priorities = plan.list_priority_options(self.db, self.conference_id)
                self._histories = reviews.conference_history(self.db, self.conference_id)
            except UserError as exc:
                self.status_message.emit(str(exc))
        self.model.set_plan(needs, self.today(), self._priorities)
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
            need_id = index.data(ID_ROLE)
            self.tree.setExpanded(index, need_id not in self._collapsed)
        target = self.model.find(*select) if select else QModelIndex()
        if not target.isValid() and self.model.rowCount():
            target = self.model.index(0, 0)
        if target.isValid():
            self._select(target)
        self._show_details()
        self._update_summary()
        self._update_actions()

    def _reload_review(self, meeting_id: int | None = None) -> None:
        panel = self.review_panel
        if panel.conference_id != self.conference_id:
            panel.set_conference(self.conference_id)
        else:
            panel.load(meeting_id)

    def select_intervention(self, intervention_id: int) -> bool:
        """Show an intervention in the plan (e.g. one promoted from the board)."""
        self.set_mode(PLAN_MODE)
        index = self.model.find(INTERVENTION, intervention_id)
        if not index.isValid():
            self.reload_plan((INTERVENTION, intervention_id))
            index = self.model.find(INTERVENTION, intervention_id)
        if not index.isValid():
            return False
        self.tree.setExpanded(index.parent(), True)
        self._select(index)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # --- modes -----------------------------------------------------------------------------

    @property
    def mode(self) -> int:
        return self.pages.currentIndex()

    def set_mode(self, mode: int, *, reload: bool = True) -> None:
        """Plan (edit the plan) or Review (record progress at a review meeting); the page
        shown is re-read first unless `reload` is False (the caller just loaded it)."""
        if mode == REVIEW_MODE and not self.review_panel.reviews:
            mode = PLAN_MODE
            if self.conference_id is not None:
                self.status_message.emit(
                    "No review meeting yet: “Start review meeting” begins one."
                )
        if mode != self.pages.currentIndex():
            self.flush()
            if reload and mode == PLAN_MODE:
                self.reload_plan(self._current_key())
            elif reload:
                self._reload_review()
            self.pages.setCurrentIndex(mode)
        self.mode_group.button(mode).setChecked(True)
        self.plan_buttons.setVisible(mode == PLAN_MODE)
        self.summary.setVisible(mode == PLAN_MODE)
        if mode == REVIEW_MODE:
            self.review_panel.focus_first()
        self._update_actions()

    # --- current row -----------------------------------------------------------------------

    def _show_details(self) -> None:
        self.autosave.flush()  # notes typed for the previous intervention go to it
        self.autosave.discard()
        node = self._current_node()
        record = node.record if isinstance(node, InterventionNode) else None
        self._notes_id = record.id if record else None
        self.notes.blockSignals(True)
        self.notes.setPlainText(record.progress if record else "")
        self.notes.blockSignals(False)
        if record is not None:
            self.details.show_intervention(record, self._histories.get(record.id, []))
        elif isinstance(node, NeedNode) and node.record is not None:
            number = self.model.index_of(node).row() + 1
            self.details.show_need(node.record, number, self._priorities)
        elif self.conference_id is None:
            self.details.show_nothing("")
        else:
            self.details.show_nothing("Select a need or an intervention to see its details.")

    def _update_actions(self) -> None:
        has_conference = self.conference_id is not None
        node = self._current_node()
        self.add_need_action.setEnabled(has_conference)
        self.add_intervention_action.setEnabled(has_conference and self.model.need_count() > 0)
        selected = node is not None and node.id is not None
        self.remove_action.setEnabled(selected)
        self.move_up_action.setEnabled(selected)
        self.move_down_action.setEnabled(selected)
        self.tree.setEnabled(has_conference)
        self.details.setEnabled(has_conference)
        has_reviews = bool(self.review_panel.reviews)
        self.review_mode_button.setEnabled(has_conference and has_reviews)
        self.plan_mode_button.setEnabled(has_conference)
        self.review_mode_button.setToolTip(
            f"Record progress on each action at a review meeting ({key_text(REVIEW_MODE_KEYS)})"
            if has_reviews
            else "No review meeting yet: “Start review meeting” begins one"
        )
        self.start_review_button.setEnabled(has_conference and not self._closed)
        self.start_review_button.setToolTip(
            "This conference is closed: reopen it (Edit outcome…) before holding a review"
            if self._closed
            else "Hold a review: carry every open action forward and record progress on each"
        )
        self.close_button.setEnabled(has_conference)
        self.close_button.setText("Edit outcome…" if self._closed else "Close conference…")
        self.close_button.setAccessibleName(self.close_button.text().rstrip("…"))
        self.close_button.setToolTip(
            "Closed: correct the outcome, or reopen the conference"
            if self._closed
            else "Close the conference once the context is safer, recording the outcome"
        )

    def _update_summary(self) -> None:
        needs = self.model.needs()
        interventions = [i for n in needs for i in n.interventions]
        today = self.today()
        overdue = sum(1 for i in interventions if plan.is_overdue(i, today))
        done = sum(1 for i in interventions if i.status == "done")
        parts = [
            f"{len(needs)} need{'s' if len(needs) != 1 else ''}",
            f"{len(interventions)} intervention{'s' if len(interventions) != 1 else ''}",
            f"{done} done",
        ]
        plain = " · ".join(parts)
        shown = plain
        if overdue:
            plain += f" · {overdue} overdue"
            colour = overdue_foreground().name()
            shown += f" · <b style='color:{colour}'>{overdue} overdue</b>"
        if self._closed:
            plain += " · conference closed"
            shown += " · <b>conference closed</b>"
        if not needs:
            plain = shown = ""
        self.summary.setText(shown)
        self.summary.setAccessibleName(f"Plan summary: {plain or 'empty'}")

    # --- reviews and closing ---------------------------------------------------------------

    def open_action_count(self) -> int:
        return sum(
            1
            for need in self.model.needs()
            for item in need.interventions
            if item.status not in plan.CLOSED_STATUSES
        )

    def start_review(self, *, date: dt.date | None = None) -> int | None:
        """Ask for the date (today by default), start the review and show it; returns its id.
        `date` skips the question (for callers that already know it)."""
        if self.conference_id is None:
            return None
        self.flush()
        if date is None:
            from csfacilitator.gui.plan.review_start_dialog import StartReviewDialog

            dialog = StartReviewDialog(self.open_action_count(), self, today=self.today())
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            date = dialog.chosen
            dialog.deleteLater()
            if not accepted or date is None:
                return None
        try:
            meeting = reviews.start_review(self.db, self.conference_id, date)
        except UserError as exc:
            self.status_message.emit(str(exc))
            return None
        self._closed = False
        self.header_panel.show_header(plan.plan_header(self.db, self.conference_id))
        self._reload_review(meeting.id)
        self.set_mode(REVIEW_MODE, reload=False)
        carried = len(self.review_panel.rows)
        self.status_message.emit(
            f"Started the review of {format_date(meeting.date)}: {carried} open "
            f"action{'s' if carried != 1 else ''} carried forward. Its board is on the Board tab."
        )
        return meeting.id

    def edit_outcome(self) -> None:
        """Close the conference (or, once closed, correct its outcome or reopen it)."""
        if self.conference_id is None:
            return
        self.flush()
        from csfacilitator.gui.plan.closing_dialog import ClosingDialog

        dialog = ClosingDialog(self.db, self.conference_id, self)
        dialog.exec()
        dialog.deleteLater()
        if dialog.result_text:
            self.status_message.emit(dialog.result_text)
            self.reload()

    def _review_status_recorded(
        self, intervention_id: int, meeting_id: int, old: str, old_action: str, new: str
    ) -> None:
        command = ReviewStatusCommand(self, intervention_id, meeting_id, (old, old_action), new)
        push_made(self.undo_stack, command)

    def _save_progress(self, text: str) -> None:
        intervention_id = self._notes_id
        if intervention_id is None:
            return
        record = plan.update_intervention(self.db, intervention_id, progress=text)
        index = self.model.find(INTERVENTION, intervention_id)
        node = self.model.node(index)
        if node is not None:
            self.model.replace(node, record)

    def _changed(self) -> None:
        self._update_summary()
        self._update_actions()

    # The rest of what the plan's commands need of the tab (plan_commands.PlanTarget).

    def after_command(self, focus: tuple[str, int] | None) -> None:
        """After an undo or redo: show the plan (and the review) as now stored."""
        self.reload_plan(focus or self._current_key())
        if self.mode == REVIEW_MODE:
            self._reload_review()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Coming to the tab (Alt+5, a click on it): the keyboard is in the plan grid, ready to
        type into its current cell, not on the first button of the tab."""
        super().showEvent(event)
        QTimer.singleShot(0, self, self._focus_grid)
        # The splitter has its real sizes only once shown: fit the goals to them then.
        QTimer.singleShot(0, self, lambda: self._fit_outcomes(self.outcomes_fold.is_expanded()))

    def default_focus_widget(self) -> QWidget:
        """Where the keyboard goes when the plan is chosen from the keyboard (Alt+5)."""
        return self.tree

    def _focus_grid(self) -> None:
        if not self.isVisible() or self.mode != PLAN_MODE or not self.tree.isEnabled():
            return
        focus = QApplication.focusWidget()
        if focus is not None and focus is not self:
            if not self.isAncestorOf(focus):
                return  # the keyboard is elsewhere (another window, a dialog): leave it
            if not isinstance(focus, QAbstractButton):
                return  # already in the grid, the notes or a field chosen before
        if not self.tree.currentIndex().isValid() and self.model.rowCount():
            self._select(self.model.index(0, 0))
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Undo and redo when no window-wide shortcut has claimed the keys first."""
        if event.matches(QKeySequence.StandardKey.Undo):
            self.flush()
            self.undo_stack.undo()
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Redo):
            self.flush()
            self.undo_stack.redo()
            event.accept()
            return
        super().keyPressEvent(event)
