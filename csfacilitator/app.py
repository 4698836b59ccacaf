"""Starting the GUI: paths, logging, the single-instance lock, the database, the main window."""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from csfacilitator import APP_ID, APP_NAME
from csfacilitator.errors import UserError
from csfacilitator.paths import DataPaths, resolve

if TYPE_CHECKING:
    from csfacilitator.storage.recovery import Damage

log = logging.getLogger(__name__)


def _application():
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from csfacilitator.resources import resource_path

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resource_path("icons", "csfacilitator.svg"))))
    return app


def _style(app) -> None:  # noqa: ANN001
    """The app's style sheet and focus ring. The staged start applies them just after the
    first paint (they cost about a tenth of a second there and re-polish only the empty
    window), before anything else is built."""
    from csfacilitator.gui.style import STYLE_SHEET, focus_style

    if app is not None and app.styleSheet() != STYLE_SHEET:  # once: each call re-polishes all
        app.setStyle(focus_style())
        app.setStyleSheet(STYLE_SHEET)


def create_window(
    data_dir: str | os.PathLike[str] | None = None,
    conference_id: int | None = None,
    *,
    paths: DataPaths | None = None,
    passphrase: str | None = None,
    window=None,  # noqa: ANN001
    later: list[Callable[[], None]] | None = None,
    examined: _Examination | None = None,
):
    """Build the whole main window in-process (used by the app and its GUI tests).

    `passphrase` opens an encrypted database (or creates a new database encrypted). `window`
    is one already shown without its database (the staged start in main()). `later`, when
    given, receives the start backup to make once the window is in use (see _open_checked);
    `examined`, the file's checks already under way on a worker thread (_Examination).
    """
    if window is None:
        from csfacilitator.gui.main_window import MainWindow

        _style(_application())
        paths = paths or resolve(data_dir)
        window = MainWindow(paths)
    paths = paths or window.paths
    db = _open_checked(paths, passphrase, later=later, examined=examined)
    window.attach(db)
    window.destroyed.connect(lambda *_: db.close())
    if conference_id is not None:
        window.open_conference(conference_id)
    else:
        window.restore_last()
    if window.conference_id is None:  # nothing reopened: the list, read now
        window.show_home()
    return window


class StartCancelled(Exception):
    """The user chose Quit when told the database was damaged."""


def _open_checked(
    paths: DataPaths,
    passphrase: str | None = None,
    *,
    later: list[Callable[[], None]] | None = None,
    examined: _Examination | None = None,
):
    """Check the database before opening it.

    A WAL left by a crash is copied aside first (and the database kept with it when the log
    looks damaged: the user is told in one line). A damaged database is kept aside and the
    newest good backup offered; so is one a command set aside earlier (its note), and one that
    passes the check but still cannot be opened. A healthy one is backed up (open_database
    backs up one that it must upgrade). A full or read-only disk raises StorageError with that
    reason: nothing is called damaged or moved.

    `later` (the staged start): the healthy database's start backup is not made here but
    appended there, for main() to make on a worker thread while the conference is being shown
    (SQLite's backup API gives the same consistent copy; it was a tenth of a second on the
    path). Only when no upgrade is due: an upgrade is backed up before it, by open_database.

    `examined`: the same checks, of a plain database, made on a worker thread while this one
    imported SQLAlchemy (main()); waited for here, before anything else touches the file.
    """
    from csfacilitator.errors import DatabaseCorrupt
    from csfacilitator.storage import open_database
    from csfacilitator.storage.recovery import Damage, set_aside

    found = examined.result() if examined is not None else _examine(paths, passphrase)
    if found.told is not None:
        _warn(found.told)
    if found.damage is not None:
        _offer_backup(paths, passphrase, found.damage)
    elif found.noted is not None:
        _offer_backup(paths, passphrase, found.noted, noted=True)
    elif found.backup is not None:
        if later is not None:
            later.append(found.backup)
        else:
            found.backup()
    try:
        return open_database(paths, passphrase)
    except DatabaseCorrupt as exc:  # passed the check, yet cannot be used (another program's)
        log.error("The database cannot be opened: %s", exc)
        damage = Damage(set_aside=set_aside(paths.database), problem=str(exc))
    _offer_backup(paths, passphrase, damage)
    return open_database(paths, passphrase)


@dataclass(frozen=True)
class _Found:
    """What the start's checks found before the database is opened (_open_checked)."""

    told: str | None = None  # a WAL left by a crash looked damaged: the line to tell
    damage: Damage | None = None  # the database failed its check and was set aside
    noted: Damage | None = None  # one set aside earlier, not yet decided on (its note)
    backup: Callable[[], None] | None = None  # the start backup, when none of the above


