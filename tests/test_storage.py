"""The storage promises: pragmas on every connection, private files, migrations, refusals."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from csfacilitator.core import conferences, meetings
from csfacilitator.errors import DatabaseCorrupt, DatabaseTooNew, DataFolderError
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database
from csfacilitator.storage.schema_version import HEAD, KNOWN_REVISIONS

FIRST_SCHEMA = Path(__file__).parent / "data" / "schema-0001.sqlite3"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.encrypted_too
def test_every_connection_has_wal_full_sync_and_foreign_keys(db):
    # Several simultaneous connections: each must have been set up by the connect listener.
    connections = [db.engine.connect() for _ in range(3)]
    try:
        for connection in connections:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    finally:
        for connection in connections:
            connection.close()


@pytest.mark.encrypted_too
def test_foreign_keys_are_enforced_and_cascade(db):
    conference_id = conferences.create_conference(db, "Cascade")
    meeting_id = meetings.list_meetings(db, conference_id)[0].id
    with pytest.raises(Exception, match="FOREIGN KEY"), db.session() as s:
        s.execute(
            text(
                "INSERT INTO agenda_item (meeting_id, position, title, lead, uid) "
                "VALUES (999, 0, 'x', '', 'u-1')"
            )
        )
    conferences.delete_conference(db, conference_id)
    with db.session() as s:
        assert (
            s.execute(
                text("SELECT count(*) FROM agenda_item WHERE meeting_id = :m"), {"m": meeting_id}
            ).scalar()
            == 0
        )


def test_data_folder_and_files_are_private_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        paths = resolve(tmp_path / "fresh" / "data")
        database = open_database(paths)
        conferences.create_conference(database, "Private")
        database.close()
    finally:
        os.umask(old)
    for folder in (paths.root, paths.backups, paths.logs):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for file in paths.root.glob("csfacilitator.sqlite3*"):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


def test_schema_version_constant_matches_migration_scripts():
    from csfacilitator.storage.migrations.runner import script_revisions

    assert tuple(script_revisions()) == KNOWN_REVISIONS


@pytest.mark.encrypted_too
def test_migrations_produce_exactly_the_model(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from csfacilitator.core.model import Base

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_from_first_schema_keeps_data_and_backs_up_first(tmp_path):
    paths = resolve(tmp_path / "data")
    paths.root.mkdir(parents=True)
    shutil.copy(FIRST_SCHEMA, paths.database)

    database = open_database(paths)
    try:
        details = conferences.get_conference(database, 1)
        assert details.title == "Saved at schema 0001"
        assert details.context_name == "Ashgrove Academy – Year 9"
        assert details.report_structure == "thematic"  # new column got its default
        held = {m.kind: m for m in meetings.list_meetings(database, 1)}
        agenda = held["conference"].agenda
        # Schema 0005: the dates and venue live on the meetings; the pre-meeting date kept on
        # the conference became a pre-meeting, nothing lost.
        assert (details.conference_date, details.venue) == (
            dt.date(2026, 6, 24),
            "Ashgrove library",
        )
        assert held["pre_meeting"].date == details.pre_meeting_date == dt.date(2026, 6, 10)
        assert [a.title for a in agenda] == [
            "Introduction and aim of the meeting",
            "Current concerns",
        ]
        assert conferences.last_opened(database) == 1
        with database.engine.connect() as c:
            assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD
            assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        database.close()
    backups = list(paths.backups.glob("*before-upgrade-from-0001.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as saved:  # the backup is the database as it was
        assert saved.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert saved.execute("SELECT title FROM conference").fetchall() == [
            ("Saved at schema 0001",)
        ]
    saved.close()
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600


def test_newer_database_is_refused_and_left_untouched(paths, db):
    conferences.create_conference(db, "From the future")
    db.close()
    with sqlite3.connect(paths.database) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999'")
    c.close()
    before = _digest(paths.database)
    with pytest.raises(DatabaseTooNew, match="newer version"):
        open_database(paths)
    assert _digest(paths.database) == before
    assert not list(paths.backups.glob("*"))


def test_corrupt_database_is_refused_with_a_plain_message(paths):
    paths.root.mkdir(parents=True)
    paths.database.write_bytes(b"this is not sqlite at all" * 100)
    before = _digest(paths.database)
    with pytest.raises(DatabaseCorrupt, match="cannot be read"):
        open_database(paths)
    assert _digest(paths.database) == before


def test_foreign_sqlite_file_is_refused(paths):
    paths.root.mkdir(parents=True)
    with sqlite3.connect(paths.database) as c:
        c.execute("CREATE TABLE recipes (name TEXT)")
    c.close()
    with pytest.raises(DatabaseCorrupt, match="not a CS Facilitator database"):
        open_database(paths)


@pytest.mark.skipif(
    os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root ignores permissions"
)
def test_read_only_data_folder_gets_a_clear_message(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(DataFolderError, match="read-only|cannot be used"):
            open_database(resolve(folder))
    finally:
        folder.chmod(0o700)


def test_data_folder_that_is_a_file_gets_a_clear_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DataFolderError, match="cannot be used"):
        open_database(resolve(blocker / "data"))


def test_committed_edit_survives_without_a_clean_close(paths):
    """A transaction that returned is on disk: a second, independent connection sees it at once."""
    database = open_database(paths)
    conference_id = conferences.create_conference(database, "Durable")
    conferences.update_conference(database, conference_id, venue="Kestrel Community Hall")
    with sqlite3.connect(paths.database) as other:
        venue = other.execute(
            "SELECT venue FROM meeting WHERE conference_id = ?", (conference_id,)
        ).fetchone()[0]
    assert venue == "Kestrel Community Hall"
    database.close()


def test_env_override_keeps_everything_in_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CSFACILITATOR_DATA_DIR", str(tmp_path / "elsewhere"))
    paths = resolve()
    assert paths.root == tmp_path / "elsewhere"
    assert paths.logs == tmp_path / "elsewhere" / "logs"
    assert paths.database.parent == paths.root
    assert resolve(tmp_path / "flag").root == tmp_path / "flag"  # --data-dir wins over the env


@pytest.mark.parametrize("run", [1, 2])  # the second would see the first's value if shared
def test_each_test_has_its_own_qt_settings(tmp_path, run):
    """Remembered settings never leak from one test to the next (conftest points Qt's user
    settings at the test's own home)."""
    from PySide6.QtCore import QSettings

    settings = QSettings("csfacilitator-test", "isolation")
    assert settings.fileName().startswith(str(tmp_path))
    assert settings.value("leaked") is None
    settings.setValue("leaked", "yes")
    settings.sync()
