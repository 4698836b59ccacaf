"""An action's history across review meetings: what each one recorded (status and note)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from csfacilitator.core import vocab
from csfacilitator.core.reviews import HistoryEntry
from csfacilitator.gui.plan.plan_model import status_icon

NO_HISTORY = "No review has recorded progress on this action yet."


def status_label(status: str) -> str:
    return vocab.label(vocab.ACTION_STATUSES, status)


def entry_line(entry: HistoryEntry) -> str:
    """'Review 1 · 4 Feb 2027 — In progress: the note' on one line."""
    note = " ".join(entry.note.split())
    text = f"{entry.label} — {status_label(entry.status)}"
    return f"{text}: {note}" if note else f"{text} (no note)"


def history_tooltip(entries: Sequence[HistoryEntry]) -> str:
    return "\n".join(entry_line(e) for e in entries) if entries else NO_HISTORY


class HistoryView(QTreeWidget):
    """Read-only list of one action's updates, oldest first (a handful per action)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("History at reviews")
        self.setColumnCount(3)
        self.setHeaderLabels(["Meeting", "Status", "Progress recorded"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.placeholder = NO_HISTORY
        self.set_entries(())

    def set_entries(self, entries: Sequence[HistoryEntry], placeholder: str = NO_HISTORY) -> None:
        self.placeholder = placeholder
        self.clear()
        for entry in entries:
            item = QTreeWidgetItem([entry.label, status_label(entry.status), entry.note])
            item.setIcon(1, status_icon(entry.status))
            item.setToolTip(2, entry.note)
            self.addTopLevelItem(item)
        self.setAccessibleDescription(
            "; ".join(entry_line(e) for e in entries) if entries else placeholder
        )
        self.viewport().update()

    def entries_text(self) -> list[str]:
        """What the list shows, one line per entry (for tests and screen readers)."""
        return [
            " | ".join(item.text(c) for c in range(3))
            for i in range(self.topLevelItemCount())
            if (item := self.topLevelItem(i)) is not None
        ]

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if self.topLevelItemCount() == 0 and self.placeholder:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            area = self.viewport().rect().adjusted(8, 8, -8, -8)
            painter.drawText(
                area, Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, self.placeholder
            )
            painter.end()
