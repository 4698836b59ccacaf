"""`delete --purge-backups` can always be finished, and leaves no copy of the deleted text.

A run cut short between its delete and its purge is finished by the next start, or by running
the same command again; a backup whose secure removal was cut short is never listed and is
finished at the next start; WAL copies go with the purge and with `encrypt`, while the damaged
sets kept for recovery are named (and removed only with --purge-damaged).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from csfacilitator import cli
from csfacilitator.core import board, conferences, meetings
from csfacilitator.storage import encryption, leftovers, open_database, purge
from csfacilitator.storage.backup import backup_database, list_backups
from csfacilitator.storage.leftovers import find_leftovers

SENTINEL = "Quillwort ferry sentinel 5d2e beside the boathouse"
KEPT = "Larch wren kept 90c1 at the allotments"
PASSPHRASE = "copper lantern, slow river"


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no `except Exception` catches it."""


def _conference(db, title: str, marker: str) -> int:
    conference_id = conferences.create_conference(db, title)
    meeting_id = meetings.list_meetings(db, conference_id)[0].id
    board.add_points(db, meeting_id, "concerns", [f"{marker} {i}" for i in range(50)])
    return conference_id


@pytest.fixture
def folder(paths, templates):
    """The doomed conference and a kept one, and a backup holding both."""
    templates.seed(paths)
    db = open_database(paths)
    try:
        _conference(db, "Doomed", SENTINEL)
        _conference(db, "Kept", KEPT)
    finally:
        db.close()
    backup_database(paths.database, paths.backups, "manual")
    return paths


def holding(root: Path, text: str) -> list[str]:
    needle = text.encode()
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and needle in p.read_bytes()
    )


def run_cli(paths, *args: str) -> int:
    return cli.main(["--data-dir", str(paths.root), *args])


def _kill_at(monkeypatch, target, name: str) -> None:
    def killed(*_args, **_kw):
        raise Killed

    monkeypatch.setattr(target, name, killed)


def _killed_after_the_delete(paths, monkeypatch) -> None:
    """`delete Doomed --yes --purge-backups`, killed once the delete is done, before the purge."""
    with monkeypatch.context() as patch:
        _kill_at(patch, purge, "purge")
        with pytest.raises(Killed):
            run_cli(paths, "delete", "Doomed", "--yes", "--purge-backups")
    assert holding(paths.root, SENTINEL) != [], "the kill left nothing to finish"
    assert not [name for name in holding(paths.root, SENTINEL) if name.startswith("csfac")]


def test_a_purge_cut_short_after_the_delete_is_finished_at_the_next_start(folder, monkeypatch):
    _killed_after_the_delete(folder, monkeypatch)
    db = open_database(folder)  # the next start (the app's, or any command's)
    try:
        assert [c.title for c in conferences.list_conferences(db)] == ["Kept"]
    finally:
        db.close()
    assert holding(folder.root, SENTINEL) == []
    assert holding(folder.root, KEPT)  # the fresh backup and the database
    finished = purge.take_finished(folder)
    assert finished is not None and finished.resumed and finished.conference.title == "Doomed"
    assert len(finished.backups) == 1
    assert [b.path for b in list_backups(folder.backups)] == [finished.fresh]
    assert not (folder.root / purge.NOTE_NAME).exists()


def test_running_the_delete_again_finishes_the_purge_and_says_so(folder, monkeypatch, capsys):
    _killed_after_the_delete(folder, monkeypatch)
    capsys.readouterr()
    assert run_cli(folder, "delete", "Doomed", "--yes", "--purge-backups") == 0
    out = capsys.readouterr().out
    assert "Finished the purge an interrupted delete of conference 'Doomed' left" in out
    assert "Removed 1 older backups" in out
    assert holding(folder.root, SENTINEL) == []
    # Once finished, the same command says there is nothing of that name any more.
    assert run_cli(folder, "delete", "Doomed", "--yes", "--purge-backups") == 2


def test_a_kill_before_the_delete_changes_nothing_and_the_note_goes(folder, monkeypatch):
    with monkeypatch.context() as patch:
        _kill_at(patch, conferences, "delete_conference")
        with pytest.raises(Killed):
            run_cli(folder, "delete", "Doomed", "--yes", "--purge-backups")
    assert (folder.root / purge.NOTE_NAME).exists()
    backups = list_backups(folder.backups)
    db = open_database(folder)
    try:
        assert sorted(c.title for c in conferences.list_conferences(db)) == ["Doomed", "Kept"]
    finally:
        db.close()
    assert list_backups(folder.backups) == backups  # nothing purged: nothing was deleted
    assert purge.take_finished(folder) is None
    assert not (folder.root / purge.NOTE_NAME).exists()


