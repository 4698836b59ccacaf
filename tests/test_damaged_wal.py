"""A damaged write-ahead log never silently drops committed work unseen (issue 11, item 5).

SQLite replays a WAL up to its first bad frame and ignores the rest by design, then deletes the
WAL when the last connection closes. So before anything opens a database that was not closed
cleanly, its -wal and -shm are copied aside; when the log's own checksums show that committed
frames would be dropped (or it is cut short, or its header is damaged), the database, -wal and
-shm are kept together, unchanged, beside it, and the user is told in one line.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from csfacilitator.core import conferences
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database
from csfacilitator.storage.recovery import (
    WAL_COPIES,
    WAL_COPIES_KEPT,
    keep_wal_at_start,
    restore_backup,
    wal_copies,
)
from csfacilitator.storage.wal_check import WAL_HEADER_SIZE, inspect_wal
from tests.harness.cli_runner import run_cli

TITLES = [f"Conference {i}" for i in range(5)]
FRAME = 24 + 4096  # frame header + SQLite's default page size


def _crashed(tmp_path: Path, templates, name: str = "data"):  # noqa: ANN001 - conftest's
    """A data folder as a killed process leaves it: five conferences committed, each in its
    own transaction, all only in the -wal (nothing checkpointed), no clean close. It starts
    as a copy of the migrated template (conftest)."""
    source = resolve(tmp_path / "source")
    templates.seed(source)
    database = open_database(source)
    database.close()  # schema made and checkpointed: the WAL starts empty
    database = open_database(source)
    try:
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
        for title in TITLES:
            conferences.create_conference(database, title)
        paths = resolve(tmp_path / name)
        paths.root.mkdir(parents=True)
        for side in ("", "-wal", "-shm"):  # the files as they are at the moment of the kill
            shutil.copyfile(f"{source.database}{side}", f"{paths.database}{side}")
    finally:
        database.close()
    assert Path(f"{paths.database}-wal").stat().st_size > 5 * FRAME
    return paths


def _titles(paths) -> list[str]:
    database = open_database(paths)
    try:
        return sorted(c.title for c in conferences.list_conferences(database))
    finally:
        database.close()


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _damage(paths, how: str) -> None:
    wal = Path(f"{paths.database}-wal")
    if how == "flipped-middle":
        _flip(wal, WAL_HEADER_SIZE + 1 * FRAME + 24 + 100)
    elif how == "flipped-last":
        _flip(wal, wal.stat().st_size - 10)
    elif how == "flipped-header":
        _flip(wal, 9)  # the page size
    elif how == "truncated":
        wal.write_bytes(wal.read_bytes()[: WAL_HEADER_SIZE + 3 * FRAME + 1000])


def _told(monkeypatch) -> list[str]:
    from csfacilitator import app

    said: list[str] = []
    monkeypatch.setattr(app, "_warn", said.append)
    return said


def test_a_crash_leaves_a_wal_that_replays_whole_and_a_copy_is_kept(
    tmp_path, monkeypatch, templates
):
    from csfacilitator import app

    paths = _crashed(tmp_path, templates)
    original = Path(f"{paths.database}-wal").read_bytes()
    assert inspect_wal(Path(f"{paths.database}-wal")).problem is None
    said = _told(monkeypatch)
    app._open_checked(paths).close()
    assert said == []  # an intact log after a crash is normal: logged, not a dialog
    copies = list((paths.root / WAL_COPIES).glob("*-wal"))
    assert [c.read_bytes() for c in copies] == [original]
    assert oct(copies[0].stat().st_mode & 0o777) == "0o600"
    assert _titles(paths) == TITLES


@pytest.mark.parametrize("how", ["flipped-middle", "flipped-last", "flipped-header", "truncated"])
def test_a_damaged_wal_is_kept_with_the_database_and_the_user_is_told(
    tmp_path, monkeypatch, how, templates
):
    from csfacilitator import app

    paths = _crashed(tmp_path, templates)
    _damage(paths, how)
    originals = {
        side: Path(f"{paths.database}{side}").read_bytes() for side in ("", "-wal", "-shm")
    }
    said = _told(monkeypatch)
    app._open_checked(paths).close()
    assert len(said) == 1 and "\n" not in said[0]
    assert "Recent changes may be missing" in said[0]
    kept = next(paths.root.glob("csfacilitator.sqlite3.wal-damaged-*[0-9]"))
    assert kept.name in said[0]
    for side, content in originals.items():  # the whole set, unchanged, beside the database
        assert Path(f"{kept}{side}").read_bytes() == content
        assert oct(Path(f"{kept}{side}").stat().st_mode & 0o777) == "0o600"
    assert [c.read_bytes() for c in (paths.root / WAL_COPIES).glob("*-wal")] == [originals["-wal"]]
    # SQLite kept what it could; the kept set holds the rest for whoever can recover it.
    titles = _titles(paths)
    assert set(titles) <= set(TITLES)
    if how != "flipped-header":  # SQLite's replay really dropped committed conferences
        assert len(titles) < len(TITLES)


def test_the_command_line_tells_in_one_line_and_keeps_the_wal(tmp_path, templates):
    paths = _crashed(tmp_path, templates)
    _damage(paths, "flipped-middle")
    wal = Path(f"{paths.database}-wal").read_bytes()
    result = run_cli("list", data_dir=paths.root)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Recent changes may be missing" in lines[0]
    kept = next(paths.root.glob("csfacilitator.sqlite3.wal-damaged-*[0-9]"))
    assert Path(f"{kept}-wal").read_bytes() == wal


def test_only_the_newest_copies_are_kept(tmp_path, templates):
    import datetime as dt

    paths = _crashed(tmp_path, templates)
    start = dt.datetime(2026, 1, 5, 9, 0)
    for minute in range(WAL_COPIES_KEPT + 3):
        keep_wal_at_start(paths, now=start + dt.timedelta(minutes=minute))
    names = sorted(p.name for p in (paths.root / WAL_COPIES).glob("*-wal"))
    assert len(names) == WAL_COPIES_KEPT
    assert names[-1].startswith("20260105-090700")
    assert len(wal_copies(paths)) == 2 * WAL_COPIES_KEPT  # -wal and -shm of each


def test_restoring_over_a_crashed_database_keeps_its_wal_first(tmp_path, templates):
    paths = _crashed(tmp_path, templates)
    wal = Path(f"{paths.database}-wal").read_bytes()
    from csfacilitator.storage.backup import backup_database

    backup = backup_database(paths.database, paths.backups, "manual")  # replays, on a copy
    Path(f"{paths.database}-wal").write_bytes(wal)  # as the crash left it
    restore_backup(paths, backup)
    assert [c.read_bytes() for c in (paths.root / WAL_COPIES).glob("*-wal")] == [wal]


def test_the_checker_reads_sqlites_own_checksums(tmp_path):
    import sqlite3

    path = tmp_path / "x.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("CREATE TABLE t (x)")
        for i in range(4):
            conn.execute("INSERT INTO t VALUES (?)", ("v" * 3000 + str(i),))
        report = inspect_wal(Path(f"{path}-wal"))
        assert report.problem is None and report.valid_frames >= 5
    finally:
        conn.close()
    assert not os.path.exists(f"{path}-wal")  # a clean close: nothing to keep
