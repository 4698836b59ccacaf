"""SQLite errors are classified by error code, not by words; a writer waits for another one
(BEGIN IMMEDIATE, so the busy timeout applies) instead of failing at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from csfacilitator.core import conferences
from csfacilitator.errors import DatabaseCorrupt, StorageError
from csfacilitator.storage import sqlite_errors
from csfacilitator.storage.sqlite_errors import Kind, classify


def _error(words: str, code: int | None, cls=sqlite3.OperationalError) -> Exception:
    error = cls(words)
    if code is not None:
        error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (13, Kind.FULL),
        (8, Kind.READ_ONLY),
        (8 | (1 << 8), Kind.READ_ONLY),  # SQLITE_READONLY_RECOVERY
        (3, Kind.READ_ONLY),
        (14, Kind.READ_ONLY),
        (5, Kind.BUSY),
        (6, Kind.BUSY),
        (10 | (4 << 8), Kind.IO),  # SQLITE_IOERR_FSYNC
        (11, Kind.DAMAGE),
        (26, Kind.DAMAGE),
        (1, Kind.BUG),  # SQLITE_ERROR: "no such table", a syntax error: ours
        (19, Kind.BUG),  # SQLITE_CONSTRAINT
    ],
)
def test_the_error_code_decides_not_the_words(code, kind):
    # Words that would mislead a text match: the code alone decides.
    assert classify(_error("full read-only locked malformed", code)) is kind


def test_without_a_code_only_sqlites_own_error_string_counts():
    assert classify(_error("database or disk is full", None)) is Kind.FULL
    assert classify(_error("file is not a database", None)) is Kind.DAMAGE
    assert classify(_error("no such column: full_name", None)) is Kind.BUG
    assert classify(_error("table readonly_notes is locked out", None)) is Kind.BUG


def test_a_real_not_a_database_error_is_damage(tmp_path):
    path = tmp_path / "x.sqlite3"
    path.write_bytes(b"hello, this is not a database" * 200)
    with pytest.raises(sqlite3.DatabaseError) as caught:
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()
    assert classify(caught.value) is Kind.DAMAGE


def test_a_real_read_only_error_is_the_environments(tmp_path):
    path = tmp_path / "x.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        conn.execute("INSERT INTO t VALUES (1)")
    assert classify(caught.value) is Kind.READ_ONLY
    assert "read-only" in sqlite_errors.message(Kind.READ_ONLY)


def test_a_bug_in_a_session_is_not_called_a_full_disk(db):
    # Today's word match read "full" in "full_name" and told the user the disk was full.
    with pytest.raises(sa_exc.OperationalError), db.session() as s:
        s.execute(text("SELECT full_name FROM conference"))


def test_a_session_turns_the_environments_errors_into_one_sentence(db, monkeypatch):
    def fail(*_a, **_k):
        raise sa_exc.OperationalError("INSERT", {}, _error("whatever it says", 13))

    with pytest.raises(StorageError, match=r"^The disk is full") as caught, db.session() as s:
        fail()
    assert "\n" not in str(caught.value)
    with pytest.raises(DatabaseCorrupt, match="damaged"), db.session() as s:  # noqa: F841
        raise sa_exc.DatabaseError("SELECT", {}, _error("whatever", 11, sqlite3.DatabaseError))


def test_integrity_errors_stay_bugs(db):
    with pytest.raises(sa_exc.IntegrityError), db.session() as s:
        s.execute(
            text(
                "INSERT INTO agenda_item (meeting_id, position, title, lead) "
                "VALUES (999, 0, 'x', '')"
            )
        )


HOLD_WRITE_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()  # until the test lets go
conn.execute("COMMIT")
"""


def test_a_save_waits_for_another_writer_instead_of_failing(db, paths):
    """Another process holds the write lock until the test lets it go, a second after the
    save began: the save must end well, and only after that (no clock is read)."""
    conference_id = conferences.create_conference(db, "Before")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, str(paths.database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    let_go = threading.Event()

    def release() -> None:
        let_go.set()
        holder.stdin.write("go\n")
        holder.stdin.flush()

    try:
        assert holder.stdout.readline().strip() == "held"
        timer = threading.Timer(1.0, release)
        timer.start()
        # update_conference reads the row before writing it: with a deferred BEGIN SQLite
        # refused the upgrade to a writer at once ("database is locked").
        conferences.update_conference(db, conference_id, title="After")
        finished_after_release = let_go.is_set()
        timer.join()
    finally:
        if not let_go.is_set():
            release()
        holder.wait(timeout=30)
        holder.stdin.close()
        holder.stdout.close()
    assert conferences.get_conference(db, conference_id).title == "After"
    assert finished_after_release  # it waited for the other writer


def test_a_read_session_does_not_take_the_write_lock(db, paths):
    conferences.create_conference(db, "Read me")
    other = sqlite3.connect(paths.database, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        # The lock is held throughout: a session that asked for it would wait out the busy
        # timeout and fail, so reading at all shows it did not ask.
        with db.read_session() as s:
            assert s.execute(text("SELECT count(*) FROM conference")).scalar() == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