def _examine(paths: DataPaths, passphrase: str | None) -> _Found:
    """The checks, in order, with nothing opened yet: the WAL kept (keep_wal_at_start), the
    file's check (set_aside_if_damaged: a damaged file is set aside), a damage noted earlier,
    and the start backup due. No dialog: _open_checked says and asks what they found."""
    from csfacilitator.storage.recovery import (
        keep_wal_at_start,
        pending_damage,
        set_aside_if_damaged,
    )

    told = keep_wal_at_start(paths)
    damage = set_aside_if_damaged(paths.database, passphrase)
    if damage is not None:
        return _Found(told, damage=damage)
    noted = pending_damage(paths)
    if noted is not None:
        return _Found(told, noted=noted)
    return _Found(told, backup=_start_backup(paths, passphrase))


class _Examination:
    """_examine of a plain database on a worker thread, started just after the first paint:
    its check and reads are SQLite's C code, which lets the window's thread import SQLAlchemy
    and the model meanwhile (about 20 ms of CPU and 40 ms of waiting off that thread). Nothing
    else touches the file until result() has returned; an error is raised there, as inline."""

    def __init__(self, paths: DataPaths):
        import threading

        # Imported here, on this thread, so the worker imports nothing while this thread does.
        import csfacilitator.storage.recovery
        import csfacilitator.storage.revision
        import csfacilitator.storage.sqlite_errors
        import csfacilitator.storage.wal_check  # noqa: F401

        self._found: _Found | None = None
        self._error: BaseException | None = None
        # Not a daemon: if this thread fails before result(), the interpreter still waits for
        # the checks, so a damaged file is never left half set aside (its WAL moved, not it).
        self._thread = threading.Thread(target=self._run, args=(paths,), name="start-checks")
        self._thread.start()

    def _run(self, paths: DataPaths) -> None:
        try:
            self._found = _examine(paths, None)
        except BaseException as exc:  # noqa: BLE001 - raised again on the window's thread
            self._error = exc

    def result(self) -> _Found:
        self._thread.join()
        if self._error is not None:
            raise self._error
        if self._found is None:  # never: _run sets one or the other
            raise RuntimeError("the start's checks did not finish")
        return self._found


def _start_backup(paths: DataPaths, passphrase: str | None) -> Callable[[], None] | None:
    """The start backup (storage.recovery.start_backup), its failure logged rather than
    raised: a full disk must not stop anyone working, and on the worker thread nothing else
    would say it."""
    from csfacilitator.errors import StorageError
    from csfacilitator.storage.recovery import start_backup

    try:
        copy = start_backup(paths, passphrase)
    except StorageError as exc:  # e.g. a full disk: say so in the log, but let them work
        log.error("No backup at start: %s", exc)
        return None
    if copy is None:
        return None

    def backup() -> None:
        try:
            copy()
        except StorageError as exc:
            log.error("No backup at start: %s", exc)
        except Exception:  # noqa: BLE001 - on the worker thread nothing else would say it
            log.exception("No backup at start")

    return backup


def _in_background(jobs: list[Callable[[], None]]):  # noqa: ANN202 - threading.Thread
    """Start the jobs one after another on a worker thread, once the event loop runs."""
    import threading

    from PySide6.QtCore import QTimer

    worker = threading.Thread(target=lambda: [job() for job in jobs], name="start-backup")
    QTimer.singleShot(0, worker.start)
    return worker


def _offer_backup(paths: DataPaths, passphrase: str | None, damage, *, noted: bool = False):  # noqa: ANN001
    """Ask what to do about a database kept aside: restore the newest good backup, start empty,
    or quit (which decides nothing: the file goes back, or the note stays, to ask again)."""
    from csfacilitator.gui.dialogs.restore_dialog import ask_after_damage
    from csfacilitator.storage.recovery import (
        clear_note,
        newest_good_backup,
        put_back,
        restore_backup,
    )

    newest = newest_good_backup(paths, passphrase)
    choice = ask_after_damage(damage, newest)
    if choice == "quit":
        if not noted:
            put_back(damage, paths.database)  # asked again next time; nothing decided
        raise StartCancelled
    clear_note(paths)
    if choice == "restore" and newest is not None:
        restore_backup(paths, newest[0].path, passphrase)


