"""What the small question dialogs build the same way: a wrapped introduction, the accept and
cancel buttons (each named as it reads, accepting and rejecting the dialog), and the column
they are laid out in (introduction, fields, the problem line, buttons)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.gui.widgets import form_parts


def intro_label(text: str, parent: QWidget, *, plain: bool = True) -> QLabel:
    """The dialog's opening words, wrapped (and shown as typed unless `plain` is False)."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    if plain:
        label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def accept_cancel(
    dialog: QDialog,
    accept_text: str,
    cancel_text: str | None = None,
    *,
    on_accept: Callable[[], object] | None = None,
) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """The dialog's OK and Cancel buttons under its own words (Cancel keeps Qt's own unless
    `cancel_text` is given): each has the accessible name it shows; OK accepts the dialog (or
    calls `on_accept`, which decides) and Cancel (or Escape) rejects it."""
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    accept = box.button(QDialogButtonBox.StandardButton.Ok)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    if accept is None or cancel is None:  # never: both were asked for just above
        raise RuntimeError("The dialog's buttons were not made.")
    accept.setText(accept_text)
    accept.setAccessibleName(form_parts.plain(accept_text))
    if cancel_text is not None:
        cancel.setText(cancel_text)
    cancel.setAccessibleName(form_parts.plain(cancel_text or "Cancel"))
    box.accepted.connect(on_accept or dialog.accept)
    box.rejected.connect(dialog.reject)
    return box, accept, cancel


def stack(dialog: QDialog, *parts: QWidget | QLayout) -> QVBoxLayout:
    """Lay the dialog out as one column of `parts`, top to bottom."""
    layout = QVBoxLayout(dialog)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    return layout
