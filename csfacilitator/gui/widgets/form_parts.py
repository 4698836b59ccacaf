"""Pieces every form and panel builds the same way, so that each is built once: a field's
label with its Alt key whose words are the field's accessible name (what a screen reader says
is what is on screen), a button named by its text, and a quiet note under a heading.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QPushButton, QWidget


def plain(text: str) -> str:
    """A label's words without the & that marks its Alt key or a colon after them."""
    return text.replace("&", "").rstrip(":")


def buddy_label(text: str, field: QWidget, parent: QWidget) -> QLabel:
    """The label `text` (with its &-marked Alt key) for `field`, which takes the same words as
    its accessible name."""
    label = QLabel(text, parent)
    field.setAccessibleName(plain(text))
    label.setBuddy(field)
    return label


def panel_button(text: str, tip: str, parent: QWidget) -> QPushButton:
    """A push button named by its text, with a tooltip (none if `tip` is empty), that Enter in
    a field never presses."""
    button = QPushButton(text, parent)
    button.setAccessibleName(plain(text))
    button.setToolTip(tip)
    button.setAutoDefault(False)
    return button


def quiet_label(text: str, parent: QWidget) -> QLabel:
    """A short explanation in the palette's quieter text colour, wrapped."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label
