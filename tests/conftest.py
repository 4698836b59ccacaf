"""Shared fixtures. Every test gets its own data folder; nothing touches the real user folders."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RAM_FOLDER = "/dev/shm"
RAM_FOLDER_ROOM = 2 * 1024**3  # a run writes a few hundred MB (pyproject keeps the last run)


def _ram_temp_folder() -> str | None:
    """RAM_FOLDER when it is a RAM file system (tmpfs) with room that lets programs run from
    it (the bundle tests start what they built), else None."""
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            mounted = [line.split() for line in mounts]
        stat = os.statvfs(RAM_FOLDER)
    except OSError:
        return None
    mounts_here = [m for m in mounted if len(m) > 3 and m[1] == RAM_FOLDER]
    if not mounts_here:
        return None
    _device, _point, kind, options = mounts_here[-1][:4]  # the last mount there is the one seen
    if kind != "tmpfs" or {"noexec", "ro"} & set(options.split(",")):
        return None
    if stat.f_bavail * stat.f_frsize < RAM_FOLDER_ROOM or not os.access(RAM_FOLDER, os.W_OK):
        return None
    return RAM_FOLDER


# The tests' temporary folders (tmp_path, every test's data folder) go to RAM when the machine
# has a RAM file system and nobody chose a folder with TMPDIR (--basetemp still places
# tmp_path): the app keeps its promises on disk (synchronous=FULL, fsync before every rename) and each commit of a test
# would otherwise wait for the disk, 1-5 ms each, thousands of times a run. Every fsync is
# still made; only its wait goes. Other processes keep their own choice (TMPDIR or /tmp).
if "TMPDIR" not in os.environ and "PYTEST_DEBUG_TEMPROOT" not in os.environ:
    tempfile.tempdir = _ram_temp_folder()


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path, monkeypatch):
    """Point every data path (and HOME) at a temporary folder for the test."""
    data = tmp_path / "data"
    monkeypatch.setenv("CSFACILITATOR_DATA_DIR", str(data))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "home" / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / "config"))
    # Qt reads XDG_CONFIG_HOME once per process: without this every test in a worker would
    # share the first test's settings file (remembered folders, folded panels, splitters).
    from PySide6.QtCore import QSettings

    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(
            settings_format, QSettings.Scope.UserScope, str(tmp_path / "home" / "config")
        )
    return data


@pytest.fixture(autouse=True)
def _earlier_windows_deleted():
    """Deletes the widgets earlier tests closed before this test starts. pytest-qt closes a
    test's windows with deleteLater, which only an event loop carries out, so without this they
    stay alive until some later test runs one: each keeps its app-wide event filters, which
    then see every event of every later test (16 windows' worth were found alive at once)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def paths(_isolated_data):
    from csfacilitator.paths import resolve

    return resolve(_isolated_data)


PASSPHRASE = "correct horse battery staple"


def pytest_xdist_auto_num_workers(config):  # noqa: ANN001, ANN201 - pytest-xdist's hook
    """`-n auto` (pyproject's addopts): one worker more than the cores this process may use.
    The suite waits as well as computes (processes it starts and kills, servers, the disk): on
    2 cores a third worker took the run from 451 to 413 s; a fourth gained nothing more."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # chosen by whoever runs the tests: pytest-xdist reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "encrypted_too: run the test on a plain and on an encrypted (SQLCipher) database",
    )
    config.addinivalue_line(
        "markers",
        "postgresql_too: run the test's `db` on the laptop's SQLite file and on PostgreSQL "
        "(tests that drive widgets, asking for qtbot, stay on SQLite)",
    )
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): in a postgresql_too file, a test about the laptop's SQLite file "
        "(the command line opening it, the change log's triggers, the file's bytes)",
    )


def pytest_collection_finish(session):  # noqa: ANN001, ANN201 - pytest's hook
    """Python's cyclic garbage collector, set for a long-lived test process: what collection
    imported (Qt, SQLAlchemy, python-docx, every test module) is frozen out of the collector's
    full passes, and the youngest generation is collected after 5,000 allocations instead of
    700. Measured on three files (test_bundle, test_invite_tab, test_export_papers): time in
    the collector 0.57-1.12 s a file, about 5% of its CPU, falls by half or more. Tests that
    need an object gone still call gc.collect() themselves, which is unchanged."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(5000, 10, 10)


def pytest_generate_tests(metafunc):
    """Tests marked encrypted_too run twice: every path that opens, backs up, restores or
    undoes must work on an encrypted database as well."""
    encrypted = "db_passphrase" in metafunc.fixturenames and bool(
        metafunc.definition.get_closest_marker("encrypted_too")
    )
    both_stores = (
        "db_store" in metafunc.fixturenames
        and "qtbot" not in metafunc.fixturenames
        and bool(metafunc.definition.get_closest_marker("postgresql_too"))
        and not metafunc.definition.get_closest_marker("sqlite_only")
    )
    if encrypted and both_stores:  # encryption is the SQLite file's matter
        metafunc.parametrize(
            ("db_store", "db_passphrase"),
            [("sqlite", None), ("sqlite", PASSPHRASE), ("postgresql", None)],
            ids=["plain", "encrypted", "postgresql"],
        )
    elif encrypted:
        metafunc.parametrize("db_passphrase", [None, PASSPHRASE], ids=["plain", "encrypted"])
    elif both_stores:
        metafunc.parametrize("db_store", ["sqlite", "postgresql"])


@pytest.fixture
def db_passphrase():
    """The database's passphrase: None (plain) unless the test is marked encrypted_too."""
    return None


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory):
    """One empty database migrated to the newest schema, made once per test session: copying
    it takes milliseconds where migrating takes a quarter of a second (the tests of the
    migrations themselves still migrate from scratch)."""
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    paths = resolve(tmp_path_factory.mktemp("template") / "data")
    open_database(paths).close()  # the last connection closing folds the WAL into the file
    assert not Path(f"{paths.database}-wal").exists()
    return paths.database


