"""The main window's size, position, maximised state and splitters, per screen set-up.

Kept in a small INI file beside the database (``window.ini``), read before the database is
open so the window can paint at once in the right place. The saved state is keyed by the
screens' geometries: a laptop alone and the same laptop with a projector each keep their own.
A saved place on a screen that is gone falls back to the primary screen; whatever is restored
is fitted inside the screen's *available* geometry (without task bars and docks), so the status
bar is never below the edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

FILE_NAME = "window.ini"
#: The size the window asks for when nothing is saved (a common laptop's client area).
PREFERRED = QSize(1366, 768)
#: Room kept for the window manager's title bar and borders before the window is shown (they
#: are measured and corrected once it is).
FRAME_ALLOWANCE = QSize(8, 40)


def setup_key(screens: Sequence[QRect]) -> str:
    """One key per screen set-up: every screen's geometry, in a stable order."""
    parts = sorted(f"{r.x()},{r.y()},{r.width()}x{r.height()}" for r in screens)
    return ";".join(parts) or "none"


def fit_rect(wanted: QRect, available: QRect, frame: QSize = FRAME_ALLOWANCE) -> QRect:
    """`wanted` (a client rectangle) shrunk and moved so that it and its frame lie inside
    `available`."""
    side = frame.width() // 2  # left, right and bottom borders
    top = frame.height() - side  # title bar and top border
    width = max(1, min(wanted.width(), available.width() - 2 * side))
    height = max(1, min(wanted.height(), available.height() - top - side))
    x = min(max(wanted.x(), available.x() + side), available.right() - side - width + 1)
    y = min(max(wanted.y(), available.y() + top), available.bottom() - side - height + 1)
    return QRect(x, y, width, height)


def centred(size: QSize, available: QRect, frame: QSize = FRAME_ALLOWANCE) -> QRect:
    """A rectangle of `size` (fitted) in the middle of `available`."""
    rect = fit_rect(QRect(0, 0, size.width(), size.height()), available, frame)
    rect.moveCenter(available.center())
    return fit_rect(rect, available, frame)


def screen_for(rect: QRect, screens: Sequence[QRect]) -> int | None:
    """The index of the screen holding most of `rect`, or None when it is on none of them."""
    best, best_area = None, 0
    for index, screen in enumerate(screens):
        overlap = screen.intersected(rect)
        area = overlap.width() * overlap.height() if not overlap.isEmpty() else 0
        if area > best_area:
            best, best_area = index, area
    return best


def place(
    saved: QRect | None,
    screens: Sequence[QRect],
    available: Sequence[QRect],
    primary: int = 0,
) -> QRect:
    """Where the window goes: the saved rectangle fitted to the screen it was on, or, if that
    screen is gone (or nothing was saved), the preferred size centred on the primary screen."""
    if not available:
        return QRect(0, 0, PREFERRED.width(), PREFERRED.height())
    if saved is not None and saved.isValid():
        index = screen_for(saved, screens)
        if index is not None:
            return fit_rect(saved, available[index])
    return centred(PREFERRED, available[min(primary, len(available) - 1)])


def _screens() -> tuple[list[QRect], list[QRect], int]:
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    index = screens.index(primary) if primary in screens else 0
    return [s.geometry() for s in screens], [s.availableGeometry() for s in screens], index


def _splitters(widget: QWidget) -> list[QSplitter]:
    return widget.findChildren(QSplitter)


class WindowState:
    """Reads and writes the window's state for the current screen set-up."""

    def __init__(self, folder: Path):
        self.settings = QSettings(str(Path(folder) / FILE_NAME), QSettings.Format.IniFormat)

    def _prefix(self) -> str:
        screens, _available, _primary = _screens()
        return f"setup {setup_key(screens)}"

    def restore(self, window: QMainWindow) -> bool:
        """Size and place `window` (not shown yet). True when it should open maximised."""
        prefix = self._prefix()
        saved = self.settings.value(f"{prefix}/normal")
        rect = None
        if isinstance(saved, str) and saved.count(",") == 3:
            try:
                x, y, w, h = (int(part) for part in saved.split(","))
                rect = QRect(x, y, w, h)
            except ValueError:
                rect = None
        screens, available, primary = _screens()
        window.setGeometry(place(rect, screens, available, primary))
        return str(self.settings.value(f"{prefix}/maximised", "false")).lower() == "true"

    def fit_after_show(self, window: QMainWindow) -> None:
        """Once the window manager has added its frame: shrink or move so all of it is inside
        the available geometry of the screen it is on (unless maximised or full screen)."""
        if window.isMaximized() or window.isFullScreen():
            return
        screen = window.screen()
        if screen is None:
            return
        available = screen.availableGeometry()
        frame = window.frameGeometry()
        inner = window.geometry()
        if available.contains(frame):
            return
        extra = QSize(frame.width() - inner.width(), frame.height() - inner.height())
        window.setGeometry(fit_rect(inner, available, extra))

    def save(self, window: QMainWindow) -> None:
        prefix = self._prefix()
        rect = window.normalGeometry() if window.isMaximized() else window.geometry()
        if rect.isValid():
            self.settings.setValue(
                f"{prefix}/normal", f"{rect.x()},{rect.y()},{rect.width()},{rect.height()}"
            )
        self.settings.setValue(f"{prefix}/maximised", "true" if window.isMaximized() else "false")
        self.settings.sync()

    def save_splitters(self, name: str, widget: QWidget) -> None:
        prefix = self._prefix()
        for index, splitter in enumerate(_splitters(widget)):
            self.settings.setValue(f"{prefix}/splitter {name} {index}", splitter.saveState())

    def restore_splitters(self, name: str, widget: QWidget) -> None:
        prefix = self._prefix()
        for index, splitter in enumerate(_splitters(widget)):
            state = self.settings.value(f"{prefix}/splitter {name} {index}")
            if state is not None:
                splitter.restoreState(state)
