"""The projector's preview beside the board, for a laptop with one screen.

A dock on the right of the main window, so the picture never covers the points being typed. It can
be floated (its title bar's button, or a double-click on the title) to become a window of its own,
and the picture goes full screen with F5 or F11.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QVBoxLayout, QWidget

TITLE = "Projector preview"
NOTE = (
    "What the room sees. F5 again: full screen (Esc or Shift+F5 closes it). "
    "Click the picture for its keys: B blanks, Ctrl++ and Ctrl+- change the size, "
    "Page Up and Page Down turn pages."
)
#: Share of the main window's width the preview takes when it first opens.
WIDTH_SHARE = 0.24
MIN_WIDTH = 240
#: Narrower than this beside the board, the preview floats as a window of its own instead.
MIN_DOCKED = 200


class ProjectorDock(QDockWidget):
    #: The dock's own close button was used: the projector closes (and says so).
    close_requested = Signal()

    def __init__(self, host: QMainWindow):
        super().__init__(TITLE, host)
        self._host = host
        self.setObjectName("projectorPreview")
        self.setAccessibleName(TITLE)
        self.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.holder = QWidget(self)
        self._layout = QVBoxLayout(self.holder)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self.note = QLabel(NOTE, self.holder)
        self.note.setWordWrap(True)
        self.note.setObjectName("panelNote")
        self._layout.addWidget(self.note)
        self._layout.addStretch(1)
        self.setWidget(self.holder)
        host.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        self.hide()
        self._sized = False

    def hold(self, picture: QWidget) -> None:
        """Show `picture` (the projector) at the top of the preview."""
        if picture.parent() is not self.holder:
            self._layout.insertWidget(0, picture)
        if not self._sized:
            self._sized = True
            room = self._room_beside_board()
            if room < MIN_DOCKED:
                self._float_in_corner()
                self.show()
                return
            self.show()
            width = min(room, max(MIN_WIDTH, round(self._host.width() * WIDTH_SHARE)))
            self._host.resizeDocks([self], [width], Qt.Orientation.Horizontal)
            return
        self.show()

    def _room_beside_board(self) -> int:
        """How wide the preview can be without making the main window wider than it is, or than
        its screen."""
        screen = self._host.screen()
        central = self._host.centralWidget()
        if screen is None or central is None:
            return MIN_WIDTH
        frame = self._host.frameGeometry().width() - self._host.width()
        smallest = max(central.minimumSizeHint().width(), central.minimumWidth())
        needed = smallest + frame + 16
        return max(screen.availableGeometry().width(), self._host.width()) - needed

    def _float_in_corner(self) -> None:
        """No room beside the board: a window of its own in the screen's bottom-right corner."""
        self.setFloating(True)
        available = self._host.screen().availableGeometry()
        width = max(MIN_WIDTH, round(available.width() * WIDTH_SHARE))
        height = round(width * 9 / 16) + self.note.sizeHint().height() + 40
        self.setGeometry(
            available.right() - width - 8, available.bottom() - height - 8, width, height
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        super().closeEvent(event)
        if event.isAccepted():
            self.close_requested.emit()