# Where running on PostgreSQL too makes sense (the `postgresql_too` marker, issue 17).
#
# The team store is the same SQLAlchemy models made by the same Alembic migrations, so every
# core operation on conference data must behave the same on both engines: creating, editing,
# deleting, restoring and undoing rows (ids and all), queries, ordering (NULLs, case), dates,
# long and odd text, JSON values, blobs; importing the hand-over file and CSV lists, which
# write rows. Files of those operations carry the marker, and their tests that ask for `db`
# run once on the SQLite file and once on a PostgreSQL database (`db_store` says which).
#
# Left on SQLite, because they test the laptop's file rather than the data:
# - whole files: opening and migrating it, encryption, backups and recovery, WAL and locks,
#   file permissions, disk-full and damaged files, secure delete and purge, the change log
#   and sync's laptop side (SQLite triggers; the team store's side runs on a real PostgreSQL
#   in the team and sync tests), migrations (tests/test_team_schema.py compares PostgreSQL's
#   schema with the models), the Word/PDF exports (bytes made from the records the marked
#   files check) and hostile hand-over files (refused by the parser before any row is
#   written; on PostgreSQL they doubled 78 s of test time for nothing new);
# - in a marked file, tests marked `sqlite_only(reason)`: the command line (it opens the data
#   folder's file itself), change-log triggers, the file's bytes;
# - tests that drive widgets (asking for qtbot): the GUI reads the same core records either
#   way, and it is the slow part of the suite.
@pytest.fixture
def db_store():
    """Which store `db` is: "sqlite" (the laptop's file) unless the test is marked
    postgresql_too, which runs it on "postgresql" as well."""
    return "sqlite"


