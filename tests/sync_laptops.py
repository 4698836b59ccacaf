"""Laptops and a team store for the sync tests: each laptop is its own data folder with its
own database (copied from the session's migrated template); the team store is a real
PostgreSQL database (tests/pg_server.py) or, for the laptop-only tests, an SQLite file
migrated the same way.

A pytest plugin (tests/conftest.py): the fixtures `laptops` (Anna's and Ben's) and `team` (an
SQLite and a PostgreSQL team store in turn) serve every sync test; tests that need a team
with people and roles define their own `team`. `shared_example` starts where most sync tests
start: the example conference shared by Anna and synced to the team and to Ben; that state is
made once per session and team kind (checked as it is made) and copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

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
    """An SQLite team store in `folder`: a copy of the migrated `template` without its
    triggers (a team store records nothing itself). The triggerless file is made once per
    template and session (dropping the triggers took ~0.1 s a test) and copied for each."""
    from csfacilitator.storage.engine import make_engine

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "team.sqlite3"
    shutil.copyfile(_triggerless(template), target)
    return make_engine(target)


_TRIGGERLESS: dict[Path, Path] = {}


def _triggerless(template: Path) -> Path:
    from csfacilitator.storage.engine import make_engine

    made = _TRIGGERLESS.get(template)
    if made is None or not made.exists():
        made = template.with_name(f"{template.stem}-team{template.suffix}")
        shutil.copyfile(template, made)
        engine = make_engine(made)
        try:
            with engine.begin() as c:
                for name in (
                    c.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                    .scalars()
                    .all()
                ):
                    c.exec_driver_sql(f"DROP TRIGGER {name}")
        finally:
            engine.dispose()  # the last connection closing folds the WAL into the file
        assert not Path(f"{made}-wal").exists()
        _TRIGGERLESS[template] = made
    return made


def pg_team(request):  # noqa: ANN001, ANN201 - pytest's request; an Engine
    """A PostgreSQL team store at the schema's head (tests/pg_server.py's cluster): the
    session's one, put back to what `team init` leaves after each test (the sync tests change
    rows, never roles or the schema)."""
    from csfacilitator.storage import team_store

    return team_store.make_team_engine(request.getfixturevalue("team_rows_url"))


@pytest.fixture(params=["sqlite", "postgresql"])
def team(request, tmp_path, _migrated_template):  # noqa: ANN001, ANN201
    engine = (
        sqlite_team(_migrated_template, tmp_path / "team")
        if request.param == "sqlite"
        else pg_team(request)
    )
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _shared_start(tmp_path_factory, _migrated_template) -> _SharedStart:
    return _SharedStart(tmp_path_factory.mktemp("shared_example"), _migrated_template)


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_example(request, tmp_path, _shared_start) -> SharedExample:  # noqa: ANN001
    """The example shared by Anna and synced to the team and to Ben (share_example), on an
    SQLite and a PostgreSQL team store in turn: copies of the state made once per session."""
    from csfacilitator.storage import team_store
    from csfacilitator.storage.engine import make_engine

    made = _shared_start.get(request.param, request)
    restored = made.restored
    a = open_copy(made.anna, tmp_path / "anna")
    b = open_copy(made.ben, tmp_path / "ben")
    if restored is None:
        (tmp_path / "team").mkdir()
        shutil.copyfile(made.team_file, tmp_path / "team" / "team.sqlite3")
        team = make_engine(tmp_path / "team" / "team.sqlite3")
    else:
        team = team_store.make_team_engine(restored.url)
    yield SharedExample(a, b, team, *made.ids)
    a.close()
    b.close()
    team.dispose()
    if restored is not None:
        restored.reset(request.node.nodeid)


class _TeamGuiStart(NamedTuple):
    anna: Path  # her closed database file
    ben: Path
    cid: int
    ben_cid: int
    restored: object  # pg_server.RestoredDatabase: the team store's rows


@pytest.fixture(scope="session")
def _team_gui_start(tmp_path_factory, _shared_start, request) -> _TeamGuiStart:  # noqa: ANN001
    """Where tests/test_team_gui.py's `shared` starts: shared_example's PostgreSQL start (the
    one builder, _SharedStart, made once per session for both), with Anna's laptop joined to
    the team store (its URL stored, as `team connect` leaves it) and the two people named as
    the window's tests name them. Its test_the_status_line_... takes the same steps through
    the window's Sync now each time."""
    from csfacilitator.core import sync
    from csfacilitator.paths import resolve
    from csfacilitator.storage import team_store

    made = _shared_start.get("postgresql", request)
    folder = tmp_path_factory.mktemp("team_gui_shared")
    files = []
    for who, source in (("Anna", made.anna), ("Ben", made.ben)):
        db = open_copy(source, folder / who.lower())
        try:
            if who == "Anna":
                team_store.save_team_url(db, made.restored.url)
            sync.set_person(db, who)
        finally:
            db.close()  # the last connection closing folds the WAL into the file
        files.append(resolve(folder / who.lower()).database)
    cid, ben_cid, _uid = made.ids
    return _TeamGuiStart(files[0], files[1], cid, ben_cid, made.restored)


