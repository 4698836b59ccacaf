"""How the projector looks: themes, fonts, fast text measurement, the board's geometry and the
painting itself (one QPainter pass; no widget per point)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap

from csfacilitator.core import vocab
from csfacilitator.gui.board import projector_layout as rules
from csfacilitator.gui.board.projector_layout import Entry

#: Sans-serif faces that read well from a distance, in order of preference per platform.
FONT_FAMILIES = [
    "Segoe UI",
    "Noto Sans",
    "Helvetica Neue",
    "Arial",
    "Liberation Sans",
    "DejaVu Sans",
]
#: Words are measured once at this size and scaled: advances are linear in the pixel size.
REF_PX = 100
#: Line height as a multiple of the font's own line spacing (a little air for a big room).
LINE_FACTOR = 1.0
#: Width kept spare on every wrapped line, for hinting differences at the real size.
WIDTH_SLACK = 0.985
MAX_INDENT_DEPTH = 3
_CACHE_LIMIT = 40_000


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

    def column(self, key: str) -> Sequence[Entry]:
        return self.entries.get(key, ())


@dataclass(frozen=True)
class Theme:
    background: QColor
    panel: QColor
    panel_border: QColor | None
    text: QColor
    muted: QColor
    current: QColor
    rule: QColor
    heading_text: QColor
    heading_fill: Mapping[str, QColor]
    bullet: Mapping[str, QColor]


def _colors(**values: str) -> dict[str, QColor]:
    return {key: QColor(value) for key, value in values.items()}


#: For a dim room: light text on deep navy, one colour per column heading (white text on each
#: band has a contrast ratio of at least 5:1).
NORMAL_THEME = Theme(
    background=QColor("#0b1422"),
    panel=QColor("#15233b"),
    panel_border=None,
    text=QColor("#f5f7fb"),
    muted=QColor("#a7b6cc"),
    current=QColor("#ffd166"),
    rule=QColor("#2c3d5c"),
    heading_text=QColor("#ffffff"),
    heading_fill=_colors(
        concerns="#b3362b", complicating="#9a5800", strengths="#1d7446", safety_plan="#245f9e"
    ),
    bullet=_colors(
        concerns="#ff8a80", complicating="#ffc14d", strengths="#5fd49a", safety_plan="#79b8ff"
    ),
)

#: For a bright hall, where a projector cannot make dark colours dark: black on white only.
HIGH_CONTRAST_THEME = Theme(
    background=QColor("#ffffff"),
    panel=QColor("#ffffff"),
    panel_border=QColor("#000000"),
    text=QColor("#000000"),
    muted=QColor("#000000"),
    current=QColor("#000000"),
    rule=QColor("#000000"),
    heading_text=QColor("#ffffff"),
    heading_fill={key: QColor("#000000") for key in vocab.BOARD_COLUMNS},
    bullet={key: QColor("#000000") for key in vocab.BOARD_COLUMNS},
)


def make_font(px: int, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPixelSize(max(1, px))
    font.setWeight(weight)
    return font


class TextMeasure:
    """Wraps point text at any size from word widths measured once, at a reference size.

    Word widths scale linearly with the pixel size, and the same words come back again and again
    on a board, so after the first measurement wrapping is pure arithmetic; wrapped lines are
    cached per (text, size, width), so live typing re-wraps only the point being typed.
    """

    def __init__(self) -> None:
        self._reference = QFontMetricsF(make_font(REF_PX))
        self._space = self._reference.horizontalAdvance(" ")
        #: Capital height as a share of the pixel size, for the minimum readable size.
        self.cap_ratio = self._reference.capHeight() / REF_PX or rules.DEFAULT_CAP_RATIO
        self._line_ref = self._reference.lineSpacing()
        self._advances: dict[str, float] = {}
        self._wraps: dict[tuple[str, int, int], tuple[str, ...]] = {}
        self._fonts: dict[tuple[int, int], tuple[QFont, QFontMetricsF]] = {}

    def _advance(self, word: str) -> float:
        width = self._advances.get(word)
        if width is None:
            if len(self._advances) > _CACHE_LIMIT:
                self._advances.clear()
            width = self._advances[word] = self._reference.horizontalAdvance(word)
        return width

    def lines(self, text: str, px: int, width: float) -> tuple[str, ...]:
        """`text` wrapped for point size `px` in a line `width` pixels wide."""
        key = (text, px, int(width))
        wrapped = self._wraps.get(key)
        if wrapped is None:
            if len(self._wraps) > _CACHE_LIMIT:
                self._wraps.clear()
            limit = max(1.0, int(width) * WIDTH_SLACK * REF_PX / px)
            words = rules.wrap_text(text, limit, self._advance, self._space)
            wrapped = self._wraps[key] = tuple(_fit(words, self.font(px)[1], width))
        return wrapped

    def line_height(self, px: int) -> float:
        return round(self._line_ref * px / REF_PX * LINE_FACTOR, 2)

    def font(
        self, px: int, weight: QFont.Weight = QFont.Weight.Normal
    ) -> tuple[QFont, QFontMetricsF]:
        key = (px, int(weight.value))
        found = self._fonts.get(key)
        if found is None:
            font = make_font(px, weight)
            found = self._fonts[key] = (font, QFontMetricsF(font))
        return found


def _fit(lines: list[str], metrics: QFontMetricsF, width: float) -> list[str]:
    """Lines measured whole at the real size. Words measured one by one can add up to less
    than the shaped line (fallback fonts for emoji, Arabic or Devanagari; hinting), so a line
    still too wide gives its last words a line of their own: never past the column's edge."""
    fitted: list[str] = []
    pending = list(lines)
    while pending:
        line = pending.pop(0)
        moved: list[str] = []
        while metrics.horizontalAdvance(line) > width and " " in line.strip():
            line, _, last = line.rstrip().rpartition(" ")
            moved.insert(0, last)
        fitted.append(line)
        if moved:
            pending.insert(0, " ".join(moved))
    return fitted


