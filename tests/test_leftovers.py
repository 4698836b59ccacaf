"""Temporary copies a killed process left (half-written backups and their journals, conversion
copies, export temp files) are removed securely at the next start, by delete --purge-backups,
by encrypt and by the next export to that folder, and each says what it removed; a copy still
being written is never touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from csfacilitator.atomic_file import TEMP_SUFFIX, write_atomic
from csfacilitator.paths import resolve
from csfacilitator.storage import encryption, open_database
from csfacilitator.storage.leftovers import remove_leftovers, writing_in
from tests.harness.cli_runner import run_cli

SENTINEL = b"Sentinel: the heron counts eleven lanterns at Marlow Quay"
PASSPHRASE = "blue kettle, quiet harbour"


def _plant(paths) -> list[Path]:
    """What kills left in the data folder: each holds the sentinel in clear."""
    paths.backups.mkdir(parents=True, exist_ok=True)
    planted = [
        paths.backups / "20260101-000000-000000Z-periodic.partial",
        paths.backups / "20260101-000000-000000Z-periodic.partial-journal",
        paths.backups / "20260102-000000-000000Z-start.sqlite3.encrypting",
        paths.root / "csfacilitator.sqlite3.encrypting",
        paths.root / "csfacilitator.sqlite3.encrypting-journal",
    ]
    for path in planted:
        path.write_bytes(b"SQLite format 3\x00" + SENTINEL * 200)
    return planted


def _holding(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.is_file() and SENTINEL in p.read_bytes()]


def test_the_next_start_removes_them_and_remembers_what_it_removed(paths, templates):
    templates.seed(paths)  # a database made at an earlier start (the migrated template's copy)
    planted = _plant(paths)
    inode_twin = paths.root.parent / "twin"
    os.link(planted[0], inode_twin)  # sees the blocks the removal leaves behind
    db = open_database(paths)
    db.close()
    assert not any(p.exists() for p in planted)
    assert _holding(paths.root) == []
    assert SENTINEL not in inode_twin.read_bytes()  # overwritten before it was unlinked
    assert sorted(encryption.take_finished(paths).removed) == sorted(planted)


def test_a_copy_being_written_is_left_alone(paths):
    planted = _plant(paths)
    with writing_in(paths.backups):  # a backup being made by another process
        assert remove_leftovers([paths.backups]) == []
        assert all(p.exists() for p in planted[:3])
    assert sorted(remove_leftovers([paths.backups])) == sorted(planted[:3])


@pytest.mark.slow
def test_delete_purge_backups_removes_them_and_says_so(tmp_path, templates):
    paths = resolve(tmp_path / "data")
    conference_id = templates.seed(paths, example=True)  # the example template's copy
    planted = _plant(paths)
    done = run_cli(
        "delete",
        str(conference_id),
        "--yes",
        "--purge-backups",
        data_dir=paths.root,
        clean_env=True,
    )
    assert done.returncode == 0, done.stderr
    for path in planted:
        assert f"Removed the leftover temporary copy {path}" in done.stdout
    assert _holding(paths.root) == []


@pytest.mark.slow
def test_encrypt_removes_them_and_says_so(tmp_path, templates):
    paths = resolve(tmp_path / "data")
    templates.seed(paths)  # a plain database (the migrated template's copy)
    planted = _plant(paths)
    done = run_cli(
        "encrypt", data_dir=paths.root, env={"CSFACILITATOR_PASSPHRASE": PASSPHRASE}, clean_env=True
    )
    assert done.returncode == 0, done.stderr
    for path in planted:
        assert f"Removed the leftover temporary copy {path}" in done.stdout
    assert _holding(paths.root) == []


def test_the_next_export_to_a_folder_removes_a_killed_exports_temp_file(tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    stale = out / f".minutes.docx.x1y2z3{TEMP_SUFFIX}"
    stale.write_bytes(SENTINEL * 100)
    busy = out / f".plan.docx.a1b2c3{TEMP_SUFFIX}"
    busy.write_bytes(SENTINEL)
    fcntl = pytest.importorskip("fcntl")

    fd = os.open(busy, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another export still writing it
    try:
        write_atomic(b"new", out / "agenda.docx")
        assert not stale.exists() and busy.exists()
    finally:
        os.close(fd)
    assert sorted(p.name for p in out.iterdir()) == [busy.name, "agenda.docx"]
    write_atomic(b"again", out / "agenda.docx")
    assert sorted(p.name for p in out.iterdir()) == ["agenda.docx"]
