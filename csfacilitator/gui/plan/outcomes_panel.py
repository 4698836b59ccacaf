"""Goals & measures in the Action plan tab (issue 19), and the measures asked at a review.

`OutcomesPanel` lists the conference's outcome goals with their measures (kind, baseline, latest
value and the change, in words), adds goals and measures from two rows of fields (Enter adds),
changes the chosen one in the same fields (F2 or Enter on the list, Enter saves, Escape leaves
it), removes it (Delete), and shows the chosen measure's chart. `MeasuresAtReview`
(measures_at_review.py) sits in the review panel and asks for each measure's value (and a note)
at the review shown. Every change goes through core/outcomes.py and onto the plan tab's undo
stack as one of outcomes_commands.py's steps.

The chart (measure_chart_view.py) is painted from export/measure_chart.py's `chart_layout`, the
same geometry the Word picture is drawn from; its values are also written under it in words.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core import outcomes
from csfacilitator.core.outcomes import Progress
from csfacilitator.core.textclean import shortened
from csfacilitator.errors import UserError
from csfacilitator.export import measure_chart as chart
from csfacilitator.gui.plan.measure_chart_view import MeasureChart
from csfacilitator.gui.plan.outcomes_commands import AddRowChange, EditRowChange, RemoveRowChange
from csfacilitator.gui.undo import Change, ShowsAndReloads, push_or_say
from csfacilitator.gui.widgets.form_parts import buddy_label
from csfacilitator.storage.database import Database

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Goal or measure", "Kind", "Baseline", "Latest", "Change")


# -- the panel in the plan ------------------------------------------------------------------------


class OutcomesPanel(ShowsAndReloads, QWidget):
    """The conference's outcome goals and measures, with the chosen measure's chart."""

    status_message = Signal(str)
    summary_changed = Signal(str)  # "2 goals, 4 measures": the folded panel's header says it

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack
        self.conference_id: int | None = None
        self.progress: dict[int, Progress] = {}
        self.editing: tuple[str, int] | None = None  # the goal or measure the fields change

        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Goals and measures")
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setColumnWidth(0, 300)
        self.tree.setRootIsDecorated(True)
        self.tree.setMinimumHeight(120)
        self.tree.installEventFilter(self)

        # -- add a goal
        self.goal_edit = QLineEdit(self)
        self.goal_edit.setPlaceholderText("The change in the place you want to see; Enter adds it")
        self.add_goal_button = QPushButton("Add goal", self)
        self.add_goal_button.setAccessibleName("Add goal")
        self.priority_combo = QComboBox(self)  # what the new goal is linked to, if anything
        self.need_combo = QComboBox(self)
        for combo in (self.priority_combo, self.need_combo):
            combo.setMinimumContentsLength(14)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
        goal_row = QHBoxLayout()
        goal_row.addWidget(buddy_label("New goal:", self.goal_edit, self))
        goal_row.addWidget(self.goal_edit, 1)
        goal_row.addWidget(buddy_label("Priority:", self.priority_combo, self))
        goal_row.addWidget(self.priority_combo)
        goal_row.addWidget(buddy_label("Need:", self.need_combo, self))
        goal_row.addWidget(self.need_combo)
        goal_row.addWidget(self.add_goal_button)

        # -- add a measure to the chosen goal
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("What is counted or asked")
        self.kind_combo = QComboBox(self)
        for key, label in outcomes.KINDS:
            self.kind_combo.addItem(label, key)
        self.period_edit = QLineEdit(self)
        self.period_edit.setPlaceholderText("month")
        self.source_edit = QLineEdit(self)
        self.source_edit.setPlaceholderText("police calls, from the neighbourhood team")
        self.baseline_edit = QLineEdit(self)
        self.baseline_date_edit = QLineEdit(self)
        self.baseline_date_edit.setPlaceholderText("1/9/2026")
        self.add_measure_button = QPushButton("Add measure", self)
        self.add_measure_button.setAccessibleName("Add measure")
        measure = QGridLayout()
        fields = (
            ("Measure:", self.name_edit), ("Kind:", self.kind_combo),
            ("Per (period):", self.period_edit), ("Source:", self.source_edit),
            ("Baseline:", self.baseline_edit), ("Baseline date:", self.baseline_date_edit),
        )  # fmt: skip
        for index, (text, widget) in enumerate(fields):
            row, col = divmod(index, 2)
            measure.addWidget(buddy_label(text, widget, self), row, col * 2)
            measure.addWidget(widget, row, col * 2 + 1)
        measure.addWidget(self.add_measure_button, 3, 3)
        self.remove_button = QPushButton("Remove goal or measure", self)
        self.remove_button.setAccessibleName("Remove goal or measure")
        measure.addWidget(self.remove_button, 3, 1)

        self.chart = MeasureChart(self)
        self.values_text = QLabel(self)
        self.values_text.setWordWrap(True)
        self.values_text.setAccessibleName("Measure values in words")
        self.values_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)

        left = QVBoxLayout()
        left.addWidget(self.tree, 1)
        left.addLayout(goal_row)
        left.addLayout(measure)
        right = QVBoxLayout()
        right.addWidget(self.chart, 1)
        right.addWidget(self.values_text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

        self.goal_edit.returnPressed.connect(self.add_goal)
        self.add_goal_button.clicked.connect(self.add_goal)
        for edit in (self.name_edit, self.period_edit, self.source_edit, self.baseline_edit,
                     self.baseline_date_edit):  # fmt: skip
            edit.returnPressed.connect(self.add_measure)
        self.add_measure_button.clicked.connect(self.add_measure)
        for field in (self.goal_edit, self.name_edit, self.kind_combo, self.period_edit,
                      self.source_edit, self.baseline_edit, self.baseline_date_edit,
                      self.priority_combo, self.need_combo):  # fmt: skip
            field.installEventFilter(self)  # Escape leaves a goal or measure as it was
        self.remove_button.clicked.connect(self.remove_current)
        self.tree.currentItemChanged.connect(self._show_current)

    # -- loading
    def set_conference(self, conference_id: int | None) -> None:
        self.conference_id = conference_id
        self.reload()

    def refresh_links(self) -> None:
        self._load_links()

    def _load_links(self) -> None:
        """The priorities and needs a new goal can be linked to."""
        from csfacilitator.core import plan

        options: list[tuple[QComboBox, list[tuple[str, int]]]] = [
            (self.priority_combo, []), (self.need_combo, []),
        ]  # fmt: skip
        if self.conference_id is not None:
            try:
                options[0][1].extend(
                    (p.text, p.id) for p in plan.list_priority_options(self.db, self.conference_id)
                )
                options[1][1].extend(
                    (n.text, n.id) for n in plan.get_plan(self.db, self.conference_id)
                )
            except UserError as exc:
                self.status_message.emit(str(exc))
        for combo, items in options:
            chosen = combo.currentData()
            combo.clear()
            combo.addItem("None", None)
            for text, row_id in items:
                combo.addItem(shortened(text, 60), row_id)
                combo.setItemData(combo.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
            found = combo.findData(chosen)
            combo.setCurrentIndex(max(found, 0))

    def reload(self) -> None:
        current = self.current()
        self.tree.clear()
        self.progress = {}
        self._load_links()
        if self.conference_id is None:
            self._show_current()
            return
        try:
            goals = outcomes.conference_progress(self.db, self.conference_id)
        except UserError as exc:
            self.status_message.emit(str(exc))
            goals = []
        chosen = None
        for number, (goal, progresses) in enumerate(goals, start=1):
            item = QTreeWidgetItem([f"Goal {number}: {goal.text}", "", "", "", ""])
            linked = [t for t in (goal.priority_text and f"Priority: {goal.priority_text}",
                                  goal.need_text and f"Need: {goal.need_text}") if t]  # fmt: skip
            item.setToolTip(0, "\n".join([goal.text, *linked]))
            item.setData(0, KIND_ROLE, "goal")
            item.setData(0, ID_ROLE, goal.id)
            self.tree.addTopLevelItem(item)
            if current == ("goal", goal.id):
                chosen = item
            for progress in progresses:
                m = progress.measure
                self.progress[m.id] = progress
                base, latest = progress.baseline, progress.latest
                child = QTreeWidgetItem([
                    m.title, m.kind_label, base.text if base else "Not recorded",
                    f"{latest.text} ({latest.label})" if latest else "Not taken yet",
                    progress.change_text,
                ])  # fmt: skip
                child.setData(0, KIND_ROLE, "measure")
                child.setData(0, ID_ROLE, m.id)
                child.setToolTip(0, f"Source: {m.source}" if m.source else "")
                item.addChild(child)
                if current == ("measure", m.id):
                    chosen = child
            item.setExpanded(True)
        if chosen is None and self.tree.topLevelItemCount():
            chosen = self.tree.topLevelItem(0)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self._show_current()
        goal_count, measure_count = len(goals), len(self.progress)
        self.summary_changed.emit(
            f"{goal_count} goal{'s' if goal_count != 1 else ''}, "
            f"{measure_count} measure{'s' if measure_count != 1 else ''}"
            if goal_count
            else "none yet"
        )

    def current(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return item.data(0, KIND_ROLE), item.data(0, ID_ROLE)

    def _current_goal_id(self) -> int | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        if item.data(0, KIND_ROLE) == "measure":
            parent = item.parent()
            return parent.data(0, ID_ROLE) if parent is not None else None
        return item.data(0, ID_ROLE)

    def _show_current(self, *_args) -> None:
        chosen = self.current()
        progress = self.progress.get(chosen[1]) if chosen and chosen[0] == "measure" else None
        self.chart.set_progress(progress)
        if progress is None:
            self.values_text.setText("Choose a measure to see its values over time.")
        else:
            words = chart.chart_alt_text(progress)
            if not chart.has_chart(progress):
                words += " " + " ".join(f"{p.when}: {p.text}." for p in progress.points)
            self.values_text.setText(words)

    # -- changes
    def _push(self, change: Change) -> bool:
        return push_or_say(self.undo_stack, change, self.status_message.emit)

    def add_goal(self) -> None:
        if self.conference_id is None:
            return
        text, conference_id = self.goal_edit.text(), self.conference_id
        links = {
            "priority_id": self.priority_combo.currentData(),
            "need_id": self.need_combo.currentData(),
        }
        if self.editing and self.editing[0] == "goal":
            goal_id = self.editing[1]
            goal = next(g for g in outcomes.list_goals(self.db, conference_id) if g.id == goal_id)
            old = {"text": goal.text, "priority_id": goal.priority_id, "need_id": goal.need_id}
            edit_change = EditRowChange(self, "Change goal",
                                 lambda v: outcomes.update_goal(self.db, goal_id, **v), old,
                                 {"text": text, **links})  # fmt: skip
            if self._push(edit_change):
                self.cancel_edit()
                self._select(("goal", goal_id))
                self.status_message.emit("Goal changed.")
            return

        def create() -> int:
            return outcomes.add_goal(self.db, conference_id, text, **links).id

        change = AddRowChange(self, "Add goal", create,
                              lambda goal_id: outcomes.delete_goal(self.db, goal_id))  # fmt: skip
        if self._push(change):
            self.goal_edit.clear()
            if change.row_id is not None:
                self._select(("goal", change.row_id))
            self.status_message.emit("Goal added.")

    def add_measure(self) -> None:
        goal_id = self._current_goal_id()
        if goal_id is None:
            self.status_message.emit("Add a goal first, then its measures.")
            return
        values = dict(
            name=self.name_edit.text(), kind=self.kind_combo.currentData(),
            period=self.period_edit.text(), source=self.source_edit.text(),
            baseline=self.baseline_edit.text(), baseline_date=self.baseline_date_edit.text(),
        )  # fmt: skip
        if self.editing and self.editing[0] == "measure":
            measure_id = self.editing[1]
            m = self.progress[measure_id].measure
            old = dict(
                name=m.name, kind=m.kind, period=m.period, source=m.source,
                baseline=outcomes.baseline_entry(m), baseline_date=m.baseline_date,
            )  # fmt: skip
            edit_change = EditRowChange(self, "Change measure",
                                 lambda v: outcomes.update_measure(self.db, measure_id, **v),
                                 old, values)  # fmt: skip
            if self._push(edit_change):
                self.cancel_edit()
                self._select(("measure", measure_id))
                self.status_message.emit("Measure changed.")
            return

        def create() -> int:
            kind, name = values["kind"], values["name"]
            rest = {k: v for k, v in values.items() if k not in ("kind", "name")}
            return outcomes.add_measure(self.db, goal_id, name, kind, **rest).id

        change = AddRowChange(self, "Add measure", create,
                              lambda measure_id: outcomes.delete_measure(self.db, measure_id))  # fmt: skip
        if self._push(change):
            for edit in (self.name_edit, self.period_edit, self.source_edit, self.baseline_edit,
                         self.baseline_date_edit):  # fmt: skip
                edit.clear()
            if change.row_id is not None:
                self._select(("measure", change.row_id))
            self.status_message.emit("Measure added.")

    def start_edit(self) -> None:
        """Put the chosen goal or measure into the fields below, to change and save (Enter)."""
        chosen = self.current()
        if chosen is None or self.conference_id is None:
            return
        self.cancel_edit()
        kind, row_id = chosen
        if kind == "goal":
            goal = next(
                (g for g in outcomes.list_goals(self.db, self.conference_id) if g.id == row_id),
                None,
            )
            if goal is None:
                return
            self.goal_edit.setText(goal.text)
            self.priority_combo.setCurrentIndex(
                max(0, self.priority_combo.findData(goal.priority_id))
            )
            self.need_combo.setCurrentIndex(max(0, self.need_combo.findData(goal.need_id)))
            self.add_goal_button.setText("Save goal")
            self.add_goal_button.setAccessibleName("Save goal")
            self.goal_edit.setFocus()
        else:
            m = self.progress[row_id].measure
            self.name_edit.setText(m.name)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(m.kind)))
            self.period_edit.setText(m.period)
            self.source_edit.setText(m.source)
            self.baseline_edit.setText(outcomes.baseline_entry(m))
            self.baseline_date_edit.setText(outcomes.format_baseline_date(m))
            self.add_measure_button.setText("Save measure")
            self.add_measure_button.setAccessibleName("Save measure")
            self.name_edit.setFocus()
        self.editing = chosen
        self.status_message.emit(
            "Change the fields and press Enter to save; Escape leaves it as it was."
        )

    def cancel_edit(self) -> None:
        if self.editing is None:
            return
        self.editing = None
        for edit in (self.goal_edit, self.name_edit, self.period_edit, self.source_edit,
                     self.baseline_edit, self.baseline_date_edit):  # fmt: skip
            edit.clear()
        self.add_goal_button.setText("Add goal")
        self.add_goal_button.setAccessibleName("Add goal")
        self.add_measure_button.setText("Add measure")
        self.add_measure_button.setAccessibleName("Add measure")

    def remove_current(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        kind, row_id = chosen
        if kind == "goal":
            change = RemoveRowChange(self, "Remove goal",
                                     lambda: outcomes.delete_goal(self.db, row_id))  # fmt: skip
        else:
            change = RemoveRowChange(self, "Remove measure",
                                     lambda: outcomes.delete_measure(self.db, row_id))  # fmt: skip
        if self._push(change):
            self.status_message.emit(f"{change.text()} done: Ctrl+Z puts it back.")

    def _select(self, key: tuple[str, int]) -> None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is None:
                continue
            items = [top] + [top.child(j) for j in range(top.childCount())]
            for item in items:
                if item is not None and (item.data(0, KIND_ROLE), item.data(0, ID_ROLE)) == key:
                    self.tree.setCurrentItem(item)
                    return

    def eventFilter(self, watched, event) -> bool:  # noqa: N802, ANN001 - Qt API
        if (
            watched is self.tree
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_F2, Qt.Key.Key_Return)
        ):
            if event.key() == Qt.Key.Key_Delete:
                self.remove_current()
            else:
                self.start_edit()
            return True
        if (
            self.editing is not None
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.cancel_edit()
            self.tree.setFocus()
            return True
        return super().eventFilter(watched, event)
