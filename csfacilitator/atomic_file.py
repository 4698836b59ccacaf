"""Writing an exported file so that it is either complete or not there at all.

The bytes go to a private temporary file beside the target (0600), are fsynced, then renamed
over it; the folder is fsynced too. A failure leaves the old file untouched and no temporary
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

from csfacilitator.errors import ExportError


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
        fd, temp = tempfile.mkstemp(prefix=f".{target.stem[:40]}-", suffix=".tmp", dir=folder)
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
