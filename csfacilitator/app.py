"""Starting the GUI: paths, logging, the single-instance lock, the database, the main window."""

from __future__ import annotations

import logging
import os
import sys

from csfacilitator import APP_ID, APP_NAME
from csfacilitator.errors import UserError
from csfacilitator.paths import DataPaths, resolve

log = logging.getLogger(__name__)


def _application():
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from csfacilitator.gui.style import STYLE_SHEET
    from csfacilitator.resources import resource_path

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resource_path("icons", "csfacilitator.svg"))))
    app.setStyleSheet(STYLE_SHEET)
    return app


def create_window(
    data_dir: str | os.PathLike[str] | None = None,
    conference_id: int | None = None,
    *,
    paths: DataPaths | None = None,
):
    """Build the whole main window in-process (used by the app and its GUI tests)."""
    from csfacilitator.gui.main_window import MainWindow
    from csfacilitator.storage import open_database

    _application()
    paths = paths or resolve(data_dir)
    db = open_database(paths)
    window = MainWindow(db, paths)
    window.destroyed.connect(lambda *_: db.close())
    if conference_id is not None:
        window.open_conference(conference_id)
    else:
        window.restore_last()
    return window


def _fail(message: str) -> int:
    """Tell the user why the app cannot start, in a dialog (and on stderr when there is one)."""
    from PySide6.QtWidgets import QMessageBox

    _application()
    if sys.stderr is not None:
        print(f"csfacilitator: {message}", file=sys.stderr)
    QMessageBox.critical(None, APP_NAME, message)
    return 2


def main(argv: list[str] | None = None, paths: DataPaths | None = None) -> int:
    """The GUI's entry point. Returns the process exit code."""
    os.umask(0o077)
    from PySide6.QtCore import QLockFile

    from csfacilitator.gui.crash_dialog import install_excepthook
    from csfacilitator.logs import setup_logging
    from csfacilitator.paths import prepare

    if paths is None:
        paths = resolve(None)
    try:
        prepare(paths)
    except UserError as exc:
        return _fail(str(exc))
    log_path = setup_logging(paths)
    app = _application()
    install_excepthook(log_path)

    lock = QLockFile(str(paths.lock_file))
    lock.setStaleLockTime(0)  # a lock left by a crash is recognised by its dead process id
    if not lock.tryLock(100):
        lock.removeStaleLockFile()
        if not lock.tryLock(100):
            return _fail(
                f"{APP_NAME} is already open on this data folder ({paths.root}). Switch to that "
                "window; two copies on the same data could overwrite each other's work."
            )
    try:
        window = create_window(paths=paths)
    except UserError as exc:
        lock.unlock()
        return _fail(str(exc))
    window.show()
    code = app.exec()
    lock.unlock()
    log.info("Closed normally")
    return code