@pytest.fixture
def db(request, paths, db_passphrase, db_store, templates):
    """The test's database. On SQLite a copy of a template made once per session: migrated and
    empty, or holding the example (`example_id`), the default conference (`conference_id`), or
    the rows the test file's own builder writes. A file whose tests start from the same rows (a
    conference, its invitees, an assessment) defines `filled_db(fixturenames)`: it returns a
    builder (a function of a Database that writes them through the core and returns what the
    tests need of them, ids) or None for the usual database; `conference_id` and `seeded` give
    what the builder returned. The same rows, ids and sequence positions in a few milliseconds
    instead of tens of core writes."""
    from csfacilitator.paths import prepare
    from csfacilitator.storage import open_database

    if db_store == "postgresql":
        from csfacilitator.storage.database import Database

        # Database takes any engine: the IMMEDIATE option of its write sessions means something
        # only to the SQLite engine's BEGIN listener (storage/engine.py), and its SQLite error
        # classification passes every PostgreSQL error on as it is.
        prepare(paths)
        database = Database(paths, request.getfixturevalue("pg_core_engine"))
        yield database
        database.close()
        return
    filled = getattr(request.module, "filled_db", None)
    contents = filled(request.node.fixturenames) if filled is not None else None
    if contents is None:
        contents = "example" if _wants_example(request) else None
    if contents is None and _wants_default_conference(request):
        contents = "conference"
    made = templates.seed(paths, db_passphrase, contents=contents)
    if contents not in (None, "example"):
        request.node.stash[_SEEDED] = made
    if db_passphrase is not None:
        templates.remember_key(db_passphrase)
    database = open_database(paths, db_passphrase)
    yield database
    database.close()


def DEFAULT_CONFERENCE(db) -> int:  # noqa: ANN001, N802 - Database; named as a constant
    """The conference `conference_id` gives: made by create_conference as the app makes one."""
    from csfacilitator.core.conferences import create_conference

    return create_conference(db, "Riverside Park")


_SEEDED = pytest.StashKey[Any]()


@pytest.fixture
def seeded(db, request) -> Any:  # noqa: ANN001
    """What made the rows the test's `db` started with: the default conference's id, or what
    the test file's builder returned (see `filled_db` below)."""
    return request.node.stash[_SEEDED]


@pytest.fixture
def conference_id(db, request):
    """A new conference (with the meeting every conference starts with). A test file that needs
    a particular one overrides this fixture under the same name, or builds it (`filled_db`).
    On SQLite `db` is then a copy of a template that already holds it (made once, see `db`)."""
    made = request.node.stash.get(_SEEDED, None)
    if made is not None:
        return made
    return DEFAULT_CONFERENCE(db)


@pytest.fixture
def meeting_id(db, conference_id):
    """The conference's first meeting."""
    from csfacilitator.core.meetings import list_meetings

    return list_meetings(db, conference_id)[0].id


@pytest.fixture
def open_window(qtbot, paths, templates):
    """Opens the main window on the test's data folder (arguments as `app.create_window`'s after
    the folder), shown at a laptop's size; every window opened is closed after the test. A
    folder without a database gets a copy of the migrated template first, the database a first
    start would make (`empty_folder=True`: the folder as it is, as at a first start).
    `example="alone"` or `"joined_up"`: the folder holds a copy of the example template (the
    example alone, as `add_example` adds it, or joined up, as the window's "Open the example"
    and `csfacilitator example` add it) and the window opens on it."""
    from csfacilitator.app import create_window

    opened = []

    def open_(*args, empty_folder=False, example=None, **kwargs):
        made = None
        if example is not None:  # the folder holds the example, as after File > Example
            made = templates.seed(paths, example=True, joined_up=example == "joined_up")
        elif not empty_folder:
            templates.seed_empty_folder(paths, kwargs.get("passphrase"))
        win = create_window(paths.root, *args, **kwargs)
        qtbot.addWidget(win)
        win.resize(1366, 768)
        win.show()
        qtbot.waitExposed(win)
        opened.append(win)
        if made is not None:
            win.open_conference(made)
        return win

    yield open_
    for win in reversed(opened):
        win.close()


