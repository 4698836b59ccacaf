"""One writer at a time: the data folder's lock, held by the running app and by a command that
changes data.

It is Qt's QLockFile in both, so the app and the command line read each other's lock exactly
(Qt 6 writes the process id, name, host and boot ids, and holds an flock on the file). QLockFile
alone would trust an empty or garbled lock file, or a pid reused by another Python, for ever:
when it refuses, csfacilitator/stale_lock.py judges the lock, and one that cannot be proven live
is removed and taken. A lock from another computer is never taken over; the refusal says which
computer, since when, and which file to delete if that computer is not using it. QtCore is
imported only when a lock is taken, so read-only commands do not pay for it; the core packages
never import it.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from csfacilitator import APP_NAME
from csfacilitator.errors import DatabaseCorrupt, UserError
from csfacilitator.paths import DataPaths, make_private

if TYPE_CHECKING:
    from csfacilitator.stale_lock import Verdict

log = logging.getLogger(__name__)

APP_IS_OPEN = (
    f"{APP_NAME} is open on this data folder; close it first or use the app "
    "(commands that only read, such as list and export, still work)."
)


class DataFolderBusy(UserError):
    pass


class WriterLock:
    def __init__(self, paths: DataPaths):
        from PySide6.QtCore import QLockFile

        self.paths = paths
        self._lock = QLockFile(str(paths.lock_file))
        # 0: never judge a lock by its age, only by whether its process is still alive.
        self._lock.setStaleLockTime(0)
        #: Why the last try_acquire failed (see refusal).
        self.verdict: Verdict | None = None

    def try_acquire(self, timeout_ms: int = 100) -> bool:
        """Take the lock, waiting up to timeout_ms for its holder to finish.

        QLockFile itself takes over a lock whose process no longer runs (same host, dead pid or
        new boot); when it refuses, a lock that cannot be proven live is removed and taken.
        """
        if self._lock.isLocked():
            return True
        if not self._lock.tryLock(timeout_ms):
            from csfacilitator import stale_lock  # only to judge a refusal: off the usual start

            self.verdict = stale_lock.judge(self.paths.lock_file)
            if self.verdict.kind != stale_lock.STALE:
                return False
            if not stale_lock.remove_stale(self.paths.lock_file):
                return False
            log.warning(
                "Took over the stale lock %s: %s", self.paths.lock_file, self.verdict.reason
            )
            if not self._lock.tryLock(timeout_ms):
                self.verdict = stale_lock.judge(self.paths.lock_file)
                return False
        self.verdict = None
        make_private(self.paths.lock_file)
        return True

    def refusal(self, live_text: str = APP_IS_OPEN) -> str:
        """The sentence for a refused lock: `live_text` when its holder is running, else who
        holds it and which file to delete when it is not in use."""
        from csfacilitator import stale_lock

        verdict = self.verdict
        lock_file = self.paths.lock_file
        if verdict is None or verdict.kind == stale_lock.LIVE:
            return live_text
        info = verdict.info
        if verdict.kind == stale_lock.FOREIGN and info is not None:  # judge always gives one
            return (
                f"The data folder is locked by {info.host or 'another computer'} since "
                f"{stale_lock.local_time(info.since)}; if that computer is not using it, delete "
                f"{lock_file} and try again."
            )
        return f"{live_text} If {APP_NAME} is not running, delete {lock_file} and try again."

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()


@contextmanager
def command_guard(args: argparse.Namespace, paths: DataPaths) -> Iterator[None]:
    """Around every command: take the lock for a command marked `writes=True`, keep a copy of
    a WAL left by a process that did not close cleanly, and check the database first — a
    damaged one is set aside (only while holding the lock), reported in one line, and noted
    for the app's next start.

    A command marked `replaces_database=True` (restore) goes on after setting it aside. A lock
    that cannot be taken because the disk is full or read-only says so, never "open".
    """
    from csfacilitator.storage.recovery import (
        Damage,
        damage_of,
        keep_wal_at_start,
        note_set_aside,
        set_aside,
    )

    writes = getattr(args, "writes", False)
    lock: WriterLock | None = None
    if writes:
        lock = WriterLock(paths)
        if not lock.try_acquire():
            raise _lock_refusal(paths, DataFolderBusy(lock.refusal()))
    try:
        wal = Path(f"{paths.database}-wal")
        if wal.exists() and wal.stat().st_size > 0:  # not closed cleanly, or in use now
            if lock is None:  # a read-only command: only when no app is using the WAL now
                probe = WriterLock(paths)
                if probe.try_acquire():
                    try:
                        _tell(keep_wal_at_start(paths))
                    finally:
                        probe.release()
            else:
                _tell(keep_wal_at_start(paths))
        problem = damage_of(paths.database)  # StorageError when the disk, not the file, fails
        if problem is not None:
            if lock is None:
                lock = WriterLock(paths)
                if not lock.try_acquire():
                    raise _lock_refusal(
                        paths,
                        DatabaseCorrupt(
                            lock.refusal(
                                f"The database {paths.database} is damaged ({problem}) and "
                                f"{APP_NAME} is open on it. Close it, then run: "
                                "csfacilitator restore --latest"
                            )
                        ),
                    )
            aside = set_aside(paths.database)
            if not getattr(args, "replaces_database", False):
                note_set_aside(paths, Damage(set_aside=aside, problem=problem))
                raise DatabaseCorrupt(
                    f"The database was damaged ({problem}); it has been kept aside as {aside}. "
                    "To go back to the newest backup, run: csfacilitator restore --latest"
                )
            print(f"The damaged database was kept aside as {aside}.")
        yield
    finally:
        if lock is not None:
            lock.release()


def _lock_refusal(paths: DataPaths, otherwise: UserError) -> UserError:
    """Why the lock could not be taken: a full or read-only disk (lock files cannot be made
    there) says so; only a folder that takes writes is really held by another process."""
    from csfacilitator.errors import StorageError
    from csfacilitator.storage import sqlite_errors

    kind = sqlite_errors.folder_problem(paths.root)
    return otherwise if kind is None else StorageError(sqlite_errors.message(kind))


def _tell(line: str | None) -> None:
    if line:
        print(f"csfacilitator: {line}", file=sys.stderr)
