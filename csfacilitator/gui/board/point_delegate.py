"""How a point looks in a board column: a bullet for its level and its wrapped text, an amber
mark when it may hold a personal detail, a "→ plan" label when it is in the action plan. One
delegate paints every row (no widget per point) and measures the rows' heights, which the
model keeps on its rows (size_for) and the delegate caches by text and width. The text of a
row painted lately is kept laid out (QStaticText), so repainting it (every visible row, after
each Enter) draws it without shaping and wrapping it again.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QAbstractItemModel, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPen,
    QStaticText,
    QTextLayout,
    QTextOption,
    QTransform,
)
from PySide6.QtWidgets import (
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from csfacilitator.gui.board.column_model import (
    ColumnModel,
    Index,
    PointNode,
)
from csfacilitator.gui.board.entry_field import MAX_LENGTH
from csfacilitator.gui.board.projector_layout import text_is_rtl

BULLETS = ("•", "◦", "▪", "–")
FLAG_COLOUR = QColor("#c77700")
QUIET_SELECTION = QColor("#dde7f3")
COLUMN_COLOURS = {
    "concerns": "#b3261e",
    "complicating": "#9a5b00",
    "strengths": "#1e7a3c",
    "safety_plan": "#1f4e79",
}
#: Text drawn from a kept QStaticText: Latin, Greek, Cyrillic and punctuation (dashes, quotes,
#: not the direction marks), which it draws pixel for pixel as drawText does
#: (tests/test_board_text_paint.py).
_SIMPLE_TEXT = re.compile(r"[\x20-\u052f\u2010-\u2027\u2030-\u205e]*")
#: The mark on a point that is in the action plan (see gui/plan/plan_promote.py).
PLAN_MARK = "→ plan"


def _text_option(text: str) -> QTextOption:
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    # The direction of a point is that of its first strong character (as on the projector),
    # looked for in its first 200 characters only: this runs for every row laid out.
    if text_is_rtl(text[:200]):
        option.setTextDirection(Qt.LayoutDirection.RightToLeft)
        option.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
    else:
        option.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute)
    return option


#: What the style draws for a row whose text the delegate draws itself: a selection, a
#: background (the quiet selection, a find match), the focus frame, a check box or an icon.
_STYLED_STATES = QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus
_STYLED_FEATURES = (
    QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    | QStyleOptionViewItem.ViewItemFeature.HasDecoration
)


def _styled(opt: QStyleOptionViewItem) -> bool:
    """Whether the style has anything to draw for this row. A plain row (not selected, no
    background, no focus, no check box or icon) it draws nothing for, and asking it costs the
    style's Python layers and its style sheet on every row repainted after each Enter (the
    pixels are the same: tests/test_board_text_paint.py)."""
    return bool(
        opt.state & _STYLED_STATES
        or opt.backgroundBrush.style() != Qt.BrushStyle.NoBrush
        or opt.features & _STYLED_FEATURES
    )


class PointDelegate(QStyledItemDelegate):
    """Paints a point as a bullet and wrapped text, with a mark when it needs checking."""

    PAD_V = 4
    PAD_H = 6
    BULLET = 16
    MARK = 18

    def __init__(self, view: QTreeView, model: ColumnModel):
        super().__init__(view)
        self.view = view
        self.column_model = model
        self._heights: dict[tuple[str, int], int] = {}
        self._statics: dict[tuple[str, float, str], QStaticText | None] = {}

    def clear_cache(self) -> None:
        self._heights.clear()
        self._statics.clear()

    def _mark_width(self) -> int:
        return self.view.fontMetrics().horizontalAdvance(PLAN_MARK) + 14

    def _text_width(self, node: PointNode) -> int:
        width = self.view.viewport().width() - node.depth() * self.view.indentation()
        width -= 2 * self.PAD_H + self.BULLET
        if node.handle in self.column_model.document.flags:
            width -= self.MARK
        if node.id in self.column_model.links:
            width -= self._mark_width() + 6
        return max(60, width)

    def _height(self, text: str, width: int) -> int:
        key = (text, width)
        height = self._heights.get(key)
        if height is None:
            layout = QTextLayout(text, self.view.font())
            layout.setTextOption(_text_option(text))
            layout.beginLayout()
            total = 0.0
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                total += line.height()
            layout.endLayout()
            height = max(int(total + 0.999), self.view.fontMetrics().height())
            if len(self._heights) > 5000:
                self._heights.clear()
            self._heights[key] = height
        return height

    def size_for(self, node: PointNode, shown: str) -> QSize:
        """A row's size, given to the model as its SizeHintRole: the view asks for every row's
        size on each layout, and that way none of those questions reaches Python."""
        width = self._text_width(node)
        return QSize(width, self._height(shown, width) + 2 * self.PAD_V)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        if selected and not self.view.hasFocus():
            # The strong highlight marks only the column being worked in; elsewhere the
            # selected point is shown quietly.
            opt.state &= ~QStyle.StateFlag.State_Selected
            opt.backgroundBrush = QBrush(QUIET_SELECTION)
            selected = False
        style = widget.style() if widget is not None else None
        if style is not None and _styled(opt):
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        colour = opt.palette.highlightedText() if selected else opt.palette.text()
        rect = opt.rect.adjusted(self.PAD_H, self.PAD_V, -self.PAD_H, -self.PAD_V)
        node = self.column_model.node_at(index)
        depth = node.depth()
        painter.save()
        painter.setPen(colour.color())
        painter.setFont(opt.font)
        bullet_rect = QRect(rect.left(), rect.top(), self.BULLET, self.view.fontMetrics().height())
        bullet = BULLETS[depth % len(BULLETS)]
        kept = self._laid_out(bullet, QRectF(bullet_rect), opt.font)
        if kept is None:
            painter.drawText(bullet_rect, Qt.AlignmentFlag.AlignLeft, bullet)
        else:
            painter.drawStaticText(bullet_rect.topLeft(), kept)
        left = rect.left() + self.BULLET
        if self.column_model.document.flags.get(node.handle):
            self._paint_mark(painter, QRect(left, rect.top() + 1, 14, 14))
            left += self.MARK
        right = rect.right()
        if self.column_model.links.get(node.id) is not None:
            width = self._mark_width()
            mark = QRect(right - width + 1, rect.top(), width, self.view.fontMetrics().height())
            self._paint_plan_mark(painter, mark, colour.color(), selected)
            right -= width + 6
        text_rect = QRectF(left, rect.top(), right - left + 1, rect.height() + 1)
        static = self._laid_out(text, text_rect, opt.font)
        if static is None:
            painter.drawText(text_rect, text, _text_option(text))
        else:
            painter.drawStaticText(text_rect.topLeft(), static)
        painter.restore()

    def _laid_out(self, text: str, rect: QRectF, font: QFont) -> QStaticText | None:
        """The row's text laid out once (QStaticText) for drawing it again as it is: a repaint
        (each Enter repaints the visible rows) no longer shapes and wraps it. None (drawn with
        drawText, as before) for text in other scripts than Latin, Greek and Cyrillic (a
        QStaticText of Devanagari, Bengali or Tamil lands a pixel off drawText's), and for text
        too tall for its row (drawText clips it)."""
        key = (text, rect.width(), font.key())
        if key in self._statics:
            static = self._statics[key]
        else:
            static = None
            if _SIMPLE_TEXT.fullmatch(text):
                static = QStaticText(text)
                static.setTextFormat(Qt.TextFormat.PlainText)
                static.setTextWidth(rect.width())
                static.setTextOption(_text_option(text))
                static.prepare(QTransform(), font)
            if len(self._statics) > 600:  # the rows painted lately: a screenful is ~10
                self._statics.clear()
            self._statics[key] = static
        if static is None or static.size().height() > rect.height():
            return None
        return static

    def _paint_plan_mark(
        self, painter: QPainter, rect: QRect, text_colour: QColor, selected: bool
    ) -> None:
        """A small rounded '→ plan' label: this point is in the action plan."""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = text_colour if selected else QColor(COLUMN_COLOURS["safety_plan"])
        tint = QColor(colour)
        tint.setAlpha(0 if selected else 30)
        painter.setPen(QPen(colour, 1))
        painter.setBrush(tint)
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 7, 7)
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, PLAN_MARK)
        painter.restore()

    def _paint_mark(self, painter: QPainter, rect: QRect) -> None:
        """An amber '!' disc: this point may hold a personal detail."""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(FLAG_COLOUR)
        painter.drawEllipse(rect)
        painter.setPen(QColor("white"))
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(11)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "!")
        painter.restore()

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAccessibleName("Edit point")
        editor.setMaxLength(MAX_LENGTH)  # never cut a long point short on saving
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QLineEdit):  # always: createEditor makes one
            editor.setText(self.column_model.node_at(index).text)

    def setModelData(  # noqa: N802
        self, editor: QWidget, model: QAbstractItemModel, index: Index
    ) -> None:
        if isinstance(editor, QLineEdit) and editor.text() != self.column_model.node_at(index).text:
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(  # noqa: N802
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        rect = option.rect.adjusted(self.BULLET, 0, 0, 0)
        rect.setHeight(max(rect.height(), editor.sizeHint().height()))
        editor.setGeometry(rect)
