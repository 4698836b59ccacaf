"""The chosen measure's chart in the Goals and measures panel, painted from export/measure_chart.py's
`chart_layout`, the same geometry the Word picture is drawn from.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QWidget,
)

from csfacilitator.core.outcomes import Progress
from csfacilitator.export import measure_chart as chart


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