# ---------------------------------------------------------------------------------------------
# Geometry


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


def _bullet_width(px: int) -> float:
    return 1.0 * px


def _indent(px: int) -> float:
    return 1.0 * px


def text_width(points_width: float, px: int, depth: int) -> float:
    """Width left for a point's text after its bullet and indent."""
    width = points_width - _bullet_width(px) - _indent(px) * min(depth, MAX_INDENT_DEPTH)
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
    cache: dict | None = None,
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


def _fitted(
    data, width: int, height: int, unit: float, scale: float, heading_px: int, measure: TextMeasure
) -> BoardLayout:
    margin = round(30 * unit, 1)
    title_px, label_px, item_px = round(44 * unit), round(26 * unit), round(32 * unit)

    y = round(24 * unit, 1)
    title_top = item_top = rule_y = None
    if data.conference_title or data.meeting_label:
        title_top = y
        y += measure.font(title_px, QFont.Weight.Bold)[1].lineSpacing()
    if data.current_item:
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
    columns: list[ColumnLayout] = []
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
        entries = data.column(key)
        columns.append(ColumnLayout(key, heading_lines[key], panel, band, points, entries))

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
        margin,
        px,
        all_fit,
        title_px,
        label_px,
        item_px,
        heading_px,
        max(round(0.75 * px), round(16 * unit)),
        title_top,
        item_top,
        rule_y,
        columns,
    )


