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
