"""What an SQLite error means, decided by its error code, never by its words.

Three kinds (as qutebrowser's misc/sql.py splits them):

- the environment's fault (full disk, read-only or unreadable folder, another program holding
  the database, the disk failing, a change a stopped program left half done, the file moved
  while open): tell the user in one plain sentence; the data is fine;
- evidence of damage (SQLITE_CORRUPT, SQLITE_NOTADB): the only errors that may make the app
  call a database damaged;
- anything else is a bug in CS Facilitator: re-raised, so the crash dialog shows it.

Python 3.11+ gives every sqlite3 (and sqlcipher3) exception `sqlite_errorcode`; on older
Pythons the code is recovered from SQLite's fixed error string (sqlite3_errstr), matched
exactly, never by loose words. Where SQLite only says "I/O error" or "cannot open", the errno
of the folder (a write probe) or its free space tells a full disk from a failing one.

SQLITE_READONLY's extended codes are not all about permissions: READONLY_ROLLBACK (a journal
a killed writer left must be rolled back, and this connection may not write) and
READONLY_RECOVERY (the same for a WAL) in a folder that takes writes mean a change was cut
short, not that the folder is read-only; READONLY_DBMOVED means the file was renamed or
replaced under an open connection.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
from enum import Enum
from pathlib import Path

from csfacilitator.errors import DatabaseCorrupt, StorageError

log = logging.getLogger(__name__)

# Primary result codes (https://www.sqlite.org/rescode.html); extended codes keep them in the
# low byte.
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
# Extended codes of SQLITE_READONLY that do not mean "not yours to write".
SQLITE_READONLY_RECOVERY = SQLITE_READONLY | (1 << 8)
SQLITE_READONLY_ROLLBACK = SQLITE_READONLY | (3 << 8)
SQLITE_READONLY_DBMOVED = SQLITE_READONLY | (4 << 8)

#: sqlite3_errstr() of each primary code we classify, for Pythons without sqlite_errorcode.
_ERRSTR = {
    "access permission denied": SQLITE_PERM,
    "database is locked": SQLITE_BUSY,
    "database table is locked": SQLITE_LOCKED,
    "out of memory": SQLITE_NOMEM,
    "attempt to write a readonly database": SQLITE_READONLY,
    "disk i/o error": SQLITE_IOERR,
    "database disk image is malformed": SQLITE_CORRUPT,
    "database or disk is full": SQLITE_FULL,
    "unable to open database file": SQLITE_CANTOPEN,
    "file is not a database": SQLITE_NOTADB,
}

#: Below this much free space a write that failed failed because the disk is full.
NEARLY_FULL_BYTES = 1024 * 1024

DISK_FULL = "The disk is full, so nothing can be saved. Free some space and try again."
READ_ONLY = (
    "The data folder is read-only or not yours to write, so nothing can be saved. "
    "Check the data folder's permissions."
)
BUSY = (
    "The database is busy in another program. Close other copies of CS Facilitator and try again."
)
IO_ERROR = (
    "The disk could not be read or written (an input/output error). Check the disk or the "
    "connection to it, then try again."
)
NO_MEMORY = "The computer ran out of memory. Close other programs and try again."
DAMAGED = "The database file is damaged. Restore it from a backup."
UNFINISHED = (
    "A change to the database was cut short (a program stopped part-way) and has to be undone "
    "first, which needs the database file to be writable. Nothing is lost: make sure the file "
    "is yours to write, then try again."
)
MOVED = (
    "The database file was moved or replaced while it was open. Close every copy of "
    "CS Facilitator using this data folder, then try again."
)


class Kind(Enum):
    FULL = "full"
    READ_ONLY = "read-only"
    BUSY = "busy"
    IO = "io"
    NO_MEMORY = "no-memory"
    UNFINISHED = "unfinished"
    MOVED = "moved"
    DAMAGE = "damage"
    BUG = "bug"


_MESSAGES = {
    Kind.FULL: DISK_FULL,
    Kind.READ_ONLY: READ_ONLY,
    Kind.BUSY: BUSY,
    Kind.IO: IO_ERROR,
    Kind.NO_MEMORY: NO_MEMORY,
    Kind.UNFINISHED: UNFINISHED,
    Kind.MOVED: MOVED,
    Kind.DAMAGE: DAMAGED,
}


def error_code(exc: BaseException) -> int | None:
    """SQLite's (extended) result code of a DB-API or SQLAlchemy error, or None."""
    exc = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's exception
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code
    text = str(exc).strip().lower()
    return _ERRSTR.get(text)


def classify(exc: BaseException, folder: Path | None = None) -> Kind:
    """The kind of an SQLite error. `folder` (the data folder) lets "cannot open" and "I/O
    error" be told apart from a full disk or a read-only folder by looking at the folder."""
    code = error_code(exc)
    if code is None:
        return Kind.BUG
    primary = code & 0xFF
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return Kind.DAMAGE
    if primary == SQLITE_FULL:
        return Kind.FULL
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return Kind.BUSY
    if primary == SQLITE_NOMEM:
        return Kind.NO_MEMORY
    if code == SQLITE_READONLY_DBMOVED:
        return Kind.MOVED
    if primary in (SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN, SQLITE_IOERR):
        found = folder_problem(folder) if folder is not None else None
        if found is not None:
            return found
        if folder is not None and code in (SQLITE_READONLY_ROLLBACK, SQLITE_READONLY_RECOVERY):
            return Kind.UNFINISHED  # the folder takes writes: a cut-short change, not permissions
        return Kind.IO if primary == SQLITE_IOERR else Kind.READ_ONLY
    return Kind.BUG


def message(kind: Kind) -> str:
    return _MESSAGES[kind]


def explain_sqlite_error(exc: BaseException, folder: Path | None = None) -> str:
    """A sentence a coordinator can act on, decided by SQLite's error code."""
    kind = classify(exc, folder)
    if kind is Kind.BUG:
        return f"The database could not be used: {getattr(exc, 'orig', None) or exc}"
    return message(kind)


def is_environment(kind: Kind) -> bool:
    return kind not in (Kind.DAMAGE, Kind.BUG)


def storage_error(exc: BaseException, folder: Path | None = None) -> StorageError | None:
    """The user error to raise instead of `exc` (DatabaseCorrupt for damage), or None when
    `exc` is a bug and must be re-raised as it is. The details go to the log."""
    kind = classify(exc, folder)
    if kind is Kind.BUG:
        return None
    log.warning("SQLite error taken as %s: %r", kind.value, getattr(exc, "orig", None) or exc)
    if kind is Kind.DAMAGE:
        return DatabaseCorrupt(DAMAGED)
    return StorageError(message(kind))


def folder_problem(folder: Path) -> Kind | None:
    """Why the folder cannot take a write now (FULL, READ_ONLY, IO), or None when it can.

    Free space first (cheap); then a small file is written, flushed and removed, and its
    errno decides. Used only after something already failed.
    """
    try:
        if shutil.disk_usage(folder).free < NEARLY_FULL_BYTES:
            return Kind.FULL
    except OSError:
        pass
    probe = Path(folder) / f".csfacilitator-write-probe-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, b"\0" * 8192)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        return os_error_kind(exc)
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()
    return None


def os_error_kind(exc: OSError) -> Kind:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return Kind.FULL
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Kind.READ_ONLY
    return Kind.IO


def os_error_message(exc: OSError) -> str:
    """A plain sentence for an OSError met while writing the data folder."""
    return message(os_error_kind(exc))
