"""The context weighting picture as drawn: boxes whose area is their share, each named with its
percentage, dotted lines for links, and the chosen box outlined; its description for screen
readers says the same in words.

`WeightingCanvas` holds what is shown and paints it; `weighting_view.WeightingView` adds the
keys, the mouse and the name editor.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
)

from csfacilitator.core import weighting as core
from csfacilitator.core.weighting import Weighting

_SELECTED_COLOUR = QColor("#1F4E79")
_LINK_SOURCE_COLOUR = QColor("#B45309")
_MARGIN = 6.0
_GAP = 8.0


def _core_rect(rect: QRectF) -> core.Rect:
    return core.Rect(rect.x(), rect.y(), rect.width(), rect.height())


class WeightingCanvas(QWidget):
    """Draws a weighting: what is shown, the chosen box and a link being made."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._weighting = core.default_weighting()
        self._preview: Weighting | None = None  # shown while a new context is being named
        self._selected = 0
        self._read_only = False
        self._read_only_reason = ""
        self._link_from: int | None = None
        self.setAccessibleName("Context weighting")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    # ---------------------------------------------------------------------------- state

    def weighting(self) -> Weighting:
        """The weighting shown (without a context still being named)."""
        return self._weighting

    def selected(self) -> int:
        return self._selected

    def is_read_only(self) -> bool:
        return self._read_only

    def linking_from(self) -> int | None:
        return self._link_from

    def _shown(self) -> Weighting:
        return self._preview or self._weighting

    def _describe(self) -> None:
        shown = self._shown()
        text = core.describe(shown)
        if shown.boxes:
            box = shown.boxes[self._selected]
            share = core.percentages(shown)[self._selected]
            text += f" Selected: {box.name}, {share}%."
        if self._link_from is not None:
            text += f" Linking from {shown.boxes[self._link_from].name}: choose another box."
        if self._read_only:
            text += " Read-only."
        if text != self.accessibleDescription():
            self.setAccessibleDescription(text)
            event = QAccessibleEvent(self, QAccessible.Event.DescriptionChanged)
            QAccessible.updateAccessibility(event)

    # ---------------------------------------------------------------------------- geometry

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(460, 270)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(240, 170)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return max(170, min(420, round(width * 0.58)))

    def box_rects(self) -> list[QRectF]:
        """Where each box is drawn, in widget coordinates."""
        area = QRectF(self.rect()).adjusted(_MARGIN, _MARGIN, -_MARGIN, -_MARGIN)
        return [
            QRectF(r.x + area.x(), r.y + area.y(), r.width, r.height)
            for r in core.layout(self._shown(), area.width(), area.height(), _GAP)
        ]

    def box_at(self, point: QPointF) -> int | None:
        for index, rect in enumerate(self.box_rects()):
            if rect.contains(point):
                return index
        return None

    # ---------------------------------------------------------------------------- painting

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shown = self._shown()
        rects = self.box_rects()
        shares = core.percentages(shown)
        labels = [
            self._label_geometry(rect, box.name, f"{share}%")
            for rect, box, share in zip(rects, shown.boxes, shares, strict=True)
        ]
        for index, rect in enumerate(rects):
            fill, edge = core.BOX_COLOURS[index % len(core.BOX_COLOURS)]
            painter.setPen(QPen(QColor(edge), 1.5))
            painter.setBrush(QColor(fill))
            painter.drawRoundedRect(rect, 6, 6)

        self._paint_links(painter, shown, rects, labels)
        for index, (rect, label) in enumerate(zip(rects, labels, strict=True)):
            self._paint_label(painter, index, rect, label)
        self._paint_selection(painter, rects)
        painter.end()

    def _label_geometry(self, rect: QRectF, name: str, percent: str) -> dict:
        """Fonts, text and size of a box's label: as large as fits, down to 80%, then elided."""
        inner = rect.adjusted(8, 6, -8, -6)
        base = QFont(self.font())
        for scale in (1.0, 0.9, 0.8):
            name_font = QFont(base)
            name_font.setBold(True)
            name_font.setPointSizeF(base.pointSizeF() * scale)
            percent_font = QFont(base)
            percent_font.setPointSizeF(base.pointSizeF() * scale * 1.1)
            name_metrics, percent_metrics = QFontMetricsF(name_font), QFontMetricsF(percent_font)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap
            bounds = name_metrics.boundingRect(
                QRectF(0, 0, max(1.0, inner.width()), 10_000), flags, name
            )
            percent_h = percent_metrics.height()
            fits_w = bounds.width() <= inner.width() + 0.5
            if fits_w and bounds.height() + percent_h <= inner.height():
                return {
                    "name": name,
                    "name_font": name_font,
                    "percent": percent,
                    "percent_font": percent_font,
                    "flags": flags,
                    "name_h": bounds.height(),
                    "percent_h": percent_h,
                    "width": max(bounds.width(), percent_metrics.horizontalAdvance(percent)),
                }
        elided = name_metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(1.0, inner.width()))
        return {
            "name": elided,
            "name_font": name_font,
            "percent": percent,
            "percent_font": percent_font,
            "flags": Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextSingleLine,
            "name_h": name_metrics.height(),
            "percent_h": percent_h if name_metrics.height() + percent_h <= inner.height() else 0,
            "width": min(inner.width(), name_metrics.horizontalAdvance(elided)),
        }

    @staticmethod
    def _label_rect(rect: QRectF, label: dict) -> QRectF:
        height = label["name_h"] + label["percent_h"]
        center = rect.center()
        return QRectF(
            center.x() - label["width"] / 2, center.y() - height / 2, label["width"], height
        )

    def _paint_label(self, painter: QPainter, index: int, rect: QRectF, label: dict) -> None:
        fill = QColor(core.BOX_COLOURS[index % len(core.BOX_COLOURS)][0])
        block = self._label_rect(rect, label)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)  # the box's own colour behind the words: link lines pass behind
        painter.drawRoundedRect(block.adjusted(-4, -2, 4, 2), 4, 4)
        painter.setPen(QColor(core.TEXT_COLOUR))
        name_rect = QRectF(rect.x() + 8, block.y(), rect.width() - 16, label["name_h"])
        painter.setFont(label["name_font"])
        painter.drawText(name_rect, label["flags"], label["name"])
        if label["percent_h"]:
            painter.setFont(label["percent_font"])
            percent_rect = QRectF(rect.x(), name_rect.bottom(), rect.width(), label["percent_h"])
            painter.drawText(percent_rect, Qt.AlignmentFlag.AlignHCenter, label["percent"])

    def _paint_links(self, painter: QPainter, shown: Weighting, rects, labels) -> None:
        pairs = list(shown.links)
        if self._link_from is not None and self._selected != self._link_from:
            pairs.append((self._link_from, self._selected))  # the link about to be made
        for number, (a, b) in enumerate(pairs):
            preview = number >= len(shown.links)
            colour = _LINK_SOURCE_COLOUR if preview else QColor(core.LINK_COLOUR)
            pen = QPen(colour, 2.0, Qt.PenStyle.DashLine)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            start_xy, end_xy = core.link_ends(
                _core_rect(rects[a]),
                _core_rect(rects[b]),
                _core_rect(self._label_rect(rects[a], labels[a]).adjusted(-6, -4, 6, 4)),
                _core_rect(self._label_rect(rects[b], labels[b]).adjusted(-6, -4, 6, 4)),
                pad=4,
            )
            start, end = QPointF(*start_xy), QPointF(*end_xy)
            painter.setPen(pen)
            painter.drawLine(start, end)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            for point in (start, end):
                painter.drawEllipse(point, 3.5, 3.5)

    def _paint_selection(self, painter: QPainter, rects: list[QRectF]) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self._link_from is not None and self._link_from < len(rects):
            pen = QPen(_LINK_SOURCE_COLOUR, 3, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRoundedRect(rects[self._link_from].adjusted(2, 2, -2, -2), 5, 5)
        if not rects:
            return
        rect = rects[min(self._selected, len(rects) - 1)]
        colour = self.palette().color(QPalette.ColorRole.Highlight)
        colour = _SELECTED_COLOUR if colour.lightness() > 200 else colour
        painter.setPen(QPen(colour, 3))
        painter.drawRoundedRect(rect.adjusted(1.5, 1.5, -1.5, -1.5), 6, 6)
        if self.hasFocus():
            focus = QPen(colour, 1, Qt.PenStyle.DotLine)
            painter.setPen(focus)
            painter.drawRoundedRect(rect.adjusted(5, 5, -5, -5), 4, 4)