def _show_first(paths: DataPaths):
    """The staged start: the window, with its menus and saved size, is shown and painted before
    anything slow is imported or the database opened (SQLAlchemy alone takes a third of a
    second; a blank screen for seconds looked like a hang)."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    from csfacilitator.gui.main_window import MainWindow

    window = MainWindow(paths)
    loop = QEventLoop()

    class _Painted(QObject):
        def eventFilter(self, obj, event):  # noqa: ANN001, N802 - Qt API
            if obj is window and event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, loop.quit)  # after this paint reaches the screen
            return False

    spy = _Painted()
    window.installEventFilter(spy)
    QTimer.singleShot(1000, loop.quit)  # never wait long for a window manager that is slow
    window.show_restored()
    loop.exec()
    window.removeEventFilter(spy)
    return window


def _warn(line: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    log.warning("Told at start: %s", line)
    QMessageBox.warning(None, APP_NAME, line)


def _discard(window) -> None:  # noqa: ANN001
    """The start stopped before the database was open: take the empty window away."""
    window.hide()
    window.deleteLater()


def _fail(message: str) -> int:
    """Tell the user why the app cannot start, in a dialog (and on stderr when there is one)."""
    from PySide6.QtWidgets import QMessageBox

    _style(_application())
    if sys.stderr is not None:
        print(f"csfacilitator: {message}", file=sys.stderr)
    QMessageBox.critical(None, APP_NAME, message)
    return 2


def main(argv: list[str] | None = None, paths: DataPaths | None = None) -> int:
    """The GUI's entry point. Returns the process exit code.

    The garbage collector is paused while the window and the last conference are built: the
    start allocates about a million objects (modules, SQLAlchemy's models and compiled
    queries, the tabs) and frees almost none in cycles, yet the collector ran about 230 times
    over them (0.08-0.13 s of the GUI thread). Once the window is built, what the start made is
    frozen (kept out of later collections, as it lives as long as the app) and collection
    goes on as usual.
    """
    gc.disable()
    try:
        return _main(argv, paths)
    finally:
        gc.enable()  # also when the start stopped early


def _started() -> None:
    """The window is built: what the start made lives as long as the app; collect from now."""
    gc.freeze()
    gc.enable()


def _main(argv: list[str] | None, paths: DataPaths | None) -> int:
    os.umask(0o077)
    from csfacilitator.gui.dialogs.crash_dialog import install_excepthook
    from csfacilitator.logs import setup_logging, start_logging
    from csfacilitator.paths import prepare
    from csfacilitator.writer_lock import WriterLock

    if paths is None:
        paths = resolve(None)
    try:
        prepare(paths)
    except UserError as exc:
        return _fail(str(exc))
    log_path = start_logging(paths)  # the log file itself is opened just after the first paint
    app = _application()
    install_excepthook(log_path)

    lock = WriterLock(paths)  # a lock left by a crash is recognised by its dead process id
    if not lock.try_acquire(500):
        from csfacilitator.storage import sqlite_errors

        setup_logging(paths)  # the start ends here: what was held goes to the log file now

        environment = sqlite_errors.folder_problem(paths.root)  # lock files cannot be made
        if environment is not None:
            return _fail(sqlite_errors.message(environment))
        return _fail(
            lock.refusal(
                f"{APP_NAME} is already open on this data folder ({paths.root}), or a command "
                "is changing it. Switch to that window; two copies on the same data could "
                "overwrite each other's work."
            )
        )
    window = _show_first(paths)
    setup_logging(paths)
    from csfacilitator.storage.file_kind import FileKind, file_kind

    kind = file_kind(paths.database)
    # A plain database (no passphrase to ask) is checked on a worker thread from now on,
    # while this thread styles the window and imports SQLAlchemy (create_window waits for it).
    examined = _Examination(paths) if kind is FileKind.SQLITE else None
    _style(app)
    try:
        if kind in (FileKind.SQLITE, FileKind.DAMAGED):
            proceed, passphrase = True, None  # not encrypted: no passphrase to ask
        else:  # asked when encrypted; offered if new
            from csfacilitator.gui.dialogs.passphrase_dialog import startup_passphrase

            proceed, passphrase = startup_passphrase(paths)
        if not proceed:
            _discard(window)
            lock.release()
            return 0
        later: list[Callable[[], None]] = []
        window = create_window(
            paths=paths, passphrase=passphrase, window=window, later=later, examined=examined
        )
    except StartCancelled:
        _discard(window)
        lock.release()
        return 2
    except UserError as exc:
        _discard(window)
        lock.release()
        return _fail(str(exc))
    _started()
    worker = _in_background(later)  # the start backup, made while the conference is shown
    code = app.exec()
    if worker.ident is None:  # the event loop ended before it began: made now, never skipped
        worker.start()
    worker.join()  # closed at once: the start backup is finished, not cut off
    lock.release()
    log.info("Closed normally")
    return code