@pytest.fixture
def laptops(tmp_path, _migrated_template):  # noqa: ANN001, ANN201
    a = open_laptop(_migrated_template, tmp_path / "anna")
    b = open_laptop(_migrated_template, tmp_path / "ben")
    yield a, b
    a.close()
    b.close()


def open_copy(database: Path, folder: Path):  # noqa: ANN201 - Database
    """A laptop whose database is a copy of `database` (a laptop's closed file)."""
    from csfacilitator.paths import make_private, prepare, resolve
    from csfacilitator.storage import open_database

    paths = resolve(folder)
    prepare(paths)
    shutil.copyfile(database, paths.database)
    make_private(paths.database)
    return open_database(paths)


class SharedExample(NamedTuple):
    """Anna's and Ben's laptops, the team store, and the example conference shared by both:
    its id on each laptop and its uid."""

    a: object  # Database
    b: object  # Database
    team: object  # Engine
    cid_a: int
    cid_b: int
    conf_uid: str


def share_example(a, b, team) -> tuple[int, int, str]:  # noqa: ANN001
    """Anna adds the example and shares it; she syncs, then Ben: every row arrives once, the
    same on both laptops and on the team. Returns its id on each laptop and its uid."""
    from csfacilitator.core import sync
    from csfacilitator.core.example import add_example

    cid_a = add_example(a)
    sync.share_conference(a, cid_a)
    first = sync.sync_now(a, team)
    assert first.pushed > 100 and first.conflicts == 0
    got = sync.sync_now(b, team)
    assert got.pulled == first.pushed
    conf_uid = uid_of(a, "conference", cid_a)
    cid_b = id_by_uid(b, "conference", conf_uid)
    assert cid_b is not None and sync.is_shared(b, cid_b)
    assert got.changed.about(cid_b) and "invitee" in got.changed.tables
    with a.read_session() as s, b.read_session() as t, team.connect() as c:
        assert snapshot(s.connection()) == snapshot(t.connection()) == snapshot(c, conf_uid)
    return cid_a, cid_b, conf_uid


class _Made(NamedTuple):
    ids: tuple[int, int, str]
    anna: Path
    ben: Path
    team_file: Path  # the SQLite team store's
    restored: object  # pg_server.RestoredDatabase, on PostgreSQL


class _SharedStart:
    """The state share_example leaves, made once per team kind when first asked for: both
    laptops' closed files, and the team store (an SQLite file, or a PostgreSQL database put
    back to those rows after each test)."""

    def __init__(self, folder: Path, migrated: Path) -> None:
        self._folder = folder
        self._migrated = migrated
        self._made: dict[str, _Made] = {}

    def get(self, kind: str, request) -> _Made:  # noqa: ANN001
        if kind not in self._made:
            folder = self._folder / kind
            a = open_laptop(self._migrated, folder / "anna")
            b = open_laptop(self._migrated, folder / "ben")
            restored = None
            if kind == "sqlite":
                team = sqlite_team(self._migrated, folder / "team")
            else:
                from pg_server import RestoredDatabase

                from csfacilitator.storage import team_store

                restored = RestoredDatabase(
                    request.getfixturevalue("pg_server"),
                    request.getfixturevalue("_team_template"),
                    "team_shared",
                )
                request.config.add_cleanup(restored.drop)  # at the session's end
                team = team_store.make_team_engine(restored.url)
            try:
                ids = share_example(a, b, team)
            finally:
                a.close()  # the last connection closing folds the WAL into the file
                b.close()
                team.dispose()
            if restored is not None:
                restored.keep()
            from csfacilitator.paths import resolve

            files = tuple(resolve(folder / who).database for who in ("anna", "ben"))
            for path in files:
                assert not Path(f"{path}-wal").exists()
            self._made[kind] = _Made(ids, *files, folder / "team" / "team.sqlite3", restored)
        return self._made[kind]


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
