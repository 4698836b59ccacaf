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
        self.show()
        if not self._sized and not self.isFloating():
            self._sized = True
            width = max(MIN_WIDTH, round(self._host.width() * WIDTH_SHARE))
            self._host.resizeDocks([self], [width], Qt.Orientation.Horizontal)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        super().closeEvent(event)
        if event.isAccepted():
            self.close_requested.emit()
