"""The set-up the documentation gives a council: the team store's database is owned by an
administrator login with CREATEROLE (not a superuser), who runs `team init` and adds people."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import text

from csfacilitator.core.model import Conference
from csfacilitator.storage import team_security, team_store

PASSWORD = "a long enough password"


def test_an_administrator_who_is_not_a_superuser_sets_up_the_store_and_its_people(pg_server):
    name = pg_server.new_name("council")
    admin = f"admin_{name}"
    with pg_server.connect() as conn:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}").format(
                sql.Identifier(admin), sql.Literal(PASSWORD)
            )
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(name), sql.Identifier(admin)
            )
        )
    try:
        url = pg_server.url(name, admin, PASSWORD)
        team_store.init_team_store(url)
        engine = team_store.make_team_engine(url)
        coordinator = f"jsmith_{name}"
        team_security.add_user(engine, coordinator, "coordinator", PASSWORD)
        own = team_store.make_team_engine(pg_server.url(name, coordinator, PASSWORD))
        with own.begin() as conn:
            conn.execute(Conference.__table__.insert().values(title="Riverside Park"))
        with own.connect() as conn:
            assert conn.execute(text("SELECT title FROM conference")).scalars().all() == [
                "Riverside Park"
            ]
            assert team_security.role_of(conn) == "coordinator"
        own.dispose()
        assert team_security.remove_user(engine, coordinator) == 1
        with engine.connect() as conn:
            check = team_security.verify_audit(conn)
            assert check.intact and check.entries == 3, check  # claim, insert, unshare
        engine.dispose()
        # A login outside the team may not even connect to the team's database.
        with pg_server.connect() as conn:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(f"outsider_{name}"), sql.Literal(PASSWORD)
                )
            )
        with pytest.raises(psycopg.OperationalError) as refused:
            pg_server.connect(name, f"outsider_{name}", PASSWORD).close()
        assert "permission denied for database" in str(refused.value)
    finally:
        pg_server.drop_database(name)


def test_without_a_server_ci_fails_and_a_developer_skips(monkeypatch):
    import pg_server as fixtures

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL is needed under CI=true"):
        fixtures._unavailable("initdb was not found")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="initdb was not found"):
        fixtures._unavailable("initdb was not found")


def test_the_errors_are_told_apart_by_sqlstate():
    class Fake(Exception):
        def __init__(self, sqlstate):
            self.sqlstate = sqlstate

    assert isinstance(team_store.classify(Fake("28P01")), team_store.TeamStoreRefused)
    assert isinstance(team_store.classify(Fake("42501")), team_store.TeamStoreRefused)
    assert isinstance(team_store.classify(Fake("08006")), team_store.TeamStoreUnreachable)
    assert isinstance(team_store.classify(Fake("57P01")), team_store.TeamStoreUnreachable)
    assert team_store.classify(Fake("23505")) is None  # a unique violation is a bug: not hidden
    assert team_store.classify(Fake("42P01")) is None


def test_a_copy_without_the_team_extra_says_what_to_install(monkeypatch, db, capsys):
    from csfacilitator.cli import main

    real = team_store._optional

    def without_psycopg(name):
        if name.startswith("psycopg"):
            raise ImportError(name)
        return real(name)

    monkeypatch.setattr(team_store, "_optional", without_psycopg)
    monkeypatch.setenv(team_store.ENV_PASSWORD, "x")
    assert main(["team", "connect", "postgresql://me@db.example/team"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'csfacilitator[team]'" in err and err.count("\n") == 1


def test_the_app_never_imports_the_team_extras_by_statement():
    """The desktop bundle is built from the import statements it finds: psycopg and keyring
    are loaded by name (team_store._optional), so they join the bundle only when packaging/
    says so (they would add about 30 MB with keyring's cryptography)."""
    import re
    from pathlib import Path

    import csfacilitator

    pattern = re.compile(r"^\s*(import|from)\s+(psycopg|keyring)\b", re.M)
    root = Path(csfacilitator.__file__).parent
    found = [p.name for p in root.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert found == []
