"""The PostgreSQL database the `postgresql_too` core tests run on (tests/pg_server.py:
CoreDatabase): each test finds it empty, at the migrations' head, with ids starting again,
whatever the test before it left behind."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, text

from csfacilitator.core.conferences import create_conference
from csfacilitator.core.model import Base
from csfacilitator.storage.database import Database
from csfacilitator.storage.schema_version import HEAD


def _rows(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return {
                t.name: c.execute(text(f'SELECT count(*) FROM "{t.name}"')).scalar_one()
                for t in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_the_reset_empties_every_table_and_starts_ids_again(_pg_core_database, paths):
    url = _pg_core_database.url
    db = Database(paths, create_engine(url))
    try:
        first = create_conference(db, "Riverside Park")
        assert any(_rows(url).values())
    finally:
        db.close()

    _pg_core_database.reset()

    assert _pg_core_database.url == url  # emptied, not copied again
    assert not any(_rows(url).values())
    db = Database(paths, create_engine(url))
    try:
        assert create_conference(db, "Riverside Park") == first
        with db.read_session() as s:
            assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    finally:
        db.close()
    _pg_core_database.reset()


def test_a_connection_left_in_a_transaction_does_not_block_the_reset(_pg_core_database, paths):
    url = _pg_core_database.url
    leaked = create_engine(url).connect()
    db = Database(paths, leaked.engine)
    create_conference(db, "Left open")
    leaked.execute(text("LOCK TABLE conference IN ACCESS EXCLUSIVE MODE"))  # and never ends

    _pg_core_database.reset()

    assert _pg_core_database.url == url  # ended and emptied, not given up and copied again
    assert not any(_rows(url).values())
    leaked.invalidate()
    leaked.engine.dispose()


def test_a_database_that_cannot_be_emptied_is_copied_again(_pg_core_database, paths):
    before = _pg_core_database.url
    engine = create_engine(before)
    with engine.begin() as c:  # a table the reset does not know: its rows would stay
        c.execute(text("ALTER TABLE conference RENAME TO conference_moved"))
    engine.dispose()

    _pg_core_database.reset()

    assert _pg_core_database.url != before
    assert not any(_rows(_pg_core_database.url).values())


def test_the_engine_is_shared_on_unless_a_test_gave_it_a_listener(_pg_core_database):
    engine = _pg_core_database.engine()
    with engine.begin() as c:
        c.execute(text("INSERT INTO setting (key, value) VALUES ('k', 'v')"))
    _pg_core_database.reset()
    assert _pg_core_database.engine() is engine  # its connections ended, itself kept
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM setting")).scalar_one() == 0

    event.listen(engine, "before_cursor_execute", lambda *args: None)
    _pg_core_database.reset()

    assert _pg_core_database.engine() is not engine


@pytest.mark.postgresql_too
def test_each_store_starts_empty(db, db_store):
    assert db.engine.dialect.name == db_store
    with db.read_session() as s:
        assert s.execute(text("SELECT count(*) FROM conference")).scalar_one() == 0
    assert create_conference(db, "First") == 1
