"""The Overview's line saying, in words, where this conference lives: "Shared with the team"
or "Only on this laptop" (shown once this laptop has joined a team store)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from csfacilitator.core import sync
from csfacilitator.errors import UserError
from csfacilitator.storage import team_store

SHARED = "Shared with the team"
LOCAL = "Only on this laptop"
LEFT = "No longer shared with you"


class SharingLine(QLabel):
    def __init__(self, db, parent: QWidget | None = None) -> None:  # noqa: ANN001 - Database
        super().__init__(parent)
        self.db = db
        self.conference_id: int | None = None
        self.setObjectName("sharingLine")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()

    def set_conference(self, conference_id: int | None) -> None:
        self.conference_id = conference_id
        self.refresh()

    def refresh(self) -> None:
        try:
            joined = team_store.stored_team_url(self.db) is not None
            shared = (  # asked once joined: not joined, the line is hidden whatever it says
                joined
                and self.conference_id is not None
                and sync.is_shared(self.db, self.conference_id)
            )
        except UserError:
            joined = False
        if not joined or self.conference_id is None:
            self.hide()
            return
        left = None if shared else _left(self.db, self.conference_id)
        if shared:
            text = f"{SHARED}: it syncs with the team store (Team → Sync now, F9)."
        elif left is not None:
            text = (
                f"{LEFT} on the team store (since {left.since:%d/%m/%Y}): it no longer syncs. "
                "Team → Copies no longer shared with you… removes this copy."
            )
        else:
            text = f"{LOCAL}: share it with Team → Share this conference with the team…"
        self.setText(text)
        self.setAccessibleName(text)
        self.show()


def _left(db, conference_id: int):  # noqa: ANN001, ANN202 - a NoLongerShared or None
    from csfacilitator.core.sync import leaving

    return next((c for c in leaving.no_longer_shared(db) if c.conference_id == conference_id), None)
