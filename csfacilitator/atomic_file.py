"""Writing an exported file so that it is either complete or not there at all.

The bytes go to a private temporary file beside the target (0600), are fsynced, then renamed
over it; the folder is fsynced too. The temporary file is named '.<name>.<random>.csfacilitator-tmp'
and held with an flock while written, so one a killed process left (it holds a full copy of
what was exported) is recognised and removed securely by the next export to that folder; we
cannot scan every folder a user ever exported to at start. A failure leaves the old file untouched and no temporary
file behind, and is an ExportError with one plain sentence the user can act on (a missing or
read-only folder, a full disk, a file open in Word or Excel).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path
from types import ModuleType

from csfacilitator.errors import ExportError

TEMP_SUFFIX = ".csfacilitator-tmp"
#: Without flock (Windows), a temporary file this old is no longer being written.
TEMP_GRACE_SECONDS = 24 * 3600

fcntl: ModuleType | None
try:
    import fcntl as _fcntl

    fcntl = _fcntl
except ImportError:  # Windows
    fcntl = None


def _in_use(path: Path) -> bool:
    """Whether another process is still writing `path` (it holds its flock)."""
    if fcntl is None:
        import time

        try:
            return time.time() - path.stat().st_mtime < TEMP_GRACE_SECONDS
        except OSError:
            return True
    from csfacilitator.stale_lock import flock_held

    return flock_held(path) is not False  # held, or the system cannot say: leave it


def remove_stale_temps(folder: str | os.PathLike[str]) -> list[Path]:
    """Securely remove the temporary files a killed export left in `folder`; returns them."""
    from csfacilitator.storage.encryption import secure_remove

    removed = []
    with suppress(OSError):
        for path in Path(folder).glob(f".*{TEMP_SUFFIX}"):
            if path.is_file() and not _in_use(path):
                with suppress(OSError):
                    secure_remove(path)
                    removed.append(path)
    return removed


def make_temp(target: Path) -> tuple[int, str]:
    """A private temporary file beside `target`, recognisably ours and flocked while written
    (closing the descriptor drops the lock); stale ones in the folder are removed first."""
    remove_stale_temps(target.parent)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.name[:60]}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    if fcntl is not None:
        with suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd, name


def _read_only(path: Path) -> bool:
    mode = path.stat().st_mode
    return not mode & stat.S_IWUSR or not os.access(path, os.W_OK)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _explain(exc: OSError, target: Path, stage: str) -> str:
    name = target.name
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return (
            f"The disk is full, so {name} could not be saved. Free some space or choose "
            "another folder; nothing was changed."
        )
    if exc.errno == errno.EROFS or (stage == "create" and isinstance(exc, PermissionError)):
        return (
            f"The folder {target.parent} is read-only, so {name} could not be saved there. "
            "Choose another folder."
        )
    if stage == "replace" and isinstance(exc, PermissionError):
        return (
            f"{name} is open in another program (perhaps Word or Excel) or is read-only, so it "
            "was not replaced. Close it and try again, or save under another name."
        )
    if isinstance(exc, FileNotFoundError):
        return f"The folder {target.parent} no longer exists. Choose another folder."
    reason = exc.strerror or str(exc)
    return f"{name} could not be saved: {reason}. Nothing was changed."


def write_atomic(data: bytes, path: str | os.PathLike[str], *, kind: str = "file") -> Path:
    """Write `data` to `path` atomically and privately; returns the absolute path written."""
    target = Path(path).expanduser().absolute()
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist. Choose another folder.")
    if target.is_dir():
        raise ExportError(f"{target} is a folder. Choose a file name for the {kind}.")
    if target.exists() and _read_only(target):
        raise ExportError(
            f"{target.name} is read-only, so it was not replaced. Save under another name, "
            "or make the file writable first."
        )
    temp: str | None = None
    stage = "create"
    try:
        fd, temp = make_temp(target)
        stage = "write"
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        stage = "replace"
        os.replace(temp, target)
        temp = None
    except OSError as exc:
        raise ExportError(_explain(exc, target, stage)) from exc
    finally:
        if temp is not None:
            with suppress(OSError):
                os.unlink(temp)
    _fsync_folder(folder)
    return target