def test_a_conference_deleted_without_the_purge_can_be_purged_later(folder, capsys):
    assert run_cli(folder, "delete", "Doomed", "--yes") == 0
    assert holding(folder.root, SENTINEL) == [
        "backups/" + list_backups(folder.backups)[0].path.name
    ]
    assert run_cli(folder, "delete", "Nonesuch", "--yes", "--purge-backups") == 2  # a typo
    assert run_cli(folder, "delete", "Doomed", "--purge-backups") == 2  # asks for --yes
    err = capsys.readouterr().err
    assert "no backup holds one" in err
    assert "is already deleted, but 1 backups still hold it" in err
    assert holding(folder.root, SENTINEL) != []
    assert run_cli(folder, "delete", "Doomed", "--yes", "--purge-backups") == 0
    out = capsys.readouterr().out
    assert "Conference 'Doomed' was already deleted from the database" in out
    assert holding(folder.root, SENTINEL) == []
    assert holding(folder.root, KEPT)


def test_a_renamed_conference_is_not_taken_for_a_deleted_one(folder):
    db = open_database(folder)
    try:
        conferences.update_conference(db, conferences.find_conference(db, "Doomed"), title="New")
    finally:
        db.close()
    before = list_backups(folder.backups)
    # The backup holds "Doomed", but that conference is still in the database (as "New").
    assert run_cli(folder, "delete", "Doomed", "--yes", "--purge-backups") == 2
    assert list_backups(folder.backups) == before


# -- a secure removal cut short ---------------------------------------------------------------


def _cut_overwrite(monkeypatch) -> None:
    """leftovers._overwrite (secure_remove's) zeroes the first MiB, then the process dies."""

    def first_chunk_then_killed(handle):
        handle.seek(0)
        handle.write(bytes(leftovers._CHUNK))
        handle.flush()
        raise Killed

    monkeypatch.setattr(leftovers, "_overwrite", first_chunk_then_killed)


def test_a_backup_whose_removal_was_cut_short_is_not_listed_and_goes_at_the_next_start(
    paths, monkeypatch, templates
):
    templates.seed(paths)  # a migrated database, copied
    backup = backup_database(paths.database, paths.backups, "manual")
    # A backup of two MiB and more: the sentinel past the first MiB that the kill zeroed.
    with backup.open("ab") as handle:
        handle.write(bytes(2 << 20) + SENTINEL.encode())
    with monkeypatch.context() as patch:
        _cut_overwrite(patch)
        with pytest.raises(Killed):
            encryption.secure_remove(backup)
    assert backup not in [b.path for b in list_backups(paths.backups)]
    left = find_leftovers([paths.backups])
    assert len(left) == 1 and SENTINEL.encode() in left[0].read_bytes()
    open_database(paths).close()  # the next start
    assert holding(paths.root, SENTINEL) == []
    assert find_leftovers([paths.backups]) == []
    assert encryption.take_finished(paths).removed == tuple(left)


def test_a_purge_cut_mid_overwrite_is_finished_by_the_next_start(folder, monkeypatch):
    with monkeypatch.context() as patch:
        _cut_overwrite(patch)
        with pytest.raises(Killed):
            run_cli(folder, "delete", "Doomed", "--yes", "--purge-backups")
    assert all(b.reason == "after-delete" for b in list_backups(folder.backups))
    open_database(folder).close()
    assert holding(folder.root, SENTINEL) == []
    assert [b.reason for b in list_backups(folder.backups)] == ["after-delete"]


def test_removing_a_file_twice_over_a_removal_cut_short(tmp_path, monkeypatch):
    doomed = tmp_path / "copy.sqlite3"
    doomed.write_bytes(SENTINEL.encode() * 10)
    with monkeypatch.context() as patch:
        _cut_overwrite(patch)
        with pytest.raises(Killed):
            encryption.secure_remove(doomed)
    doomed.write_bytes(SENTINEL.encode())  # a new file of that name, removed in turn
    encryption.secure_remove(doomed)
    assert list(tmp_path.iterdir()) == []


# -- WAL copies and damaged sets ----------------------------------------------------------------


def _plant_copies(paths) -> tuple[list[Path], list[Path]]:
    """WAL copies (as keep_wal_at_start keeps them) and damaged sets, each holding SENTINEL."""
    (paths.root / "wal-copies").mkdir(exist_ok=True)
    copies = [
        paths.root / "wal-copies" / "20260101-000000-000000-wal",
        paths.root / "wal-copies" / "20260101-000000-000000-shm",
    ]
    name = paths.database.name
    damaged = [
        paths.root / f"{name}.wal-damaged-20260101-000000-000000",
        paths.root / f"{name}.wal-damaged-20260101-000000-000000-wal",
        paths.root / f"{name}.corrupt-20260102-000000",
    ]
    for path in (*copies, *damaged):
        path.write_bytes(SENTINEL.encode() * 100)
    return copies, damaged


