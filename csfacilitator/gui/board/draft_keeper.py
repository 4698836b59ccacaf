"""Keeps what is typed in the board's entry lines as drafts in the database.

Text is saved at most 300 ms after it is typed, however fast the typing goes (so a crash or a dead battery loses at most the
last moment of typing) and put back into the entry line when the meeting is shown again. A
committed point removes its draft in the same write as the point (`committing`), so one Enter
is one write; a line emptied by hand removes its draft at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer

from csfacilitator.core import drafts
from csfacilitator.errors import UserError

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 300


class DraftKeeper(QObject):
    def __init__(self, board) -> None:
        super().__init__(board)
        self.board = board
        self._pending: dict[tuple[int, str], str] = {}
        self._conference_id: int | None = None
        self._restoring = False
        self._committing: tuple[int, str] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        for column, pane in board.panes.items():
            pane.entry.textChanged.connect(lambda text, c=column: self._typed(c, text))

    def _typed(self, column: str, text: str) -> None:
        meeting_id = self.board.current_meeting_id()
        if self._restoring or meeting_id is None or self.board.conference_id is None:
            return
        if (meeting_id, column) == self._committing and not text:
            self._pending.pop((meeting_id, column), None)  # removed with the point itself
            return
        if self._conference_id not in (None, self.board.conference_id):
            self.save()
        self._conference_id = self.board.conference_id
        self._pending[(meeting_id, column)] = text
        if text:
            # At most 300 ms after the first unsaved key, not after the last: typing without
            # a pause (or in another line) must not put the save off for ever.
            if not self._timer.isActive():
                self._timer.start()
        else:
            self.save()  # a committed point: never leave its text behind as a draft

    @contextmanager
    def committing(self, column: str) -> Iterator[None]:
        """The entry line of `column` is being committed as a point: the point's own write
        removes the draft (BoardDocument.clearing_draft), so emptying the line writes nothing."""
        meeting_id = self.board.current_meeting_id()
        if meeting_id is None:
            yield
            return
        self._committing = (meeting_id, column)
        try:
            with self.board.document.clearing_draft(drafts.board_key(meeting_id, column)):
                yield
        finally:
            self._committing = None

    def save(self) -> None:
        self._timer.stop()
        if not self._pending or self._conference_id is None:
            return
        pending = {drafts.board_key(m, c): text for (m, c), text in self._pending.items()}
        self._pending.clear()
        try:
            drafts.save_drafts(self.board.db, self._conference_id, pending)
        except UserError as exc:
            log.warning("Could not keep a draft: %s", exc)

    def restore(self) -> None:
        """Put this meeting's drafts back into the entry lines that are empty."""
        meeting_id = self.board.current_meeting_id()
        conference_id = self.board.conference_id
        if meeting_id is None or conference_id is None:
            return
        self.save()
        try:
            stored = drafts.get_drafts(self.board.db, conference_id, f"board:{meeting_id}:")
        except UserError as exc:
            log.warning("Could not read drafts: %s", exc)
            return
        self._restoring = True
        try:
            for column, pane in self.board.panes.items():
                text = stored.get(drafts.board_key(meeting_id, column))
                if text and not pane.entry.text():
                    pane.entry.setText(text)
        finally:
            self._restoring = False
