"""The meeting's agenda as a row of buttons: the chair marks the item under discussion, and the
time spent on it and on the whole meeting is shown. A one-second timer updates two labels only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from csfacilitator.core.dates import format_date
from csfacilitator.core.model import utcnow
from csfacilitator.core.records import MeetingRecord

STALE_AFTER = dt.timedelta(hours=12)


def format_elapsed(seconds: float) -> str:
    """'04:12', or '1:02:03' past an hour."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class _ItemButton(QToolButton):
    """An agenda item: its number and title, shortened to fit with '…' (the tooltip has all)."""

    def __init__(self, label: str, parent: QWidget):
        super().__init__(parent)
        self.full_text = label
        self.setCheckable(True)
        self.setAccessibleName(label)
        self.setToolTip(f"{label}\nMark this as the item under discussion")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(60)
        self.setText(label)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        metrics = self.fontMetrics()
        self.setText(
            metrics.elidedText(self.full_text, Qt.TextElideMode.ElideRight, self.width() - 28)
        )


class AgendaStrip(QWidget):
    #: The chair marked an agenda item (its id) as the one under discussion.
    current_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("agendaStrip")
        #: Where "now" comes from (UTC, like the stored times); tests replace it.
        self.now: Callable[[], dt.datetime] = utcnow
        self.meeting: MeetingRecord | None = None
        self.buttons: dict[int, _ItemButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.caption = QLabel("Agenda:", self)
        self.caption.setObjectName("agendaCaption")
        self.item_row = QHBoxLayout()
        self.item_row.setSpacing(4)
        self.item_elapsed = QLabel(self)
        self.item_elapsed.setObjectName("elapsed")
        self.item_elapsed.setAccessibleName("Time on this item")
        self.meeting_elapsed = QLabel(self)
        self.meeting_elapsed.setObjectName("elapsed")
        self.meeting_elapsed.setAccessibleName("Meeting time")
        for label in (self.item_elapsed, self.meeting_elapsed):
            label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.caption)
        layout.addLayout(self.item_row, 1)
        layout.addWidget(self.item_elapsed)
        layout.addWidget(self.meeting_elapsed)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.group.idClicked.connect(self._clicked)

    def set_meeting(self, meeting: MeetingRecord | None) -> None:
        """Show a meeting's agenda (or none), keeping the buttons if the items are the same."""
        items = meeting.agenda if meeting is not None else ()
        same = self.meeting is not None and [(a.id, a.title) for a in self.meeting.agenda] == [
            (a.id, a.title) for a in items
        ]
        self.meeting = meeting
        if not same:
            self._rebuild()
        current = meeting.current_item_id if meeting is not None else None
        for item_id, button in self.buttons.items():
            button.setChecked(item_id == current)
        self._fit_current()
        if meeting is not None and meeting.started_at is not None:
            self.timer.start()
        else:
            self.timer.stop()
        self.tick()

    def _rebuild(self) -> None:
        for button in self.buttons.values():
            self.group.removeButton(button)
            button.deleteLater()
        self.buttons.clear()
        items = self.meeting.agenda if self.meeting is not None else ()
        for number, item in enumerate(items, start=1):
            button = _ItemButton(f"{number}. {item.title}", self)
            self.group.addButton(button, item.id)
            self.item_row.addWidget(button, 1)
            self.buttons[item.id] = button
        self.caption.setVisible(bool(items))

    def _fit_current(self) -> None:
        """The item under discussion shows its whole title (up to 60% of the row); the others
        share what is left, shortened with '…' (their tooltips have the whole title)."""
        row = max(
            0,
            self.width()
            - self.caption.width()
            - self.item_elapsed.width()
            - self.meeting_elapsed.width()
            - 40,
        )
        for button in self.buttons.values():
            if button.isChecked():
                whole = button.fontMetrics().horizontalAdvance(button.full_text) + 32
                button.setMinimumWidth(max(60, min(whole, int(row * 0.6))))
            else:
                button.setMinimumWidth(60)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        super().resizeEvent(event)
        self._fit_current()

    def _clicked(self, item_id: int) -> None:
        if self.meeting is not None and item_id != self.meeting.current_item_id:
            self.current_requested.emit(item_id)

    def current_title(self) -> str:
        if self.meeting is None:
            return ""
        for item in self.meeting.agenda:
            if item.id == self.meeting.current_item_id:
                return item.title
        return ""

    def tick(self) -> None:
        meeting = self.meeting
        if meeting is None or meeting.started_at is None:
            self.item_elapsed.setText("")
            self.meeting_elapsed.setText(
                "Click the item under discussion to start the clock"
                if meeting and meeting.agenda
                else ""
            )
            return
        now = self.now()
        if now - meeting.started_at > STALE_AFTER:
            # Reopened another day: a running clock would mean nothing.
            self.timer.stop()
            self.item_elapsed.setText("")
            self.meeting_elapsed.setText(f"Meeting began {format_date(meeting.started_at.date())}")
            return
        current = next((a for a in meeting.agenda if a.id == meeting.current_item_id), None)
        if current is not None and current.started_at is not None:
            self.item_elapsed.setText(
                f"This item {format_elapsed((now - current.started_at).total_seconds())}"
            )
        else:
            self.item_elapsed.setText("")
        self.meeting_elapsed.setText(
            f"Meeting {format_elapsed((now - meeting.started_at).total_seconds())}"
        )