def _paginate(
    layout: BoardLayout,
    data: BoardContent,
    measure: TextMeasure,
    anchors: Mapping[str, int | None],
    pages: Mapping[str, int],
    cache: dict | None,
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
            column.heights, column.gaps, column.pages = found[1]
        else:
            widths = _text_widths(points.width(), px)
            column.heights = [
                len(measure.lines(e.text, px, widths[min(e.depth, MAX_INDENT_DEPTH)])) * line
                for e in column.entries
            ]
            gaps = (_gap(px, 0), _gap(px, 1))
            column.gaps = [0.0] + [gaps[min(e.depth, 1)] for e in column.entries[1:]]
            if layout.fits:
                column.pages = [(0, len(column.entries))]
            else:
                column.pages = rules.page_ranges(
                    column.heights,
                    column.gaps,
                    points.height() - footer_height,
                    [e.depth for e in column.entries],
                )
            if cache is not None:
                cache[column.key] = (key, (column.heights, column.gaps, column.pages))
        anchor = anchors.get(column.key)
        index = _index_of(column.entries, anchor) if anchor is not None else None
        if index is not None:
            column.page = rules.page_of(index, column.pages)
        else:
            column.page = min(max(pages.get(column.key, 0), 0), len(column.pages) - 1)


def _index_of(entries: Sequence[Entry], point_id: int) -> int | None:
    """Where a point is among a column's bullets, looking from the newest (the usual case)."""
    for index in range(len(entries) - 1, -1, -1):
        if entries[index].point_id == point_id:
            return index
    return None


# ---------------------------------------------------------------------------------------------
# Painting


def _draw_line(
    painter: QPainter,
    metrics: QFontMetricsF,
    text: str,
    left: float,
    right: float,
    baseline: float,
    rtl: bool | None = None,
    *,
    align_end: bool = True,
) -> None:
    """One line of text, from `left` when it reads left to right, ending at `right` otherwise
    (unless `align_end` is False: then it starts at `left` either way).

    `rtl` is the direction of the paragraph the line belongs to (default: the line's own). A
    wrapped line takes its paragraph's direction, as in the Unicode bidi algorithm: a line of an
    Arabic point that starts with an English name is still right-aligned and ordered right to
    left.
    """
    if rtl is None:
        rtl = rules.text_is_rtl(text)
    direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    painter.setLayoutDirection(direction)
    if rtl and align_end:
        left = right - metrics.horizontalAdvance(text)
    painter.drawText(QPointF(left, baseline), text)
    painter.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def _elide(metrics: QFontMetricsF, text: str, width: float) -> str:
    return metrics.elidedText(" ".join(text.split()), Qt.TextElideMode.ElideRight, max(0.0, width))


class ColumnCache:
    """Each column's last picture: while the chair types in one column, the other three are
    copied, not painted again."""

    def __init__(self) -> None:
        self._pictures: dict[str, tuple[tuple, QPixmap]] = {}

    def clear(self) -> None:
        self._pictures.clear()

    def picture(self, key: str, signature: tuple) -> QPixmap | None:
        found = self._pictures.get(key)
        return found[1] if found is not None and found[0] == signature else None

    def keep(self, key: str, signature: tuple, picture: QPixmap) -> None:
        self._pictures[key] = (signature, picture)


def _signature(layout: BoardLayout, column: ColumnLayout, theme: Theme, ratio: float) -> tuple:
    shown = tuple(
        (e.depth, e.text, e.masked) for e in (column.entries[i] for i in column.page_range())
    )
    panel = column.panel
    return (
        id(theme),
        ratio,
        layout.point_px,
        layout.heading_px,
        layout.footer_px,
        layout.unit,
        (panel.x(), panel.y(), panel.width(), panel.height()),
        column.band.height(),
        column.page,
        column.page_count,
        shown,
    )


def paint_board(
    painter: QPainter,
    layout: BoardLayout,
    data,
    theme: Theme,
    measure: TextMeasure,
    cache: ColumnCache | None = None,
    ratio: float | None = None,
    only: QRectF | None = None,
) -> None:
    """Paint the board; `ratio` is device pixels per layout pixel (the screen's device pixel
    ratio, times the painter's scale when a preview draws the room's picture smaller). With
    `only`, just what lies in that rectangle is painted (the painter is clipped to it anyway)."""
    _set_hints(painter)
    everything = QRectF(0, 0, layout.width, layout.height)
    painter.fillRect(everything if only is None else only, theme.background)
    if only is None or only.top() < layout.columns[0].panel.top():
        _paint_header(painter, layout, data, theme, measure)
    if ratio is None:
        ratio = painter.device().devicePixelRatioF()
    for column in layout.columns:
        if only is not None and not only.intersects(column.panel):
            continue
        if cache is None:
            _paint_column(painter, layout, column, theme, measure)
            continue
        signature = _signature(layout, column, theme, ratio)
        picture = cache.picture(column.key, signature)
        if picture is None:
            picture = _column_picture(layout, column, theme, measure, ratio)
            cache.keep(column.key, signature, picture)
        painter.drawPixmap(column.panel.topLeft().toPoint(), picture)


def _set_hints(painter: QPainter) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)


