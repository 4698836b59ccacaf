"""The team store's audit trail: every change recorded by the server (who, when, conference,
entity, field, old and new), chained by SHA-256 so an edit or a removal shows, append-only
for everyone, and deleted text not kept."""

from __future__ import annotations

import json

import pytest
from psycopg import errors
from sqlalchemy import text
from sqlalchemy.engine import make_url

from csfacilitator.core.model import Conference, Meeting
from csfacilitator.storage import team_security, team_store

PASSWORD = "a long enough password"


@pytest.fixture
def store(pg_server, team_url):
    """A coordinator's login who made a conference with one meeting and renamed it."""
    database = make_url(team_url).database
    login = f"alice_{database}"
    admin = team_store.make_team_engine(team_url)
    team_security.add_user(admin, login, "coordinator", PASSWORD)
    own = team_store.make_team_engine(pg_server.url(database, login, PASSWORD))
    with own.begin() as conn:
        table = Conference.__table__
        conference_id = conn.execute(
            table.insert().values(title="Riverside Park").returning(table.c.id)
        ).scalar()
        uid = conn.execute(
            text("SELECT uid FROM conference WHERE id = :i"), {"i": conference_id}
        ).scalar()
        conn.execute(
            Meeting.__table__.insert().values(
                conference_id=conference_id, kind="conference", venue="Scout hut"
            )
        )
    with own.begin() as conn:
        conn.execute(
            text("UPDATE conference SET title = 'Riverside Park and lanes' WHERE id = :i"),
            {"i": conference_id},
        )
    own.dispose()
    yield {
        "admin": admin,
        "login": login,
        "uid": uid,
        "conference_id": conference_id,
        "connect": lambda: pg_server.connect(database),
    }
    admin.dispose()


def _check(store) -> team_security.AuditCheck:
    with store["admin"].connect() as conn:
        return team_security.verify_audit(conn)


def test_each_change_is_recorded_with_who_what_and_the_old_and_new_value(store):
    with store["admin"].connect() as conn:
        entries = team_security.audit_entries(conn, store["uid"])
    kinds = [(e.entity, e.action) for e in entries]
    assert kinds == [
        ("team_share", "insert"),  # the first write claimed the conference for her
        ("conference", "insert"),
        ("meeting", "insert"),
        ("conference", "update"),
    ]
    assert {e.who for e in entries} == {store["login"]}
    update = entries[-1]
    changes = json.loads(update.changes)
    assert changes["title"] == ["Riverside Park", "Riverside Park and lanes"]
    assert "venue" not in changes  # only what changed
    assert json.loads(entries[2].changes)["venue"] == [None, "Scout hut"]
    assert _check(store).intact


def test_deleting_keeps_the_fact_but_not_the_text_and_the_chain_stays_whole(store):
    with store["admin"].begin() as conn:
        conn.execute(text("DELETE FROM conference WHERE id = :i"), {"i": store["conference_id"]})
    with store["admin"].connect() as conn:
        entries = team_security.audit_entries(conn, store["uid"])
        values = conn.execute(text("SELECT changes FROM team_audit_value")).scalars().all()
    deletes = {(e.entity, e.action) for e in entries if e.action == "delete"}
    # The meeting went with its conference (a cascade) and is still filed under it.
    assert deletes == {("conference", "delete"), ("meeting", "delete")}
    assert not any("Riverside" in v or "Scout hut" in v for v in values)
    assert all(e.changes is None for e in entries if e.entity in ("conference", "meeting"))
    check = _check(store)
    assert check.intact, check.problems
    assert check.entries >= 6


def test_no_one_updates_deletes_or_truncates_the_trail_not_even_its_owner(store):
    with store["connect"]() as conn:  # the superuser
        for statement in (
            "UPDATE team_audit SET who = 'mallory'",
            "DELETE FROM team_audit WHERE id = (SELECT max(id) FROM team_audit)",
            "TRUNCATE team_audit_value",
            "UPDATE team_audit_value SET changes = '{}'",
        ):
            with pytest.raises(errors.InsufficientPrivilege, match="append-only"):
                conn.execute(statement)


def _tamper(store, statement: str) -> None:
    """What only a superuser can do: switch the triggers off and edit the table."""
    with store["connect"]() as conn, conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")
        conn.execute(statement)


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        (
            "UPDATE team_audit SET who = 'mallory' WHERE action = 'update'",
            "was changed after it was written",
        ),
        (
            "DELETE FROM team_audit_value WHERE entry_id = (SELECT id FROM team_audit "
            "WHERE entity = 'meeting'); DELETE FROM team_audit WHERE entity = 'meeting'",
            "does not follow the entry before it",
        ),
        (
            "UPDATE team_audit_value SET changes = replace(changes, 'and lanes', 'and roads')",
            "values of entry",
        ),
        (
            "DELETE FROM team_audit_value WHERE entry_id = (SELECT id FROM team_audit "
            "WHERE entity = 'meeting')",
            "missing, but its row was never deleted",
        ),
        (
            "UPDATE team_audit SET at = at - interval '1 day' WHERE action = 'update'",
            "was changed after it was written",
        ),
    ],
    ids=["who-edited", "entry-removed", "value-edited", "value-removed", "time-edited"],
)
def test_tampering_by_a_superuser_is_detected(store, statement, found):
    assert _check(store).intact
    _tamper(store, statement)
    check = _check(store)
    assert not check.intact
    assert any(found in problem for problem in check.problems), check.problems


def test_writes_at_another_isolation_level_are_refused_rather_than_fork_the_chain(store):
    with store["connect"]() as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with pytest.raises(errors.ActiveSqlTransaction, match="READ COMMITTED"):
            conn.execute("UPDATE conference SET area = 'North'")
