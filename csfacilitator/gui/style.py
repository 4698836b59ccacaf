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
"""


def focus_style():  # noqa: ANN201 - a QProxyStyle, built on first use to keep Qt off import
    """The platform's style with a focus ring anyone can see (WCAG 2.2 "focus visible").

    Fusion's own ring is a faint tint (and none at all on buttons and text areas); this draws a
    2 px ring in the app's dark blue around whatever has keyboard focus: fields, text areas,
    buttons, combo and spin boxes, check boxes, and the current cell of a list or table.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QPen
    from PySide6.QtWidgets import QProxyStyle, QStyle

    pe, cc = QStyle.PrimitiveElement, QStyle.ComplexControl
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
            super().drawComplexControl(control, option, painter, widget)
            if control in (cc.CC_ComboBox, cc.CC_SpinBox) and has_focus(option, widget):
                ring(painter, option.rect)

    return FocusStyle("Fusion")