def _column_picture(
    layout: BoardLayout, column: ColumnLayout, theme: Theme, measure: TextMeasure, ratio: float
) -> QPixmap:
    size = column.panel.size().toSize()
    picture = QPixmap(max(1, round(size.width() * ratio)), max(1, round(size.height() * ratio)))
    picture.setDevicePixelRatio(ratio)
    picture.fill(theme.background)  # opaque: copying it is cheaper than blending it
    painter = QPainter(picture)
    try:
        _set_hints(painter)
        painter.translate(-column.panel.x(), -column.panel.y())
        _paint_column(painter, layout, column, theme, measure)
    finally:
        painter.end()
    return picture


def _paint_header(
    painter: QPainter, layout: BoardLayout, data, theme: Theme, measure: TextMeasure
) -> None:
    left, right = layout.margin, layout.width - layout.margin
    unit = layout.unit
    if layout.title_top is not None:
        title_font, title_metrics = measure.font(layout.title_px, QFont.Weight.Bold)
        label_font, label_metrics = measure.font(layout.label_px)
        baseline = layout.title_top + title_metrics.ascent()
        label = _elide(label_metrics, data.meeting_label, (right - left) * 0.4)
        label_width = label_metrics.horizontalAdvance(label) if label else 0.0
        if label:
            painter.setFont(label_font)
            painter.setPen(theme.muted)
            _draw_line(painter, label_metrics, label, right - label_width, right, baseline)
        title_room = right - left - (label_width + 32 * unit if label else 0.0)
        title = _elide(title_metrics, data.conference_title, title_room)
        painter.setFont(title_font)
        painter.setPen(theme.text)
        # At the left like the rest of the header, whichever way the title reads.
        _draw_line(
            painter, title_metrics, title, left, left + title_room, baseline, align_end=False
        )
    if layout.item_top is not None:
        prefix_font, prefix_metrics = measure.font(layout.item_px)
        item_font, item_metrics = measure.font(layout.item_px, QFont.Weight.DemiBold)
        baseline = layout.item_top + item_metrics.ascent()
        prefix = "Now: "
        painter.setFont(prefix_font)
        painter.setPen(theme.muted)
        painter.drawText(QPointF(left, baseline), prefix)
        start = left + prefix_metrics.horizontalAdvance(prefix)
        item = _elide(item_metrics, data.current_item, right - start)
        painter.setFont(item_font)
        painter.setPen(theme.current)
        # Right after "Now: " even when it reads right to left: it belongs with its label.
        _draw_line(painter, item_metrics, item, start, right, baseline, align_end=False)
    if layout.rule_y is not None:
        painter.setPen(QPen(theme.rule, max(1.0, 2 * unit)))
        painter.drawLine(QPointF(left, layout.rule_y), QPointF(right, layout.rule_y))


