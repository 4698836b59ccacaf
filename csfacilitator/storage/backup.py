"""The backup area: consistent copies of the live database made through SQLite's backup API
(never a file copy), named '<UTC time>-<reason>.sqlite3', listed and thinned.

A copy is written aside as '.partial', checked, flushed to disk, then renamed into place, so
every file with a backup name is complete and was checked when it was made. A '.partial' (and
SQLite's '.partial-journal') a killed process left holds a full copy: it is removed securely by
the next thinning or start, unless a backup is being written (see storage/leftovers.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from csfacilitator.errors import StorageError
from csfacilitator.paths import ensure_private_dir, make_private
from csfacilitator.storage import encryption
from csfacilitator.storage.backup_thinning import select_to_keep
from csfacilitator.storage.leftovers import fsync_dir, remove_leftovers, writing_in

SUFFIX = ".sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"
# 20260105-143000-123456Z-start.sqlite3 (UTC); names without the Z are from older versions and
# are in local time.
_NAME = re.compile(r"^(\d{8}-\d{6}-\d{6})(Z?)-([a-z0-9][a-z0-9-]*)\.sqlite3$")

REASON_LABELS = {
    "start": "When the app started",
    "periodic": "Automatic, while working",
    "close": "When the app closed",
    "manual": "Made on request",
    "before-restore": "Before a restore",
    "before-replace-import": "Before replacing from a file",
    "after-delete": "After a deletion",
}


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: dt.datetime  # timezone-aware
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        if self.reason in REASON_LABELS:
            return REASON_LABELS[self.reason]
        if self.reason.startswith("before-upgrade-from-"):
            return "Before an upgrade"
        return self.reason.replace("-", " ").capitalize()


def open_file(path: Path, passphrase: str | None = None, *, read_only: bool = False):
    """A DB-API connection for checks, copies and descriptions (keyed when encrypted).

    Raises encryption.WrongPassphrase when the passphrase does not open the file.
    """
    if read_only:
        uri = f"{Path(path).absolute().as_uri()}?mode=ro"
        return encryption.open_raw_connection(uri, passphrase, uri=True)
    return encryption.open_raw_connection(path, passphrase)


def key_for(path: Path, passphrase: str | None) -> str | None:
    """The passphrase to open a file nobody has open (a backup): None when it is plain.

    Never for the live database while this process has it open: reading its header through
    another descriptor would drop SQLite's POSIX locks on it.
    """
    return None if looks_like_sqlite(path) else passphrase


def database_errors() -> tuple[type[Exception], ...]:
    return (sqlite3.Error, *encryption.database_errors())


def looks_like_sqlite(path: Path) -> bool:
    """Whether the file starts with SQLite's header (an encrypted database does not)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def backup_database(
    db_path: Path,
    backup_dir: Path,
    reason: str,
    *,
    thin: bool = True,
    passphrase: str | None = None,
) -> Path:
    """Copy db_path into backup_dir: written aside, checked, flushed, renamed; then thin the area.

    An encrypted database (give its passphrase) gives a backup encrypted with the same key.
    Raises StorageError with a plain sentence if the copy cannot be made or fails its check.
    """
    ensure_private_dir(backup_dir)
    reason = _slug(reason)
    now = dt.datetime.now(dt.timezone.utc)
    final = backup_dir / file_name(now, reason)
    while final.exists():  # two backups in the same microsecond
        now += dt.timedelta(microseconds=1)
        final = backup_dir / file_name(now, reason)
    partial = final.with_suffix(".partial")
    try:
        with writing_in(backup_dir):  # the partial copy is not anybody's leftover
            _write_copy(db_path, partial, passphrase)
            os.replace(partial, final)
        fsync_dir(backup_dir)
    except BaseException as exc:
        for temp in (partial, Path(f"{partial}-journal")):
            with contextlib.suppress(OSError):
                encryption.secure_remove(temp)
        if isinstance(exc, (*database_errors(), OSError)):
            raise StorageError(f"Could not back up the database to {backup_dir}: {exc}") from exc
        raise
    if thin:
        thin_backups(backup_dir, now=now)
    return final


