"""`csfacilitator team ...` against a real PostgreSQL: set-up, joining, a hostile or wrong
server refused in one line with nothing changed on the laptop, people, shares and audit."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from csfacilitator.cli import main
from csfacilitator.storage import team_store

PASSWORD = "a long enough password"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def local_settings(db) -> dict[str, str]:
    """The laptop's settings (the `db` fixture copies a migrated database into the data
    folder, so the commands find it there and need not migrate a new one)."""
    with db.read_session() as s:
        return dict(s.execute(text("SELECT key, value FROM setting")).all())


@pytest.fixture(scope="module")
def shared_store(pg_server, _team_template):
    """For the tests that only read: one team store and one empty database per module."""
    store = pg_server.create_database(pg_server.new_name(), template=_team_template)
    empty = pg_server.create_database(pg_server.new_name())
    yield store, empty
    pg_server.drop_database(store)
    pg_server.drop_database(empty)


@pytest.fixture
def no_password(monkeypatch):
    monkeypatch.delenv(team_store.ENV_PASSWORD, raising=False)
    monkeypatch.setattr("csfacilitator.commands.team._prompt", lambda label: None)


def test_init_then_connect_then_status_never_stores_the_password(
    capsys, monkeypatch, pg_server, team_url_empty, db, no_password
):
    database = make_url(team_url_empty).database
    monkeypatch.setenv(team_store.ENV_PASSWORD, pg_server.password)
    bare = pg_server.url(database, pg_server.user, "")
    code, out, err = cli(capsys, "team", "init", bare)
    assert code == 0, err
    assert "Created the team store" in out and pg_server.password not in out

    # A second init on the same database is refused: it is not empty any more.
    code, _out, err = cli(capsys, "team", "init", bare)
    assert code == 2 and "already holds tables" in err

    login = f"cora_{database}"
    monkeypatch.setenv("CSFACILITATOR_NEW_USER_PASSWORD", PASSWORD)
    code, out, err = cli(capsys, "team", "add-user", login, "--role", "coordinator", "--url", bare)
    assert code == 0, err
    assert "as coordinator" in out

    # Her laptop joins with her own login; the password given in the URL is not kept.
    mine = pg_server.url(database, login, PASSWORD)
    monkeypatch.delenv(team_store.ENV_PASSWORD)
    code, out, err = cli(capsys, "team", "connect", mine)
    assert code == 0, err
    stored = local_settings(db)[team_store.SETTING_URL]
    assert PASSWORD.replace(" ", "%20") not in stored and PASSWORD not in stored
    assert make_url(stored).username == login and make_url(stored).password is None

    monkeypatch.setenv(team_store.ENV_PASSWORD, PASSWORD)
    code, out, err = cli(capsys, "team", "status")
    assert code == 0, err
    assert "Reachable: PostgreSQL 1" in out
    assert f"Login: {login} (coordinator)" in out

    # Without a password anywhere, status says so in a line instead of failing.
    monkeypatch.delenv(team_store.ENV_PASSWORD)
    code, out, _err = cli(capsys, "team", "status")
    assert code == 2 and "Not reachable:" in out


def _hostile_cases(pg_server, shared_store):
    database, empty = shared_store
    return {
        "unreachable": (
            f"postgresql://postgres@127.0.0.1:{_closed_port()}/{database}",
            pg_server.password,
            "could not be reached",
        ),
        "wrong-password": (pg_server.url(database, "postgres", ""), "not the password", "refused"),
        "unknown-login": (pg_server.url(database, "nobody_here", ""), PASSWORD, "refused"),
        "no-such-database": (
            pg_server.url("no_such_db", "postgres", ""),
            pg_server.password,
            "refused",
        ),
        "tls-required": (
            pg_server.tcp_url(database, "postgres", "") + "?sslmode=require",
            pg_server.password,
            "asks for TLS",
        ),
        "not-postgresql": ("mysql://someone@host/db", "x", "must be PostgreSQL 15"),
        "no-database-named": ("postgresql://someone@host", "x", "names no database"),
        "no-schema-yet": (pg_server.url(empty, "postgres", ""), pg_server.password, "team init"),
    }


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens


CASES = [
    "unreachable",
    "wrong-password",
    "unknown-login",
    "no-such-database",
    "tls-required",
    "not-postgresql",
    "no-database-named",
    "no-schema-yet",
]


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_or_wrong_server_gets_one_line_and_changes_nothing_here(
    case, capsys, monkeypatch, pg_server, shared_store, db, no_password
):
    url, password, expected = _hostile_cases(pg_server, shared_store)[case]
    before = local_settings(db)
    monkeypatch.setenv(team_store.ENV_PASSWORD, password)
    code, out, err = cli(capsys, "team", "connect", url)
    assert code == 2, (out, err)
    assert expected in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert password not in err or case in ("not-postgresql", "no-database-named")
    assert local_settings(db) == before


def test_a_newer_schema_is_refused(capsys, monkeypatch, pg_server, team_url, db, no_password):
    engine = team_store.make_team_engine(team_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    monkeypatch.setenv(team_store.ENV_PASSWORD, pg_server.password)
    bare = pg_server.url(make_url(team_url).database, "postgres", "")
    code, _out, err = cli(capsys, "team", "connect", bare)
    assert code == 2 and "newer schema (9999)" in err
    assert team_store.SETTING_URL not in local_settings(db)
    code, _out, err = cli(capsys, "team", "init", bare)
    assert code == 2 and "newer schema (9999)" in err


def test_an_older_postgresql_is_refused(
    capsys, monkeypatch, pg_server, shared_store, db, no_password
):
    monkeypatch.setattr(team_store, "MIN_SERVER_VERSION", 990000)
    monkeypatch.setenv(team_store.ENV_PASSWORD, pg_server.password)
    code, _out, err = cli(capsys, "team", "connect", pg_server.url(shared_store[0], "postgres", ""))
    assert code == 2 and "needs 15 or newer" in err
    assert team_store.SETTING_URL not in local_settings(db)


class _MemoryKeyring:
    """A keyring backend in memory (the machine's own is never touched)."""

    def __init__(self):
        import keyring.backend

        class Backend(keyring.backend.KeyringBackend):
            priority = 1
            store: dict = {}

            def get_password(self, service, username):
                return self.store.get((service, username))

            def set_password(self, service, username, password):
                self.store[(service, username)] = password

            def delete_password(self, service, username):
                self.store.pop((service, username), None)

        self.backend = Backend()


def test_a_typed_password_goes_to_the_keyring_and_is_found_there(
    capsys, monkeypatch, pg_server, shared_store, db
):
    import keyring

    memory = _MemoryKeyring().backend
    previous = keyring.get_keyring()
    keyring.set_keyring(memory)
    try:
        monkeypatch.delenv(team_store.ENV_PASSWORD, raising=False)
        monkeypatch.setattr("csfacilitator.commands.team._prompt", lambda label: pg_server.password)
        bare = pg_server.url(shared_store[0], "postgres", "")
        code, out, err = cli(capsys, "team", "connect", bare)
        assert code == 0, err
        assert "kept in the system keyring" in out
        assert list(memory.store.values()) == [pg_server.password]
        monkeypatch.setattr("csfacilitator.commands.team._prompt", lambda label: None)
        code, out, err = cli(capsys, "team", "status")
        assert code == 0, out + err
    finally:
        keyring.set_keyring(previous)


def test_people_shares_and_the_audit_from_the_command_line(
    capsys, monkeypatch, pg_server, team_url, db, no_password
):
    from csfacilitator.core.conferences import create_conference

    database = make_url(team_url).database
    admin = pg_server.url(database, "postgres", "")
    mia, sam = f"mia_{database}", f"sam_{database}"
    monkeypatch.setenv("CSFACILITATOR_NEW_USER_PASSWORD", PASSWORD)
    monkeypatch.setenv(team_store.ENV_PASSWORD, pg_server.password)
    for name, role in ((mia, "manager"), (sam, "coordinator")):
        assert cli(capsys, "team", "add-user", name, "--role", role, "--url", admin)[0] == 0
    code, out, _err = cli(capsys, "team", "users", "--url", admin)
    assert f"{mia}\tteam manager" in out and f"{sam}\tcoordinator" in out
    code, _out, err = cli(
        capsys, "team", "add-user", "Robert'); DROP", "--role", "manager", "--url", admin
    )
    assert code == 2 and "cannot be a login name" in err

    # The laptop joins as the administrator here; the conference is made locally.
    assert cli(capsys, "team", "connect", admin)[0] == 0
    conference_id = create_conference(db, "Riverside Park")
    code, out, err = cli(capsys, "team", "share", str(conference_id), "--with", sam)
    assert code == 0, err
    assert out.strip() == f"Shared with {sam}."
    code, out, err = cli(capsys, "team", "share", "Riverside Park", "--with", "stranger")
    assert code == 2 and "not a member" in err

    code, out, err = cli(capsys, "team", "audit", "Riverside Park")
    assert code == 0, err
    assert "insert team_share" in out and f"    login: {sam}" in out
    code, out, err = cli(capsys, "team", "verify-audit")
    assert code == 0 and "The audit trail is whole: 1 entries" in out

    code, out, err = cli(capsys, "team", "unshare", str(conference_id), "--with", sam)
    assert code == 0 and "No longer shared" in out
    code, out, err = cli(capsys, "team", "remove-user", sam, "--url", admin)
    assert code == 0 and "no longer works" in out

    # Tampering shows on the command line as one line and a non-zero exit.
    with pg_server.connect(database) as conn, conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")
        conn.execute("UPDATE team_audit SET who = 'mallory'")
    code, out, err = cli(capsys, "team", "verify-audit")
    assert code == 2 and "tampered with" in err


def test_an_older_team_store_is_upgraded_by_its_administrator_and_its_new_tables_protected(
    capsys, monkeypatch, pg_server, team_url_empty, db, no_password
):
    from csfacilitator.storage import team_security
    from csfacilitator.storage.migrations.runner import upgrade_to_head
    from csfacilitator.storage.schema_version import HEAD, KNOWN_REVISIONS

    older = KNOWN_REVISIONS[-2]
    engine = team_store.make_team_engine(team_url_empty)
    upgrade_to_head(engine, older)
    team_security.apply(engine)
    monkeypatch.setenv(team_store.ENV_PASSWORD, pg_server.password)
    bare = pg_server.url(make_url(team_url_empty).database, "postgres", "")
    code, _out, err = cli(capsys, "team", "connect", bare)
    assert code == 2 and f"older schema ({older})" in err and "team upgrade" in err
    assert team_store.SETTING_URL not in local_settings(db)

    code, out, err = cli(capsys, "team", "upgrade", bare)
    assert code == 0, err
    assert f"from schema {older} to {HEAD}" in out
    with engine.connect() as conn:
        protected = set(conn.execute(text("SELECT DISTINCT tablename FROM pg_policies")).scalars())
    engine.dispose()
    from csfacilitator.core.model import Base

    assert set(team_security.conference_paths(Base.metadata)) <= protected
    assert cli(capsys, "team", "connect", bare)[0] == 0
