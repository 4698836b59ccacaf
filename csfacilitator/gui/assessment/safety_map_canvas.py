"""The map on screen: the picture export/safety_map_picture.py draws (the same one the papers
use), with a cross-shaped cursor, the area being drawn and the chosen mark painted on top.

By keyboard: the arrow keys move the cursor (Shift for a finer step), Enter drops a pin there;
A starts an area at the cursor, Space adds a corner, Backspace takes the last one back, and
Enter finishes it (with one corner, the rectangle from it to the cursor; with more, the shape
through the corners and the cursor); Escape cancels it. 1, 2 and 3 choose the rating of the
next mark (unsafe, mixed, safe); Delete removes the chosen mark; Page Up and Page Down go to
the previous or next mark.

By mouse: a click drops a pin (or, while an area is being drawn, adds a corner), a drag draws a
rectangular area, a double-click finishes an area, and a click on a mark chooses it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from csfacilitator.core.safety_map import MapImage, MarkRecord, where_words

STEP = 0.02  # an arrow key moves the cursor this share of the map
FINE_STEP = 0.005
DRAG_PIXELS = 8  # a press and release further apart than this is a drag (a rectangle)
RATING_KEYS = {Qt.Key.Key_1: "unsafe", Qt.Key.Key_2: "mixed", Qt.Key.Key_3: "safe"}


class MapCanvas(QWidget):
    """Shows one map with marks; reports what the user asks for through signals (the panel
    makes the change through the core and the undo stack, then calls `show_map` again)."""

    pin_requested = Signal(float, float)
    area_requested = Signal(object)  # a list of (x, y) fractions
    mark_chosen = Signal(int)  # a mark's id (clicked, or Page Up / Page Down)
    delete_requested = Signal()
    rating_chosen = Signal(str)
    cursor_moved = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 220)
        self.image: MapImage | None = None
        self.marks: tuple[MarkRecord, ...] = ()
        self.selected_id: int | None = None
        self.cross = (0.5, 0.5)
        self.corners: list[tuple[float, float]] = []
        self.area_pending = False  # "Draw area" pressed: the next click is the first corner
        self._pixmap: QPixmap | None = None
        self._pixmap_key: tuple | None = None
        self._press: QPointF | None = None
        self._drag: QPointF | None = None
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(120)
        self._render_timer.timeout.connect(self._render)

    # -- what is shown -------------------------------------------------------------------------

    def show_map(self, image: MapImage | None, marks, selected_id: int | None) -> None:  # noqa: ANN001
        self.image, self.marks, self.selected_id = image, tuple(marks), selected_id
        self._render()
        self.update()

    def select(self, mark_id: int | None) -> None:
        self.selected_id = mark_id
        self.update()

    @property
    def drawing(self) -> bool:
        return bool(self.corners)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(900, 600)

    def map_rect(self) -> QRectF:
        """Where the picture is drawn: as large as fits, centred, keeping its shape."""
        if self.image is None:
            return QRectF(self.rect())
        margin = 6
        w, h = float(self.width() - 2 * margin), float(self.height() - 2 * margin)
        aspect = self.image.aspect
        if w / max(1, h) > aspect:
            w = h * aspect
        else:
            h = w / aspect
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def _render(self) -> None:
        """The picture at this size, from the one renderer (re-drawn only when it changes)."""
        if self.image is None:
            self._pixmap, self._pixmap_key = None, None
            return
        rect = self.map_rect()
        ratio = self.devicePixelRatioF()
        width = max(80, int(rect.width() * ratio))
        key = (hash(self.image.data), self.marks, width)
        if key == self._pixmap_key:
            return
        from csfacilitator.export.safety_map_picture import map_png

        pixmap = QPixmap()
        pixmap.loadFromData(map_png(self.image, self.marks, width), "PNG")
        pixmap.setDevicePixelRatio(ratio)
        self._pixmap, self._pixmap_key = pixmap, key

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._render_timer.start()  # the old picture, scaled, until the resize settles

    # -- coordinates ---------------------------------------------------------------------------

    def to_widget(self, point: tuple[float, float]) -> QPointF:
        rect = self.map_rect()
        return QPointF(rect.left() + point[0] * rect.width(), rect.top() + point[1] * rect.height())

    def to_map(self, pos: QPointF) -> tuple[float, float]:
        rect = self.map_rect()
        x = (pos.x() - rect.left()) / max(1.0, rect.width())
        y = (pos.y() - rect.top()) / max(1.0, rect.height())
        return (min(1.0, max(0.0, x)), min(1.0, max(0.0, y)))

    def mark_at(self, pos: QPointF) -> MarkRecord | None:
        """The mark under a point: a pin within reach, else the smallest area around it."""
        rect = self.map_rect()
        reach = max(12.0, rect.width() / 60)
        for mark in reversed(self.marks):
            if mark.shape == "pin" and mark.points:
                centre = self.to_widget(mark.points[0])
                if (centre - pos).manhattanLength() <= reach * 1.4:
                    return mark
        inside = [
            m
            for m in self.marks
            if m.shape == "area"
            and QPolygonF([self.to_widget(p) for p in m.points]).containsPoint(
                pos, Qt.FillRule.OddEvenFill
            )
        ]
        if not inside:
            return None
        from csfacilitator.core.safety_map import polygon_area

        return min(inside, key=lambda m: polygon_area(list(m.points)))

    def cursor_words(self) -> str:
        """Where the cursor is, for the status line and screen readers."""
        x, y = self.cross
        where = f"The cross is {round(x * 100)}% across, {round(y * 100)}% down ({where_words(self.cross)})"
        if self.corners:
            n = len(self.corners)
            where += f"; drawing an area, {n} corner{'s' if n != 1 else ''}"
        return where

    # -- painting ------------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if self.image is None or self._pixmap is None:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.rect().adjusted(20, 20, -20, -20),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                "No map yet. Import a picture of the area (a screenshot or a drawing, PNG or "
                "JPEG) with Import map…",
            )
            painter.end()
            return
        rect = self.map_rect()
        painter.drawPixmap(rect, self._pixmap, QRectF(self._pixmap.rect()))
        painter.setPen(QPen(QColor(120, 120, 120), 1))
        painter.drawRect(rect)
        self._paint_selected(painter)
        self._paint_drawing(painter)
        self._paint_cursor(painter)
        if self.hasFocus():  # focus is never hidden: a clear frame round the map
            pen = QPen(self.palette().highlight().color(), 3)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(-3, -3, 3, 3))
        painter.end()

    def _double_pen(self, painter: QPainter, path: QPainterPath, width: float = 3) -> None:
        """A line seen on any map: white under black dashes."""
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor("white"), width + 3))
        painter.drawPath(path)
        pen = QPen(QColor(20, 20, 20), width, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawPath(path)

    def _paint_selected(self, painter: QPainter) -> None:
        mark = next((m for m in self.marks if m.id == self.selected_id), None)
        if mark is None or not mark.points:
            return
        path = QPainterPath()
        if mark.shape == "pin":
            centre = self.to_widget(mark.points[0])
            r = max(14.0, self.map_rect().width() / 45)
            path.addEllipse(centre, r, r)
        else:
            path.addPolygon(QPolygonF([self.to_widget(p) for p in mark.points]))
            path.closeSubpath()
        self._double_pen(painter, path, 2.5)

    def _paint_drawing(self, painter: QPainter) -> None:
        points = list(self.corners)
        if self._drag is not None and self._press is not None:
            from csfacilitator.core.safety_map import rectangle

            points = list(rectangle(self.to_map(self._press), self.to_map(self._drag)))
        elif len(points) == 1:
            from csfacilitator.core.safety_map import rectangle

            points = list(rectangle(points[0], self.cross))
        elif points:
            points = [*points, self.cross]
        if not points:
            return
        path = QPainterPath()
        path.addPolygon(QPolygonF([self.to_widget(p) for p in points]))
        path.closeSubpath()
        self._double_pen(painter, path, 2)
        painter.setPen(QPen(QColor(20, 20, 20), 1.5))
        painter.setBrush(QColor("white"))
        for corner in self.corners:
            painter.drawRect(QRectF(self.to_widget(corner) - QPointF(4, 4), QSize(8, 8)))

    def _paint_cursor(self, painter: QPainter) -> None:
        centre = self.to_widget(self.cross)
        arm, gap = 13.0, 4.0
        path = QPainterPath()
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            path.moveTo(centre + QPointF(dx * gap, dy * gap))
            path.lineTo(centre + QPointF(dx * arm, dy * arm))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor("white"), 5))
        painter.drawPath(path)
        painter.setPen(QPen(QColor(20, 20, 20), 2.2))
        painter.drawPath(path)

    # -- keys ----------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = Qt.Key(event.key())
        fine = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        step = FINE_STEP if fine else STEP
        moves = {
            Qt.Key.Key_Left: (-step, 0),
            Qt.Key.Key_Right: (step, 0),
            Qt.Key.Key_Up: (0, -step),
            Qt.Key.Key_Down: (0, step),
        }
        if self.image is None and key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            super().keyPressEvent(event)
            return
        if key in moves and not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            dx, dy = moves[key]
            x, y = self.cross
            self.cross = (min(1.0, max(0.0, x + dx)), min(1.0, max(0.0, y + dy)))
            self.cursor_moved.emit()
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.corners:
                self.finish_area()
            else:
                self.pin_requested.emit(*self.cross)
        elif key == Qt.Key.Key_A and not event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.start_area()
        elif key == Qt.Key.Key_Space and self.corners:
            if self.cross != self.corners[-1]:
                self.corners.append(self.cross)
            self.cursor_moved.emit()
            self.update()
        elif key == Qt.Key.Key_Backspace and self.corners:
            self.corners.pop()
            self.cursor_moved.emit()
            self.update()
        elif key == Qt.Key.Key_Escape and self.corners:
            self.cancel_area()
        elif key in RATING_KEYS:
            self.rating_chosen.emit(RATING_KEYS[key])
        elif key == Qt.Key.Key_Delete:
            self.delete_requested.emit()
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown) and self.marks:
            self._step_selection(-1 if key == Qt.Key.Key_PageUp else 1)
        else:
            super().keyPressEvent(event)

    def _step_selection(self, direction: int) -> None:
        ids = [m.id for m in self.marks]
        index = ids.index(self.selected_id) + direction if self.selected_id in ids else 0
        mark = self.marks[max(0, min(len(ids) - 1, index))]
        self.cross = mark.centre
        self.mark_chosen.emit(mark.id)

    def finish_area(self) -> None:
        from csfacilitator.core.safety_map import rectangle

        if len(self.corners) == 1:
            points = list(rectangle(self.corners[0], self.cross))
        else:
            points = [*self.corners]
            if self.cross != points[-1]:
                points.append(self.cross)
        self.corners = []
        self.area_pending = False
        self.update()
        self.area_requested.emit(points)

    def start_area(self) -> None:
        """Begin an area at the cursor (the A key, or the Draw area button)."""
        self.corners = [self.cross]
        self.cursor_moved.emit()
        self.update()

    def cancel_area(self) -> None:
        self.area_pending = False
        self.corners = []
        self.cursor_moved.emit()
        self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        self.update()

    # -- mouse ---------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() != Qt.MouseButton.LeftButton or self.image is None:
            return super().mousePressEvent(event)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._press = event.position()
        self._drag = None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._press is None:
            return
        if (event.position() - self._press).manhattanLength() > DRAG_PIXELS:
            self._drag = event.position()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        press, drag = self._press, self._drag
        self._press = self._drag = None
        if press is None or self.image is None:
            return
        self.cross = self.to_map(event.position())
        if drag is not None and not self.corners:
            from csfacilitator.core.safety_map import rectangle

            self.update()
            self.area_requested.emit(list(rectangle(self.to_map(press), self.cross)))
            return
        if self.corners or self.area_pending:
            self.area_pending = False
            if not self.corners or self.cross != self.corners[-1]:
                self.corners.append(self.cross)
            self.cursor_moved.emit()
            self.update()
            return
        hit = self.mark_at(event.position())
        if hit is not None:
            self.mark_chosen.emit(hit.id)
        else:
            self.pin_requested.emit(*self.cross)
        self.cursor_moved.emit()
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self.corners and len(self.corners) >= 3:
            self.cross = self.corners[-1]
            self.finish_area()
        else:
            super().mouseDoubleClickEvent(event)