def file_name(taken_at: dt.datetime, reason: str) -> str:
    stamp = taken_at.astimezone(dt.timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
    return f"{stamp}Z-{_slug(reason)}{SUFFIX}"


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "backup"


def _write_copy(db_path: Path, target: Path, passphrase: str | None) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    make_private(target)
    source = open_file(db_path, passphrase)
    try:
        dest = encryption.open_raw_connection(target, passphrase, check=False)
        try:
            source.backup(dest)
            # A backup is a single file: switch it out of WAL so it needs no side files.
            dest.execute("PRAGMA journal_mode=DELETE")
            result = dest.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dest.close()
    finally:
        source.close()
    if result != "ok":
        raise sqlite3.DatabaseError(f"the copy failed its check ({result})")
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def parse_name(path: Path) -> tuple[dt.datetime, str] | None:
    """(when, reason) from a backup's file name, or None if the file is not one of ours."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        taken = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f")
    except ValueError:
        return None
    # Names without the Z come from older versions, in naive local time.
    taken = taken.replace(tzinfo=dt.timezone.utc) if match.group(2) else taken.astimezone()
    return taken, match.group(3)


def list_backups(backup_dir: Path) -> list[BackupFile]:
    """Our backups in backup_dir, newest first. Other files there are never listed."""
    found = []
    try:
        entries = list(backup_dir.iterdir())
    except OSError:
        return []
    for path in entries:
        parsed = parse_name(path)
        if parsed is None:
            continue
        try:
            size = path.stat().st_size
        except OSError:  # removed meanwhile (another process thinned it)
            continue
        found.append(BackupFile(path=path, taken_at=parsed[0], reason=parsed[1], size=size))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def thin_backups(backup_dir: Path, *, now: dt.datetime | None = None) -> list[Path]:
    """Delete (securely) the backups the thinning rules no longer keep, and copies a crash left
    half written (never one being written now); returns what was deleted."""
    now = now or dt.datetime.now(dt.timezone.utc)
    backups = list_backups(backup_dir)
    keep = select_to_keep(backups, now)
    removed = []
    for path in [b.path for b in backups if b not in keep]:
        if path.exists():
            encryption.secure_remove(path)
            removed.append(path)
    return removed + remove_leftovers([backup_dir])


def check_file(path: Path, passphrase: str | None = None) -> str | None:
    """None when the file passes SQLite's quick check, else what is wrong (read-only).

    Only evidence of damage (SQLITE_CORRUPT, SQLITE_NOTADB) is "wrong": a full disk, a
    read-only folder or an I/O error while checking raises StorageError (the check cannot be
    done now; the file is not called damaged). Raises encryption.WrongPassphrase when the
    passphrase does not open it. A rollback journal a killed writer left beside the file is
    rolled back first (_roll_back_journal), as any connection that may write would do.
    """
    from csfacilitator.storage import sqlite_errors

    try:
        _roll_back_journal(path, passphrase)
        conn = open_file(path, passphrase, read_only=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
        finally:
            conn.close()
    except database_errors() as exc:
        kind = sqlite_errors.classify(exc, Path(path).parent)
        if kind is sqlite_errors.Kind.DAMAGE:
            return str(exc)
        if kind is sqlite_errors.Kind.BUG:
            raise
        raise StorageError(sqlite_errors.message(kind)) from exc
    if rows == ["ok"]:
        return None
    return "; ".join(str(r) for r in rows[:3])


def _roll_back_journal(path: Path, passphrase: str | None) -> None:
    """Let SQLite undo the change a killed writer left half done in `path` (its '-journal'
    is "hot"), through a connection that may write: a read-only one refuses to read the file
    (SQLITE_READONLY_ROLLBACK). Leaving WAL mode (an `encrypt` or a passphrase change) writes
    the header under a rollback journal, so a kill there leaves one beside the live database.
    Nothing is lost: the journal holds the pages as they were before the unfinished change.
    One stat when there is no journal; SQLite itself decides whether one is hot.
    """
    try:
        if Path(f"{path}-journal").stat().st_size == 0:
            return
    except FileNotFoundError:
        return
    conn = open_file(path, passphrase)  # keyed and read at once when encrypted
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def fingerprint(db_path: Path) -> tuple:
    """Size and modification time of the database and its WAL: changes whenever a transaction
    commits (in WAL mode every commit appends to the -wal), and costs two stat calls."""
    marks: list[tuple[int, int] | None] = []
    for path in (db_path, Path(f"{db_path}-wal")):
        try:
            info = path.stat()
        except OSError:
            marks.append(None)
        else:
            marks.append((info.st_size, info.st_mtime_ns))
    return tuple(marks)
