"""Logging to a rotating file in the log folder, and native crash traces via faulthandler."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
from pathlib import Path

from csfacilitator.paths import DataPaths, make_private

LOG_NAME = "csfacilitator.log"
CRASH_NAME = "native-crash.log"
_crash_file = None


def log_file(paths: DataPaths) -> Path:
    return paths.logs / LOG_NAME


def setup_logging(paths: DataPaths, *, level: int = logging.INFO) -> Path:
    """Send the app's log records to a private rotating file; returns its path."""
    global _crash_file
    target = log_file(paths)
    root = logging.getLogger()
    if not any(getattr(h, "_csf", False) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
        handler._csf = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(level)
        make_private(target)
    if _crash_file is None:
        crash = paths.logs / CRASH_NAME
        _crash_file = open(crash, "a", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        make_private(crash)
        faulthandler.enable(_crash_file)
    logging.getLogger(__name__).info("Started (pid %s)", os.getpid())
    return target
