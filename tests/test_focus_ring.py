"""Whatever has keyboard focus wears a ring that can be seen (WCAG 2.2 focus visible)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.gui.style import focus_style

RING = QColor("#1f4e79")


def _ring_pixels(widget: QWidget) -> int:
    image = widget.grab().toImage()
    return sum(
        1
        for x in range(image.width())
        for y in (1, image.height() // 2, image.height() - 2)
        if image.pixelColor(x, y) == RING
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: QLineEdit("Wrenmoor Park"),
        lambda: QPushButton("Add review"),
        lambda: QPlainTextEdit("Concerns after dark"),
        lambda: QComboBox(),
        lambda: QCheckBox("Legal hold"),
    ],
    ids=["field", "button", "text area", "combo box", "check box"],
)
def test_a_focused_control_has_a_solid_ring_and_an_unfocused_one_none(qtbot, make):
    style = focus_style()
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    focused, other = make(), QLineEdit("elsewhere")
    for widget in (focused, other):
        widget.setStyle(style)
        layout.addWidget(widget)
    holder.show()
    qtbot.waitExposed(holder)
    holder.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is holder)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    assert _ring_pixels(focused) == 0
    focused.setFocus()
    qtbot.waitUntil(focused.hasFocus)
    assert _ring_pixels(focused) >= 10


@pytest.mark.parametrize("vertical", [True, False], ids=["vertical", "horizontal"])
def test_a_scroll_bar_looks_exactly_as_fusion_draws_it(qtbot, vertical):
    """The focus style draws an opaque scroll bar's groove (the board's) once over the window's
    colour and copies it in bands (gui/style.py): it must still be Fusion's own scroll bar,
    pixel for pixel, as any other scroll bar is."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollBar, QStyleFactory

    plain, ours = QStyleFactory.create("Fusion"), focus_style()
    orientation = Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal
    images = []
    for style, opaque in ((plain, False), (ours, False), (ours, True), (ours, True)):
        bar = QScrollBar(orientation)
        qtbot.addWidget(bar)
        bar.setStyle(style)
        bar.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, opaque)
        bar.resize(14, 413) if vertical else bar.resize(413, 14)
        bar.setRange(0, 8000)
        bar.setPageStep(413)
        bar.setValue(5000)
        images.append(bar.grab().toImage())
    assert not images[0].isNull()
    assert images[1] == images[0]
    assert images[2] == images[0]
    assert images[3] == images[0]  # the groove copied from the style's cache
