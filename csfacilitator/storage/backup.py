"""Consistent copies of the live database through SQLite's backup API (never a file copy)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from csfacilitator.errors import StorageError
from csfacilitator.paths import ensure_private_dir, make_private


def backup_database(db_path: Path, backup_dir: Path, reason: str) -> Path:
    """Copy db_path into backup_dir as '<time>-<reason>.sqlite3': written aside, checked, renamed."""
    ensure_private_dir(backup_dir)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    final = backup_dir / f"{stamp}-{reason}.sqlite3"
    partial = final.with_suffix(".partial")
    try:
        _write_copy(db_path, partial)
        os.replace(partial, final)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise StorageError(f"Could not back up the database to {backup_dir}: {exc}") from exc
    return final


def _write_copy(db_path: Path, target: Path) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    make_private(target)
    source = sqlite3.connect(db_path)
    try:
        dest = sqlite3.connect(target)
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
