"""A panel that folds to a one-line bar, and the drawer that holds folds under the board.

Folded, a panel shows only its header: an arrow, its title and a short summary in words
("nothing to check", "2 recorded"), so the board keeps the height. Space (or a click) on the
header unfolds it; whether it is open is remembered between runs.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

OPEN_BODY_HEIGHT = 170  # what an unfolded panel asks of the board when it opens


class Fold(QWidget):
    """A titled panel whose body folds away; `body` takes the panel's contents."""

    expanded_changed = Signal(bool)

    def __init__(
        self, title: str, setting: str, parent: QWidget | None = None, *, default: bool = False
    ):
        super().__init__(parent)
        self._title = title
        self._summary = ""
        self._setting = setting
        self.header = QToolButton(self)
        self.header.setCheckable(True)
        self.header.setAutoRaise(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # Ignored: a long header gives up width (its tooltip has it all) rather than hold the
        # board, and with it the window, wider than a laptop's screen.
        self.header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.header.setMinimumWidth(120)
        self.header.setMinimumHeight(26)
        self.header.setStyleSheet("QToolButton { font-weight: 600; text-align: left; }")
        self.body = QWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self.body, 1)
        # Read, and written only when not stored yet (the default is kept from the first run):
        # writing it back at every start made each fold save the settings file as it was built.
        settings = QSettings()
        expanded = bool(settings.value(setting, default, type=bool))  # a bool already
        if not settings.contains(setting):
            settings.setValue(setting, expanded)
        self.header.setChecked(expanded)
        self._show_state(expanded)
        self.header.toggled.connect(self._toggled)

    def title(self) -> str:
        return self._title

    def setTitle(self, title: str) -> None:  # noqa: N802 - as QGroupBox
        self._title = title
        self._show_header()

    def set_summary(self, summary: str) -> None:
        self._summary = summary
        self._show_header()

    def is_expanded(self) -> bool:
        return self.header.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self.header.setChecked(expanded)

    def _toggled(self, expanded: bool) -> None:
        self._show_state(expanded)
        QSettings().setValue(self._setting, expanded)
        self.expanded_changed.emit(expanded)

    def _show_state(self, expanded: bool) -> None:
        self.body.setVisible(expanded)
        self.header.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.setSizePolicy(
            QSizePolicy.Policy.Preferred,
            QSizePolicy.Policy.Expanding if expanded else QSizePolicy.Policy.Fixed,
        )
        self._show_header()

    def _show_header(self) -> None:
        text = f"{self._title} — {self._summary}" if self._summary else self._title
        self.header.setText(text)
        self.header.setAccessibleName(text)  # what is seen is what a screen reader says
        action = "hide" if self.is_expanded() else "show"
        self.header.setToolTip(f"{text}\nSpace or click to {action} this panel.")


class Drawer(QWidget):
    """Folds side by side under the board: one line while all are folded, room when one opens.

    It sits in a vertical QSplitter; folded, its maximum height is its header line, so the
    splitter gives the board everything else.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.folds: list[Fold] = []
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)

    def hold(self, folds: list[Fold]) -> None:
        """Take the folds, left to right. Build them with the drawer as their parent: a
        widget Qt has styled (as it is measured) that moves to another parent is styled again,
        with everything in it."""
        self.folds = folds
        for fold in folds:
            self._row.addWidget(fold, 1, Qt.AlignmentFlag.AlignTop)
            fold.expanded_changed.connect(self._fit)
        self._fit()

    def any_open(self) -> bool:
        return any(fold.is_expanded() for fold in self.folds)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        super().showEvent(event)
        self._fit()  # the splitter's sizes were set after this was built

    def _fit(self, _expanded: bool = False) -> None:
        is_open = self.any_open()
        for fold in self.folds:  # an open fold fills the height; a folded one keeps to the top
            self._row.setAlignment(
                fold, Qt.AlignmentFlag(0) if is_open else Qt.AlignmentFlag.AlignTop
            )
        line = max(fold.header.sizeHint().height() for fold in self.folds) + 2
        self.setMaximumHeight(16777215 if is_open else line)
        splitter = self.parentWidget()
        if not isinstance(splitter, QSplitter) or splitter.count() != 2:
            return
        index = splitter.indexOf(self)
        total = sum(splitter.sizes())
        mine = splitter.sizes()[index]
        want = max(mine, OPEN_BODY_HEIGHT) if is_open else line
        if want != mine and total > want:
            sizes = [total - want, want]
            splitter.setSizes(sizes if index == 1 else sizes[::-1])
