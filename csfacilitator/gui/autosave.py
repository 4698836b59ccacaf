"""Text fields that save themselves: shortly after the last keystroke, and at once when focus
leaves, the tab changes or the window closes (callers flush the group). Nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from csfacilitator.errors import UserError

SAVE_DELAY_MS = 600  # well inside the one-second promise
RETRY_MS = 5000  # a save that failed (full disk, database busy) is tried again this often
UNSAVED_STYLE = "border: 2px solid #b00020;"


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return widget.toPlainText()
    raise TypeError(f"cannot autosave a {type(widget).__name__}")


class FieldSaver(QObject):
    """Saves one text widget through `save(text)` when the user pauses or leaves it."""

    failed = Signal(str)
    saved = Signal()

    def __init__(self, widget: QWidget, save: Callable[[str], None], delay_ms: int = SAVE_DELAY_MS):
        super().__init__(widget)
        self.widget = widget
        self._save = save
        self._pending = False
        self._failure: str | None = None
        self._normal: tuple[str, str, str] = ("", "", "")
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self.flush)
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._edited)
            widget.returnPressed.connect(self.flush)
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            widget.textChanged.connect(self._edited_if_user)
        else:
            raise TypeError(f"cannot autosave a {type(widget).__name__}")
        widget.installEventFilter(self)

    @property
    def pending(self) -> bool:
        return self._pending

    def _edited(self, *_args) -> None:
        self._pending = True
        self._timer.start()

    def _edited_if_user(self) -> None:
        # Programmatic loads are wrapped in QSignalBlocker by callers; anything else is typing.
        self._edited()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.widget and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False

    def discard(self) -> None:
        """Forget a pending edit (used when the field is reloaded for another record)."""
        self._timer.stop()
        self._pending = False
        self._mark_failed(None)

    @property
    def failing(self) -> bool:
        """The last save failed: the widget keeps the text, marked, and it is retried."""
        return self._failure is not None

    def flush(self) -> None:
        """Save now. On failure the text stays in the field, still pending, marked as not
        saved (border, tooltip and accessible description, and the message for the status
        bar), and the save is retried every few seconds until it succeeds."""
        if not self._pending:
            return
        self._timer.stop()
        try:
            self._save(_text_of(self.widget))
        except UserError as exc:
            self._mark_failed(str(exc))
            self._timer.start(RETRY_MS)
            self.failed.emit(str(exc))
        else:
            self._pending = False
            self._mark_failed(None)
            self.saved.emit()

    def _mark_failed(self, reason: str | None) -> None:
        if reason == self._failure:
            return
        if self._failure is None:
            self._normal = (
                self.widget.styleSheet(),
                self.widget.toolTip(),
                self.widget.accessibleDescription(),
            )
        self._failure = reason
        if reason is None:
            style, tip, description = self._normal
        else:
            note = f"Not saved yet: {reason} It will be tried again; the text stays here."
            style, tip, description = UNSAVED_STYLE, note, note
        self.widget.setStyleSheet(style)
        self.widget.setToolTip(tip)
        self.widget.setAccessibleDescription(description)


class AutosaveGroup(QObject):
    """All the savers of one screen, flushed together before anything else happens."""

    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._savers: list[FieldSaver] = []

    def watch(
        self, widget: QWidget, save: Callable[[str], None], delay_ms: int = SAVE_DELAY_MS
    ) -> FieldSaver:
        saver = FieldSaver(widget, save, delay_ms)
        saver.failed.connect(self.failed)
        saver.destroyed.connect(lambda *_: self._forget(saver))
        self._savers.append(saver)
        return saver

    def _forget(self, saver: FieldSaver) -> None:
        if saver in self._savers:
            self._savers.remove(saver)

    def flush(self) -> None:
        for saver in list(self._savers):
            saver.flush()

    def discard(self) -> None:
        for saver in self._savers:
            saver.discard()

    @property
    def pending(self) -> bool:
        return any(s.pending for s in self._savers)

    @property
    def failing(self) -> bool:
        """Some field holds text that could not be saved."""
        return any(s.failing for s in self._savers)

    def holds_unsaved(self, widget: QWidget) -> bool:
        """The widget's text is newer than what is stored: a reload must not replace it."""
        return any(s.pending for s in self._savers if s.widget is widget)
