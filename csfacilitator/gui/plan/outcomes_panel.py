"""Goals & measures in the Action plan tab (issue 19), and the measures asked at a review.

`OutcomesPanel` lists the conference's outcome goals with their measures (kind, baseline, latest
value and the change, in words), adds goals and measures from two rows of fields (Enter adds),
changes the chosen one in the same fields (F2 or Enter on the list, Enter saves, Escape leaves
it), removes it (Delete), and shows the chosen measure's chart. `MeasuresAtReview` sits in
the review panel and asks for each measure's value (and a note) at the review shown. Every
change goes through core/outcomes.py and onto the plan tab's undo stack (gui/undo.py).

The chart is painted from export/measure_chart.py's `chart_layout`, the same geometry the
Word picture is drawn from; its values are also written under it in words.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QPainter, QPen, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
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
from csfacilitator.core.outcomes import MeasureRecord, Progress
from csfacilitator.core.removed_rows import RemovedRows
from csfacilitator.errors import UserError
from csfacilitator.export import measure_chart as chart
from csfacilitator.gui.undo import Change, ShowsAndReloads, push
from csfacilitator.storage.database import Database

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Goal or measure", "Kind", "Baseline", "Latest", "Change")


# -- undo -----------------------------------------------------------------------------------------


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


# -- the chart ------------------------------------------------------------------------------------


class MeasureChart(QWidget):
    """The chosen measure's chart, painted from the layout the Word picture uses."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.progress: Progress | None = None
        self.setAccessibleName("Measure chart")
        self.setMinimumSize(280, 170)

    def set_progress(self, progress: Progress | None) -> None:
        self.progress = progress
        self.setAccessibleDescription(chart.chart_alt_text(progress) if progress else "")
        self.update()

    def layout_now(self) -> chart.ChartLayout | None:
        if self.progress is None or not chart.has_chart(self.progress):
            return None
        font_px = max(10, self.fontMetrics().height() * 0.8)
        return chart.chart_layout(self.progress, self.width(), self.height(), font_px)

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        lay = self.layout_now()
        text_pen = QPen(QColor(chart.TEXT_COLOUR))
        if lay is None:
            painter.setPen(text_pen)
            words = (
                "Choose a measure with a number to see its chart."
                if self.progress is None or self.progress.measure.kind != "observation"
                else "An observation has no chart: its words are listed below."
            )
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             words)  # fmt: skip
            return
        font = QFont(self.font())
        font.setPixelSize(round(lay.font_px))
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(font)
        big = 10_000.0

        def text_at(x: float, y: float, text: str, flags, pen=text_pen, f=font) -> None:  # noqa: ANN001
            painter.setPen(pen)
            painter.setFont(f)
            rect = QRectF(x - big / 2, y - big / 2, big, big)
            if flags & Qt.AlignmentFlag.AlignRight:
                rect = QRectF(x - big, y - big / 2, big, big)
            elif flags & Qt.AlignmentFlag.AlignLeft:
                rect = QRectF(x, y - big / 2, big, big)
            if flags & Qt.AlignmentFlag.AlignTop:
                rect = QRectF(rect.x(), y, rect.width(), big)
            elif flags & Qt.AlignmentFlag.AlignBottom:
                rect = QRectF(rect.x(), y - big, rect.width(), big)
            painter.drawText(rect, flags, text)

        grid = QPen(QColor(chart.GRID_COLOUR))
        for tick in lay.ticks:
            painter.setPen(grid)
            painter.drawLine(QPointF(lay.left, tick.y), QPointF(lay.right, tick.y))
            text_at(lay.left - lay.font_px * 0.5, tick.y, tick.text,
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)  # fmt: skip
        painter.setPen(QPen(QColor(chart.AXIS_COLOUR), 1.5))
        painter.drawLine(QPointF(lay.left, lay.top), QPointF(lay.left, lay.bottom))
        painter.drawLine(QPointF(lay.left, lay.bottom), QPointF(lay.right, lay.bottom))
        if lay.baseline_y is not None:
            base_pen = QPen(QColor(chart.BASELINE_COLOUR), 1.5, Qt.PenStyle.DashLine)
            painter.setPen(base_pen)
            painter.drawLine(QPointF(lay.left, lay.baseline_y), QPointF(lay.right, lay.baseline_y))
            text_at(lay.right + lay.font_px * 0.3, lay.baseline_y, "Baseline",
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    QPen(QColor(chart.BASELINE_COLOUR)))  # fmt: skip
        line = QColor(chart.LINE_COLOUR)
        painter.setPen(QPen(line, 2))
        for a, b in zip(lay.points, lay.points[1:], strict=False):
            painter.drawLine(QPointF(a.x, a.y), QPointF(b.x, b.y))
        r = lay.font_px * 0.45
        centre = Qt.AlignmentFlag.AlignHCenter
        for p in lay.points:
            box = QRectF(p.x - r, p.y - r, 2 * r, 2 * r)
            if p.is_baseline:
                painter.setPen(QPen(QColor(chart.BASELINE_COLOUR), 2))
                painter.setBrush(QBrush(QColor("white")))
                painter.drawRect(box)
            else:
                painter.setPen(QPen(line, 1))
                painter.setBrush(QBrush(line))
                painter.drawEllipse(box)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            text_at(p.x, p.y - r - 2, p.value_text, centre | Qt.AlignmentFlag.AlignBottom,
                    f=bold)  # fmt: skip
            text_at(p.x, lay.bottom + 3, p.label, centre | Qt.AlignmentFlag.AlignTop)
            if p.sublabel:
                text_at(p.x, lay.bottom + 3 + lay.font_px * 1.3, p.sublabel,
                        centre | Qt.AlignmentFlag.AlignTop)  # fmt: skip


