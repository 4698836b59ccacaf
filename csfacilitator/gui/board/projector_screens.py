"""Where the projector's picture is shown, and where it comes back to when its screen goes.

With a second screen: full screen on that screen (the chair keeps typing on the laptop). With one
screen: as a preview beside the board in the main window (a dock that can be floated as a window of
its own), so it never covers the points being typed, and F5 or F11 shows it full screen when the
room sees the laptop's own screen. If the projector screen is unplugged mid-meeting the picture
comes back to the preview (or, with no main window, an ordinary window) and a status message says
so. In a preview or a window the picture keeps a projector's shape.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QMouseEvent, QScreen
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from csfacilitator.gui.board import projector_layout as rules

if TYPE_CHECKING:
    from csfacilitator.gui.board.projector_dock import ProjectorDock

#: The picture's shape in a preview or an ordinary window: the shape of a projector.
ASPECT = 16 / 9
#: The room's picture a preview shows, scaled down, until a projector screen has been used.
ROOM_SIZE = (1920, 1080)

#: Where the projector is: not shown, an ordinary window (no main window to dock into), the
#: preview beside the board, full screen on the chair's own screen, or on a projector screen.
CLOSED, WINDOW, PREVIEW, FULL_HERE, ON_PROJECTOR = (
    "closed",
    "window",
    "preview",
    "full screen here",
    "on the projector",
)
UNPLUGGED_TO_PREVIEW = (
    "The projector screen was disconnected: the projector picture is now in the preview beside "
    "the board (F5 shows it full screen, Shift+F5 closes it)."
)
UNPLUGGED_TO_WINDOW = (
    "The projector screen was disconnected: the projector picture is now in a window on this "
    "screen (Shift+F5 closes it)."
)


class ProjectorScreens(QWidget):
    """A window that knows where it is shown (`mode`); `ProjectorWindow` paints the board in it.

    `host` is the main window: with one screen the projector is shown as a preview docked in
    it. Without a host (tests, the guide's pictures) one screen gives an ordinary window.
    """

    #: Emitted when the projector closes (Esc, Shift+F5, the close button, or close()).
    closed = Signal()
    #: A sentence for the main window's status bar (e.g. the projector screen was unplugged).
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, host: QMainWindow | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self._host = host
        #: The size of the room's picture: the last projector screen's, else ROOM_SIZE.
        self._room_size = ROOM_SIZE
        self._dock: ProjectorDock | None = None
        self._mode = CLOSED
        self._projector_screen: QScreen | None = None
        #: Where the chair's keyboard was when the projector opened, to go back to on closing.
        self._focus_before: QWidget | None = None
        #: Until when an activation of the full-screen projector was not asked for (see event()).
        self._activation_not_asked_until = 0.0
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenRemoved.connect(self._on_screen_removed)

    def _invalidate(self) -> None:
        """The picture is to be drawn again (ProjectorWindow lays the board out again too)."""
        self.update()

    def picture_rect(self) -> QRect:
        """Where the board is painted: the whole widget on a screen of its own, else (a preview,
        an ordinary window) the largest 16:9 area at the top of the widget."""
        rect = self.rect()
        if self._mode not in (PREVIEW, WINDOW) or self.isFullScreen():
            return rect
        width = min(rect.width(), round(rect.height() * ASPECT))
        height = min(rect.height(), round(width / ASPECT))
        return QRect((rect.width() - width) // 2, 0, max(1, width), max(1, height))

    def layout_size(self) -> tuple[int, int]:
        """The size the board is laid out for: the room's picture in a preview (drawn scaled
        down, so the chair sees the pages and masks the room sees), else the picture's own."""
        if self._mode == PREVIEW:
            return self._room_size
        area = self.picture_rect()
        return area.width(), area.height()

    # -- Qt events ------------------------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return self._mode == PREVIEW

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return round(width / ASPECT)

    def event(self, event: QEvent) -> bool:
        # A window manager that activates the new full-screen window anyway (openbox does,
        # WA_ShowWithoutActivating or not) would leave the chair typing into nothing.
        if (
            event.type() == QEvent.Type.WindowActivate
            and self._mode == ON_PROJECTOR
            and time.monotonic() < self._activation_not_asked_until
        ):
            QTimer.singleShot(0, self._give_focus_back)
        return super().event(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self.toggle_full_screen()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        super().closeEvent(event)
        if not event.isAccepted():
            return
        was = self._mode
        self._mode = CLOSED
        self._projector_screen = None
        if self._dock is not None and self._dock.isVisible():
            self._dock.hide()
        if was in (PREVIEW, FULL_HERE):
            self._give_focus_back()
        if was != CLOSED:
            self.closed.emit()

    def _give_focus_back(self) -> None:
        """Back to where the chair was typing (not the next button in the window)."""
        widget = self._focus_before
        if self._host is None or widget is None or not shiboken6.isValid(widget):
            return
        if widget.isVisible() and widget.window() is self._host:
            self._host.activateWindow()
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- where it is shown ----------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """CLOSED, WINDOW, PREVIEW, FULL_HERE or ON_PROJECTOR."""
        return self._mode if self.isVisible() else CLOSED

    @property
    def dock(self) -> ProjectorDock | None:
        """The preview's dock in the main window (None until first needed)."""
        return self._dock

    def open_on_best_screen(self, main_screen: QScreen | None = None) -> None:
        """Full screen on a screen other than the chair's when there is one. With one screen: the
        preview beside the board (full screen if the preview is already showing, so F5 twice
        shows the room the board), or an ordinary window when there is no main window.

        `main_screen` is the screen the main window is on (by default: the active window's).
        The chair's keyboard focus stays in the main window except for full screen here.
        """
        screens = QGuiApplication.screens()
        primary = QGuiApplication.primaryScreen()
        if main_screen is None:
            active = QApplication.activeWindow()
            main_screen = active.screen() if active is not None and active is not self else None
        focused = QApplication.focusWidget()
        if focused is not None and focused is not self:
            self._focus_before = focused
        target = rules.choose_projector_screen(screens, primary, main_screen)
        if target is not None:
            self._show_full_screen_on(target)
        elif self._host is not None:
            if self.mode == PREVIEW:
                self._show_full_here(main_screen)
            elif self.mode != FULL_HERE:
                self._show_preview()
        else:
            home = rules.choose_home_screen(screens, primary, main_screen)
            self._show_windowed_on(home)
            self.raise_()
            self.activateWindow()

    def toggle_full_screen(self) -> None:
        """F11: the preview (or window) full screen on the chair's screen, and back."""
        if self._mode == FULL_HERE:
            if self._host is not None:
                self._show_preview()
                self._give_focus_back()
            else:
                self._show_windowed_on(self.screen())
        elif self._mode in (PREVIEW, WINDOW):
            screen = self._host.screen() if self._host is not None else self.screen()
            self._show_full_here(screen)

    def _detach(self) -> None:
        """Out of the preview's dock: a window of its own again."""
        if self.parent() is not None:
            self.setParent(None, Qt.WindowType.Window)
        if self._dock is not None:
            self._dock.hide()

    def _show_preview(self) -> None:
        from csfacilitator.gui.board.projector_dock import ProjectorDock

        if self._host is None:  # only a main window holds a preview (callers check)
            return
        self._projector_screen = None
        dock = self._dock
        if dock is None:
            dock = self._dock = ProjectorDock(self._host)
            dock.close_requested.connect(self.close)
        if self.isWindow():
            if self.isFullScreen():
                self.showNormal()
            self.hide()
        self._mode = PREVIEW
        dock.hold(self)
        self.show()
        self._invalidate()

    def _show_full_here(self, screen: QScreen | None) -> None:
        self._detach()
        self._mode = FULL_HERE
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        self._invalidate()

    def _show_full_screen_on(self, screen: QScreen) -> None:
        if self._mode == ON_PROJECTOR and self.isVisible() and self.screen() is screen:
            self._projector_screen = screen
            self.raise_()
            return
        self._detach()
        self._mode = ON_PROJECTOR
        self._projector_screen = screen
        self._room_size = (screen.geometry().width(), screen.geometry().height())
        if self.isFullScreen():
            self.showNormal()
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self._activation_not_asked_until = time.monotonic() + 2.0  # see event()
        # The screen first, then the geometry, then full screen: otherwise some platforms
        # maximise the window on the screen it was created on.
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        handle = self.windowHandle()
        if handle is not None and handle.screen() is not screen:
            handle.setScreen(screen)
            self.setGeometry(screen.geometry())
        self._invalidate()

    def _show_windowed_on(self, screen: QScreen | None) -> None:
        self._detach()
        self._mode = WINDOW
        self._projector_screen = None
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        if self.isFullScreen() or self.isMaximized():
            self.showNormal()
        if screen is not None:
            self.setScreen(screen)
            handle = self.windowHandle()
            if handle is not None and handle.screen() is not screen:
                handle.setScreen(screen)
            self.setGeometry(rules.windowed_geometry(screen.availableGeometry()))
        self.show()
        self._invalidate()

    def _on_screen_removed(self, removed: QScreen) -> None:
        """The projector was unplugged: come back to the laptop, as the preview beside the board
        (or an ordinary window), and say so."""
        on_removed = self._projector_screen is removed or (
            self.isWindow() and self.isVisible() and self.screen() is removed
        )
        if not on_removed:
            return
        self._projector_screen = None
        if self._mode == CLOSED:
            return
        host_screen = self._host.screen() if self._host is not None else None
        if self._host is not None and host_screen is not removed:
            self._show_preview()
            self.status_message.emit(UNPLUGGED_TO_PREVIEW)
            return
        home = rules.choose_home_screen(
            QGuiApplication.screens(), QGuiApplication.primaryScreen(), None, removed
        )
        self._show_windowed_on(home or QGuiApplication.primaryScreen())
        self.status_message.emit(UNPLUGGED_TO_WINDOW)
        # Qt may still move windows after this signal; check again once it has settled.
        QTimer.singleShot(0, self._ensure_on_a_screen)

    def _ensure_on_a_screen(self) -> None:
        if not self.isVisible() or not self.isWindow() or self.isFullScreen():
            return
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        if not available.contains(self.geometry()):
            self.setGeometry(rules.fit_inside(self.geometry(), available))
