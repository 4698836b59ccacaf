"""Uncaught errors: logged, then shown in a dialog with the log's path and a Copy details button."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from csfacilitator import APP_NAME, __version__
from csfacilitator.errors import UserError

log = logging.getLogger(__name__)
_showing = False


def install_excepthook(log_path: Path) -> None:
    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        if isinstance(exc, UserError):
            log.warning("%s", exc)
        else:
            log.error("Uncaught error\n%s", details)
        show_error(exc, details, log_path)

    sys.excepthook = hook


def show_error(exc: BaseException, details: str, log_path: Path) -> None:
    global _showing
    if _showing or QApplication.instance() is None:
        return
    _showing = True
    try:
        box = QMessageBox(QApplication.activeWindow())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(APP_NAME)
        if isinstance(exc, UserError):
            box.setText(str(exc))
        else:
            box.setText("Something went wrong in CS Facilitator.")
            box.setInformativeText(
                "What you had saved is safe. The details are in the log file:\n"
                f"{log_path}\n\nPlease send them to whoever supports CS Facilitator for you."
            )
            box.setDetailedText(f"{APP_NAME} {__version__}\n{details}")
            copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
            copy.setAccessibleName("Copy details")
            copy.clicked.disconnect()
            copy.clicked.connect(
                lambda: QApplication.clipboard().setText(f"{APP_NAME} {__version__}\n{details}")
            )
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
    finally:
        _showing = False
