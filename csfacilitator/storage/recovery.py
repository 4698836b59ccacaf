"""Starting safely and going back in time: the check at start, keeping a damaged file aside
(renamed, never deleted), the backup at start, and putting a backup back in place."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from csfacilitator.core.textclean import one_line
from csfacilitator.errors import DatabaseCorrupt, DatabaseTooNew, StorageError, UserError
from csfacilitator.paths import DataPaths, ensure_private_dir, make_private
from csfacilitator.storage import encryption
from csfacilitator.storage.backup import (
    BackupFile,
    backup_database,
    check_file,
    database_errors,
    key_for,
    list_backups,
    looks_like_sqlite,
    open_file,
)
from csfacilitator.storage.encryption import WrongPassphrase
from csfacilitator.storage.file_kind import FileKind, file_kind
from csfacilitator.storage.notes import read_note
from csfacilitator.storage.schema_version import HEAD, KNOWN_REVISIONS

log = logging.getLogger(__name__)

SIDE_FILES = ("-wal", "-shm")
TITLES_SHOWN = 12


@dataclass(frozen=True)
class BackupContents:
    """What a backup holds, read without changing it."""

    conferences: int = 0
    titles: tuple[str, ...] = ()
    last_change: dt.datetime | None = None  # timezone-aware
    revision: str | None = None
    problem: str | None = None  # why it cannot be used, in plain words

    @property
    def usable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class Damage:
    set_aside: Path  # where the damaged file now is
    problem: str  # SQLite's words for what is wrong


@dataclass(frozen=True)
class Restored:
    before: Path | None  # the backup of what was there, when it could be read
    set_aside: Path | None  # where an unreadable database was moved instead


def describe_backup(path: Path, passphrase: str | None = None) -> BackupContents:
    """Conferences, titles and last change in a backup, through a read-only connection.

    `passphrase` is the database's; a plain backup is read without it.
    """
    if not path.is_file():
        return BackupContents(problem="it is not there any more")
    key = key_for(path, passphrase)
    if passphrase is not None and key is None:  # a plain copy is no backup of an encrypted one
        return BackupContents(problem="it was made before the database was encrypted, and is not")
    if key is None and not looks_like_sqlite(path):
        return BackupContents(
            problem="it cannot be read: it is damaged, or encrypted while this database is not"
        )
    try:
        problem = check_file(path, key)
    except WrongPassphrase:
        return BackupContents(problem="it is encrypted with another passphrase")
    except StorageError as exc:  # the disk, not the backup: it cannot be read now
        return BackupContents(problem=f"it cannot be read now: {exc}")
    if problem is not None:
        return BackupContents(problem=f"it failed its check ({one_line(problem, 80)})")
    try:
        conn = open_file(path, key, read_only=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables or "conference" not in tables:
                return BackupContents(problem="it is not a CS Facilitator database")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
            rows = conn.execute(
                "SELECT title, updated_at FROM conference ORDER BY updated_at DESC"
            ).fetchall()
        finally:
            conn.close()
    except database_errors() as exc:
        return BackupContents(problem=f"it cannot be read ({exc})")
    if revision not in KNOWN_REVISIONS:
        return BackupContents(
            revision=revision, problem="it was made by a newer version of CS Facilitator"
        )
    times = (_parse_time(r[1]) for r in rows if r[1])
    last = max((t for t in times if t is not None), default=None)
    return BackupContents(
        conferences=len(rows),
        titles=tuple((r[0] or "(untitled)") for r in rows[:TITLES_SHOWN]),
        last_change=last,
        revision=revision,
    )


def _parse_time(value: object) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.timezone.utc) if parsed.tzinfo is None else parsed


def newest_good_backup(
    paths: DataPaths, passphrase: str | None = None
) -> tuple[BackupFile, BackupContents] | None:
    """The newest usable backup that holds at least one conference (else the newest usable).

    An empty database kept after a damaged one was set aside also gets backed up; skipping
    empty backups keeps "the newest" pointing at the data the user lost.
    """
    first_usable = None
    for backup in list_backups(paths.backups):
        contents = describe_backup(backup.path, passphrase)
        if not contents.usable:
            continue
        if contents.conferences:
            return backup, contents
        first_usable = first_usable or (backup, contents)
    return first_usable


def damage_of(db_path: Path, passphrase: str | None = None) -> str | None:
    """What is wrong with the database file (one line; SQLite's details go to the log), or
    None when it is fine, absent or empty.

    Only evidence decides: SQLite's "malformed"/"not a database" or a failed quick check, or
    a file that is neither SQLite's nor ciphertext (a plain file whose header was damaged).
    When the check itself cannot run (full disk, read-only folder, I/O error) it raises
    StorageError with that plain reason: the file is not called damaged and not moved.
    An encrypted-looking file is judged only with a passphrase, else left to opening, which
    asks for one. Raises WrongPassphrase when the passphrase does not open it.
    Call it only while this process has no connection to the file.
    """
    kind = file_kind(db_path)
    if kind is FileKind.ABSENT:
        return None
    problem: str | None
    if kind is FileKind.DAMAGED:
        problem = "its header is damaged: it is neither an SQLite database nor an encrypted one"
    elif kind is FileKind.ENCRYPTED and passphrase is None:
        return None
    else:
        problem = check_file(db_path, passphrase if kind is FileKind.ENCRYPTED else None)
    if problem is None:
        return None
    log.error("The database %s failed its check: %s", db_path, problem)
    return one_line(problem, 120)


def set_aside(db_path: Path, *, now: dt.datetime | None = None) -> Path:
    """Rename the database (and its -wal/-shm, first) to '<name>.corrupt-<time>'; never delete."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = db_path.with_name(f"{db_path.name}.corrupt-{stamp}")
    counter = 1
    while any(Path(f"{target}{side}").exists() for side in ("", *SIDE_FILES)):
        counter += 1
        target = db_path.with_name(f"{db_path.name}.corrupt-{stamp}-{counter}")
    try:
        for side in SIDE_FILES:  # side files first: a -wal must never meet a new main file
            source = Path(f"{db_path}{side}")
            if source.exists():
                os.replace(source, f"{target}{side}")
        if db_path.exists():
            os.replace(db_path, target)
    except OSError as exc:
        raise StorageError(
            f"The database {db_path} is damaged and could not be moved aside ({exc}). "
            "Move it aside yourself, then start again."
        ) from exc
    log.warning("Set the database aside as %s", target)
    return target


def put_back(damage: Damage, db_path: Path) -> None:
    """Undo set_aside (the user chose to decide later): only into names that are free."""
    if any(Path(f"{db_path}{side}").exists() for side in ("", *SIDE_FILES)):
        return
    os.replace(damage.set_aside, db_path)
    for side in SIDE_FILES:
        source = Path(f"{damage.set_aside}{side}")
        if source.exists():
            os.replace(source, f"{db_path}{side}")


def set_aside_if_damaged(db_path: Path, passphrase: str | None = None) -> Damage | None:
    problem = damage_of(db_path, passphrase)
    if problem is None:
        return None
    return Damage(set_aside=set_aside(db_path), problem=problem)


# -- a log of recent changes (WAL) left by a process that did not close cleanly -------------

WAL_COPIES = "wal-copies"
WAL_COPIES_KEPT = 5
WAL_DAMAGED = "wal-damaged"


def keep_wal_at_start(paths: DataPaths, *, now: dt.datetime | None = None) -> str | None:
    """Before anything opens a database that was not closed cleanly (its -wal is not empty).

    SQLite replays the WAL up to its first bad frame and drops the rest without a word, then
    deletes the file when the last connection closes. So: copy the -wal and -shm privately
    into 'wal-copies' (the newest WAL_COPIES_KEPT copies are kept) and, when the log looks
    wrong (committed frames after a bad checksum, a damaged header, a cut-off frame), keep the
    database, -wal and -shm together, unchanged, as '<name>.wal-damaged-<time>' beside it,
    and return one line for the user. A copy that cannot be made when the log looks wrong
    stops the start (StorageError): opening would lose what only that log holds.
    """
    from csfacilitator.storage import sqlite_errors
    from csfacilitator.storage.wal_check import inspect_wal

    db_path = paths.database
    wal = Path(f"{db_path}-wal")
    try:
        if wal.stat().st_size == 0:
            return None
        report = inspect_wal(wal)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(sqlite_errors.os_error_message(exc)) from exc
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    try:
        folder = paths.root / WAL_COPIES
        ensure_private_dir(folder)
        for side in SIDE_FILES:
            source = Path(f"{db_path}{side}")
            if source.exists():
                _private_copy(source, folder / f"{stamp}{side}")
        _thin_wal_copies(folder)
        if not report.looks_wrong:
            log.warning(
                "The database was not closed cleanly; a copy of its WAL (%d bytes, %d frames "
                "to replay) is kept in %s",
                report.size,
                report.valid_frames,
                folder,
            )
            return None
        target = db_path.with_name(f"{db_path.name}.{WAL_DAMAGED}-{stamp}")
        for side in ("", *SIDE_FILES):
            source = Path(f"{db_path}{side}")
            if source.exists():
                _private_copy(source, Path(f"{target}{side}"))
    except OSError as exc:
        if not report.looks_wrong:
            log.warning("Could not keep a copy of the WAL: %s", exc)
            return None
        raise StorageError(
            f"The database's log of recent changes looks damaged and could not be copied "
            f"aside: {sqlite_errors.os_error_message(exc)}"
        ) from exc
    log.error(
        "The WAL of %s looks wrong (%s; %d frames will be replayed); kept it with the "
        "database as %s",
        db_path,
        report.problem,
        report.valid_frames,
        target,
    )
    return (
        f"Recent changes may be missing: {report.problem}. Everything was kept, unchanged, "
        f"as {target.name} in {target.parent}."
    )


def _private_copy(source: Path, target: Path) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with open(source, "rb") as handle:
            while chunk := handle.read(1 << 20):
                os.write(fd, chunk)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    os.close(fd)


def _thin_wal_copies(folder: Path) -> None:
    stamps = sorted({p.name.split("-wal")[0].split("-shm")[0] for p in folder.iterdir()})
    for stamp in stamps[:-WAL_COPIES_KEPT]:
        for side in SIDE_FILES:
            with contextlib.suppress(FileNotFoundError):
                (folder / f"{stamp}{side}").unlink()


def wal_copies(paths: DataPaths) -> list[Path]:
    """Every copy of a WAL this module kept (they hold conference data, like backups do)."""
    found = list(paths.root.glob(f"{paths.database.name}.{WAL_DAMAGED}-*"))
    folder = paths.root / WAL_COPIES
    if folder.is_dir():
        found += folder.iterdir()
    return sorted(found)


# -- a damaged database set aside by a command, told at the next start of the app -----------

NOTE_NAME = "set-aside-note.json"


def note_set_aside(paths: DataPaths, damage: Damage) -> None:
    """Remember, for the app's next start, that a command kept a damaged database aside."""
    import json

    from csfacilitator.atomic_file import write_atomic

    payload = {"set_aside": str(damage.set_aside), "problem": damage.problem}
    try:
        write_atomic(json.dumps(payload).encode("utf-8"), paths.root / NOTE_NAME)
    except (OSError, UserError) as exc:  # the command still says it; the app just cannot
        log.warning("Could not leave a note about the damaged database: %s", exc)


def pending_damage(paths: DataPaths) -> Damage | None:
    """The damage a command noted and the app has not told yet (its file still aside)."""
    damage = read_note(
        paths.root / NOTE_NAME,
        lambda payload: Damage(
            set_aside=Path(payload["set_aside"]), problem=str(payload["problem"])
        ),
        about="a damaged database",
        clear=lambda: clear_note(paths),
        log=log,
    )
    if damage is None:
        return None
    if not damage.set_aside.exists():
        clear_note(paths)
        return None
    return damage


def clear_note(paths: DataPaths) -> None:
    with contextlib.suppress(OSError):
        (paths.root / NOTE_NAME).unlink()


def start_backup(paths: DataPaths, passphrase: str | None = None) -> Callable[[], Path] | None:
    """The backup to make of an existing, current database before the app uses it: checked
    now, copied when called (the staged start calls it on a worker thread); None when there is
    nothing to copy.

    A database that needs an upgrade is backed up by open_database itself, just before the
    upgrade, so it is not copied twice.
    """
    from csfacilitator.storage.revision import stored_revision

    db_path = paths.database
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    if passphrase is None and not looks_like_sqlite(db_path):
        return None
    try:
        revision = stored_revision(db_path, passphrase)
    except DatabaseCorrupt:
        return None
    if revision != HEAD:
        return None
    return lambda: backup_database(db_path, paths.backups, "start", passphrase=passphrase)


def restore_backup(paths: DataPaths, backup: Path, passphrase: str | None = None) -> Restored:
    """Put `backup` in place of the database, after backing up what is there.

    The caller must have closed its connections (Database.close(); the engine reconnects when
    next used). The copy goes through SQLite's backup API into the database file, so it is one
    transaction and the file's WAL is handled by SQLite; an older backup is then upgraded.
    `passphrase` is the database's (None when it is plain); the backup must match it.
    """
    from csfacilitator.storage.database import open_database

    backup = Path(backup)
    if passphrase is not None and backup.is_file() and key_for(backup, passphrase) is None:
        raise StorageError(
            f"The backup {backup.name} cannot be restored: it was made before the database "
            "was encrypted, and is not."
        )
    contents = describe_backup(backup, passphrase)
    if not contents.usable:
        if contents.revision is not None and contents.revision not in KNOWN_REVISIONS:
            raise DatabaseTooNew(
                f"The backup {backup.name} was made by a newer version of CS Facilitator; "
                "install that version to restore it."
            )
        raise StorageError(f"The backup {backup.name} cannot be restored: {contents.problem}.")
    db_path = paths.database
    before = aside = None
    keep_wal_at_start(paths)  # backing up what is there replays and removes a leftover WAL
    if db_path.exists() and db_path.stat().st_size > 0:
        readable = looks_like_sqlite(db_path) or passphrase is not None
        if readable and damage_of(db_path, passphrase) is None:
            # Not thinned now: thinning could remove the very backup being restored.
            before = backup_database(
                db_path, paths.backups, "before-restore", thin=False, passphrase=passphrase
            )
        else:
            aside = set_aside(db_path)
    elif any(Path(f"{db_path}{side}").exists() for side in SIDE_FILES):
        aside = set_aside(db_path)  # stray side files must not be replayed into the copy
    _copy_into(backup, db_path, passphrase)
    open_database(paths, passphrase).close()  # upgrades an older backup (backing it up first)
    clear_note(paths)  # what a command set aside earlier has been dealt with
    log.info("Restored %s (previous database: %s)", backup, before or aside)
    return Restored(before=before, set_aside=aside)


def _copy_into(backup: Path, db_path: Path, passphrase: str | None) -> None:
    if not db_path.exists():
        fd = os.open(db_path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    make_private(db_path)
    try:
        source = open_file(backup, passphrase, read_only=True)
        try:
            dest = encryption.open_raw_connection(db_path, passphrase, check=False)
            try:
                source.backup(dest)
                result = dest.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                dest.close()
        finally:
            source.close()
    except database_errors() as exc:
        from csfacilitator.storage import sqlite_errors

        kind = sqlite_errors.classify(exc, db_path.parent)
        reason = str(exc) if kind is sqlite_errors.Kind.BUG else sqlite_errors.message(kind)
        raise StorageError(f"The backup could not be put in place: {reason}") from exc
    if result != "ok":
        raise StorageError(f"The restored database failed its check ({result}).")


def local_text(moment: dt.datetime | None) -> str:
    """'5 Jan 2026 14:30' in the computer's time zone."""
    if moment is None:
        return ""
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def contents_text(contents: BackupContents) -> str:
    """'3 conferences, last changed 5 Jan 2026 14:30', or why the backup cannot be used."""
    if not contents.usable:
        return f"Cannot be used: {contents.problem}"
    count = contents.conferences
    text = f"{count} conference{'' if count == 1 else 's'}"
    if contents.last_change is not None:
        text += f", last changed {local_text(contents.last_change)}"
    return text


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
