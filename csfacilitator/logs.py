"""Logging to a rotating file in the log folder, and native crash traces via faulthandler.

The window starts with `start_logging`: native crash traces at once, and the app's records held
in memory; `setup_logging`, just after the first paint, opens the rotating file (importing
logging.handlers, with socket, pickle and queue, costs more than painting the window's menus)
and writes the held records to it first. Were the process to end before that, the held records
are written at exit, so none is lost. The command line calls `setup_logging` alone.
"""

from __future__ import annotations

import atexit
import faulthandler
import logging
import os
from pathlib import Path

from csfacilitator.paths import DataPaths, make_private

LOG_NAME = "csfacilitator.log"
CRASH_NAME = "native-crash.log"
_crash_file = None


def log_file(paths: DataPaths) -> Path:
    return paths.logs / LOG_NAME


class _Held(logging.Handler):
    """Keeps the records logged before the log file is opened (the first HELD of them), to
    write them to it then."""

    HELD = 1000

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.dropped = 0

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < self.HELD:
            self.records.append(record)
        else:
            self.dropped += 1


def _trace_native_crashes(paths: DataPaths) -> None:
    global _crash_file
    if _crash_file is None:
        crash = paths.logs / CRASH_NAME
        _crash_file = open(crash, "a", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        make_private(crash)
        faulthandler.enable(_crash_file)


def _file_handler(root: logging.Logger) -> logging.Handler | None:
    return next((h for h in root.handlers if getattr(h, "_csf", False)), None)


def start_logging(paths: DataPaths, *, level: int = logging.INFO) -> Path:
    """Native crashes traced, and the app's records held until `setup_logging` opens the log
    file (or the process ends); returns the log file's path."""
    _trace_native_crashes(paths)
    root = logging.getLogger()
    if _file_handler(root) is None and not any(isinstance(h, _Held) for h in root.handlers):
        root.addHandler(_Held())
        root.setLevel(level)
        atexit.register(setup_logging, paths, level=level, announce=False)
    logging.getLogger(__name__).info("Started (pid %s)", os.getpid())
    return log_file(paths)


def setup_logging(paths: DataPaths, *, level: int = logging.INFO, announce: bool = True) -> Path:
    """Send the app's log records to a private rotating file, those held since `start_logging`
    first; returns its path."""
    import logging.handlers

    _trace_native_crashes(paths)
    target = log_file(paths)
    root = logging.getLogger()
    held = [h for h in root.handlers if isinstance(h, _Held)]
    handler = _file_handler(root)
    if handler is None:
        handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
        handler._csf = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(level)
        make_private(target)
    for holder in held:
        root.removeHandler(holder)
        for record in holder.records:
            handler.handle(record)
        if holder.dropped:
            logging.getLogger(__name__).warning(
                "%d records logged before the log file was opened were not kept", holder.dropped
            )
    if announce and not held:  # start_logging said it already
        logging.getLogger(__name__).info("Started (pid %s)", os.getpid())
    return target
