"""The conference list as a table model, with a proxy that searches, filters and sorts.

Beside each conference's own details it shows two things worked out across its plan and its
closing: how many actions are overdue (highlighted when any are), and for a closed conference
when it is due for deletion under the retention period (or that it is on legal hold).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractProxyModel, QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from csfacilitator.core import vocab
from csfacilitator.core.dashboard import ConferenceFlags
from csfacilitator.core.dates import format_date
from csfacilitator.core.records import ConferenceSummary

(
    COL_TITLE,
    COL_CONTEXT,
    COL_AREA,
    COL_STATUS,
    COL_RETENTION,
    COL_DATE,
    COL_REVIEW,
    COL_OVERDUE,
    COL_CHANGED,
) = range(9)
HEADERS = (
    "Title",
    "Context",
    "Area",
    "Status",
    "Retention",
    "Conference date",
    "Next review",
    "Overdue",
    "Last changed",
)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
#: True when the conference has overdue actions (for delegates and tests).
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 3
_NO_FLAGS = ConferenceFlags()
#: The order core.conferences.list_conferences returns (the list's default): rows read later
#: in that order can be appended without sorting.
NEWEST_FIRST = (COL_CHANGED, Qt.SortOrder.DescendingOrder)
#: The roles the model answers; the filter returns None for others before any other work (a
#: view asks for a dozen roles per cell it paints).
_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
        ID_ROLE,
        SORT_ROLE,
        OVERDUE_ROLE,
    )
)


def _overdue_colours() -> tuple[QColor, QColor]:
    """(background, text) for an overdue count: the plan tab's overdue red, readable in dark
    palettes too."""
    palette = QApplication.palette()
    base = palette.color(QPalette.ColorRole.Base)
    dark = base.lightness() < 128
    red = QColor("#d13438")
    mix = 0.28 if dark else 0.14
    background = QColor(
        round(base.red() + (red.red() - base.red()) * mix),
        round(base.green() + (red.green() - base.green()) * mix),
        round(base.blue() + (red.blue() - base.blue()) * mix),
    )
    return background, QColor("#ff8a8a") if dark else QColor("#a4262c")


_FONTS: dict[bool, QFont] = {}


def _title_font(archived: bool) -> QFont:
    """Bold, or italic when archived (made once: the view asks for it on every paint)."""
    if archived not in _FONTS:
        font = QFont()
        font.setBold(not archived)
        font.setItalic(archived)
        _FONTS[archived] = font
    return _FONTS[archived]


def _haystack(row: ConferenceSummary) -> str:
    """What search looks in (title, context, area), folded once per row."""
    return f"{row.title}\n{row.context_name}\n{row.area}".casefold()


class ConferenceListModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ConferenceSummary] = []
        self._flags: dict[int, ConferenceFlags] = {}
        self._texts: list[tuple[str, ...] | None] = []
        #: Per row, what search looks in (title, context, area), folded once.
        self.haystacks: list[str] = []
        #: The order the view asked for (sort() below); kept across set_rows.
        self._order: tuple[int, Qt.SortOrder] | None = None
        self._where: dict[int, int] | None = None  # conference id -> row, made when asked

    def set_rows(
        self, rows: list[ConferenceSummary], flags: dict[int, ConferenceFlags] | None = None
    ) -> None:
        """The conferences, and (from core.dashboard.conference_flags) their overdue counts
        and retention states; a conference missing from `flags` has neither."""
        self.beginResetModel()
        self._rows = list(rows)
        self._flags = dict(flags or {})
        # Views ask for every cell many times (sorting, sizing, painting): format each row
        # once, when first asked for (the first screenful, not 10,000 rows before the paint).
        self._texts = [None] * len(self._rows)
        if self._order is not None:
            self._apply_order(*self._order)
        self.haystacks = [_haystack(r) for r in self._rows]
        self._where = None
        self.endResetModel()

    def add_rows(self, rows: list[ConferenceSummary]) -> None:
        """More conferences, after those already here (the rest of a list whose first
        screenful was read first); one already here is not added twice."""
        known = self._ids()
        rows = [r for r in rows if r.id not in known]
        if not rows:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self._texts.extend([None] * len(rows))
        self.haystacks.extend(_haystack(r) for r in rows)
        self._where = None
        self.endInsertRows()
        if self._order not in (None, NEWEST_FIRST):
            self.sort(*self._order)

    def order(self) -> tuple[int, Qt.SortOrder] | None:
        """The order the view asked for, if any."""
        return self._order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows themselves, on keys computed once per row: a proxy that sorts asks
        for two values per comparison (n log n calls into Python; seconds for 10,000 rows)."""
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._rows[index.row()].id for index in before]
        self._apply_order(column, order)
        where = {row.id: number for number, row in enumerate(self._rows)}
        self.haystacks = [_haystack(r) for r in self._rows]
        self._where = None
        self.changePersistentIndexList(
            before,
            [self.index(where[i], old.column()) for i, old in zip(ids, before, strict=True)],
        )
        self.layoutChanged.emit()

    def _apply_order(self, column: int, order: Qt.SortOrder) -> None:
        keys = [self._sort_value(number, column) for number in range(len(self._rows))]
        ranked = sorted(
            range(len(self._rows)),
            key=keys.__getitem__,
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self._rows = [self._rows[i] for i in ranked]
        self._texts = [self._texts[i] for i in ranked]

    def _ids(self) -> dict[int, int]:
        if self._where is None:
            self._where = {row.id: number for number, row in enumerate(self._rows)}
        return self._where

    def row_of(self, conference_id: int) -> int:
        return self._ids().get(conference_id, -1)

    def summary(self, row: int) -> ConferenceSummary:
        return self._rows[row]

    def summaries(self) -> list[ConferenceSummary]:
        return self._rows

    def has_retention(self) -> bool:
        """Whether any conference has something to show in the Retention column."""
        return any(f.retention for f in self._flags.values())

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if section == COL_OVERDUE:
                return "Actions past their due date and not done"
            if section == COL_RETENTION:
                return "When a closed conference is due for deletion (see Preferences)"
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, number: int, column: int, role: int):
        """data() without a QModelIndex (the filter asks for the rows it shows this way)."""
        row = self._rows[number]
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(number, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible(number, column)
        if role == SORT_ROLE:
            return self._sort_value(number, column)
        if column == COL_OVERDUE:
            return self._overdue_data(number, role)
        if (
            column == COL_RETENTION
            and role == Qt.ItemDataRole.ForegroundRole
            and self._flags.get(row.id, _NO_FLAGS).deletion_due_now
        ):
            return _overdue_colours()[1]
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_TITLE:
            return f"{row.title}\n{vocab.label(vocab.CONTEXT_TYPES, row.context_type)}"
        if role == Qt.ItemDataRole.FontRole and column == COL_TITLE:
            return _title_font(row.archived)
        if role == Qt.ItemDataRole.ForegroundRole and row.archived:
            return QApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        return None

    def _text(self, number: int, column: int) -> str:
        texts = self._texts[number]
        if texts is None:
            row = self._rows[number]
            texts = self._texts[number] = tuple(self._display(row, c) for c in range(len(HEADERS)))
        return texts[column]

    def _display(self, row: ConferenceSummary, column: int) -> str:
        if column == COL_TITLE:
            return f"{row.title} (archived)" if row.archived else row.title
        if column == COL_CONTEXT:
            kind = vocab.label(vocab.CONTEXT_TYPES, row.context_type)
            return f"{row.context_name} · {kind}" if row.context_name else kind
        if column == COL_AREA:
            return row.area
        if column == COL_STATUS:
            return vocab.label(vocab.STATUSES, row.status)
        if column == COL_RETENTION:
            return self._flags.get(row.id, _NO_FLAGS).retention
        if column == COL_OVERDUE:
            count = self._flags.get(row.id, _NO_FLAGS).overdue
            return str(count) if count else ""
        if column == COL_DATE:
            return format_date(row.conference_date)
        if column == COL_REVIEW:
            return format_date(row.next_review_date)
        if column == COL_CHANGED:
            local = row.updated_at.replace(tzinfo=dt.timezone.utc).astimezone()
            return f"{format_date(local.date())} {local:%H:%M}"
        return ""

    def _sort_value(self, number: int, column: int):
        row = self._rows[number]
        if column == COL_STATUS:
            return list(vocab.STATUSES).index(row.status) if row.status in vocab.STATUSES else 99
        if column == COL_DATE:
            return (row.conference_date or dt.date.max).isoformat()
        if column == COL_REVIEW:
            return (row.next_review_date or dt.date.max).isoformat()
        if column == COL_CHANGED:
            return row.updated_at.isoformat()
        if column == COL_OVERDUE:
            return self._flags.get(row.id, _NO_FLAGS).overdue
        if column == COL_RETENTION:
            flags = self._flags.get(row.id, _NO_FLAGS)
            if flags.deletion_due_on is not None:
                return "0" + flags.deletion_due_on.isoformat()
            return "1" + flags.retention.casefold() if flags.retention else "2"
        return self._text(number, column).casefold()

    def _accessible(self, number: int, column: int) -> str:
        if column == COL_OVERDUE:
            count = self._flags.get(self._rows[number].id, _NO_FLAGS).overdue
            if not count:
                return "No overdue actions"
            return f"{count} overdue action{'s' if count != 1 else ''}"
        return self._text(number, column)

    def _overdue_data(self, number: int, role: int):
        count = self._flags.get(self._rows[number].id, _NO_FLAGS).overdue
        if role == OVERDUE_ROLE:
            return count > 0
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._accessible(number, COL_OVERDUE)
        if not count:
            return None
        background, foreground = _overdue_colours()
        if role == Qt.ItemDataRole.BackgroundRole:
            return background
        if role == Qt.ItemDataRole.ForegroundRole:
            return foreground
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None


class ConferenceFilter(QAbstractProxyModel):
    """Search (title, context, area), a status filter, and whether archived ones show.

    A plain list maps the rows shown to the model's rows: a search decides all 10,000 rows in
    one pass in Python and Qt then asks only for the rows on screen (a QSortFilterProxyModel
    calls into Python once per row, and again per comparison when it sorts). The model sorts
    its own rows (ConferenceListModel.sort). The view's selection is kept across a search by
    the conference it shows (home_page), since the mapping is reset.
    """

    _model: ConferenceListModel  # the source model, set by setSourceModel

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._status = ""
        self._show_archived = False
        self._shown: list[int] = []  # row here -> the model's row
        self._row_here: dict[int, int] = {}  # the model's row -> row here

    def setSourceModel(self, model) -> None:  # noqa: ANN001, N802 - Qt API
        self.beginResetModel()
        super().setSourceModel(model)
        self._model = model
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.layoutAboutToBeChanged.connect(lambda *_: self.beginResetModel())
        model.layoutChanged.connect(self._source_reset)
        model.dataChanged.connect(self._source_data_changed)
        model.rowsInserted.connect(self._source_rows_added)
        self._decide()
        self.endResetModel()

    def _source_reset(self, *_args) -> None:
        self._decide()
        self.endResetModel()

    def _source_data_changed(self, top, bottom, roles=()) -> None:  # noqa: ANN001
        for row in range(top.row(), bottom.row() + 1):
            if row in self._row_here:
                here = self._row_here[row]
                self.dataChanged.emit(
                    self.index(here, top.column()), self.index(here, bottom.column()), roles
                )

    def _passing(self, first: int, last: int) -> list[int]:
        """The model's rows from `first` to `last` that the search and filters let through."""
        model = self._model
        needle, status, archived = self._needle, self._status, self._show_archived
        rows, hays = model.summaries(), model.haystacks
        return [
            number
            for number in range(first, last + 1)
            if (archived or not rows[number].archived)
            and (not status or rows[number].status == status)
            and (not needle or needle in hays[number])
        ]

    def _decide(self, within: list[int] | None = None) -> None:
        """Decide every row, or only `within` (rows shown now: a search that got longer)."""
        if within is None:
            self._shown = self._passing(0, self._model.rowCount() - 1)
        else:
            needle, status, archived = self._needle, self._status, self._show_archived
            rows, hays = self._model.summaries(), self._model.haystacks
            self._shown = [
                number
                for number in within
                if (archived or not rows[number].archived)
                and (not status or rows[number].status == status)
                and needle in hays[number]
            ]
        self._row_here = {source: here for here, source in enumerate(self._shown)}

    def _source_rows_added(self, _parent, first: int, last: int) -> None:  # noqa: ANN001
        """Rows appended to the model (ConferenceListModel.add_rows): those that pass come
        after every row shown, since the model's rows keep their order."""
        added = self._passing(first, last)
        if not added:
            return
        start = len(self._shown)
        self.beginInsertRows(QModelIndex(), start, start + len(added) - 1)
        self._shown.extend(added)
        self._row_here.update((source, start + n) for n, source in enumerate(added))
        self.endInsertRows()

    def _refilter(self, **changes: object) -> None:
        if all(getattr(self, f"_{name}") == value for name, value in changes.items()):
            return
        # A search that only got longer can only hide rows: look at the rows shown, not all.
        narrower = set(changes) == {"needle"} and str(changes["needle"]).startswith(self._needle)
        within = self._shown if narrower else None
        self.beginResetModel()
        for name, value in changes.items():
            setattr(self, f"_{name}", value)
        self._decide(within)
        self.endResetModel()

    def set_search(self, text: str) -> None:
        self._refilter(needle=text.strip().casefold())

    def set_status(self, status: str) -> None:
        self._refilter(status=status or "")

    def set_show_archived(self, show: bool) -> None:
        self._refilter(show_archived=bool(show))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    # -- QAbstractProxyModel ----------------------------------------------------------------

    def mapToSource(self, index):  # noqa: N802 - Qt API
        if not index.isValid() or index.row() >= len(self._shown):
            return QModelIndex()
        return self.sourceModel().index(self._shown[index.row()], index.column())

    def mapFromSource(self, index):  # noqa: N802 - Qt API
        if not index.isValid() or index.row() not in self._row_here:
            return QModelIndex()
        return self.index(self._row_here[index.row()], index.column())

    def index(self, row, column, parent=QModelIndex()):  # noqa: B008 - Qt API
        if parent.isValid() or not (0 <= row < len(self._shown)) or not 0 <= column < len(HEADERS):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _index=None):  # noqa: ANN001 - Qt API (also QObject.parent())
        if _index is None:
            return super().parent()
        return QModelIndex()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # Called a dozen times per cell painted: no QModelIndex is made for the model's row.
        if role not in _ROLES:
            return None
        row = index.row()
        if not 0 <= row < len(self._shown):  # an invalid index's row is -1
            return None
        return self._model.cell(self._shown[row], index.column(), role)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            return self.sourceModel().headerData(section, orientation, role)
        return None
