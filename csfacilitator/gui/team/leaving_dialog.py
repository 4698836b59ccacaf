"""After a sync found conferences the team store no longer shares with this login (Team →
Copies no longer shared with you…): names them and asks whether to remove this laptop's
copies or keep them for now. Keeping is allowed: they no longer sync either way. Nothing is
removed unless "Remove copies" is pressed, and only the conferences left ticked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core.sync.leaving import NoLongerShared

REMOVE = "Remove copies"
KEEP = "Keep for now"


class LeavingDialog(QDialog):
    def __init__(
        self,
        conferences: list[NoLongerShared] | tuple[NoLongerShared, ...],
        parent: QWidget | None = None,
        *,
        login_ended: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("No longer shared with you")
        self.resize(640, 380)
        n = len(conferences)
        cause = (
            "The team store no longer lets your login in (you were taken out of the team), so "
            if login_ended
            else ""
        )
        what = f"{'these conferences are' if n != 1 else 'this conference is'} no longer"
        self.note = QLabel(
            f"{cause}{what if cause else what[0].upper() + what[1:]} "
            "shared with you on the team store. "
            f"{'They' if n != 1 else 'It'} no longer sync{'' if n != 1 else 's'} with the team. "
            "Remove the copies from this laptop (they are deleted for good, leaving no trace in "
            "the database file), or keep them here for now.",
            self,
        )
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Conferences no longer shared with you")
        for conference in conferences:
            item = QListWidgetItem(
                f"{conference.title} (no longer shared since {conference.since:%d/%m/%Y})"
            )
            item.setData(Qt.ItemDataRole.UserRole, conference.conference_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemChanged.connect(self._update)
        label = QLabel("&Conferences (untick any copy to keep):", self)
        label.setBuddy(self.list)
        self.buttons = QDialogButtonBox(self)
        self.remove_button = QPushButton(REMOVE, self)
        self.remove_button.setAccessibleName(REMOVE)
        self.keep_button = QPushButton(KEEP, self)
        self.keep_button.setAccessibleName(KEEP)
        self.buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_button.setDefault(True)  # Enter never removes anything
        self.keep_button.setAutoDefault(True)
        self.remove_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self._update()

    def chosen_ids(self) -> list[int]:
        """The conferences left ticked (those "Remove copies" removes)."""
        return [
            int(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _update(self, *_args: object) -> None:
        self.remove_button.setEnabled(bool(self.chosen_ids()))
