"""The intervention plan as a two-level Qt item model: needs at the top, their interventions
below. The model only shows records; every change goes through `edit_handler`, which the plan
tab sets to commit the edit to the database (with undo) and hand back the stored record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from functools import cache

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPointF,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPen, QPixmap

from csfacilitator.core import vocab
from csfacilitator.core.dates import format_date
from csfacilitator.core.plan import InterventionRecord, NeedRecord, PriorityOption, is_overdue
from csfacilitator.core.textclean import shortened
from csfacilitator.gui.widgets.model_index import Index

COL_TEXT, COL_AGENCY, COL_OWNER, COL_TIMESCALE, COL_DUE, COL_STATUS = range(6)
HEADERS = (
    "Identified need or problem / Intervention",
    "Agency / team responsible",
    "Owner",
    "Timescale",
    "Due",
    "Status",
)
#: The stored field each column edits.
COLUMN_FIELDS = {
    COL_TEXT: "text",
    COL_AGENCY: "agency",
    COL_OWNER: "owner",
    COL_TIMESCALE: "timescale",
    COL_DUE: "due_date",
    COL_STATUS: "status",
}

NEED = "need"
INTERVENTION = "intervention"

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # NEED or INTERVENTION
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the stored id (None for a row still being written)
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 3  # bool; for a need: any intervention overdue
PENDING_ROLE = Qt.ItemDataRole.UserRole + 4  # True for the new row whose text is being typed
#: For an intervention from the board: the point's text as it now reads (else None).
BOARD_ROLE = Qt.ItemDataRole.UserRole + 5
#: For a need linked to one of the assessment's priorities: the priority's text (else None).
PRIORITY_ROLE = Qt.ItemDataRole.UserRole + 6

DISPLAY_LIMIT = 1500  # characters shown in a cell or tooltip; the editor gets everything

EditHandler = Callable[["PlanNode", str, object], bool]


class NeedNode:
    __slots__ = ("record", "children", "__weakref__")

    def __init__(self, record: NeedRecord | None):
        self.record = record
        self.children: list[InterventionNode] = []

    kind = NEED

    @property
    def id(self) -> int | None:
        return self.record.id if self.record else None


class InterventionNode:
    __slots__ = ("record", "parent", "__weakref__")

    def __init__(self, record: InterventionRecord | None, parent: NeedNode):
        self.record = record
        self.parent = parent

    kind = INTERVENTION

    @property
    def id(self) -> int | None:
        return self.record.id if self.record else None


PlanNode = NeedNode | InterventionNode


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def _dark_palette() -> bool:
    return QGuiApplication.palette().base().color().lightness() < 128


def muted_foreground() -> QColor:
    """Secondary text: the text colour part-way to the background (placeholder colours carry
    alpha, which rich-text colour names drop)."""
    palette = QGuiApplication.palette()
    return _mix(palette.text().color(), palette.base().color(), 0.42)


def need_background() -> QColor:
    palette = QGuiApplication.palette()
    return _mix(palette.base().color(), QColor("#4a78b5"), 0.22 if _dark_palette() else 0.10)


def overdue_background() -> QColor:
    return _mix(QGuiApplication.palette().base().color(), QColor("#d13438"), 0.12)


def overdue_foreground() -> QColor:
    return QColor("#ff8a8a") if _dark_palette() else QColor("#a4262c")


def _circle_icon(fill: str | None, outline: str, mark: str = "") -> QIcon:
    size = 32  # drawn large, scaled down by the view: crisp on high-dpi screens
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(outline), 3))
    painter.setBrush(QColor(fill) if fill else Qt.BrushStyle.NoBrush)
    painter.drawEllipse(3, 3, size - 6, size - 6)
    solid = fill is not None and fill != "#ffffff"
    pen = QPen(QColor("white" if solid else outline), 4)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    if mark == "!":
        painter.drawLine(QPointF(16, 8.5), QPointF(16, 18.5))
        painter.drawPoint(QPointF(16, 24))
    elif mark == "tick":
        painter.drawPolyline([QPointF(9.5, 16.5), QPointF(14, 21), QPointF(23, 11)])
    elif mark == "dash":
        painter.drawLine(QPointF(10, 16), QPointF(22, 16))
    elif mark == "half":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(outline))
        painter.drawPie(3, 3, size - 6, size - 6, 90 * 16, -180 * 16)
    painter.end()
    return QIcon(pixmap)


@cache
def overdue_icon() -> QIcon:
    return _circle_icon("#c4262e", "#c4262e", "!")


@cache
def status_icon(status: str) -> QIcon:
    # Hollow shapes are filled white so they stay visible on a selected (dark) row.
    if status == "in_progress":
        return _circle_icon("#ffffff", "#2b6cb0", "half")
    if status == "done":
        return _circle_icon("#2f855a", "#2f855a", "tick")
    if status == "not_going_ahead":
        return _circle_icon("#ffffff", "#7a7a7a", "dash")
    return _circle_icon("#ffffff", "#7a7a7a")


class PlanModel(QAbstractItemModel):
    """Needs (top level, first column spanning the row) with their interventions as children."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needs: list[NeedNode] = []
        self._pending: PlanNode | None = None
        self.today: dt.date = dt.date.today()
        self.priorities: dict[int, PriorityOption] = {}
        #: Called as handler(node, field, value) -> bool to commit an edit; see the plan tab.
        self.edit_handler: EditHandler | None = None

    # --- loading and lookup ----------------------------------------------------------------

    def set_plan(
        self,
        needs: list[NeedRecord],
        today: dt.date | None = None,
        priorities: list[PriorityOption] | tuple[PriorityOption, ...] = (),
    ) -> None:
        self.beginResetModel()
        self._pending = None
        self.today = today or dt.date.today()
        self.priorities = {p.id: p for p in priorities}
        self._needs = []
        for record in needs:
            node = NeedNode(record)
            node.children = [InterventionNode(i, node) for i in record.interventions]
            self._needs.append(node)
        self.endResetModel()

    def need_count(self) -> int:
        return len(self._needs)

    def node(self, index: Index) -> PlanNode | None:
        return index.internalPointer() if index.isValid() else None

    def index_of(self, node: PlanNode, column: int = 0) -> QModelIndex:
        if isinstance(node, NeedNode):
            return self.createIndex(self._needs.index(node), column, node)
        return self.createIndex(node.parent.children.index(node), column, node)

    def find(self, kind: str, record_id: int, column: int = 0) -> QModelIndex:
        for need in self._needs:
            if kind == NEED and need.id == record_id:
                return self.index_of(need, column)
            if kind == INTERVENTION:
                for child in need.children:
                    if child.id == record_id:
                        return self.index_of(child, column)
        return QModelIndex()

    def needs(self) -> list[NeedRecord]:
        """The plan as now shown (edits made since loading included; rows being typed left out)."""
        return [
            replace(
                n.record,
                interventions=tuple(c.record for c in n.children if c.record is not None),
            )
            for n in self._needs
            if n.record is not None
        ]

    @property
    def pending(self) -> PlanNode | None:
        return self._pending

    # --- in-place changes (no reset, so an open editor and the selection survive) ----------

    def replace(self, node: PlanNode, record: NeedRecord | InterventionRecord) -> None:
        """Show the stored version of a row after an edit (or the first save of a new row)."""
        node.record = record
        if node is self._pending:
            self._pending = None
        first = self.index_of(node, 0)
        last = self.index_of(node, COL_STATUS)
        self.dataChanged.emit(first, last)
        if isinstance(node, InterventionNode):
            parent = self.index_of(node.parent, 0)
            self.dataChanged.emit(parent, parent)  # the need's overdue mark may change

    def insert_pending_need(self, row: int) -> QModelIndex:
        """An empty need row to type into; it is stored once it has text."""
        self.drop_pending()
        row = max(0, min(row, len(self._needs)))
        self.beginInsertRows(QModelIndex(), row, row)
        node = NeedNode(None)
        self._needs.insert(row, node)
        self._pending = node
        self.endInsertRows()
        return self.index_of(node)

    def insert_pending_intervention(self, need: NeedNode, row: int) -> QModelIndex:
        self.drop_pending()
        row = max(0, min(row, len(need.children)))
        self.beginInsertRows(self.index_of(need), row, row)
        node = InterventionNode(None, need)
        need.children.insert(row, node)
        self._pending = node
        self.endInsertRows()
        return self.index_of(node)

    def drop_pending(self) -> None:
        """Forget a new row that was never given text."""
        node = self._pending
        if node is None:
            return
        self._pending = None
        index = self.index_of(node)
        self.beginRemoveRows(index.parent(), index.row(), index.row())
        if isinstance(node, NeedNode):
            self._needs.remove(node)
        else:
            node.parent.children.remove(node)
        self.endRemoveRows()

    # --- QAbstractItemModel ----------------------------------------------------------------

    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(HEADERS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row < len(self._needs):
                return self.createIndex(row, column, self._needs[row])
            return QModelIndex()
        node = self.node(parent)
        if isinstance(node, NeedNode) and parent.column() == 0 and row < len(node.children):
            return self.createIndex(row, column, node.children[row])
        return QModelIndex()

    def parent(self, index=QModelIndex()):  # noqa: B008
        node = self.node(index)
        if isinstance(node, InterventionNode):
            return self.createIndex(self._needs.index(node.parent), 0, node.parent)
        return QModelIndex()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        if not parent.isValid():
            return len(self._needs)
        node = self.node(parent)
        if isinstance(node, NeedNode) and parent.column() == 0:
            return len(node.children)
        return 0

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if (
            orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
            and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
        ):
            return HEADERS[section]
        return None

    def flags(self, index) -> Qt.ItemFlag:
        node = self.node(index)
        if node is None:
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if isinstance(node, NeedNode):
            if index.column() == COL_TEXT:
                return base | Qt.ItemFlag.ItemIsEditable
            return base
        if node.record is None and index.column() != COL_TEXT:
            return base  # a new intervention gets its text first
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        node = self.node(index)
        if node is None:
            return None
        if role == KIND_ROLE:
            return node.kind
        if role == ID_ROLE:
            return node.id
        if role == PENDING_ROLE:
            return node is self._pending
        if isinstance(node, NeedNode):
            return self._need_data(node, index.column(), role)
        return self._intervention_data(node, index.column(), role)

    def overdue_count(self, need: NeedNode) -> int:
        return sum(
            1 for c in need.children if c.record is not None and is_overdue(c.record, self.today)
        )

    def priority_text(self, record: NeedRecord | None) -> str | None:
        if record is None or record.priority_id is None:
            return None
        option = self.priorities.get(record.priority_id)
        return option.text if option is not None else None

    def _need_data(self, node: NeedNode, column: int, role: int):
        record = node.record
        overdue = self.overdue_count(node)
        if role == OVERDUE_ROLE:
            return overdue > 0
        if role == PRIORITY_ROLE:
            return self.priority_text(record) if column == COL_TEXT else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(need_background())
        if column != COL_TEXT:
            return None
        text = record.text if record else ""
        if role == Qt.ItemDataRole.DisplayRole:
            return shortened(text, DISPLAY_LIMIT)  # the view's delegate adds the need's number
        if role == Qt.ItemDataRole.EditRole:
            return text
        if role == Qt.ItemDataRole.FontRole:
            font = QFont(QGuiApplication.font())
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and overdue:
            return overdue_icon()
        priority = self.priority_text(record)
        if role == Qt.ItemDataRole.ToolTipRole and record is not None:
            lines = [shortened(text, DISPLAY_LIMIT)] if len(text) > 80 else []
            if priority:
                lines.append(f"Assessment priority: {shortened(priority, DISPLAY_LIMIT)}")
            count = len(node.children)
            lines.append(f"{count} intervention{'s' if count != 1 else ''}")
            if overdue:
                lines.append(f"{overdue} overdue")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole and record is not None:
            suffix = f", priority: {priority}" if priority else ""
            suffix += f", {overdue} overdue" if overdue else ""
            return f"Need: {text}{suffix}"
        return None

    def _intervention_data(self, node: InterventionNode, column: int, role: int):
        record = node.record
        if record is None:
            return "" if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole) else None
        overdue = is_overdue(record, self.today)
        from_board = record.board_point_id is not None
        if role == OVERDUE_ROLE:
            return overdue
        if role == BOARD_ROLE:
            return record.board_point_text if from_board and column == COL_TEXT else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(overdue_background()) if overdue else None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = []
            if overdue:
                lines.append(f"Overdue since {format_date(record.due_date)}")
            elif column == COL_DUE and record.due_date:
                lines.append(f"Due {format_date(record.due_date)}")
            if column == COL_TEXT and len(record.text) > 80:
                lines.append(shortened(record.text, DISPLAY_LIMIT))
            if column == COL_TEXT and from_board:
                point = shortened(record.board_point_text, DISPLAY_LIMIT)
                lines.append(f"From the board: “{point}”")
            return "\n".join(lines) or None
        field = COLUMN_FIELDS[column]
        value = getattr(record, field)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_DUE:
                return format_date(value)
            if column == COL_STATUS:
                return vocab.label(vocab.ACTION_STATUSES, value)
            return shortened(value, DISPLAY_LIMIT)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == COL_DUE:
                text = format_date(value) or "No due date"
                return f"{text}, overdue" if overdue else text
            if column == COL_STATUS:
                return vocab.label(vocab.ACTION_STATUSES, value)
            if column == COL_TEXT and from_board:
                return f"{value}, from the board"
            return value
        if role == Qt.ItemDataRole.DecorationRole:
            if column == COL_DUE and overdue:
                return overdue_icon()
            if column == COL_STATUS:
                return status_icon(value)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and overdue and column == COL_DUE:
            return QBrush(overdue_foreground())
        if role == Qt.ItemDataRole.FontRole and overdue and column == COL_DUE:
            font = QFont(QGuiApplication.font())
            font.setBold(True)
            return font
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        node = self.node(index)
        if node is None or role != Qt.ItemDataRole.EditRole or self.edit_handler is None:
            return False
        if isinstance(node, NeedNode) and index.column() != COL_TEXT:
            return False
        field = COLUMN_FIELDS[index.column()]
        if node.record is not None and getattr(node.record, field) == value:
            return True  # nothing changed: no save, no undo step
        return self.edit_handler(node, field, value)
