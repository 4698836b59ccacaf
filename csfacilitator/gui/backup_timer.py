"""Automatic backups while the app runs: every few minutes (a preference) if something changed,
and once more on close if something changed since the last one.

"Changed" is read from the database file and its WAL (size and time), so every write counts,
whichever screen or command made it, without each tab having to report it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from csfacilitator.errors import UserError
from csfacilitator.storage.backup import backup_database, fingerprint
from csfacilitator.storage.database import Database

log = logging.getLogger(__name__)


class BackupTimer(QObject):
    made = Signal(Path)
    #: A plain sentence for the status bar when a backup could not be made.
    failed = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None, *, start: bool = True):
        super().__init__(parent)
        self.db = db
        self._saved = fingerprint(db.paths.database)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        if start:
            self._timer.start(self._interval_ms())

    def _interval_ms(self) -> int:
        from csfacilitator.core.preferences import BACKUP_MINUTES, get_preference

        try:
            minutes = get_preference(self.db, BACKUP_MINUTES)
        except UserError:
            minutes = BACKUP_MINUTES.default
        return minutes * 60_000

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def changed(self) -> bool:
        return fingerprint(self.db.paths.database) != self._saved

    def mark_saved(self) -> None:
        """The database as it is now is in a backup (for example, just restored from one)."""
        self._saved = fingerprint(self.db.paths.database)

    def backup_if_changed(self, reason: str) -> Path | None:
        if not self.changed():
            return None
        state = fingerprint(self.db.paths.database)
        try:
            path = backup_database(
                self.db.paths.database,
                self.db.paths.backups,
                reason,
                passphrase=self.db.passphrase,
            )
        except UserError as exc:
            log.error("Automatic backup failed: %s", exc)
            self.failed.emit(f"The automatic backup failed: {exc}")
            return None
        self._saved = state
        log.info("Backed up (%s) to %s", reason, path)
        self.made.emit(path)
        return path

    def _tick(self) -> None:
        self.backup_if_changed("periodic")
        self._timer.setInterval(self._interval_ms())  # follows a changed preference

    def backup_on_close(self) -> Path | None:
        self._timer.stop()
        return self.backup_if_changed("close")
