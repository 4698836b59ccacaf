"""The projector: the live board as the room sees it, full-screen on the second screen.

It shows the conference title, the current agenda item and the four columns with their points,
and nothing else (ProjectionData carries nothing else). The type is fitted to the screen: as
points are added it shrinks down to a minimum readable from the back of a hall, and past that
each column is cut into pages. The page shown follows the point being typed, so the chair's
newest words are always on screen; Page Up/Down lets the room look back, until the next edit in
that column brings its newest point back into view.

Keys: B blanks (B again restores), Esc closes, H high contrast, Ctrl+plus/minus/0 size,
Page Up/Down pages.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence, QPainter, QScreen
from PySide6.QtWidgets import QApplication, QWidget

from csfacilitator.core.board import PointRecord, ProjectionData
from csfacilitator.gui.board import projector_layout as rules
from csfacilitator.gui.board.projector_render import (
    HIGH_CONTRAST_THEME,
    NORMAL_THEME,
    BoardLayout,
    ColumnCache,
    TextMeasure,
    build_layout,
    paint_board,
)

WINDOW_TITLE = "CS Facilitator – Projector"
ACCESSIBLE_DESCRIPTION = (
    "Shows the room the conference title, the current agenda item and the four board columns. "
    "B blanks the screen, Escape closes it, H switches high contrast, Control plus and minus "
    "change the text size, Page Up and Page Down turn the pages of long columns."
)
EMPTY_PROJECTION = ProjectionData("", "", "", {})
SCALE_STEP = 1.1
MIN_SCALE, MAX_SCALE = 0.5, 2.5


def _point_texts(points: tuple[PointRecord, ...], into: dict[int, str]) -> dict[int, str]:
    for point in points:
        into[point.id] = point.text
        _point_texts(point.children, into)
    return into


class ProjectorWindow(QWidget):
    """A top-level window that paints the board; create it once and open/close it at will."""

    #: Emitted when the window closes (Esc, the window's close button, or close()).
    closed = Signal()
    #: Emitted with the new state when the picture is blanked or restored.
    blank_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(WINDOW_TITLE)
        self.setAccessibleName("Projector")
        self.setAccessibleDescription(ACCESSIBLE_DESCRIPTION)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(320, 180)
        self._data: ProjectionData = EMPTY_PROJECTION
        self._texts: dict[int, str] = {}
        self._measure = TextMeasure()
        self._pictures = ColumnCache()
        self._layout: BoardLayout | None = None
        self._anchors: dict[str, int | None] = {}
        self._pages: dict[str, int] = {}
        self._user_blank = False
        self._locked = False
        self._high_contrast = False
        self._scale = 1.0
        self._projector_screen: QScreen | None = None
        app = QGuiApplication.instance()
        if app is not None:
            app.screenRemoved.connect(self._on_screen_removed)

    # -- content --------------------------------------------------------------------------------

    @property
    def projection(self) -> ProjectionData:
        return self._data

    def set_projection(self, data: ProjectionData) -> None:
        """Show this board; cheap enough to call on every keystroke."""
        texts: dict[int, str] = {}
        for key, points in data.columns.items():
            before = len(texts)
            _point_texts(points, texts)
            changed = [
                point_id
                for point_id in list(texts)[before:]
                if self._texts.get(point_id) != texts[point_id]
            ]
            if changed:
                # The point just typed; on a first showing, the newest point of the column.
                self._anchors[key] = max(changed)
        self._data = data
        self._texts = texts
        self._invalidate()

    # -- blanking -------------------------------------------------------------------------------

    @property
    def is_blank(self) -> bool:
        """True while nothing of the board is painted (B, set_blank, or the app's lock)."""
        return self._user_blank or self._locked

    def set_blank(self, blank: bool) -> None:
        was = self.is_blank
        self._user_blank = bool(blank)
        self._blank_state_changed(was)

    def toggle_blank(self) -> None:
        self.set_blank(not self._user_blank)

    @property
    def is_locked(self) -> bool:
        return self._locked

    def set_locked(self, locked: bool) -> None:
        """Blank the projector in a way the B key cannot undo (for the app's lock)."""
        was = self.is_blank
        self._locked = bool(locked)
        self._blank_state_changed(was)

    def _blank_state_changed(self, was: bool) -> None:
        if was != self.is_blank:
            self.blank_changed.emit(self.is_blank)
        self.update()

    # -- look -----------------------------------------------------------------------------------

    @property
    def is_high_contrast(self) -> bool:
        return self._high_contrast

    def set_high_contrast(self, on: bool) -> None:
        self._high_contrast = bool(on)
        self.update()

    def toggle_high_contrast(self) -> None:
        self.set_high_contrast(not self._high_contrast)

    @property
    def user_scale(self) -> float:
        """The chair's size nudge on top of the fitted size (1.0 = as fitted)."""
        return self._scale

    def set_user_scale(self, scale: float) -> None:
        self._scale = min(MAX_SCALE, max(MIN_SCALE, round(scale, 3)))
        self._invalidate()

    def zoom_in(self) -> None:
        self.set_user_scale(self._scale * SCALE_STEP)

    def zoom_out(self) -> None:
        self.set_user_scale(self._scale / SCALE_STEP)

    def zoom_reset(self) -> None:
        self.set_user_scale(1.0)

    # -- pages ----------------------------------------------------------------------------------

    @property
    def point_px(self) -> int:
        """The pixel size the points are drawn at for the current window size."""
        return self._current_layout().point_px

    def page_count(self, column: str) -> int:
        return self._column(column).page_count

    def current_page(self, column: str) -> int:
        """The page shown in a column, counting from 0."""
        return self._column(column).page

    def page_down(self) -> None:
        self._turn_pages(+1)

    def page_up(self) -> None:
        self._turn_pages(-1)

    def _turn_pages(self, step: int) -> None:
        for column in self._current_layout().columns:
            if column.page_count > 1:
                page = min(max(column.page + step, 0), column.page_count - 1)
                self._pages[column.key] = page
                first = column.starts[page]
                self._anchors[column.key] = (
                    column.entries[first].point_id if first < len(column.entries) else None
                )
        self._invalidate()

    def _column(self, key: str):
        return next(c for c in self._current_layout().columns if c.key == key)

    def _current_layout(self) -> BoardLayout:
        size = self.size()
        layout = self._layout
        if layout is None or (layout.width, layout.height) != (size.width(), size.height()):
            layout = build_layout(
                self._data,
                size.width(),
                size.height(),
                self._scale,
                self._measure,
                self._anchors,
                self._pages,
            )
            self._pages = {column.key: column.page for column in layout.columns}
            self._layout = layout
        return layout

    def _invalidate(self) -> None:
        self._layout = None
        self.update()

    # -- Qt events ------------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        try:
            if self.is_blank:
                painter.fillRect(self.rect(), Qt.GlobalColor.black)
                return
            theme = HIGH_CONTRAST_THEME if self._high_contrast else NORMAL_THEME
            paint_board(
                painter, self._current_layout(), self._data, theme, self._measure, self._pictures
            )
        finally:
            painter.end()

    def resizeEvent(self, event) -> None:
        self._layout = None
        super().resizeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ctrl = modifiers == Qt.KeyboardModifier.ControlModifier
        plain = modifiers == Qt.KeyboardModifier.NoModifier
        if event.matches(QKeySequence.StandardKey.ZoomIn) or (
            ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal)
        ):
            self.zoom_in()
        elif event.matches(QKeySequence.StandardKey.ZoomOut) or (
            ctrl and key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore)
        ):
            self.zoom_out()
        elif ctrl and key == Qt.Key.Key_0:
            self.zoom_reset()
        elif plain and key == Qt.Key.Key_Escape:
            self.close()
        elif plain and key == Qt.Key.Key_B:
            self.toggle_blank()
        elif plain and key == Qt.Key.Key_H:
            self.toggle_high_contrast()
        elif plain and key == Qt.Key.Key_PageDown:
            self.page_down()
        elif plain and key == Qt.Key.Key_PageUp:
            self.page_up()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            self._projector_screen = None
            self.closed.emit()

    # -- screens --------------------------------------------------------------------------------

    def open_on_best_screen(self, main_screen: QScreen | None = None) -> None:
        """Full-screen on a screen other than the chair's when there is one; otherwise an ordinary
        window on the chair's screen that can be moved and resized.

        `main_screen` is the screen the main window is on (by default: the active window's).
        With a second screen the projector does not take the keyboard focus, so the chair goes
        on typing in the main window.
        """
        screens = QGuiApplication.screens()
        primary = QGuiApplication.primaryScreen()
        if main_screen is None:
            active = QApplication.activeWindow()
            main_screen = active.screen() if active is not None and active is not self else None
        target = rules.choose_projector_screen(screens, primary, main_screen)
        if target is not None:
            self._show_full_screen_on(target)
        else:
            home = rules.choose_home_screen(screens, primary, main_screen)
            self._show_windowed_on(home)
            self.raise_()
            self.activateWindow()

    def _show_full_screen_on(self, screen: QScreen) -> None:
        if self.isVisible() and self.isFullScreen() and self.screen() is screen:
            self._projector_screen = screen
            self.raise_()
            return
        self._projector_screen = screen
        if self.isFullScreen():
            self.showNormal()
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        # The screen first, then the geometry, then full screen: otherwise some platforms
        # maximise the window on the screen it was created on.
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        handle = self.windowHandle()
        if handle is not None and handle.screen() is not screen:
            handle.setScreen(screen)
            self.setGeometry(screen.geometry())

    def _show_windowed_on(self, screen: QScreen | None) -> None:
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

    def _on_screen_removed(self, removed: QScreen) -> None:
        """The projector was unplugged: come back to the laptop as an ordinary window."""
        on_removed = self._projector_screen is removed or (
            self.isVisible() and self.screen() is removed
        )
        if not on_removed:
            return
        self._projector_screen = None
        if not self.isVisible():
            return
        home = rules.choose_home_screen(
            QGuiApplication.screens(), QGuiApplication.primaryScreen(), None, removed
        )
        self._show_windowed_on(home or QGuiApplication.primaryScreen())
        # Qt may still move windows after this signal; check again once it has settled.
        QTimer.singleShot(0, self._ensure_on_a_screen)

    def _ensure_on_a_screen(self) -> None:
        if not self.isVisible() or self.isFullScreen():
            return
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        if not available.contains(self.geometry()):
            self.setGeometry(rules.fit_inside(self.geometry(), available))
