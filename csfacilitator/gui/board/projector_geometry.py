"""Where everything goes on the projector: the board's geometry for a screen size, the
largest point size that fits, and each column cut into pages (the rules themselves are in
projector_layout)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont

from csfacilitator.core import vocab
from csfacilitator.gui.board import projector_layout as rules
from csfacilitator.gui.board.projector_layout import Entry
from csfacilitator.gui.board.projector_text import TextMeasure

MAX_INDENT_DEPTH = 3
#: Per column: what its heights and pages were measured for, and (heights, gaps, pages, and
#: where cutting it into pages stopped, when it was cut).
PageEntry = tuple[
    tuple[object, ...],
    tuple[list[float], list[float], list[tuple[int, int]], rules.PageScan | None],
]
PageCache = dict[str, PageEntry]


@dataclass
class BoardContent:
    """What the projector shows: the header and each column's bullets (points flattened, flagged
    ones masked). `versions` counts the changes to each column, so a column whose bullets did not
    change keeps its measured heights and pages."""

    conference_title: str = ""
    meeting_label: str = ""
    current_item: str = ""
    entries: dict[str, list[Entry]] = field(
        default_factory=lambda: {key: [] for key in vocab.BOARD_COLUMNS}
    )
    versions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(vocab.BOARD_COLUMNS, 0))
    #: Per column, when its last change inserted bullets: (the version it made, where, how
    #: many). Lets the heights measured for the version before be reused around the new ones.
    inserts: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    #: Per column, the last point looked up by `position`: (version, point id, its index).
    _found: dict[str, tuple[int | None, int, int | None]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def column(self, key: str) -> Sequence[Entry]:
        return self.entries.get(key, ())

    def position(self, key: str, point_id: int) -> int | None:
        """Where a point is among a column's bullets (None when it is not there). Remembered
        for the column's version: each layout asks for every column's anchor, and a column
        that did not change is not scanned again."""
        version = self.versions.get(key)
        found = self._found.get(key)
        if found is not None and found[0] == version and found[1] == point_id:
            return found[2]
        index = rules.index_of(self.column(key), point_id)
        self._found[key] = (version, point_id, index)
        return index


@dataclass
class ColumnLayout:
    key: str
    heading_lines: list[str]
    panel: QRectF
    band: QRectF
    points: QRectF
    entries: Sequence[Entry]
    heights: list[float] = field(default_factory=list)
    gaps: list[float] = field(default_factory=list)
    #: Each page as a (first, end) range of entries; the last page may repeat the end of the
    #: page before it (see projector_layout.page_ranges).
    pages: list[tuple[int, int]] = field(default_factory=lambda: [(0, 0)])
    page: int = 0

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def starts(self) -> list[int]:
        """Each page's first entry."""
        return [first for first, _end in self.pages]

    def page_range(self) -> range:
        return range(*self.pages[self.page])


@dataclass
class BoardLayout:
    width: int
    height: int
    unit: float
    margin: float
    point_px: int
    fits: bool
    title_px: int
    label_px: int
    item_px: int
    heading_px: int
    footer_px: int
    title_top: float | None
    item_top: float | None
    rule_y: float | None
    columns: list[ColumnLayout]


def bullet_width(px: int) -> float:
    return 1.0 * px


def indent_width(px: int) -> float:
    return 1.0 * px


def text_width(points_width: float, px: int, depth: int) -> float:
    """Width left for a point's text after its bullet and indent."""
    width = points_width - bullet_width(px) - indent_width(px) * min(depth, MAX_INDENT_DEPTH)
    return max(3.0 * px, width)


def _text_widths(points_width: float, px: int) -> list[float]:
    """text_width for each indent depth, 0 to MAX_INDENT_DEPTH."""
    return [text_width(points_width, px, depth) for depth in range(MAX_INDENT_DEPTH + 1)]


def _gap(px: int, depth: int) -> float:
    return round(0.45 * px if depth == 0 else 0.15 * px, 2)


def build_layout(
    data: BoardContent,
    width: int,
    height: int,
    scale: float,
    measure: TextMeasure,
    anchors: Mapping[str, int | None],
    pages: Mapping[str, int],
    cache: PageCache | None = None,
) -> BoardLayout:
    """Where everything goes for a `width` x `height` screen, with the largest point size that
    shows every point, or the minimum size and pages per column when that is not possible. The
    chair's `scale` nudges the size up or down but never below the minimum: past it, columns page.

    `anchors` holds, per column, the point that must be on the page shown (the one just typed or
    the first of a page chosen with Page Up/Down); `pages` the page shown before, as a fallback.
    `cache` keeps each column's measured heights and pages while its bullets do not change.
    """
    unit = min(height / 1080, width / 1500)
    # Column headings grow with big point text (a heading smaller than its points looks lost),
    # which takes room from the points: so fit once with small headings, then once more.
    heading_px = max(10, round(30 * unit))
    layout = _fitted(data, width, height, unit, scale, heading_px, measure)
    wanted = min(round(40 * unit), layout.point_px)
    if wanted > heading_px:
        layout = _fitted(data, width, height, unit, scale, wanted, measure)
    _paginate(layout, data, measure, anchors, pages, cache)
    return layout


