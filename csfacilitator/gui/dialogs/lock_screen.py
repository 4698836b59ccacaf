"""The lock: Ctrl+L, or after a while without keyboard or mouse use (Preferences).

Locked, the window shows only the lock page: the conference pages are hidden behind it, the
menu and status bars are hidden, the title names no conference, the projector is blanked (in a
way its B key cannot undo), open dialogs are cancelled and every shortcut is swallowed, so
Ctrl+Z or F5 cannot act on what is hidden.

What unlocks it is said on the screen, and is one of three:
- the database passphrase, when the database is encrypted (judged by opening the database);
- the lock passphrase, when one was set (core/lock_passphrase.py);
- nothing: then it is called what it is, a privacy screen that anyone can leave with Enter,
  and it offers to set a lock passphrase.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QInputEvent, QKeyEvent, QScreen
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csfacilitator import APP_NAME
from csfacilitator.core import lock_passphrase
from csfacilitator.core.preferences import IDLE_LOCK_MINUTES, get_preference
from csfacilitator.errors import UserError
from csfacilitator.storage import encryption

log = logging.getLogger(__name__)

LOCKED_TITLE = f"Locked – {APP_NAME}"
#: What the screen says in each mode (see LockScreen.prepare).
LOCKED_TEXT = "Privacy screen — press Enter to return"
PRIVACY_NOTE = (
    "This hides the conference from view, but anyone at this laptop can press Enter to return. "
    "To make it a lock, set a lock passphrase."
)
LOCKED_TEXT_ENCRYPTED = "Locked — type the passphrase and press Enter to unlock"
LOCKED_TEXT_LOCK_PASSPHRASE = "Locked — type the lock passphrase and press Enter to unlock"
LOCK_PASSPHRASE_NOTE = "The lock guards this window. The database file itself is not encrypted."
PRIVACY, LOCK_PASSPHRASE, ENCRYPTED = "privacy", "lock passphrase", "encrypted"
WRONG_LOCK_PASSPHRASE = "That is not the lock passphrase. Type it again."
KEY_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride})
#: What counts as someone using the app (any of its windows).
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class LockScreen(QWidget):
    """The page shown instead of the window's contents while it is locked."""

    unlock_requested = Signal(str)
    set_passphrase_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Locked")
        self.message = QLabel(LOCKED_TEXT, self)
        self.message.setObjectName("pageHeading")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.field = QLineEdit(self)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Passphrase")
        self.field.setMinimumWidth(280)
        self.field_label = QLabel("&Passphrase:", self)
        self.field_label.setBuddy(self.field)
        self.unlock_button = QPushButton("Unlock", self)
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setProperty("primary", True)
        self.unlock_button.clicked.connect(self._request)
        self.note = QLabel(self)
        self.note.setObjectName("conferenceMeta")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setMinimumWidth(460)
        self.set_passphrase_button = QPushButton("Set a lock passphrase…", self)
        self.set_passphrase_button.setAccessibleName("Set a lock passphrase…")
        self.set_passphrase_button.clicked.connect(self.set_passphrase_requested)
        self.error = QLabel(self)
        self.error.setObjectName("lockError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.field_label, self.field)
        self.message.setWordWrap(True)
        column = QVBoxLayout()
        column.addLayout(form)
        column.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addSpacing(8)
        column.addWidget(self.note)  # the box's width, so the text wraps instead of squeezing
        column.addWidget(self.set_passphrase_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box = QWidget(self)
        box.setLayout(column)
        box.setMaximumWidth(560)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(self.message)
        outer.addSpacing(16)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addWidget(self.error)
        outer.addStretch(2)
        self.mode = PRIVACY
        self.needs_passphrase = False

    def prepare(self, mode: str) -> None:
        """Show what unlocks the window: PRIVACY (Enter), LOCK_PASSPHRASE or ENCRYPTED."""
        self.mode = mode
        self.needs_passphrase = mode != PRIVACY
        self.message.setText(
            {
                PRIVACY: LOCKED_TEXT,
                LOCK_PASSPHRASE: LOCKED_TEXT_LOCK_PASSPHRASE,
                ENCRYPTED: LOCKED_TEXT_ENCRYPTED,
            }[mode]
        )
        self.field_label.setText("Lock &passphrase:" if mode == LOCK_PASSPHRASE else "&Passphrase:")
        self.field.setAccessibleName("Lock passphrase" if mode == LOCK_PASSPHRASE else "Passphrase")
        self.note.setText(
            {PRIVACY: PRIVACY_NOTE, LOCK_PASSPHRASE: LOCK_PASSPHRASE_NOTE, ENCRYPTED: ""}[mode]
        )
        self.note.setVisible(mode != ENCRYPTED)
        self.set_passphrase_button.setVisible(mode == PRIVACY)
        self.unlock_button.setText("Unlock" if self.needs_passphrase else "Return")
        self.unlock_button.setAccessibleName(self.unlock_button.text())
        self.field.clear()
        self.field.setVisible(self.needs_passphrase)
        self.field_label.setVisible(self.needs_passphrase)
        self.error.clear()

    def focus(self) -> None:
        (self.field if self.needs_passphrase else self).setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.field.clear()
        self.focus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        # Enter in the passphrase field comes here too (QLineEdit passes it on).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = QApplication.focusWidget()
            if isinstance(focused, QPushButton) and self.isAncestorOf(focused):
                focused.click()  # Enter on a focused button presses that button
            else:
                self._request()
            return
        super().keyPressEvent(event)

    def _request(self) -> None:
        self.unlock_requested.emit(self.field.text() if self.needs_passphrase else "")


class Projector(Protocol):
    """What the lock asks of the projector window (gui/board/projector.py)."""

    def set_locked(self, locked: bool) -> None: ...

    def isVisible(self) -> bool: ...  # noqa: N802 - Qt API

    def screen(self) -> QScreen: ...


class LockController(QObject):
    """Covers a main window with a LockScreen (its contents hidden) and watches for idle time.

    The lock page is created on first use and laid over the window, so building the window
    costs nothing; the application-wide event filter is installed once the event loop runs.
    """

    locked_changed = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        db,  # noqa: ANN001 - Database
        *,
        projector: Callable[[], Projector | None] = lambda: None,
        before_lock: Callable[[], None] | None = None,
    ):
        super().__init__(window)
        self.window = window
        self.db = db
        self._projector = projector
        self._before_lock = before_lock
        self._locked = False
        self._saved_title = ""
        self._focus_before: QWidget | None = None
        self._status_was_visible = True

        self._screen: LockScreen | None = None
        self._content: QWidget | None = None
        self._watching = False
        window.windowTitleChanged.connect(self._keep_title_hidden)

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._idle_timeout)
        self._idle_ms = 0
        QTimer.singleShot(0, self, self._watch)
        self.reload_preferences()

    def _watch(self) -> None:
        app = QApplication.instance()
        if not self._watching and app is not None:  # there is one while a window is open
            app.installEventFilter(self)
            self._watching = True

    @property
    def screen(self) -> LockScreen:
        if self._screen is None:
            self._screen = LockScreen(self.window)
            self._screen.hide()
            self._screen.unlock_requested.connect(self.try_unlock)
            self._screen.set_passphrase_requested.connect(self._set_passphrase)
        return self._screen

    # -- state ---------------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self._locked

    @property
    def idle_timer(self) -> QTimer:
        return self._idle

    def reload_preferences(self) -> None:
        try:
            minutes = get_preference(self.db, IDLE_LOCK_MINUTES)
        except UserError as exc:
            log.warning("Could not read the idle lock preference: %s", exc)
            minutes = IDLE_LOCK_MINUTES.default
        self.set_idle_minutes(minutes)

    def set_idle_minutes(self, minutes: int) -> None:
        """Lock after this many minutes without input; 0 never locks by itself."""
        self._idle_ms = max(0, int(minutes)) * 60_000
        if self._idle_ms and not self._locked:
            self._idle.start(self._idle_ms)
        else:
            self._idle.stop()

    # -- locking -------------------------------------------------------------------------------

    def lock(self) -> None:
        if self._locked:
            return
        if self._before_lock is not None:
            try:
                self._before_lock()  # commit what is being typed; it stays in its field anyway
            except UserError as exc:
                log.error("Could not save before locking: %s", exc)
        self._cancel_dialogs()
        focused = QApplication.focusWidget()
        self._focus_before = (
            focused if focused is not None and self.window.isAncestorOf(focused) else None
        )
        self._saved_title = self.window.windowTitle()
        self._locked = True
        self._idle.stop()
        self._watch()
        self._content = self.window.centralWidget()
        if self._content is not None:
            self._content.hide()
        self.window.menuBar().hide()
        status = self.window.statusBar()
        self._status_was_visible = not status.isHidden()
        status.clearMessage()
        status.hide()
        self.window.setWindowTitle(LOCKED_TITLE)
        self.screen.setGeometry(self.window.rect())
        self.screen.show()
        self.screen.raise_()
        projector = self._projector()
        if projector is not None:
            projector.set_locked(True)
            if projector.isVisible() and projector.screen() == self.window.screen():
                self.window.raise_()  # a blank full-screen projector must not hide the lock
        self.screen.prepare(self.mode())
        self.screen.focus()
        self.locked_changed.emit(True)

    def mode(self) -> str:
        """What will unlock the window: the database's passphrase, a lock passphrase, or Enter."""
        if self.db.encrypted:
            return ENCRYPTED
        try:
            return LOCK_PASSPHRASE if lock_passphrase.has_lock_passphrase(self.db) else PRIVACY
        except UserError as exc:  # an unreadable setting must not leave the window unlockable
            log.error("Could not read the lock passphrase setting: %s", exc)
            return PRIVACY

    def try_unlock(self, passphrase: str = "") -> bool:
        """Unlock when `passphrase` is right for the screen's mode (anything for a privacy screen)."""
        if not self._locked:
            return True
        mode = self.screen.mode
        if mode == LOCK_PASSPHRASE:
            if not passphrase:
                self.screen.show_error("Type the lock passphrase, then press Enter.")
                return False
            try:
                right = lock_passphrase.check_lock_passphrase(self.db, passphrase)
            except UserError as exc:
                self.screen.show_error(str(exc))
                return False
            if not right:
                self.screen.show_error(WRONG_LOCK_PASSPHRASE)
                return False
        elif mode == ENCRYPTED:
            if not passphrase:
                self.screen.show_error("Type the passphrase, then press Enter.")
                return False
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                encryption.check_passphrase(self.db.paths.database, passphrase)
            except UserError as exc:
                self.screen.show_error(str(exc))
                return False
            finally:
                QGuiApplication.restoreOverrideCursor()
        self._unlock()
        return True

    def _set_passphrase(self) -> None:
        """From the privacy screen (which anyone may leave): return, then ask for a passphrase."""
        from csfacilitator.gui.dialogs.passphrase_dialog import set_lock_passphrase_interactively

        self._unlock()
        if set_lock_passphrase_interactively(self.window, self.db):
            self.window.statusBar().showMessage(
                "Lock passphrase set: the lock (Ctrl+L) now asks for it.", 8000
            )

    def _unlock(self) -> None:
        self._locked = False
        self.screen.prepare(PRIVACY)
        self.screen.hide()
        if self._content is not None:
            self._content.show()
        self._content = None
        self.window.menuBar().show()
        self.window.statusBar().setVisible(self._status_was_visible)
        self.window.setWindowTitle(self._saved_title)
        projector = self._projector()
        if projector is not None:
            projector.set_locked(False)
        if self._focus_before is not None:
            with contextlib.suppress(RuntimeError):  # the widget went away meanwhile
                self._focus_before.setFocus()
        self._focus_before = None
        self.set_idle_minutes(self._idle_ms // 60_000)
        self.locked_changed.emit(False)

    def _cancel_dialogs(self) -> None:
        """A dialog left open would still show what it was about; cancelling it loses nothing."""
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()

    def _keep_title_hidden(self, title: str) -> None:
        if self._locked and title != LOCKED_TITLE:
            self._saved_title = title
            self.window.setWindowTitle(LOCKED_TITLE)

    def _idle_timeout(self) -> None:
        projector = self._projector()
        if projector is not None and projector.isVisible() and not self._locked:
            # Mid-meeting the room is reading the board while nobody types: blanking it
            # would stop the meeting. The idle clock starts again; Ctrl+L still locks.
            self._idle.start()
            return
        if self._idle_ms and not self._locked:
            log.info("Locked after %d minutes without use", self._idle_ms // 60_000)
            self.lock()

    # -- watching input ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # Called for every event of the application (some 12,000 while the app starts). While
        # unlocked only input counts, and only with an idle lock set; PySide6 hands input over
        # as a QInputEvent (key, mouse, wheel, touch, tablet): any other class returns at once,
        # without the cost of event.type() making a Python enum.
        if not self._locked and not (self._idle_ms and isinstance(event, QInputEvent)):
            return False
        kind = event.type()
        if self._locked:
            if kind == QEvent.Type.Resize and watched is self.window:
                self.screen.setGeometry(self.window.rect())
            elif kind == QEvent.Type.Shortcut:
                return True  # nothing behind the lock may be triggered
            elif kind in KEY_EVENTS and isinstance(watched, QWidget):
                # Keys reach only the lock page (not the projector's B, H or page keys).
                return not (watched is self.screen or self.screen.isAncestorOf(watched))
        if kind in INPUT_EVENTS and self._idle_ms and not self._locked:
            self._idle.start(self._idle_ms)
        return False
