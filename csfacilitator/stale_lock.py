"""Judging a data folder lock Qt's QLockFile refused: live, stale, or held from another computer.

QLockFile (setStaleLockTime(0)) trusts a lock whose file it cannot parse for ever (an empty
file after a power cut right after start) and one whose pid now belongs to another process of
the same name (any other Python). A lock is live only when it can be proven so; on Linux:

- the lock is on this computer (same host name and machine id) and this boot (same boot id);
- and its holder still holds the flock QLockFile takes on the file (the kernel drops it when the
  process dies, so a reused pid cannot fake it); where flock cannot be asked, the process with
  that pid must be running and have started before the lock file was written (/proc/<pid>/stat
  field 22), which a reused pid fails.

A lock from another computer is never taken over (a data folder on a shared drive open there
is exactly what the lock guards); the refusal names the computer, the time and the file to
delete if that computer is not using it. On Windows and macOS QLockFile's own judgement stands.
Standard library only.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

fcntl: ModuleType | None
try:
    import fcntl as _fcntl

    fcntl = _fcntl
except ImportError:  # Windows
    fcntl = None

log = logging.getLogger(__name__)

LIVE, STALE, FOREIGN, UNKNOWN = "live", "stale", "foreign", "unknown"
#: Without flock, a lock file that cannot be read is taken as being written this long.
UNREADABLE_GRACE_SECONDS = 10
#: Clock granularity between a process's start and the lock file it wrote.
START_SLACK_SECONDS = 2.0


@dataclass(frozen=True)
class LockInfo:
    pid: int | None
    app: str = ""
    host: str = ""
    machine_id: str = ""
    boot_id: str = ""
    since: dt.datetime | None = None  # when the file was written (its modification time)


@dataclass(frozen=True)
class Verdict:
    kind: str  # LIVE, STALE, FOREIGN or UNKNOWN
    reason: str
    info: LockInfo | None = None


def read_lock(path: Path) -> LockInfo | None:
    """What QLockFile wrote (pid, app, host, machine id, boot id); None when there is no file.

    An empty or garbled file gives a LockInfo with pid None.
    """
    try:
        raw = path.read_bytes()[:4096]
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None
    except OSError:
        return LockInfo(pid=None)
    since = dt.datetime.fromtimestamp(mtime, dt.timezone.utc)
    lines = raw.decode("utf-8", "replace").split("\n")
    try:
        pid = int(lines[0].strip())
    except ValueError:
        return LockInfo(pid=None, since=since)
    if pid <= 0:
        return LockInfo(pid=None, since=since)
    app, host, machine_id, boot_id = (f.strip() for f in [*lines[1:5], "", "", "", ""][:4])
    return LockInfo(pid, app, host, machine_id, boot_id, since=since)


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def machine_id() -> str:
    """As QSysInfo::machineUniqueId on Linux."""
    return _read_text("/etc/machine-id") or _read_text("/var/lib/dbus/machine-id")


def boot_id() -> str:
    return _read_text("/proc/sys/kernel/random/boot_id")


def flock_held(path: Path) -> bool | None:
    """Whether some process holds an flock on `path` (None: the system cannot say). The probe is
    shared, so two processes asking at once do not see each other as the holder."""
    if fcntl is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return None
    finally:
        os.close(fd)  # also drops the shared lock we may have taken
    return False


def process_start(pid: int) -> dt.datetime | None:
    """When process `pid` started (Linux: /proc/<pid>/stat field 22), None if not running."""
    stat = _read_text(f"/proc/{pid}/stat")
    if not stat:
        return None
    try:
        after_name = stat[stat.rindex(")") + 2 :].split()
        ticks = int(after_name[19])  # field 22; the list starts at field 3
        boot = next(
            int(line.split()[1])
            for line in _read_text("/proc/stat").splitlines()
            if line.startswith("btime ")
        )
    except (ValueError, IndexError, StopIteration):
        return None
    seconds = boot + ticks / os.sysconf("SC_CLK_TCK")
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def judge(path: Path, *, flock=flock_held) -> Verdict:  # noqa: ANN001 - injectable for tests
    """Decide about the lock file at `path` (see the module's docstring)."""
    info = read_lock(path)
    if info is None:
        return Verdict(STALE, "there is no lock file")
    host = socket.gethostname()
    if info.pid is not None and (
        (info.host and info.host != host)
        or (info.machine_id and machine_id() and info.machine_id != machine_id())
    ):
        return Verdict(FOREIGN, f"it was taken on {info.host or 'another computer'}", info)
    if not sys.platform.startswith("linux"):
        return Verdict(UNKNOWN, "only QLockFile can judge it here", info)
    held = flock(path)
    if held:
        return Verdict(LIVE, "its process holds it", info)
    if info.pid is None:
        if held is None and info.since is not None:
            age = dt.datetime.now(dt.timezone.utc) - info.since
            if age.total_seconds() < UNREADABLE_GRACE_SECONDS:
                return Verdict(UNKNOWN, "it is empty, and may be being written", info)
        return Verdict(STALE, "it is empty or unreadable and nobody holds it", info)
    if info.boot_id and boot_id() and info.boot_id != boot_id():
        return Verdict(STALE, "it was taken before the computer restarted", info)
    if held is False:
        return Verdict(STALE, f"process {info.pid} no longer holds it", info)
    started = process_start(info.pid)
    if started is None:
        return Verdict(STALE, f"process {info.pid} is not running", info)
    if info.since is not None and (started - info.since).total_seconds() > START_SLACK_SECONDS:
        return Verdict(STALE, f"process {info.pid} started after the lock was taken", info)
    return Verdict(LIVE, f"process {info.pid} is running", info)


def remove_stale(path: Path) -> bool:
    """Remove a lock judged stale, as QLockFile does: only while we can flock it ourselves, and
    only if the name still points at the file we judged. True when it is gone. (Unlike
    `flock_held`, it keeps the flock while it checks and removes.)"""
    if fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:
            pass  # no flock on this file system: the judgement stands alone
        try:
            if os.stat(path).st_ino != os.fstat(fd).st_ino:
                return False  # somebody replaced it meanwhile
            os.unlink(path)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return True
    finally:
        os.close(fd)


def local_time(moment: dt.datetime | None) -> str:
    if moment is None:
        return "an unknown time"
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"
