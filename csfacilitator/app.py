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
    passphrase: str | None = None,
):
    """Build the whole main window in-process (used by the app and its GUI tests).

    `passphrase` opens an encrypted database (or creates a new database encrypted).
    """
    from csfacilitator.gui.main_window import MainWindow

    _application()
    paths = paths or resolve(data_dir)
    db = _open_checked(paths, passphrase)
    window = MainWindow(db, paths)
    window.destroyed.connect(lambda *_: db.close())
    if conference_id is not None:
        window.open_conference(conference_id)
    else:
        window.restore_last()
    return window


class StartCancelled(Exception):
    """The user chose Quit when told the database was damaged."""


def _open_checked(paths: DataPaths, passphrase: str | None = None):
    """Check the database; keep a damaged one aside and offer the newest good backup; back up
    a healthy one (open_database backs up one that it must upgrade); then open it."""
    from csfacilitator.errors import StorageError
    from csfacilitator.storage import open_database
    from csfacilitator.storage.recovery import (
        backup_at_start,
        newest_good_backup,
        put_back,
        restore_backup,
        set_aside_if_damaged,
    )

    damage = set_aside_if_damaged(paths.database, passphrase)
    if damage is not None:
        from csfacilitator.gui.restore_dialog import ask_after_damage

        newest = newest_good_backup(paths, passphrase)
        choice = ask_after_damage(damage, newest)
        if choice == "quit":
            put_back(damage, paths.database)  # asked again next time; nothing decided
            raise StartCancelled
        if choice == "restore" and newest is not None:
            restore_backup(paths, newest[0].path, passphrase)
    else:
        try:
            backup_at_start(paths, passphrase)
        except StorageError as exc:  # e.g. a full disk: say so in the log, but let them work
            log.error("No backup at start: %s", exc)
    return open_database(paths, passphrase)


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
    from csfacilitator.gui.crash_dialog import install_excepthook
    from csfacilitator.logs import setup_logging
    from csfacilitator.paths import prepare
    from csfacilitator.writer_lock import WriterLock

    if paths is None:
        paths = resolve(None)
    try:
        prepare(paths)
    except UserError as exc:
        return _fail(str(exc))
    log_path = setup_logging(paths)
    app = _application()
    install_excepthook(log_path)

    lock = WriterLock(paths)  # a lock left by a crash is recognised by its dead process id
    if not lock.try_acquire(500):
        return _fail(
            f"{APP_NAME} is already open on this data folder ({paths.root}), or a command is "
            "changing it. Switch to that window; two copies on the same data could overwrite "
            "each other's work."
        )
    try:
        from csfacilitator.gui.passphrase_dialog import startup_passphrase

        proceed, passphrase = startup_passphrase(paths)  # asked when encrypted; offered if new
        if not proceed:
            lock.release()
            return 0
        window = create_window(paths=paths, passphrase=passphrase)
    except StartCancelled:
        lock.release()
        return 2
    except UserError as exc:
        lock.release()
        return _fail(str(exc))
    window.show()
    code = app.exec()
    lock.release()
    log.info("Closed normally")
    return code
