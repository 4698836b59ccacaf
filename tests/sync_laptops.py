"""Laptops and a team store for the sync tests: each laptop is its own data folder with its
own database (copied from the session's migrated template); the team store is a real
PostgreSQL database (tests/pg_server.py) or, for the laptop-only tests, an SQLite file
migrated the same way.

A pytest plugin (tests/conftest.py): the fixtures `laptops` (Anna's and Ben's) and `team` (an
SQLite and a PostgreSQL team store in turn) serve every sync test; tests that need a team
with people and roles define their own `team`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

SYNCED_COMPARE = None  # filled lazily: {table: [fields]}


def open_laptop(template: Path, folder: Path):  # noqa: ANN201 - Database
    from csfacilitator.paths import make_private, prepare, resolve
    from csfacilitator.storage import open_database

    paths = resolve(folder)
    prepare(paths)
    shutil.copyfile(template, paths.database)
    make_private(paths.database)
    db = open_database(paths)
    with db.session() as s:  # every laptop its own device (the template carries one)
        import uuid

        s.connection().execute(
            text("UPDATE sync_state SET device = :d, person = :p WHERE id = 1"),
            {"d": str(uuid.uuid4()), "p": folder.name},
        )
    return db


def sqlite_team(template: Path, folder: Path):  # noqa: ANN201 - Engine
    from csfacilitator.storage.engine import make_engine

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "team.sqlite3"
    shutil.copyfile(template, target)
    engine = make_engine(target)
    with engine.begin() as c:  # a team store records nothing itself
        for name in (
            c.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            .scalars()
            .all()
        ):
            c.exec_driver_sql(f"DROP TRIGGER {name}")
    return engine


def pg_team(request):  # noqa: ANN001, ANN201 - pytest's request; an Engine
    """A PostgreSQL team store at the schema's head (tests/pg_server.py's cluster)."""
    from csfacilitator.storage import team_store

    return team_store.make_team_engine(request.getfixturevalue("team_url"))


@pytest.fixture(params=["sqlite", "postgresql"])
def team(request, tmp_path, _migrated_template):  # noqa: ANN001, ANN201
    engine = (
        sqlite_team(_migrated_template, tmp_path / "team")
        if request.param == "sqlite"
        else pg_team(request)
    )
    yield engine
    engine.dispose()


@pytest.fixture
def laptops(tmp_path, _migrated_template):  # noqa: ANN001, ANN201
    a = open_laptop(_migrated_template, tmp_path / "anna")
    b = open_laptop(_migrated_template, tmp_path / "ben")
    yield a, b
    a.close()
    b.close()


def id_by_uid(db, table: str, uid: str) -> int | None:  # noqa: ANN001 - a Database
    """The local id of the row `uid` names on this laptop."""
    with db.read_session() as s:
        sql = text(f"SELECT id FROM {table} WHERE uid = :u")
        return s.connection().execute(sql, {"u": uid}).scalar()


def uid_of(db, table: str, row_id: int) -> str | None:  # noqa: ANN001 - a Database
    with db.read_session() as s:
        sql = text(f"SELECT uid FROM {table} WHERE id = :i")
        return s.connection().execute(sql, {"i": row_id}).scalar()


def snapshot(conn, conference_uid: str | None = None) -> dict:  # noqa: ANN001
    """Every synced row (by uid) with its synced fields, references as the parent's uid:
    what two sides must agree on, row by row. Each table is read once (its rows, the uids its
    references name, the conference each row belongs to), not once per row."""
    from csfacilitator.core.change_log import SYNCED, model_foreign_keys
    from csfacilitator.core.model import Base

    uids: dict[str, dict[int, str]] = {}  # a referenced table's uid by id

    def uid_in(target: str, row_id: int) -> str | None:
        if target not in uids:
            uids[target] = dict(conn.execute(text(f"SELECT id, uid FROM {target}")).all())
        return uids[target].get(row_id)

    found = {}
    for table in SYNCED:
        t = Base.metadata.tables[table]
        fields = [
            c.name
            for c in t.c
            if c.name not in ("id",) and f"{table}.{c.name}" != "meeting.current_item_id"
        ]
        fks = model_foreign_keys(table)
        rows = conn.execute(t.select()).mappings().all()
        if conference_uid is not None:
            belongs = _conference_uids(conn, table)
            rows = [row for row in rows if belongs.get(row["uid"]) == conference_uid]
        for row in rows:
            values = {}
            for f in fields:
                v = row[f]
                if f in fks and v is not None:
                    v = uid_in(fks[f], v)
                values[f] = v
            found[(table, row["uid"])] = values
    return found


def _conference_uids(conn, table: str) -> dict[str, str | None]:  # noqa: ANN001
    """The uid of the conference each of the table's rows belongs to, by the row's uid."""
    from csfacilitator.core.change_log import conference_uid_sql

    sql = f"SELECT r.uid, {conference_uid_sql(table, 'r')} FROM {table} AS r"
    return dict(conn.execute(text(sql)).all())