@dataclass(frozen=True)
class _Frame:
    """Where the header and each column go for one screen size and heading size: it depends on
    no bullet, so it is worked out once per size (`_frame`), not on every Enter."""

    margin: float
    title_px: int
    label_px: int
    item_px: int
    title_top: float | None
    item_top: float | None
    rule_y: float | None
    #: Per column: its key, heading lines, panel, heading band and points area.
    columns: tuple[tuple[str, tuple[str, ...], QRectF, QRectF, QRectF], ...]


#: Frames already worked out, per TextMeasure (its fonts give the heights): kept while the
#: projector that measures with it lives.
_FRAMES: WeakKeyDictionary[TextMeasure, dict[tuple[object, ...], _Frame]] = WeakKeyDictionary()


def _frame(
    width: int,
    height: int,
    unit: float,
    heading_px: int,
    header: tuple[bool, bool],
    measure: TextMeasure,
) -> _Frame:
    """The frame for this size and header (whether it has a title line, a current item),
    worked out once. Its rectangles are shared between layouts: nothing changes them in place."""
    frames = _FRAMES.setdefault(measure, {})
    key = (width, height, unit, heading_px, header)
    frame = frames.get(key)
    if frame is None:
        if len(frames) > 32:  # sizes come and go (a window dragged); a few are enough
            frames.clear()
        frame = frames[key] = _work_out_frame(width, height, unit, heading_px, header, measure)
    return frame


def _work_out_frame(
    width: int,
    height: int,
    unit: float,
    heading_px: int,
    header: tuple[bool, bool],
    measure: TextMeasure,
) -> _Frame:
    margin = round(30 * unit, 1)
    title_px, label_px, item_px = round(44 * unit), round(26 * unit), round(32 * unit)
    has_title, has_item = header

    y = round(24 * unit, 1)
    title_top = item_top = rule_y = None
    if has_title:
        title_top = y
        y += measure.font(title_px, QFont.Weight.Bold)[1].lineSpacing()
    if has_item:
        item_top = y + 2 * unit
        y = item_top + measure.font(item_px, QFont.Weight.DemiBold)[1].lineSpacing()
    if title_top is not None or item_top is not None:
        rule_y = y + 12 * unit
        y = rule_y + 18 * unit

    area = QRectF(margin, y, width - 2 * margin, height - margin * 0.8 - y)
    keys = list(vocab.BOARD_COLUMNS)
    per_row = 4 if width >= 1.2 * height else 2
    rows = (len(keys) + per_row - 1) // per_row
    gap = round(18 * unit, 1)
    column_width = (area.width() - gap * (per_row - 1)) / per_row
    row_height = (area.height() - gap * (rows - 1)) / rows
    pad_x, pad_y = round(18 * unit, 1), round(12 * unit, 1)

    heading_metrics = measure.font(heading_px, QFont.Weight.Bold)[1]
    heading_lines = {
        key: rules.wrap_text(
            vocab.BOARD_COLUMNS[key],
            column_width - 2 * pad_x,
            heading_metrics.horizontalAdvance,
            heading_metrics.horizontalAdvance(" "),
        )
        for key in keys
    }
    columns = []
    for index, key in enumerate(keys):
        row, col = divmod(index, per_row)
        in_row = keys[row * per_row : (row + 1) * per_row]
        band_height = (
            max(len(heading_lines[k]) for k in in_row) * heading_metrics.lineSpacing() + 2 * pad_y
        )
        # Whole pixels, so a column cached as a pixmap lands crisply.
        left = round(area.x() + col * (column_width + gap))
        top = round(area.y() + row * (row_height + gap))
        panel = QRectF(
            left,
            top,
            round(area.x() + col * (column_width + gap) + column_width) - left,
            round(area.y() + row * (row_height + gap) + row_height) - top,
        )
        band = QRectF(panel.x(), panel.y(), panel.width(), band_height)
        points = QRectF(
            panel.x() + pad_x,
            band.bottom() + round(16 * unit, 1),
            panel.width() - 2 * pad_x,
            panel.bottom() - band.bottom() - round(30 * unit, 1),
        )
        columns.append((key, tuple(heading_lines[key]), panel, band, points))
    return _Frame(margin, title_px, label_px, item_px, title_top, item_top, rule_y, tuple(columns))


