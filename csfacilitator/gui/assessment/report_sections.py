"""The report's sections on the Assessment tab: `SectionEdit`, plain report text that grows with
what is written (Ctrl+Up and Ctrl+Down step between sections), and `SectionBlock`, one section's
heading and its text.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QKeyCombination,
    QMimeData,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QKeyEvent,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core.assessment import (
    tidy_pasted_text,
)

_PREVIOUS = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Up)
_NEXT = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Down)


def heading_label(text: str, parent: QWidget, scale: float = 1.2) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("sectionHeading")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


class SectionEdit(QPlainTextEdit):
    """Plain report text that grows with what is written (then scrolls), pastes Word text as tidy
    paragraphs and '• ' bullets, and passes Ctrl+Up / Ctrl+Down on to move between sections."""

    focused = Signal()
    step = Signal(int)

    def __init__(self, parent: QWidget | None = None, min_lines: int = 3, max_lines: int = 18):
        super().__init__(parent)
        self.min_lines, self.max_lines = min_lines, max_lines
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().contentsChanged.connect(self._fit)
        self._fit()

    def _lines_wanted(self) -> int:
        metrics = QFontMetrics(self.font())
        margin = self.document().documentMargin()
        width = max(40, int(self.viewport().width() - 2 * margin))
        flags = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextExpandTabs
        lines = 0
        block = self.document().firstBlock()
        while block.isValid() and lines <= self.max_lines:
            text = block.text()
            if len(text) > 20_000:  # certainly taller than the box: no need to measure
                return self.max_lines
            if text:
                rect = metrics.boundingRect(QRect(0, 0, width, 1_000_000), flags, text)
                lines += max(1, round(rect.height() / metrics.lineSpacing()))
            else:
                lines += 1
            block = block.next()
        return min(max(lines, self.min_lines), self.max_lines)

    def _fit(self) -> None:
        metrics = QFontMetrics(self.font())
        chrome = 2 * self.frameWidth() + 2 * self.document().documentMargin() + 4
        height = int(self._lines_wanted() * metrics.lineSpacing() + chrome)
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit()

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt API
        if source.hasText():
            text = source.text()
        elif source.hasHtml():
            text = QTextDocumentFragment.fromHtml(source.html()).toPlainText()
        else:
            return
        tidy = tidy_pasted_text(text)
        if tidy and text.endswith(("\n", "\r")):
            tidy += "\n"
        self.insertPlainText(tidy)

    def event(self, event: QEvent) -> bool:
        # Keep Ctrl+Up/Down for moving between sections, even if a window shortcut wants them.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.keyCombination() in (_PREVIOUS, _NEXT)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        combination = event.keyCombination()
        if combination in (_PREVIOUS, _NEXT):
            self.step.emit(-1 if combination == _PREVIOUS else 1)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        self.focused.emit()


class SectionBlock(QWidget):
    """One section of the report: its heading and its text."""

    def __init__(self, key: str, parent: QWidget):
        super().__init__(parent)
        self.key = key
        self.heading = heading_label("", self)
        self.edit = SectionEdit(self)
        self.heading.setBuddy(self.edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.edit)

    def set_heading(self, heading: str) -> None:
        self.heading.setText(heading.replace("&", "&&"))  # a buddy label reads '&' as a mnemonic
        self.edit.setAccessibleName(heading)