@pytest.fixture
def window(open_window):
    """The main window on an empty database (the welcome page)."""
    return open_window()


@pytest.fixture
def first_start_window(open_window):
    """The main window on an empty data folder, as at the very first start: it creates and
    migrates the database itself."""
    return open_window(empty_folder=True)


@pytest.fixture
def example_id(db, db_passphrase, db_store, templates, _pg_example_rows, request):
    """The example conference, present from the start: `db` is a copy of the template that holds
    it (made once through add_example); on PostgreSQL the rows add_example wrote into the
    emptied database the first time are written again (see PgExampleRows)."""
    if db_store == "postgresql":
        return _pg_example_rows.add(db)
    if _wants_example(request):
        return templates.made(db_passphrase, example=True)
    from csfacilitator.core.example import add_example

    return add_example(db)  # asked for by name during the test: `db` was the empty template


class PgExampleRows:
    """The example on PostgreSQL, the rows copied as the SQLite template is: the first test
    adds it through add_example to the emptied core database (tests/pg_server.py CoreDatabase,
    whose sequences start again at 1 for every test) and its rows and sequence positions are
    read back; every later test gets the same rows, ids and all, written in one transaction
    (a tenth of the second of client CPU add_example takes, and less of the server's). A
    database that already holds rows (a fixture wrote some first) gets add_example itself."""

    def __init__(self) -> None:
        self._rows: list[tuple[object, list[dict]]] | None = None
        self._sequences: list[tuple[str, int]] = []
        self._made: int | None = None

    def add(self, db) -> int:  # noqa: ANN001 - Database
        from sqlalchemy import text

        from csfacilitator.core.model import Base

        tables = Base.metadata.sorted_tables  # parents first
        if self._rows is None or not self._empty(db):
            from csfacilitator.core.example import add_example

            empty = self._rows is None and self._empty(db)
            made = add_example(db)
            if not empty:  # read back only what add_example wrote into an empty database
                return made
            with db.engine.connect() as connection:
                present = set(
                    connection.execute(
                        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                    ).scalars()
                )
                assert present - {"alembic_version"} <= {t.name for t in tables}, present
                rows = [
                    (table, [dict(r) for r in connection.execute(table.select()).mappings()])
                    for table in tables
                ]
                sequences = connection.execute(
                    text(
                        "SELECT sequencename, last_value FROM pg_sequences "
                        "WHERE schemaname = 'public' AND last_value IS NOT NULL"
                    )
                ).all()
            self._rows = [(table, found) for table, found in rows if found]
            self._sequences = [(name, value) for name, value in sequences]
            self._made = made
            return made
        with db.engine.begin() as connection:
            for table, found in self._rows:
                connection.execute(table.insert(), found)
            for name, value in self._sequences:
                connection.execute(
                    text("SELECT setval(:name, :value)"), {"name": name, "value": value}
                )
        assert self._made is not None
        return self._made

    @staticmethod
    def _empty(db) -> bool:  # noqa: ANN001 - Database
        """No table holds a row and no sequence was used: the rows can go in as they were."""
        from sqlalchemy import text

        from csfacilitator.core.model import Base

        with db.engine.connect() as connection:
            used = connection.execute(
                text(
                    "SELECT count(*) FROM pg_sequences "
                    "WHERE schemaname = 'public' AND last_value IS NOT NULL"
                )
            ).scalar()
            held = connection.execute(
                text(
                    "SELECT "
                    + " OR ".join(
                        f'EXISTS (SELECT 1 FROM "{t.name}")' for t in Base.metadata.sorted_tables
                    )
                )
            ).scalar()
        return not used and not held


@pytest.fixture(scope="session")
def _pg_example_rows() -> PgExampleRows:
    return PgExampleRows()


