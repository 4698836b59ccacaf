"""One calm look for the whole app: scalable fonts, clear focus, a primary button."""

from __future__ import annotations

STYLE_SHEET = """
QLabel#pageHeading { font-size: 16pt; font-weight: 600; }
QLabel#conferenceTitle { font-size: 14pt; font-weight: 600; }
QLabel#conferenceMeta { color: palette(placeholder-text); }
QLabel#welcomeHeading { font-size: 20pt; font-weight: 600; }
QLabel#welcomeIntro { font-size: 11pt; }
QLabel#welcomeSteps { color: palette(placeholder-text); }
QFrame#welcomeCard { background: palette(base); border: 1px solid palette(mid); border-radius: 12px; }
QPushButton[primary="true"] {
    background: #1f4e79; color: white; border: 1px solid #173b5c; border-radius: 4px;
    padding: 6px 16px; font-weight: 600;
}
QPushButton[primary="true"]:hover { background: #24598a; }
QPushButton[primary="true"]:focus { border: 2px solid #f2b134; }
QGroupBox { font-weight: 600; margin-top: 14px; }
QGroupBox::title { subcontrol-origin: margin; left: 6px; padding: 0 4px; }
QTabBar::tab { padding: 6px 16px; }
QToolButton#datePicker::menu-indicator { image: none; }
"""


#: Qt's raster engine hands a fill or copy of about 96 rows or more to its thread pool.
BAND = 64


def focus_style():  # noqa: ANN201 - a QProxyStyle, built on first use to keep Qt off import
    """The platform's style with a focus ring anyone can see (WCAG 2.2 "focus visible").

    Fusion's own ring is a faint tint (and none at all on buttons and text areas); this draws a
    2 px ring in the app's dark blue around whatever has keyboard focus: fields, text areas,
    buttons, combo and spin boxes, check boxes, and the current cell of a list or table. A
    scroll bar that paints all of itself (the board's) has its groove drawn once per size and
    state and copied in bands of BAND rows, which Qt fills without its thread pool.
    """
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
    from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOptionSlider

    pe, cc = QStyle.PrimitiveElement, QStyle.ComplexControl
    groove = QStyle.SubControl.SC_ScrollBarGroove
    opaque_paint = Qt.WidgetAttribute.WA_OpaquePaintEvent
    frame_width = QStyle.PixelMetric.PM_DefaultFrameWidth  # asked ~11,000 times as the app starts
    ringed = {pe.PE_PanelLineEdit, pe.PE_PanelButtonCommand, pe.PE_PanelButtonTool, pe.PE_Frame}

    def ring(painter, rect) -> None:  # noqa: ANN001
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(FocusStyle.RING, 2, Qt.PenStyle.SolidLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.restore()

    def has_focus(option, widget) -> bool:  # noqa: ANN001
        if option.state & QStyle.StateFlag.State_HasFocus:
            return True
        return widget is not None and widget.hasFocus()

    class FocusStyle(QProxyStyle):
        RING = QColor("#1f4e79")

        def __init__(self, key: str) -> None:
            super().__init__(key)
            self._grooves: dict[tuple, QPixmap] = {}

        def drawPrimitive(self, element, option, painter, widget=None):  # noqa: N802 - Qt API
            super().drawPrimitive(element, option, painter, widget)
            if element == pe.PE_FrameFocusRect or (element in ringed and has_focus(option, widget)):
                ring(painter, option.rect)

        def drawControl(self, element, option, painter, widget=None):  # noqa: N802 - Qt API
            super().drawControl(element, option, painter, widget)
            if element == QStyle.ControlElement.CE_ShapedFrame and has_focus(option, widget):
                ring(painter, option.rect)  # text areas, lists and tables

        def pixelMetric(self, metric, option=None, widget=None):  # noqa: N802 - Qt API
            value = super().pixelMetric(metric, option, widget)
            if metric is frame_width:  # enum members are singletons
                return max(value, 2)  # room for the whole ring outside a text area's viewport
            return value

        def drawComplexControl(self, control, option, painter, widget=None):  # noqa: N802
            if (
                control == cc.CC_ScrollBar
                and option.subControls & groove
                and widget is not None
                and widget.testAttribute(opaque_paint)
            ):
                self._scroll_bar(option, painter, widget)
                return
            super().drawComplexControl(control, option, painter, widget)
            if control in (cc.CC_ComboBox, cc.CC_SpinBox) and has_focus(option, widget):
                ring(painter, option.rect)

        def _scroll_bar(self, option, painter, widget) -> None:  # noqa: ANN001
            """An opaque scroll bar's groove (the board's, column_view.py) is drawn once per
            size and state, over the window's colour as its parents would paint it, and then
            copied in bands of at most BAND rows (columns).

            Drawn each time, its tall gradient is one fill that Qt's raster engine splits over
            its thread pool and then waits for (a clip does not stop it; so is one tall copy):
            on a busy machine that cost a few ms on every Enter on the board. The slider and
            arrows are drawn over the copy as before, so the pixels are the same."""
            ratio = painter.device().devicePixelRatio()
            rect = option.rect
            key = (
                rect.width(),
                rect.height(),
                ratio,
                option.state.value,
                option.activeSubControls.value,
                option.orientation,
                option.palette.cacheKey(),
            )
            pixmap = self._grooves.get(key)
            if pixmap is None:
                pixmap = QPixmap(rect.size() * ratio)
                pixmap.setDevicePixelRatio(ratio)
                pixmap.fill(option.palette.window().color())
                only = QStyleOptionSlider(option)
                only.rect = rect.translated(-rect.topLeft())
                only.subControls = groove
                into = QPainter(pixmap)
                super().drawComplexControl(cc.CC_ScrollBar, only, into, widget)
                into.end()
                if len(self._grooves) >= 16:  # a few sizes at a time
                    self._grooves.clear()
                self._grooves[key] = pixmap
            width, height = pixmap.width(), pixmap.height()  # in device pixels
            vertical = option.orientation == Qt.Orientation.Vertical
            for start in range(0, height if vertical else width, BAND):
                if vertical:
                    source = QRectF(0, start, width, min(BAND, height - start))
                else:
                    source = QRectF(start, 0, min(BAND, width - start), height)
                target = QRectF(
                    rect.x() + source.x() / ratio,
                    rect.y() + source.y() / ratio,
                    source.width() / ratio,
                    source.height() / ratio,
                )
                painter.drawPixmap(target, pixmap, source)
            rest = QStyleOptionSlider(option)
            rest.subControls = option.subControls & ~groove
            super().drawComplexControl(cc.CC_ScrollBar, rest, painter, widget)

    return FocusStyle("Fusion")
