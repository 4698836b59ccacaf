"""A throwaway PostgreSQL cluster for the team-store tests (loaded by conftest.py).

The session starts one cluster of its own with `initdb` and `pg_ctl` (Debian's
/usr/lib/postgresql/*/bin, or whatever is on PATH) in a temporary folder, listening on a Unix
socket in that folder and on 127.0.0.1 at a free port (for the TLS tests). initdb refuses to
run as root, so under root (CI) the cluster belongs to `nobody`. Set
CSFACILITATOR_TEST_PG_URL to a superuser URL (postgresql+psycopg://user:pw@host/db) to use a
server of your own instead.

When no server can start, the tests that need one skip with the reason, except under
CI=true, where they fail: CI must prove the team store against a real PostgreSQL.

Fixtures:
- `pg_server` (session): the running server (PgServer: `url(db, user, password)`,
  `create_database(name, template=None)`, `drop_database(name)`, `tcp_url(db)`).
- `team_url_empty` (function): a new empty database, as a superuser URL.
- `team_url` (function): a new database holding what `team init` creates (the Alembic schema
  at head, then the roles, row-level security and audit of storage/team_security.py),
  copied from a template made once per session; a superuser URL.
- `pg_core_url` (function): an empty database at the Alembic head, for the core-operation
  tests marked `postgresql_too`; a superuser URL. See CoreDatabase.
- `pg_core_engine` (function): the same database through the session's one engine (what
  conftest.py's `db` runs on for `postgresql_too`), emptied again after the test.
- `team_rows_url` (function): a database as `team init` leaves it, like `team_url`, but one
  per session put back to those rows after each test (RestoredDatabase): for tests that
  change rows only (the sync tests' `team`), never roles, grants or the schema.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

SUPERUSER = "postgres"
ENV_URL = "CSFACILITATOR_TEST_PG_URL"


def _bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")

    def version(path: str) -> int:
        try:
            return int(Path(path).parent.parent.name)
        except ValueError:
            return 0

    if not candidates:
        return None
    return Path(max(candidates, key=version)).parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    """A running PostgreSQL server the tests may create databases and roles in."""

    host: str  # a socket folder or a host name
    port: int
    password: str
    user: str = SUPERUSER
    tcp_host: str = "127.0.0.1"
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str = "postgres", user: str | None = None, password=None) -> str:
        """A SQLAlchemy URL (postgresql+psycopg) for `database` as `user` (superuser by
        default); password None means the superuser's, "" means none."""
        user = user or self.user
        if password is None:
            password = self.password if user == self.user else ""
        auth = quote(user, safe="")
        if password:
            auth += ":" + quote(password, safe="")
        if self.host.startswith("/"):
            return (
                f"postgresql+psycopg://{auth}@/{database}"
                f"?host={quote(self.host, safe='/')}&port={self.port}"
            )
        return f"postgresql+psycopg://{auth}@{self.host}:{self.port}/{database}"

    def tcp_url(self, database: str = "postgres", user: str | None = None, password=None) -> str:
        """The same over TCP on 127.0.0.1 (TLS is never used on a Unix socket)."""
        url = self.url(database, user, password)
        auth = url.split("://", 1)[1].split("@", 1)[0]
        return f"postgresql+psycopg://{auth}@{self.tcp_host}:{self.port}/{database}"

    def connect(self, database: str = "postgres", user: str | None = None, password=None):
        """A plain psycopg connection in autocommit mode (for CREATE DATABASE and raw SQL)."""
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(self.url(database, user, password))
        params = {
            "dbname": url.database,
            "user": url.username,
            "password": url.password or None,
            "host": url.query.get("host", url.host),
            "port": url.query.get("port", url.port),
        }
        return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)

    def new_name(self, prefix: str = "t") -> str:
        return f"{prefix}_{os.getpid()}_{next(self._counter)}"

    def create_database(self, name: str, template: str | None = None) -> str:
        from psycopg import sql

        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            query += sql.SQL(" TEMPLATE {} STRATEGY FILE_COPY").format(sql.Identifier(template))
        with self.connect() as conn:
            conn.execute(query)
        return name

    def drop_database(self, name: str) -> None:
        from psycopg import sql

        with self.connect() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


