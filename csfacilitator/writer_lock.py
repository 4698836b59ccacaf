"""One writer at a time: the data folder's lock, held by the running app and by a command that
changes data.

It is Qt's QLockFile in both, so the app and the command line read each other's lock exactly
(Qt 6 writes the process id, name, host and boot ids; a lock left by a crashed process is
recognised by its dead process id and taken over). QtCore is imported only when a lock is
taken, so read-only commands do not pay for it; the core packages never import it.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from csfacilitator import APP_NAME
from csfacilitator.errors import DatabaseCorrupt, UserError
from csfacilitator.paths import DataPaths, make_private

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

    def try_acquire(self, timeout_ms: int = 100) -> bool:
        """Take the lock, waiting up to timeout_ms for its holder to finish. QLockFile itself
        takes over a lock whose process no longer runs (same host, dead pid or new boot)."""
        if self._lock.isLocked():
            return True
        if not self._lock.tryLock(timeout_ms):
            return False
        make_private(self.paths.lock_file)
        return True

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()


@contextmanager
def command_guard(args: argparse.Namespace, paths: DataPaths) -> Iterator[None]:
    """Around every command: take the lock for a command marked `writes=True`, and check the
    database first — a damaged one is set aside (only while holding the lock) and reported.

    A command marked `replaces_database=True` (restore) goes on after setting it aside.
    """
    from csfacilitator.storage.recovery import damage_of, set_aside

    writes = getattr(args, "writes", False)
    lock: WriterLock | None = None
    if writes:
        lock = WriterLock(paths)
        if not lock.try_acquire():
            raise DataFolderBusy(APP_IS_OPEN)
    try:
        problem = damage_of(paths.database)
        if problem is not None:
            if lock is None:
                lock = WriterLock(paths)
                if not lock.try_acquire():
                    raise DatabaseCorrupt(
                        f"The database {paths.database} is damaged ({problem}) and {APP_NAME} "
                        "is open on it. Close it, then run: csfacilitator restore --latest"
                    )
            aside = set_aside(paths.database)
            if not getattr(args, "replaces_database", False):
                raise DatabaseCorrupt(
                    f"The database was damaged ({problem}); it has been kept aside as {aside}. "
                    "To go back to the newest backup, run: csfacilitator restore --latest"
                )
            print(f"The damaged database was kept aside as {aside}.")
        yield
    finally:
        if lock is not None:
            lock.release()