def _fitted(
    data, width: int, height: int, unit: float, scale: float, heading_px: int, measure: TextMeasure
) -> BoardLayout:
    header = (bool(data.conference_title or data.meeting_label), bool(data.current_item))
    frame = _frame(width, height, unit, heading_px, header, measure)
    columns = [
        ColumnLayout(key, list(lines), panel, band, points, data.column(key))
        for key, lines, panel, band, points in frame.columns
    ]

    def fits(px: int) -> bool:
        line = measure.line_height(px)
        gaps = [_gap(px, depth) for depth in range(2)]
        for column in columns:
            widths = _text_widths(column.points.width(), px)
            limit = column.points.height() + 0.5
            total = -gaps[0]
            for entry in column.entries:
                depth = min(entry.depth, MAX_INDENT_DEPTH)
                total += (
                    gaps[min(depth, 1)] + len(measure.lines(entry.text, px, widths[depth])) * line
                )
                if total > limit:
                    return False
        return True

    smallest = rules.min_point_px(height, measure.cap_ratio)
    px, all_fit = rules.fit_font_size(smallest, rules.max_point_px(height, measure.cap_ratio), fits)
    if scale != 1:
        # The chair's nudge applies on top of the fitted size, never below the minimum readable
        # size; what no longer fits is paged.
        px = max(smallest, round(px * scale))
        all_fit = fits(px)
    return BoardLayout(
        width,
        height,
        unit,
        frame.margin,
        px,
        all_fit,
        frame.title_px,
        frame.label_px,
        frame.item_px,
        heading_px,
        max(round(0.75 * px), round(16 * unit)),
        frame.title_top,
        frame.item_top,
        frame.rule_y,
        columns,
    )


def _heights(
    entries: Sequence[Entry], measure: TextMeasure, px: int, widths: list[float], line: float
) -> list[float]:
    return [
        len(measure.lines(e.text, px, widths[min(e.depth, MAX_INDENT_DEPTH)])) * line
        for e in entries
    ]


def _after_insert(
    found: PageEntry | None,
    key: tuple[object, ...],
    insert: tuple[int, int, int] | None,
    count: int,
) -> tuple[tuple[list[float], list[float], rules.PageScan | None], int, int] | None:
    """The heights and gaps measured for the version just before `key`, and the range of the
    bullets inserted since (first, end), when the only change since was that insert into the
    same geometry; else None (measure the whole column). An insert at the top changes the first
    bullet's gap, so it is measured whole too. With them, where cutting the column into pages
    stopped, when the new bullets came after all the others (the cut carries on from there)."""
    if found is None or insert is None:
        return None
    before, (heights, gaps, _pages, scan) = found
    version, at, added = insert
    if not isinstance(before[1], int) or key[1] != version or before[1] + 1 != version:
        return None
    if before[0] != key[0] or before[2:] != key[2:] or at <= 0 or len(heights) + added != count:
        return None
    appended = scan is not None and at == len(heights)
    return (heights, gaps, scan if appended else None), at, at + added


def _paginate(
    layout: BoardLayout,
    data: BoardContent,
    measure: TextMeasure,
    anchors: Mapping[str, int | None],
    pages: Mapping[str, int],
    cache: PageCache | None,
) -> None:
    px = layout.point_px
    line = measure.line_height(px)
    footer_height = measure.font(layout.footer_px)[1].lineSpacing() + 8 * layout.unit
    for column in layout.columns:
        points = column.points
        key = (
            column.key,
            data.versions.get(column.key),
            px,
            layout.fits,
            points.width(),
            points.height(),
        )
        found = cache.get(column.key) if cache is not None else None
        if found is not None and found[0] == key:
            column.heights, column.gaps, column.pages, _scan = found[1]
        else:
            widths = _text_widths(points.width(), px)
            gaps = (_gap(px, 0), _gap(px, 1))

            resume = None
            spliced = _after_insert(found, key, data.inserts.get(column.key), len(column.entries))
            if spliced is not None:  # an Enter: measure only the new bullets
                (old_heights, old_gaps, resume), at, end = spliced
                new = column.entries[at:end]
                column.heights = [
                    *old_heights[:at],
                    *_heights(new, measure, px, widths, line),
                    *old_heights[at:],
                ]
                column.gaps = [
                    *old_gaps[:at],
                    *(gaps[min(e.depth, 1)] for e in new),
                    *old_gaps[at:],
                ]
            else:
                column.heights = _heights(column.entries, measure, px, widths, line)
                column.gaps = [0.0] + [gaps[min(e.depth, 1)] for e in column.entries[1:]]
            scan = None
            if layout.fits:
                column.pages = [(0, len(column.entries))]
            else:
                depths = [e.depth for e in column.entries]
                page_height = points.height() - footer_height
                scan = rules.paginate_scan(column.heights, column.gaps, page_height, depths, resume)
                column.pages = rules.page_ranges(
                    column.heights, column.gaps, page_height, depths, scan
                )
            if cache is not None:
                cache[column.key] = (key, (column.heights, column.gaps, column.pages, scan))
        anchor = anchors.get(column.key)
        index = data.position(column.key, anchor) if anchor is not None else None
        if index is not None:
            column.page = rules.page_of(index, column.pages)
        else:
            column.page = min(max(pages.get(column.key, 0), 0), len(column.pages) - 1)