def test_the_purge_removes_wal_copies_and_names_the_damaged_sets(folder, capsys):
    copies, damaged = _plant_copies(folder)
    assert run_cli(folder, "delete", "Doomed", "--yes", "--purge-backups") == 0
    out = capsys.readouterr().out
    assert not any(p.exists() for p in copies)
    assert "Removed 2 copies of the database's log of recent changes" in out
    assert all(p.exists() for p in damaged)  # kept for recovery, and named
    assert "3 damaged copies kept aside for recovery may still hold it" in out
    assert all(str(p) in out for p in damaged) and "--purge-damaged" in out
    assert sorted(holding(folder.root, SENTINEL)) == sorted(p.name for p in damaged)


def test_purge_damaged_removes_them_too(folder, capsys):
    _, damaged = _plant_copies(folder)
    assert run_cli(folder, "delete", "Doomed", "--yes", "--purge-damaged") == 2  # needs the purge
    assert all(p.exists() for p in damaged)
    assert run_cli(folder, "delete", "Doomed", "--yes", "--purge-backups", "--purge-damaged") == 0
    out = capsys.readouterr().out
    assert all(f"Removed the damaged copy {p}" in out for p in damaged)
    assert holding(folder.root, SENTINEL) == []


@pytest.mark.slow
def test_encrypt_removes_wal_copies_and_names_the_damaged_sets(folder, monkeypatch, capsys):
    pytest.importorskip("sqlcipher3")
    copies, damaged = _plant_copies(folder)
    monkeypatch.setenv(encryption.ENV_PASSPHRASE, PASSPHRASE)
    assert run_cli(folder, "encrypt") == 0
    out = capsys.readouterr().out
    assert not any(p.exists() for p in copies)
    assert "Removed 2 copies of the database's log of recent changes" in out
    assert all(p.exists() for p in damaged)
    assert "3 damaged copies kept aside for recovery are not encrypted" in out
    assert all(str(p) in out for p in damaged)
    # Run again with --purge-damaged: the database is encrypted already; they go now.
    assert run_cli(folder, "encrypt", "--purge-damaged") == 0
    out = capsys.readouterr().out
    assert all(f"Removed the damaged copy {p}" in out for p in damaged)
    assert holding(folder.root, SENTINEL) == []


def test_the_wal_and_shm_of_a_half_written_backup_go_at_the_next_start(paths, templates):
    """Connection.backup copies the source's WAL flag: a copy killed before it switched back
    to a single file leaves '<name>.partial-wal' (full of pages) and '-shm' beside it."""
    templates.seed(paths)  # a migrated database, copied
    stem = paths.backups / "20260101-000000-000000Z-before-restore.partial"
    paths.backups.mkdir(exist_ok=True)
    for side in ("", "-wal", "-shm"):
        Path(f"{stem}{side}").write_bytes(SENTINEL.encode() * 100)
    open_database(paths).close()  # the next start
    assert holding(paths.root, SENTINEL) == []
    assert sorted(p.name for p in encryption.take_finished(paths).removed) == sorted(
        f"{stem.name}{side}" for side in ("", "-wal", "-shm")
    )


def test_an_encrypted_database_s_purge_is_finished_too(paths, monkeypatch):
    pytest.importorskip("sqlcipher3")
    from csfacilitator.storage.recovery import describe_backup

    db = open_database(paths, PASSPHRASE)
    try:
        _conference(db, "Doomed", SENTINEL)
        _conference(db, "Kept", KEPT)
    finally:
        db.close()
    backup_database(paths.database, paths.backups, "manual", passphrase=PASSPHRASE)
    monkeypatch.setenv(encryption.ENV_PASSPHRASE, PASSPHRASE)
    with monkeypatch.context() as patch:
        _kill_at(patch, purge, "purge")
        with pytest.raises(Killed):
            run_cli(paths, "delete", "Doomed", "--yes", "--purge-backups")
    (older,) = list_backups(paths.backups)  # the kill came before the fresh backup
    assert sorted(describe_backup(older.path, PASSPHRASE).titles) == ["Doomed", "Kept"]
    open_database(paths, PASSPHRASE).close()  # the next start
    backups = list_backups(paths.backups)
    assert [b.reason for b in backups] == ["after-delete"]
    assert describe_backup(backups[0].path, PASSPHRASE).titles == ("Kept",)
    assert encryption.is_encrypted(backups[0].path)
    assert purge.take_finished(paths).resumed
