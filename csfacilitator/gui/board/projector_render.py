"""How the projector looks: its themes, and the painting itself (one QPainter pass; no
widget per point), from the geometry projector_geometry works out."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QRegion,
    QTransform,
)

from csfacilitator.core import vocab
from csfacilitator.gui.board import projector_layout as rules
from csfacilitator.gui.board.projector_geometry import (
    MAX_INDENT_DEPTH,
    BoardLayout,
    ColumnLayout,
    bullet_width,
    indent_width,
    text_width,
)
from csfacilitator.gui.board.projector_text import TextMeasure

#: The rounding of a column's panel, at 1080 pixels high.
PANEL_RADIUS = 12


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


def paint_board(
    painter: QPainter,
    layout: BoardLayout,
    data,
    theme: Theme,
    measure: TextMeasure,
    only: QRectF | None = None,
) -> None:
    """Paint the board. With `only`, just what lies in that rectangle is painted (the painter is
    clipped to it anyway). Each column is painted straight onto the window, with no picture of
    it kept: a new or changed point repaints only its column (projector.py)."""
    _set_hints(painter)
    _paint_background(painter, layout, theme, only)
    if only is None or only.top() < _header_bottom(layout, painter):
        _paint_header(painter, layout, data, theme, measure)
    for column in layout.columns:
        if only is not None and not only.intersects(column.panel):
            continue
        _paint_column(painter, layout, column, theme, measure)


def _paint_background(
    painter: QPainter, layout: BoardLayout, theme: Theme, only: QRectF | None
) -> None:
    """The window's colour under `only` (None: everywhere). Where a column's panel will cover
    a pixel whole (all of it but its rounded corners and its outermost pixels: the panels lie
    on whole pixels of the layout, which a screen scaled by a fraction may cut) it is left out
    when the painter maps the layout onto whole pixels: a column repainted after an Enter then
    fills its corners and edges, not the whole panel twice."""
    if only is None:
        painter.fillRect(QRectF(0, 0, layout.width, layout.height), theme.background)
        return
    transform = painter.worldTransform()
    whole = transform.type().value <= QTransform.TransformationType.TxTranslate.value and (
        transform.dx().is_integer() and transform.dy().is_integer()
    )
    if not whole:
        painter.fillRect(only, theme.background)
        return
    region = QRegion(only.toAlignedRect())
    corner = math.ceil(PANEL_RADIUS * layout.unit) + 1  # with the corners' antialiasing
    for column in layout.columns:
        panel = column.panel.toRect()
        region -= QRegion(panel.adjusted(corner, 1, -corner, -1))
        region -= QRegion(panel.adjusted(1, corner, -1, -corner))
    painter.save()
    painter.setClipRegion(region, Qt.ClipOperation.IntersectClip)
    painter.fillRect(only, theme.background)
    painter.restore()


def _header_bottom(layout: BoardLayout, painter: QPainter) -> float:
    """Below this the header draws nothing: its rule's pen, and the pixel its antialiased edge
    reaches at the painter's scale. No rule: no title and no current item, so nothing at all.
    A column repainted after an Enter starts below it, so the header is not drawn again."""
    if layout.rule_y is None:
        return 0.0
    pixel = 1 / max(painter.worldTransform().m22(), 1e-3)
    return layout.rule_y + max(1.0, 2 * layout.unit) / 2 + 2 * pixel


def _set_hints(painter: QPainter) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)


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
    radius = PANEL_RADIUS * unit
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
    bullet, indent = bullet_width(px), indent_width(px)
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
            bullet_x = area.right() - shift - bullet
            text_left, text_right = bullet_x - wrap, bullet_x
        else:
            bullet_x = area.x() + shift
            text_left, text_right = bullet_x + bullet, bullet_x + bullet + wrap
        centre_y = y + lead + metrics.ascent() - metrics.xHeight() / 2
        _paint_bullet(
            painter, entry.depth, bullet_x, bullet, centre_y, px, theme.bullet[column.key]
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
