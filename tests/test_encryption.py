"""Encryption at rest: what an encrypted data folder holds on disk, and converting to it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from csfacilitator.core import board, conferences, meetings
from csfacilitator.errors import StorageError, UserError
from csfacilitator.paths import resolve
from csfacilitator.storage import encryption, open_database
from csfacilitator.storage.backup import backup_database
from csfacilitator.storage.encryption import (
    PassphraseRequired,
    WrongPassphrase,
    encrypt_database,
    encrypt_open_database,
    is_encrypted,
)
from csfacilitator.storage.schema_version import HEAD
from tests.conftest import PASSPHRASE as TEMPLATE_PASSPHRASE
from tests.harness.cli_runner import run_cli

PASSPHRASE = "blue kettle, quiet harbour"
SENTINEL = "Sentinel: the heron counts eleven lanterns at Marlow Quay"
FIRST_SCHEMA = Path(__file__).parent / "data" / "schema-0001.sqlite3"


def _add_sentinel(db) -> int:
    conference_id = conferences.create_conference(db, "Encryption check")
    meeting_id = meetings.list_meetings(db, conference_id)[0].id
    board.add_point(db, meeting_id, "concerns", SENTINEL)
    return meeting_id


def _files_holding(folder: Path, text: str) -> list[str]:
    needle = text.encode("utf-8")
    return [p.name for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def _point_texts(db, meeting_id: int) -> list[str]:
    return [p.text for p in board.board_tree(db, meeting_id)["concerns"]]


def test_an_encrypted_database_its_wal_and_its_backups_never_hold_the_text(paths):
    db = open_database(paths, PASSPHRASE)
    try:
        meeting_id = _add_sentinel(db)
        wal = Path(f"{paths.database}-wal")
        assert wal.exists() and wal.stat().st_size > 0  # the point went through the WAL
        backup = backup_database(paths.database, paths.backups, "manual", passphrase=db.passphrase)
        assert is_encrypted(paths.database) and is_encrypted(backup)
        assert _files_holding(paths.root, SENTINEL) == []
        assert _files_holding(paths.root, "heron counts") == []
        # Every connection still gets the pragmas, keyed first.
        connections = [db.engine.connect() for _ in range(2)]
        try:
            for c in connections:
                assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2
                assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert c.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
                assert c.exec_driver_sql("PRAGMA cipher_version").scalar()
        finally:
            for c in connections:
                c.close()
        assert _point_texts(db, meeting_id) == [SENTINEL]
    finally:
        db.close()
    # The backup is a real copy, readable with the same key and only with it.
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(backup).execute("SELECT count(*) FROM sqlite_master").fetchone()
    keyed = encryption.open_raw_connection(backup, PASSPHRASE)
    try:
        assert keyed.execute("SELECT text FROM board_point").fetchall() == [(SENTINEL,)]
    finally:
        keyed.close()


def test_a_missing_or_wrong_passphrase_is_told_plainly(paths, capfd, templates):
    templates.seed(paths, TEMPLATE_PASSPHRASE)  # the session's encrypted database (conftest)
    with pytest.raises(PassphraseRequired, match="encrypted"):
        open_database(paths)
    with pytest.raises(WrongPassphrase) as caught:
        open_database(paths, "not the passphrase")
    assert str(caught.value).startswith("The passphrase is not right for this database")
    assert "not a database" not in str(caught.value)
    assert "hmac" not in capfd.readouterr().err  # SQLCipher's own complaints stay quiet


def test_a_damaged_file_is_not_mistaken_for_an_encrypted_one(paths):
    from csfacilitator.errors import DatabaseCorrupt

    paths.root.mkdir(parents=True)
    paths.database.write_bytes(b"\x00" * 4096)  # whole pages, but no ciphertext
    assert not is_encrypted(paths.database)
    with pytest.raises(DatabaseCorrupt):
        open_database(paths)
    paths.database.write_bytes(os.urandom(8192))  # what SQLCipher's pages look like
    assert is_encrypted(paths.database)
    with pytest.raises(PassphraseRequired):
        open_database(paths)


@pytest.mark.parametrize(
    "passphrase",
    ['it\'s "quoted"; DROP TABLE x; --', "Zoë's café ☕ مرحبا 12345", "  spaces around  "],
)
def test_any_characters_work_and_accents_typed_either_way_match(paths, passphrase):
    db = open_database(paths, passphrase)
    meeting_id = _add_sentinel(db)
    db.close()
    decomposed = unicodedata.normalize("NFD", passphrase)
    db = open_database(paths, decomposed)
    try:
        assert _point_texts(db, meeting_id) == [SENTINEL]
    finally:
        db.close()


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [("short", None, "at least 8"), ("long enough", "long enougH", "not the same")],
)
def test_a_new_passphrase_must_be_long_enough_and_typed_twice_the_same(first, second, message):
    with pytest.raises(UserError, match=message):
        encryption.validate_new_passphrase(first, second)
    with pytest.raises(UserError, match="null"):
        encryption.normalize_passphrase("nul\x00here!")


def test_encrypting_converts_the_database_and_its_backups_and_removes_the_plain_copies(
    paths, templates
):
    templates.seed(paths)  # a plain database (made once per session) to encrypt
    db = open_database(paths)
    meeting_id = _add_sentinel(db)
    backup_database(paths.database, paths.backups, "manual")
    db.close()
    assert _files_holding(paths.root, SENTINEL)  # plain, before

    report = encrypt_database(paths, PASSPHRASE)

    assert report.backups_encrypted == 1 and report.left_plain == ()
    assert _files_holding(paths.root, SENTINEL) == []
    leftovers = [
        p.name for p in paths.root.rglob("*") if p.name.endswith((".plain-old", ".encrypting"))
    ]
    assert leftovers == []
    db = open_database(paths, PASSPHRASE)
    try:
        assert db.encrypted and _point_texts(db, meeting_id) == [SENTINEL]
        board.add_point(db, meeting_id, "concerns", "A second heron counts eleven lanterns")
        assert _files_holding(paths.root, "heron counts") == []
    finally:
        db.close()
    with pytest.raises(UserError, match="already encrypted"):
        encrypt_database(paths, PASSPHRASE)


def test_encrypting_an_open_database_reconnects_it(db):
    meeting_id = _add_sentinel(db)
    encrypt_open_database(db, PASSPHRASE)
    assert db.encrypted and is_encrypted(db.paths.database)
    board.add_point(db, meeting_id, "concerns", "After encrypting")
    assert _point_texts(db, meeting_id) == [SENTINEL, "After encrypting"]
    assert _files_holding(db.paths.root, SENTINEL) == []


def test_encrypting_is_refused_while_another_program_has_the_database_open(paths, templates):
    templates.seed(paths)
    db = open_database(paths)
    meeting_id = _add_sentinel(db)
    db.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"c = sqlite3.connect({str(paths.database)!r})\n"
            "c.execute('SELECT count(*) FROM board_point').fetchone()\n"
            "print('ready', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StorageError, match="in use"):
            encrypt_database(paths, PASSPHRASE)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()
    assert not is_encrypted(paths.database)
    db = open_database(paths)
    try:
        assert _point_texts(db, meeting_id) == [SENTINEL]
    finally:
        db.close()


def test_a_conversion_cut_short_is_finished_or_undone_on_the_next_open(paths, tmp_path, templates):
    templates.seed(paths)
    db = open_database(paths)
    meeting_id = _add_sentinel(db)
    db.close()
    plain_copy = tmp_path / "plain.sqlite3"
    shutil.copy(paths.database, plain_copy)
    aside = paths.database.with_name(paths.database.name + ".plain-old")

    # Cut between the two renames: the plain database goes back in place.
    os.replace(paths.database, aside)
    db = open_database(paths)
    assert _point_texts(db, meeting_id) == [SENTINEL] and not aside.exists()
    db.close()

    # Cut after the encrypted file was in place: the plain copy is removed for good.
    encrypt_database(paths, PASSPHRASE)
    shutil.copy(plain_copy, aside)
    db = open_database(paths, PASSPHRASE)
    db.close()
    assert not aside.exists()
    assert _files_holding(paths.root, SENTINEL) == []


def test_secure_remove_overwrites_the_file_before_removing_it(tmp_path):
    doomed = tmp_path / "doomed.sqlite3"
    doomed.write_text(SENTINEL * 100, encoding="utf-8")
    same_inode = tmp_path / "hard-link"
    os.link(doomed, same_inode)  # sees the blocks the removal leaves behind
    encryption.secure_remove(doomed)
    assert not doomed.exists()
    assert same_inode.read_bytes() == bytes(len(SENTINEL) * 100)


def test_an_encrypted_database_at_an_old_schema_upgrades_with_an_encrypted_backup(tmp_path):
    paths = resolve(tmp_path / "data")
    paths.root.mkdir(parents=True)
    shutil.copy(FIRST_SCHEMA, paths.database)
    encryption.encrypt_file(paths.database, PASSPHRASE)
    assert is_encrypted(paths.database)

    db = open_database(paths, PASSPHRASE)
    try:
        assert conferences.get_conference(db, 1).title == "Saved at schema 0001"
        with db.engine.connect() as c:
            assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD
    finally:
        db.close()
    (backup,) = paths.backups.glob("*before-upgrade-from-0001.sqlite3")
    assert is_encrypted(backup)
    assert _files_holding(paths.root, "Saved at schema 0001") == []


def test_without_sqlcipher_an_encrypted_database_is_explained(monkeypatch):
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)
    with pytest.raises(StorageError, match=r"csfacilitator\[encryption\]"):
        encryption.dbapi()


CHECK_IMPORTS = r"""
import sys
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database
from csfacilitator.core import conferences
db = open_database(resolve(sys.argv[1]))
conferences.create_conference(db, "Plain")
db.close()
from csfacilitator.app import create_window
window = create_window(sys.argv[1])
window.lock()
print("SQLCIPHER", "sqlcipher3" in sys.modules)
"""


def test_a_plain_database_never_loads_sqlcipher(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", CHECK_IMPORTS, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "SQLCIPHER False" in result.stdout


def test_a_command_without_the_passphrase_says_how_to_give_it(paths, monkeypatch, templates):
    from csfacilitator.commands.encrypt import passphrase_for

    monkeypatch.delenv(encryption.ENV_PASSPHRASE, raising=False)
    assert passphrase_for(paths) is None  # plain: nothing asked
    templates.seed(paths, TEMPLATE_PASSPHRASE)  # the session's encrypted database (conftest)
    monkeypatch.setattr(sys, "stdin", None)  # no terminal to type it in
    with pytest.raises(UserError, match=encryption.ENV_PASSPHRASE):
        passphrase_for(paths)
    monkeypatch.setenv(encryption.ENV_PASSPHRASE, TEMPLATE_PASSPHRASE)
    assert passphrase_for(paths) == TEMPLATE_PASSPHRASE


@pytest.mark.slow
def test_the_command_line_encrypts_and_then_needs_the_passphrase(tmp_path, templates):
    data = tmp_path / "data"
    templates.seed(resolve(data), example=True)  # a plain database holding the example

    done = run_cli("encrypt", data_dir=data, env={encryption.ENV_PASSPHRASE: PASSPHRASE})
    assert done.returncode == 0, done.stderr
    assert "Encrypted the database" in done.stdout
    assert is_encrypted(data / "csfacilitator.sqlite3")
    assert _files_holding(data, "Wrenmoor Park") == []

    wrong = run_cli("list", data_dir=data, env={encryption.ENV_PASSPHRASE: "the wrong words"})
    assert wrong.returncode == 2
    assert "The passphrase is not right for this database" in wrong.stderr
    assert "not a database" not in wrong.stderr and "Traceback" not in wrong.stderr
    right = run_cli("list", data_dir=data, env={encryption.ENV_PASSPHRASE: PASSPHRASE})
    assert right.returncode == 0 and "Wrenmoor Park" in right.stdout


def test_a_converted_copy_is_written_in_one_transaction(paths, templates):
    """sqlcipher_export run in autocommit commits (and syncs) once per table and index: seconds
    for one backup. In one transaction the copy's file change counter (bytes 24-27 of a plain
    SQLite header) goes up once."""
    templates.seed(paths)
    db = open_database(paths)
    meeting_id = _add_sentinel(db)
    db.close()
    encrypt_database(paths, PASSPHRASE)

    encryption.convert_file(paths.database, PASSPHRASE, None)  # decrypted: a readable header

    header = paths.database.read_bytes()[:100]
    assert header.startswith(encryption.SQLITE_HEADER)
    assert int.from_bytes(header[24:28], "big") == 1
    db = open_database(paths)
    try:
        assert _point_texts(db, meeting_id) == [SENTINEL]
    finally:
        db.close()