class _Cluster:
    """initdb + pg_ctl in a temporary folder, as an unprivileged user when we are root."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        # /tmp rather than $TMPDIR: a short path (a Unix socket's is limited to ~107 bytes),
        # and one `nobody` can reach when we are root.
        base = "/tmp" if os.path.isdir("/tmp") else None
        self.folder = Path(tempfile.mkdtemp(prefix="csf-pg-", dir=base))
        self.data = self.folder / "data"
        self.password = secrets.token_urlsafe(16)
        self.port = _free_port()
        self.as_user: dict = {}
        if os.geteuid() == 0:
            import pwd

            nobody = pwd.getpwnam("nobody")
            self.as_user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
            os.chown(self.folder, nobody.pw_uid, nobody.pw_gid)
        self.folder.chmod(0o700)

    def _run(self, *args: str) -> None:
        env = {
            "PATH": f"{self.bin}:{os.environ.get('PATH', '')}",
            "LC_ALL": "C",
            "HOME": str(self.folder),
        }
        result = subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            env=env,
            cwd=self.folder,
            timeout=120,
            **self.as_user,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{args[0]} failed ({result.returncode}): {(result.stderr or result.stdout).strip()}"
            )

    def start(self) -> PgServer:
        pwfile = self.folder / "pw"
        pwfile.write_text(self.password + "\n")
        if self.as_user:
            os.chown(pwfile, self.as_user["user"], self.as_user["group"])
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        pwfile.unlink()
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            "-c shared_buffers=32MB"
        )
        self._run(
            "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data),
            "-l", str(self.folder / "log"), "-o", options,
        )  # fmt: skip
        self._watch()
        return PgServer(host=str(self.folder), port=self.port, password=self.password)

    def _watch(self) -> None:
        """Stop the cluster if this process dies without stopping it (killed by a timeout, a
        crashed worker): a shell polls for the process and then stops the cluster and removes
        its folder, so no postmaster is left running on the machine."""
        script = (
            'while [ -d "/proc/$0" ]; do sleep 2; done; '
            '"$1" stop -m immediate -w -D "$2" >/dev/null 2>&1; rm -rf "$3"'
        )
        self._watcher = subprocess.Popen(
            ["/bin/sh", "-c", script, str(os.getpid()), str(self.bin / "pg_ctl"),
             str(self.data), str(self.folder)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd=self.folder, start_new_session=True, **self.as_user,
        )  # fmt: skip

    def stop(self) -> None:
        watcher = getattr(self, "_watcher", None)
        if watcher is not None:
            watcher.kill()
            watcher.wait()
        with contextlib.suppress(RuntimeError, subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(self.data))
        shutil.rmtree(self.folder, ignore_errors=True)


def _server_from_env(url: str) -> PgServer:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    host = parsed.query.get("host", parsed.host or "localhost")
    return PgServer(
        host=host,
        port=int(parsed.query.get("port", parsed.port or 5432)),
        password=parsed.password or "",
        user=parsed.username or SUPERUSER,
        tcp_host=parsed.host or "127.0.0.1",
    )


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is needed under CI=true: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL for the team-store tests: {reason}")


@pytest.fixture(scope="session")
def _pg_state():
    """Start (once) the cluster; the reason it could not start is kept for every test."""
    state: dict = {}
    cluster = None
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        state["error"] = f"psycopg is not installed ({exc})"
    else:
        if os.environ.get(ENV_URL):
            state["server"] = _server_from_env(os.environ[ENV_URL])
        else:
            bin_dir = _bin_dir()
            if bin_dir is None:
                state["error"] = "initdb was not found (install Debian's postgresql package)"
            else:
                cluster = _Cluster(bin_dir)
                try:
                    state["server"] = cluster.start()
                except (RuntimeError, OSError, subprocess.SubprocessError, KeyError) as exc:
                    state["error"] = f"the throwaway cluster did not start: {exc}"
                    cluster.stop()
                    cluster = None
    yield state
    if cluster is not None:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_server(_pg_state) -> PgServer:
    if "server" not in _pg_state:
        _unavailable(_pg_state["error"])
    return _pg_state["server"]


@pytest.fixture(scope="session")
def _team_template(pg_server):
    """One database set up as `team init` does, copied for each test that asks for it."""
    from csfacilitator.storage import team_store

    name = pg_server.new_name("template_team")
    pg_server.create_database(name)
    team_store.init_team_store(pg_server.url(name))
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def team_url_empty(pg_server):
    """A new empty database (superuser URL), dropped after the test."""
    name = pg_server.create_database(pg_server.new_name())
    yield pg_server.url(name)
    pg_server.drop_database(name)


class RestoredDatabase:
    """A database kept for the session and put back, after each test, to the rows it held when
    `keep()` was called: every table's rows copied aside at `keep()` (schema `test_kept`,
    which no search path names), and after each test every row deleted and the kept ones
    inserted again (triggers off, as a replica applies rows: the audit and append-only
    triggers of storage/team_security.py guard the app's logins, not this), every sequence set
    back. That takes milliseconds where CREATE DATABASE from a template and DROP DATABASE
    took 0.5-0.6 s of the server's CPU per test on a 2-core machine (measured: 0.47-0.61 s of
    the cluster's processes per create and drop, FILE_COPY or WAL_LOG alike).

    Only rows are put back: a test that creates roles, grants, policies or changes the schema
    needs its own copy (`team_url`). If putting back fails, the database is dropped and every
    later test asking for it fails: none can see another's rows."""

    KEPT = "test_kept"

    def __init__(self, server: PgServer, template: str | None = None, prefix: str = "rows"):
        self.server = server
        self.name = server.create_database(server.new_name(prefix), template=template)
        self.reset_sql: str | None = None
        self.broken: str | None = None
        self._resetter = None  # the psycopg connection reset() keeps

    @property
    def url(self) -> str:
        if self.broken:
            pytest.fail(f"the team database was not put back after a test: {self.broken}")
        return self.server.url(self.name)

    def keep(self) -> None:
        """The rows now in the database are the ones every test starts from."""
        kept = self.KEPT
        with self.server.connect(self.name) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{kept}" CASCADE')
            conn.execute(f'CREATE SCHEMA "{kept}"')
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            statements = []
            restore = []
            for table in tables:
                columns = [
                    r[0]
                    for r in conn.execute(
                        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                        "AND attnum > 0 AND NOT attisdropped AND attgenerated = '' "
                        "ORDER BY attnum",
                        (f'public."{table}"',),
                    )
                ]
                listed = ", ".join(f'"{c}"' for c in columns)
                conn.execute(
                    f'CREATE TABLE "{kept}"."{table}" AS SELECT {listed} FROM public."{table}"'
                )
                statements.append(f'DELETE FROM public."{table}"')
                if conn.execute(f'SELECT 1 FROM "{kept}"."{table}" LIMIT 1').fetchone():
                    restore.append(
                        f'INSERT INTO public."{table}" ({listed}) OVERRIDING SYSTEM VALUE '
                        f'SELECT {listed} FROM "{kept}"."{table}"'
                    )
            sequences = [
                f"SELECT setval('public.\"{name}\"', {last}, true)"
                if last is not None
                else f"SELECT setval('public.\"{name}\"', {start}, false)"
                for name, last, start in conn.execute(
                    "SELECT sequencename, last_value, start_value FROM pg_sequences "
                    "WHERE schemaname = 'public'"
                )
            ]
        self.reset_sql = "; ".join(
            [
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()",
                "SET lock_timeout = '5s'",
                "BEGIN",
                "SET LOCAL session_replication_role = replica",
                *statements,
                *restore,
                *sequences,
                "COMMIT",
            ]
        )

    def reset(self, test: str = "") -> None:
        """Put the rows back, on one connection kept for the session (as CoreDatabase does: a
        new one per test cost a server process and a password exchange). A test that ended
        every session on the database (test_sync_crash) ended that one too: then once more on
        a new connection."""
        import psycopg

        assert self.reset_sql is not None, "keep() first"
        if self.broken:
            return
        for last in (False, True):
            try:
                if self._resetter is None or self._resetter.closed:
                    self._resetter = self.server.connect(self.name)
                self._resetter.execute(self.reset_sql)
                return
            except psycopg.Error as exc:
                self._close_resetter()  # a failed script leaves its transaction open
                if not last and isinstance(exc, psycopg.OperationalError):
                    continue
                self.broken = f"{test}: {exc}"
                self.server.drop_database(self.name)
                return

    def _close_resetter(self) -> None:
        if self._resetter is not None:
            with contextlib.suppress(Exception):
                self._resetter.close()
            self._resetter = None

    def drop(self) -> None:
        """Drop it; a server already stopped (the session's own cluster) took it along."""
        import psycopg

        self._close_resetter()
        with contextlib.suppress(psycopg.OperationalError):
            self.server.drop_database(self.name)


@pytest.fixture(scope="session")
def _team_rows(pg_server, _team_template):
    database = RestoredDatabase(pg_server, _team_template, "team_rows")
    database.keep()
    yield database
    database.drop()


@pytest.fixture
def team_rows_url(_team_rows, request):
    """A database as `team init` leaves it (superuser URL), the session's one, put back to
    those rows after the test (RestoredDatabase): for tests that change rows only."""
    yield _team_rows.url
    _team_rows.reset(request.node.nodeid)


@pytest.fixture
def team_url(pg_server, _team_template):
    """A new database as `team init` leaves it (superuser URL), dropped after the test."""
    name = pg_server.create_database(pg_server.new_name(), template=_team_template)
    yield pg_server.url(name)
    pg_server.drop_database(name)


class CoreDatabase:
    """The PostgreSQL database the core-operation tests run on, one per test session.

    It is a copy (CREATE DATABASE ... TEMPLATE) of a template the project's own migrations
    brought to head. After each test it is emptied as the copy was: every connection to it
    ended, every table's rows deleted, every sequence set back to 1. That takes a few
    milliseconds where a new copy per test takes a quarter to two thirds of a second on a
    2-core machine (measured: 0.26-0.7 s for CREATE DATABASE, 2-7 ms for the reset), and the
    suite runs hundreds of these tests. If emptying fails, the database is dropped and copied
    from the template again, so a test can never see another's rows.

    The reset runs on one connection kept open for the session (idle between resets, holding
    no lock): a new one per test cost a server process, a password exchange and the catalog
    read afresh, about 3/4 of the reset's time.

    The tests' `db` shares one engine (`engine()`): a new engine per test asked the server
    its version and settings again and compiled every statement again (SQLAlchemy keeps
    compiled statements per engine), 6-8 ms of a test that creates one conference. Its
    connections still end after every test (Database.close disposes its pool, the reset ends
    any left), so no session state reaches the next test; an engine a test gave a listener
    of its own is replaced rather than shared on.
    """

    def __init__(self, server: PgServer):
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        from csfacilitator.storage.migrations.runner import upgrade_to_head

        self.server = server
        self.template = server.create_database(server.new_name("template_core"))
        engine = create_engine(server.url(self.template), poolclass=NullPool)
        try:
            upgrade_to_head(engine)
        finally:
            engine.dispose()
        with server.connect(self.template) as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            ]
            sequences = [
                r[0]
                for r in conn.execute(
                    "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
                )
            ]
            leftover = [
                t for t in tables if conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()
            ]
        assert not leftover, f"the migrations left rows in {leftover}: keep them on reset"
        self.reset_sql = _reset_sql(tables, sequences)
        self._resetter = None
        self._engine = None
        self._listeners: dict[str, int] = {}
        self.name = self._copy()

    def _copy(self) -> str:
        return self.server.create_database(self.server.new_name("core"), template=self.template)

    @property
    def url(self) -> str:
        return self.server.url(self.name)

    def engine(self):  # noqa: ANN201 - Engine
        """The engine on the database, made once (again after a copy or a listener added)."""
        from sqlalchemy import create_engine

        if self._engine is None:
            self._engine = create_engine(self.url)
            self._listeners = _listener_counts(self._engine)
        return self._engine

    def _forget_engine(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def reset(self) -> None:
        import psycopg

        if self._engine is not None:
            self._engine.dispose()  # its connections end here, not by the reset's terminate
            if _listener_counts(self._engine) != self._listeners:
                self._forget_engine()
        try:
            if self._resetter is None or self._resetter.closed:
                self._resetter = self.server.connect(self.name)
            self._resetter.execute(self.reset_sql)
        except psycopg.Error:
            self._close_resetter()
            self._forget_engine()
            self.server.drop_database(self.name)
            self.name = self._copy()

    def _close_resetter(self) -> None:
        if self._resetter is not None:
            self._resetter.close()
            self._resetter = None

    def drop(self) -> None:
        self._close_resetter()
        self._forget_engine()
        self.server.drop_database(self.name)
        self.server.drop_database(self.template)


def _listener_counts(engine) -> dict[str, int]:  # noqa: ANN001 - Engine
    """How many listeners each of the engine's events has, and its pool's ("connect",
    "checkout" and "reset" listeners go to the pool, which dispose() keeps)."""
    counts = {name: len(getattr(engine.dispatch, name)) for name in engine.dispatch._event_names}
    pool = engine.pool.dispatch
    counts |= {f"pool.{name}": len(getattr(pool, name)) for name in pool._event_names}
    return counts


def _reset_sql(tables: list[str], sequences: list[str]) -> str:
    """One script: end the test's connections, delete every row (children first, as the
    models order the tables), set every sequence back to its start."""
    from csfacilitator.core.model import Base

    order = [t.name for t in reversed(Base.metadata.sorted_tables)]
    ordered = [t for t in tables if t not in order] + [t for t in order if t in tables]
    return "; ".join(
        [
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()",
            "SET lock_timeout = '5s'",
            "BEGIN",
            *(f'DELETE FROM "{t}"' for t in ordered),
            *(f"SELECT setval('\"{s}\"', 1, false)" for s in sequences),
            "COMMIT",
        ]
    )


@pytest.fixture(scope="session")
def _pg_core_database(pg_server):
    database = CoreDatabase(pg_server)
    yield database
    database.drop()


@pytest.fixture
def pg_core_url(_pg_core_database):
    """An empty database at the Alembic head (superuser URL), emptied again after the test."""
    yield _pg_core_database.url
    _pg_core_database.reset()


@pytest.fixture
def pg_core_engine(_pg_core_database):
    """The session's engine on that database, empty at the start of the test (see
    CoreDatabase); its connections end and the database is emptied after the test."""
    yield _pg_core_database.engine()
    _pg_core_database.reset()