# -- Templates made once per session and copied for each test (issue 14) ----------------------
# Copying a database takes milliseconds where migrating one takes most of a second, creating an
# encrypted one runs SQLCipher's production key derivation, and importing the example half a
# second. The tests of a first start on an empty folder (`first_start_window`), of the
# migrations and of encrypting a database still do those from scratch.


class Templates:
    """Databases made once per session: migrated and empty, holding the example conference
    (made through add_example, alone or joined up), the conference `conference_id` makes
    (made through create_conference) or what a test file's builder writes (`filled_db`),
    plain or encrypted with a passphrase; each made
    when first asked for, then copied into a test's data folder. Every copy carries its
    template's sync device id: tests that sync two laptops give each its own
    (tests/sync_laptops.py)."""

    def __init__(self, folder: Path, migrated: Path) -> None:
        self._folder = folder
        self._made: dict[tuple[str | None, object], tuple[Path, Any]] = {
            (None, None): (migrated, None)
        }
        self._keys: dict[str, tuple] = {}  # passphrase -> what opened its templates (below)

    def _get(self, passphrase: str | None, contents: object) -> tuple[Path, Any]:
        """`contents`: None (empty), "example", "joined_up", "conference", or a builder (a
        module-level function that takes the open Database and returns what its fixture
        returned, e.g. ids)."""
        key = (passphrase, contents)
        if key not in self._made:
            from csfacilitator.paths import resolve
            from csfacilitator.storage import open_database

            paths = resolve(Path(tempfile.mkdtemp(dir=self._folder)) / "data")
            if contents is not None:  # filled in a copy of the empty one
                self.seed(paths, passphrase)
            elif passphrase is not None:  # the migrated one encrypted, rather than migrated again
                from csfacilitator.storage.encryption import encrypt_database

                self.seed(paths)
                encrypt_database(paths, passphrase)
            database = open_database(paths, passphrase)
            try:
                if passphrase is not None:
                    self._keep_key(paths.database, passphrase)
                made = None
                if contents == "conference":
                    made = DEFAULT_CONFERENCE(database)
                elif callable(contents):
                    made = contents(database)
                elif contents is not None:
                    from csfacilitator.core.example import add_example

                    made = add_example(database, joined_up=contents == "joined_up")
            finally:
                database.close()  # the last connection closing folds the WAL into the file
            assert not Path(f"{paths.database}-wal").exists()
            self._made[key] = (paths.database, made)
        return self._made[key]

    def _keep_key(self, database: Path, passphrase: str) -> None:
        """The key derived (storage/encryption.py, once per open) for the open template: every
        template with this passphrase is a copy of the first, so they share its salt."""
        from csfacilitator.storage import encryption

        salt = database.read_bytes()[:16]
        with encryption._derived_lock:
            found = [(e, k) for e, k in encryption._derived.items() if e[:2] == (passphrase, salt)]
        assert len(found) == 1, "the template's key was not derived as expected"
        self._keys.setdefault(passphrase, found[0])

    def remember_key(self, passphrase: str) -> None:
        """Give storage/encryption.py the key its templates' copies open with, as if this
        process had derived it already (a test's `db` then skips one derivation of 256,000
        rounds; tests/test_key_once.py and tests/test_encryption.py still derive theirs)."""
        from csfacilitator.storage import encryption

        self._get(passphrase, None)
        encryption._remember_key(*self._keys[passphrase])

    def made(self, passphrase: str | None = None, *, example: bool = False) -> int | None:
        """The example conference's id in its template (None for an empty one)."""
        return self._get(passphrase, "example" if example else None)[1]

    def seed(
        self,
        paths,  # noqa: ANN001
        passphrase: str | None = None,
        *,
        example: bool = False,
        joined_up: bool = False,
        contents: object = None,
    ) -> Any:
        """Copy the template into the test's data folder, as private as the app makes its
        database; returns the example's id when it holds the example (`joined_up`: as the
        app and `csfacilitator example` add it, with its neighbour and sharing record), the
        conference's (`contents="conference"`), or what a builder returned."""
        from csfacilitator.paths import make_private, prepare

        if example:
            contents = "joined_up" if joined_up else "example"
        template, made = self._get(passphrase, contents)
        prepare(paths)
        shutil.copyfile(template, paths.database)
        make_private(paths.database)
        return made

    def seed_empty_folder(self, paths, passphrase: str | None = None) -> None:  # noqa: ANN001
        """The migrated template, where the folder has no database yet and none is to be made
        encrypted (those tests make their own)."""
        if passphrase is None and not paths.database.exists():
            self.seed(paths)