def _paint_column(
    painter: QPainter, layout: BoardLayout, column: ColumnLayout, theme: Theme, measure: TextMeasure
) -> None:
    unit = layout.unit
    radius = 12 * unit
    outline = QPainterPath()
    outline.addRoundedRect(column.panel, radius, radius)
    painter.fillPath(outline, theme.panel)
    painter.save()
    painter.setClipPath(outline)
    painter.fillRect(column.band, theme.heading_fill[column.key])
    painter.restore()
    if theme.panel_border is not None:
        painter.setPen(QPen(theme.panel_border, max(1.0, 3 * unit)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(outline)

    heading_font, heading_metrics = measure.font(layout.heading_px, QFont.Weight.Bold)
    painter.setFont(heading_font)
    painter.setPen(theme.heading_text)
    pad_x = column.points.x() - column.panel.x()
    block = len(column.heading_lines) * heading_metrics.lineSpacing()
    top = column.band.y() + (column.band.height() - block) / 2
    for number, text in enumerate(column.heading_lines):
        baseline = top + number * heading_metrics.lineSpacing() + heading_metrics.ascent()
        painter.drawText(QPointF(column.band.x() + pad_x, baseline), text)

    _paint_points(painter, layout, column, theme, measure)

    if column.page_count > 1:
        footer_font, footer_metrics = measure.font(layout.footer_px, QFont.Weight.DemiBold)
        text = f"page {column.page + 1} of {column.page_count}"
        painter.setFont(footer_font)
        painter.setPen(theme.muted)
        baseline = column.panel.bottom() - 12 * unit - footer_metrics.descent()
        x = column.points.right() - footer_metrics.horizontalAdvance(text)
        painter.drawText(QPointF(x, baseline), text)


def _paint_points(
    painter: QPainter, layout: BoardLayout, column: ColumnLayout, theme: Theme, measure: TextMeasure
) -> None:
    px = layout.point_px
    font, metrics = measure.font(px)
    line = measure.line_height(px)
    lead = (line - metrics.height()) / 2
    bullet_width, indent = _bullet_width(px), _indent(px)
    area = column.points
    painter.save()
    painter.setClipRect(area.adjusted(-4 * layout.unit, -4 * layout.unit, 4 * layout.unit, 0))
    painter.setFont(font)
    y = area.y()
    visible = column.page_range()
    for index in visible:
        entry = column.entries[index]
        if index != visible.start:
            y += column.gaps[index]
        if y >= area.bottom():
            break
        shift = indent * min(entry.depth, MAX_INDENT_DEPTH)
        wrap = text_width(area.width(), px, entry.depth)
        rtl = rules.text_is_rtl(entry.text)
        if rtl:
            bullet_x = area.right() - shift - bullet_width
            text_left, text_right = bullet_x - wrap, bullet_x
        else:
            bullet_x = area.x() + shift
            text_left, text_right = bullet_x + bullet_width, bullet_x + bullet_width + wrap
        centre_y = y + lead + metrics.ascent() - metrics.xHeight() / 2
        _paint_bullet(
            painter, entry.depth, bullet_x, bullet_width, centre_y, px, theme.bullet[column.key]
        )
        # A masked point says so in words, in the muted colour: never only a colour.
        painter.setPen(theme.muted if entry.masked else theme.text)
        for number, text in enumerate(measure.lines(entry.text, px, wrap)):
            baseline = y + number * line + lead + metrics.ascent()
            _draw_line(painter, metrics, text, text_left, text_right, baseline, rtl)
        y += column.heights[index]
    painter.restore()


def _paint_bullet(
    painter: QPainter, depth: int, x: float, width: float, centre_y: float, px: int, color: QColor
) -> None:
    centre_x = x + width * 0.36
    painter.save()
    if depth == 0:
        radius = 0.19 * px
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(QPointF(centre_x, centre_y), radius, radius)
    elif depth == 1:
        half, thick = 0.24 * px, 0.11 * px
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(
            QRectF(centre_x - half, centre_y - thick / 2, 2 * half, thick), thick / 2, thick / 2
        )
    else:
        radius = 0.16 * px
        painter.setPen(QPen(color, max(1.0, 0.07 * px)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(centre_x, centre_y), radius, radius)
    painter.restore()
