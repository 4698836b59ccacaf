"""A rollback journal a killed writer left beside the database ("hot") is rolled back, never
taken for a read-only folder.

Leaving WAL mode (`encrypt`, `passphrase change|remove`) and entering it again (the first open
afterwards) rewrite the database's header under a rollback journal: a process killed there
leaves '<database>-journal' holding the header as it was. The check before every command and
at the app's start read the file through a read-only connection, which SQLite refuses while a
hot journal waits (SQLITE_READONLY_ROLLBACK, an extended SQLITE_READONLY), and that was told as
"The data folder is read-only or not yours to write". `kill_mid_change` leaves the same state
deterministically: a process SIGKILLed while its rollback journal was on disk (a kill
injected with strace at the unlink of the journal in `encrypt` leaves a 4,616-byte one: the
header page and the journal's own header, as here).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from csfacilitator.storage import encryption, sqlite_errors
from csfacilitator.storage.backup import check_file
from csfacilitator.storage.recovery import damage_of
from csfacilitator.storage.sqlite_errors import Kind, classify
from tests.harness import fast_kdf

ROOT = Path(__file__).parent.parent
PASSPHRASE = "blue kettle, quiet harbour"

_KILLED_MID_CHANGE = """
import os, signal, sqlite3, sys
path, key = sys.argv[1], sys.argv[2]
if key:
    from tests.harness import fast_kdf
    from sqlcipher3 import dbapi2 as sqlite3
    fast_kdf.set_default_rounds(fast_kdf.ROUNDS)
connection = sqlite3.connect(path, isolation_level=None)
if key:
    connection.execute("PRAGMA key = '" + key.replace("'", "''") + "'")
connection.execute("PRAGMA journal_mode = DELETE")  # out of WAL, as a conversion leaves it
connection.execute("PRAGMA cache_size = 1")  # so the change reaches the file before the kill
connection.execute("BEGIN IMMEDIATE")
connection.execute("CREATE TABLE half_done (x)")
connection.execute(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
    "INSERT INTO half_done SELECT zeroblob(3000) FROM n"
)
os.kill(os.getpid(), signal.SIGKILL)
"""


def kill_mid_change(db_path: Path, passphrase: str | None = None) -> None:
    """A process writing `db_path` under a rollback journal, SIGKILLed before it committed:
    the journal is hot (synced, no lock held) and the file holds part of the change."""
    before = db_path.stat().st_size
    child = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_CHANGE, str(db_path), passphrase or ""],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert Path(f"{db_path}-journal").stat().st_size > 0
    assert db_path.stat().st_size > before  # the half-done change reached the file


def _read_only_error(db_path: Path) -> sqlite3.Error:
    connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.Error) as caught:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        connection.close()
    return caught.value


def _plain_database(path: Path) -> None:
    _fill(sqlite3.connect(path))


def _fill(connection) -> None:  # noqa: ANN001 - sqlite3's or SQLCipher's connection
    """A WAL-mode database with one note in it; the connection is closed."""
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("CREATE TABLE note (text TEXT)")
        connection.execute("INSERT INTO note VALUES ('the heron counts eleven lanterns')")
        connection.commit()
    finally:
        connection.close()


def _tables_and_notes(connection) -> tuple[list[str], list[str]]:
    tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master ORDER BY name")]
    return tables, [r[0] for r in connection.execute("SELECT text FROM note")]


def test_a_hot_journal_refuses_a_read_only_connection_and_is_not_called_read_only(tmp_path):
    db_path = tmp_path / "x.sqlite3"
    _plain_database(db_path)
    kill_mid_change(db_path)

    error = _read_only_error(db_path)

    assert error.sqlite_errorcode == sqlite_errors.SQLITE_READONLY_ROLLBACK
    assert classify(error, tmp_path) is Kind.UNFINISHED  # the folder takes writes
    assert "read-only" not in sqlite_errors.message(Kind.UNFINISHED)
    assert "Nothing is lost" in sqlite_errors.message(Kind.UNFINISHED)
    assert classify(error) is Kind.READ_ONLY  # without the folder it cannot tell (as before)


def test_the_check_rolls_a_hot_journal_back_and_loses_nothing(tmp_path):
    db_path = tmp_path / "x.sqlite3"
    _plain_database(db_path)
    kill_mid_change(db_path)

    assert damage_of(db_path) is None  # the check at start and before every command

    assert not Path(f"{db_path}-journal").exists()
    connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        assert _tables_and_notes(connection) == (["note"], ["the heron counts eleven lanterns"])
    finally:
        connection.close()


def test_the_check_rolls_back_an_encrypted_databases_hot_journal(tmp_path):
    """The app's start checks an encrypted database with its passphrase: the same refusal."""
    db_path = tmp_path / "x.sqlite3"
    with fast_kdf.fewer_rounds():
        _fill(encryption.open_raw_connection(db_path, PASSPHRASE, check=False))
        kill_mid_change(db_path, PASSPHRASE)

        assert check_file(db_path, PASSPHRASE) is None

        assert not Path(f"{db_path}-journal").exists()
        connection = encryption.open_raw_connection(db_path, PASSPHRASE)
        try:
            assert _tables_and_notes(connection) == (
                ["note"],
                ["the heron counts eleven lanterns"],
            )
        finally:
            connection.close()


def test_a_file_moved_while_open_is_not_called_read_only(tmp_path):
    db_path = tmp_path / "x.sqlite3"
    _plain_database(db_path)
    connection = sqlite3.connect(db_path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("SELECT count(*) FROM note").fetchone()
        os.replace(db_path, tmp_path / "elsewhere.sqlite3")
        with pytest.raises(sqlite3.Error) as caught:
            connection.execute("INSERT INTO note VALUES ('more')")
    finally:
        connection.close()
    assert caught.value.sqlite_errorcode == sqlite_errors.SQLITE_READONLY_DBMOVED
    assert classify(caught.value, tmp_path) is Kind.MOVED
    assert "read-only" not in sqlite_errors.message(Kind.MOVED)