@pytest.fixture(scope="session")
def templates(tmp_path_factory, _migrated_template) -> Templates:
    return Templates(tmp_path_factory.mktemp("templates"), _migrated_template)


@pytest.fixture
def seed_example(paths, templates):
    """Puts a copy of the example template into the test's empty data folder (the passphrase,
    if given, encrypts it); returns the example conference's id."""

    def seed(passphrase: str | None = None) -> int:
        made = templates.seed(paths, passphrase, example=True)
        assert made is not None
        return made

    return seed


def _wants_example(request) -> bool:  # noqa: ANN001
    """The test (or a fixture it uses) names `example_id`: its `db` starts with the example."""
    return "example_id" in request.node.fixturenames


def _wants_default_conference(request) -> bool:  # noqa: ANN001
    """The test (or a fixture it uses) names this file's `conference_id` and it is the one
    above (not a file's own): its `db` starts with that conference."""
    if "conference_id" not in request.node.fixturenames:
        return False
    definitions = request.node._fixtureinfo.name2fixturedefs.get("conference_id") or ()
    return bool(definitions) and definitions[-1].func is conference_id.__wrapped__


def export_paper(db, key: str, conference_id: int, path, meeting_id=None):
    """Write one document kind the way the window and the command line do: through the
    registry (core/documents.py), gathered then saved."""
    from csfacilitator.core import documents, export_checks

    kind = documents.kind(key)
    meeting_id = export_checks.meeting_for(db, kind, conference_id, meeting_id)
    return kind.write(kind.gather_data(db, conference_id, meeting_id), path)


@pytest.fixture
def assessment_tab(qtbot, db, conference_id):
    """The Assessment tab on `conference_id`, shown and active at laptop size."""
    from csfacilitator.gui.assessment.assessment_tab import AssessmentTab

    widget = AssessmentTab(db)
    qtbot.addWidget(widget)
    widget.set_conference(conference_id)
    widget.resize(1366, 768)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    return widget


@pytest.fixture
def open_board(qtbot, db):
    """Opens a Board tab on a conference, shown and active at laptop size; what it says on the
    status line is kept in its `messages`."""
    from csfacilitator.gui.board.board_tab import BoardTab

    def open_(conference_id: int) -> BoardTab:
        tab = BoardTab(db)
        qtbot.addWidget(tab)
        tab.messages = []
        tab.status_message.connect(tab.messages.append)
        tab.set_conference(conference_id)
        tab.resize(1366, 768)
        tab.show()
        qtbot.waitExposed(tab)
        tab.activateWindow()
        qtbot.waitUntil(tab.isActiveWindow)
        return tab

    return open_


@pytest.fixture
def board_tab(open_board, conference_id):
    """The Board tab on `conference_id` (see open_board)."""
    return open_board(conference_id)


# The throwaway PostgreSQL cluster and team-store databases (tests/pg_server.py); two laptops
# and a team store for the sync tests (tests/sync_laptops.py); one compiled-SQL cache for the
# alike SQLite engines the tests open (tests/shared_sql_cache.py).
pytest_plugins = ["pg_server", "sync_laptops", "shared_sql_cache"]