# -- the panel in the plan ------------------------------------------------------------------------


def _caption(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    buddy.setAccessibleName(text.rstrip(":").replace("&", ""))
    return label


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
        goal_row.addWidget(_caption("New goal:", self.goal_edit, self))
        goal_row.addWidget(self.goal_edit, 1)
        goal_row.addWidget(_caption("Priority:", self.priority_combo, self))
        goal_row.addWidget(self.priority_combo)
        goal_row.addWidget(_caption("Need:", self.need_combo, self))
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
            measure.addWidget(_caption(text, widget, self), row, col * 2)
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
                combo.addItem(text if len(text) <= 60 else text[:59] + "…", row_id)
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
        try:
            push(self.undo_stack, change)
        except UserError as exc:
            self.status_message.emit(str(exc))
            return False
        return True

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


# -- at a review ----------------------------------------------------------------------------------


class MeasuresAtReview(QWidget):
    """Each measure's value and note at the review shown (in the review panel)."""

    status_message = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.undo_stack: QUndoStack | None = None  # the plan tab's
        self.conference_id: int | None = None
        self.meeting_id: int | None = None
        self.fields: dict[int, tuple[QLineEdit, QLineEdit]] = {}
        self._measures: dict[int, MeasureRecord] = {}
        self._committing = False
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 4, 0, 0)

    def report(self, message: str) -> None:
        self.status_message.emit(message)

    def resync(self) -> None:
        if not self._committing:  # the boxes already show what was typed; undo rebuilds them
            self.show_meeting(self.conference_id, self.meeting_id)

    def show_meeting(self, conference_id: int | None, meeting_id: int | None) -> None:
        self.conference_id, self.meeting_id = conference_id, meeting_id
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields, self._measures = {}, {}
        if conference_id is None or meeting_id is None:
            return
        goals = outcomes.list_goals(self.db, conference_id)
        measures = [m for goal in goals for m in goal.measures]
        heading = QLabel("Outcome measures at this review" if measures else
                         "No outcome measures set (add them under Goals and measures in the plan).",
                         self)  # fmt: skip
        font = heading.font()
        font.setBold(bool(measures))
        heading.setFont(font)
        heading.setWordWrap(True)
        self.form.addRow(heading)
        taken = outcomes.values_at(self.db, meeting_id)
        for m in measures:
            record = taken.get(m.id)
            value = QLineEdit(outcomes.value_entry(m, record), self)
            note = QLineEdit(record.note if record else "", self)
            base = outcomes.baseline_entry(m)
            value.setPlaceholderText(f"baseline {base}" if base else m.kind_label)
            note.setPlaceholderText("Note (optional)")
            label = QLabel(m.title + ":", self)
            label.setBuddy(value)
            label.setWordWrap(True)
            value.setAccessibleName(m.title)
            note.setAccessibleName(f"Note: {m.title}")
            row = QHBoxLayout()
            row.addWidget(value, 1)
            row.addWidget(note, 2)
            self.form.addRow(label, row)
            self.fields[m.id] = (value, note)
            self._measures[m.id] = m
            value.editingFinished.connect(lambda mid=m.id: self._commit(mid))
            note.editingFinished.connect(lambda mid=m.id: self._commit(mid))

    def _commit(self, measure_id: int) -> None:
        if self.meeting_id is None or measure_id not in self.fields:
            return
        value, note = self.fields[measure_id]
        new = (value.text().strip(), note.text().strip())
        measure = self._measures[measure_id]
        record = outcomes.values_at(self.db, self.meeting_id).get(measure_id)
        old = (outcomes.value_entry(measure, record), record.note if record else "")
        if new == old:
            return
        change = RecordValueChange(self, measure_id, self.meeting_id, old, new,
                                   f"Record {measure.title}")  # fmt: skip
        self._committing = True
        try:
            if self.undo_stack is None:
                change.perform()
            else:
                push(self.undo_stack, change)
        except UserError as exc:
            self.status_message.emit(str(exc))  # what was typed stays in the box
            return
        finally:
            self._committing = False
        self.status_message.emit(f"Recorded {measure.title} at this review.")
