"""Copies a killed process left behind, found and removed for good.

A half-written backup ('<name>.partial', and SQLite's '<name>.partial-journal' beside it) holds
a full unencrypted copy of the data; so may a conversion's '.encrypting' file and its journal.
They are removed at the next start, by `delete --purge-backups` and by `encrypt`, securely
(overwritten, then unlinked), and the commands say what they removed.

A file still being written is never touched. On POSIX the writers hold a shared `flock` on
the folder they write in (`writing_in`), and the cleaner takes it exclusively without
waiting: when it cannot, something is writing and the cleaning waits for another time. This is
the operating system's word, so a process killed mid-write never blocks it. Elsewhere (Windows)
only files older than a day count as left over.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)

#: Suffixes of the temporary files our storage writes next to a database file.
#: SQLite's side files of each count too: `Connection.backup` into a new file copies the
#: source's WAL flag, so a copy killed before it leaves WAL mode has a '-wal' full of pages.
LEFTOVER_SUFFIXES = tuple(
    base + side for base in (".partial", ".encrypting") for side in ("", "-journal", "-wal", "-shm")
)
#: A file secure_remove renamed before overwriting it: if the process was killed
#: meanwhile, what is left is half zeroed, listed nowhere, and finished here.
REMOVING_PREFIX = ".being-removed-"
#: The folder of WAL copies (storage/recovery.py WAL_COPIES), where removals can be cut short.
WAL_COPIES_FOLDER = "wal-copies"
#: Without flock, a temporary file this old is no longer being written.
GRACE_SECONDS = 24 * 3600
#: secure_remove overwrites in pieces of this size.
_CHUNK = 1 << 20

fcntl: ModuleType | None
try:
    import fcntl as _fcntl

    fcntl = _fcntl
except ImportError:  # Windows
    fcntl = None


@contextlib.contextmanager
def writing_in(folder: Path) -> Iterator[None]:
    """Hold a shared lock on `folder` while writing temporary files in it (POSIX)."""
    fd = _open_folder(folder)
    try:
        if fd is not None and fcntl is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        if fd is not None:
            os.close(fd)


@contextlib.contextmanager
def _quiet_folder(folder: Path) -> Iterator[bool | None]:
    """True while nobody writes in `folder` (and nobody can start), False when somebody does,
    None when the system cannot tell."""
    fd = _open_folder(folder)
    if fd is None or fcntl is None:  # no fd without fcntl (_open_folder)
        yield None
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        except OSError:
            yield None
            return
        yield True
    finally:
        os.close(fd)


def _open_folder(folder: Path) -> int | None:
    if fcntl is None:
        return None
    try:
        return os.open(folder, os.O_RDONLY)
    except OSError:
        return None


#: A half-written backup: our backup name with '.partial' (never a user's own file).
_PARTIAL = re.compile(r"^\d{8}-\d{6}-\d{6}Z?-[a-z0-9][a-z0-9-]*\.partial(-journal|-wal|-shm)?$")


def _is_leftover_name(path: Path) -> bool:
    name = path.name
    if name.startswith(REMOVING_PREFIX):
        return True
    if ".partial" in name and name.endswith(LEFTOVER_SUFFIXES):
        return _PARTIAL.match(name) is not None
    return name.endswith(LEFTOVER_SUFFIXES)


def _old_enough(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > GRACE_SECONDS
    except OSError:
        return False


def find_leftovers(folders: list[Path] | tuple[Path, ...]) -> list[Path]:
    """Temporary files with our suffixes in `folders` (not recursive), whatever their state."""
    found: list[Path] = []
    for folder in folders:
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        found += [p for p in entries if _is_leftover_name(p) and p.is_file()]
    return sorted(found)


def remove_leftovers(folders: list[Path] | tuple[Path, ...]) -> list[Path]:
    """Securely remove the temporary files nobody is writing in `folders`; returns them."""
    removed: list[Path] = []
    for folder in folders:
        candidates = find_leftovers([folder])
        if not candidates:
            continue
        with _quiet_folder(folder) as quiet:
            if quiet is False:
                log.info("Something is writing in %s; its temporary files are left for now", folder)
                continue
            for path in candidates:
                if quiet is None and not _old_enough(path):
                    continue
                try:
                    secure_remove(path)
                except OSError as exc:
                    log.warning("Could not remove the leftover %s: %s", path, exc)
                    continue
                removed.append(path)
    if removed:
        log.info("Removed %d leftover temporary files: %s", len(removed), removed)
    return removed


def data_folders(paths) -> tuple[Path, Path, Path]:  # noqa: ANN001 - DataPaths
    """The folders where our temporary copies can be left: the data folder, its backups, and
    its WAL copies (a removal cut short)."""
    return (paths.root, paths.backups, paths.root / WAL_COPIES_FOLDER)


def describe_removed(removed: list[Path]) -> list[str]:
    """One line per removed file, for the commands that report what they cleaned."""
    return [f"Removed the leftover temporary copy {path}" for path in removed]


# -- removing a file so its content is gone --------------------------------------------------


def _overwrite(handle) -> None:
    size = os.fstat(handle.fileno()).st_size
    handle.seek(0)
    zeros = bytes(min(size, _CHUNK))
    written = 0
    while written < size:
        step = min(_CHUNK, size - written)
        handle.write(zeros[:step])
        written += step
    handle.flush()
    os.fsync(handle.fileno())


def secure_remove(path: Path) -> None:
    """Overwrite a file with zeros, then remove it (nothing happens if it is not there).

    It is first renamed to a leftover name ('.being-removed-<name>', REMOVING_PREFIX above),
    so a process killed while overwriting never leaves a half-zeroed file under its old name
    (a backup listed but unusable, still holding data past the zeroed part): the next start
    finds the leftover and finishes the job. Where the rename is refused (a file open in
    another program on Windows), it is overwritten in place, as before.
    """
    doomed = path
    if not path.name.startswith(REMOVING_PREFIX):
        doomed = path.with_name(REMOVING_PREFIX + path.name)
        if doomed.exists():  # an earlier removal of a file of that name was cut short
            secure_remove(doomed)
        try:
            os.replace(path, doomed)
        except FileNotFoundError:
            return
        except OSError as exc:
            log.warning("Could not rename %s before overwriting it: %s", path, exc)
            doomed = path
        else:
            with contextlib.suppress(OSError):
                fsync_dir(path.parent)
    try:
        with open(doomed, "r+b") as handle:
            _overwrite(handle)
    except FileNotFoundError:
        return
    with contextlib.suppress(FileNotFoundError):
        doomed.unlink()


def fsync_dir(path: Path) -> None:
    """Make a rename in this folder durable (POSIX; Windows has no directory handles to flush)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
