"""Guards against a Qt binding that would crash a long meeting."""

from __future__ import annotations

import sys


def test_void_qt_calls_do_not_leak_references_to_none(qtbot):
    """PySide6 6.12.0 decremented None's refcount on every void call; on Python < 3.12 the
    process aborts after some thousands of keystrokes. This fails on such a binding."""
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(2000):
        widget.resize(10, 10)
        widget.setWindowTitle("x")
    assert sys.getrefcount(None) - before > -100
