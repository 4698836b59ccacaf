"""Who may see what, enforced by PostgreSQL: each person connects with their own login and
plain SQL, bypassing the app, and is allowed or refused by the server itself."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors
from sqlalchemy.engine import make_url

from csfacilitator.errors import UserError
from csfacilitator.storage import team_security, team_store

PASSWORD = "a long enough password"


@pytest.fixture
def team(pg_server, team_url):
    """A team store with two coordinators, a manager and a read-only login (names unique to
    the test: logins belong to the whole server), and a conference made by each coordinator
    through their own login."""
    engine = team_store.make_team_engine(team_url)
    tag = make_url(team_url).database
    people = {
        "alice": ("coordinator", f"alice_{tag}"),
        "bob": ("coordinator", f"bob_{tag}"),
        "mia": ("manager", f"mia_{tag}"),
        "ro": ("readonly", f"ro_{tag}"),
    }
    for role, login in people.values():
        team_security.add_user(engine, login, role, PASSWORD)
    engine.dispose()
    database = tag
    logins = {key: login for key, (_role, login) in people.items()}

    def connect(who: str) -> psycopg.Connection:
        return pg_server.connect(database, logins[who], PASSWORD)

    conferences = {}
    for who, title in (("alice", "Riverside Park"), ("bob", "Station Underpass")):
        own = team_store.make_team_engine(pg_server.url(database, logins[who], PASSWORD))
        with own.begin() as conn:
            conferences[who] = _new_conference(conn, title)
        own.dispose()
    return {"connect": connect, "logins": logins, "conf": conferences, "url": team_url}


def _new_conference(conn, title: str) -> tuple[int, str]:
    """A conference and its first meeting and agenda item, inserted through the models' own
    tables (their Python defaults fill the other columns), as this login."""
    from csfacilitator.core.model import AgendaItem, Conference, Meeting

    def insert(model, **values):
        table = model.__table__
        return conn.execute(table.insert().values(**values).returning(table.c.id)).scalar()

    conference_id = insert(Conference, title=title)
    uid = (
        conn.execute(
            Conference.__table__.select().where(Conference.__table__.c.id == conference_id)
        )
        .one()
        .uid
    )
    meeting_id = insert(Meeting, conference_id=conference_id, kind="conference")
    insert(AgendaItem, meeting_id=meeting_id, position=0, title="Welcome", lead="")
    return conference_id, uid


def titles(conn) -> set[str]:
    return {row[0] for row in conn.execute("SELECT title FROM conference")}


def test_a_coordinator_reads_and_changes_only_conferences_shared_with_them(team):
    alice_conf, _ = team["conf"]["alice"]
    bob_conf, _ = team["conf"]["bob"]
    with team["connect"]("alice") as conn:
        assert titles(conn) == {"Riverside Park"}
        # Children are filtered through their parent's conference, two levels down too.
        assert conn.execute("SELECT count(*) FROM meeting").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM agenda_item").fetchone()[0] == 1
        # Another's conference: invisible, so an UPDATE or DELETE touches nothing...
        assert (
            conn.execute(
                "UPDATE conference SET title = 'mine now' WHERE id = %s", (bob_conf,)
            ).rowcount
            == 0
        )
        assert (
            conn.execute("DELETE FROM meeting WHERE conference_id = %s", (bob_conf,)).rowcount == 0
        )
        # ...and adding to it is refused by the server.
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO meeting (conference_id, kind, venue, purpose, decisions, uid) "
                "VALUES (%s, 'review', '', '', '', gen_random_uuid()::text)",
                (bob_conf,),
            )
        # Its own: allowed.
        assert (
            conn.execute(
                "UPDATE conference SET title = 'Riverside Park and lanes' WHERE id = %s",
                (alice_conf,),
            ).rowcount
            == 1
        )
        # Moving a row into someone else's conference is refused too (WITH CHECK).
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(
                "UPDATE meeting SET conference_id = %s WHERE conference_id = %s",
                (bob_conf, alice_conf),
            )
    with team["connect"]("bob") as conn:
        assert titles(conn) == {"Station Underpass"}


def test_sharing_lets_a_colleague_in_and_unsharing_shuts_them_out(team):
    _, alice_uid = team["conf"]["alice"]
    _, bob_uid = team["conf"]["bob"]
    logins = team["logins"]
    with team["connect"]("alice") as conn:
        conn.execute(
            "INSERT INTO team_share (conference_uid, login) VALUES (%s, %s)",
            (alice_uid, logins["bob"]),
        )
        # She cannot give herself someone else's conference.
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO team_share (conference_uid, login) VALUES (%s, %s)",
                (bob_uid, logins["alice"]),
            )
    with team["connect"]("bob") as conn:
        assert titles(conn) == {"Riverside Park", "Station Underpass"}
        assert (
            conn.execute(
                "UPDATE conference SET area = 'North' WHERE uid = %s", (alice_uid,)
            ).rowcount
            == 1
        )
    with team["connect"]("alice") as conn:
        conn.execute(
            "DELETE FROM team_share WHERE conference_uid = %s AND login = %s",
            (alice_uid, logins["bob"]),
        )
    with team["connect"]("bob") as conn:
        assert titles(conn) == {"Station Underpass"}


def test_a_manager_reads_everything_and_may_delete_but_not_edit_unshared(team):
    bob_conf, _ = team["conf"]["bob"]
    with team["connect"]("mia") as conn:
        assert titles(conn) == {"Riverside Park", "Station Underpass"}
        assert conn.execute("SELECT count(*) FROM agenda_item").fetchone()[0] == 2
        assert (
            conn.execute("UPDATE conference SET title = 'x' WHERE id = %s", (bob_conf,)).rowcount
            == 0
        )
        assert conn.execute("DELETE FROM conference WHERE id = %s", (bob_conf,)).rowcount == 1
        assert titles(conn) == {"Riverside Park"}


def test_read_only_reads_what_is_shared_with_it_and_can_write_nothing(team, pg_server):
    alice_conf, alice_uid = team["conf"]["alice"]
    with team["connect"]("ro") as conn:
        assert titles(conn) == set()
    superuser = team_store.make_team_engine(team["url"])
    with superuser.begin() as conn:
        assert team_security.share(conn, alice_uid, team["logins"]["ro"])
    superuser.dispose()
    with team["connect"]("ro") as conn:
        assert titles(conn) == {"Riverside Park"}
        for statement in (
            "UPDATE conference SET title = 'x'",
            "DELETE FROM agenda_item",
            f"INSERT INTO need (conference_id, position, text) VALUES ({alice_conf}, 0, 'x')",
            "INSERT INTO team_share (conference_uid, login) VALUES ('x', current_user)",
        ):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(statement)


def test_no_app_login_writes_the_audit_trail_or_local_only_tables(team):
    with team["connect"]("mia") as conn:
        for statement in (
            "UPDATE team_audit SET who = 'nobody'",
            "DELETE FROM team_audit",
            "TRUNCATE team_audit",
            "DELETE FROM team_audit_value",
            "INSERT INTO team_audit (id, at, who, entity, row_key, action, hash) "
            "VALUES (999999, now(), 'x', 'x', 'x', 'x', 'x')",
            "INSERT INTO setting (key, value) VALUES ('k', 'v')",
            "SELECT * FROM draft",
            "SELECT nextval('team_audit_id_seq')",
        ):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(statement)


def test_a_removed_coordinator_can_no_longer_log_in_and_loses_their_shares(team, pg_server):
    engine = team_store.make_team_engine(team["url"])
    try:
        assert team_security.remove_user(engine, team["logins"]["alice"]) == 1
        with engine.connect() as conn:
            assert team_security.role_of(conn, team["logins"]["alice"]) is None
            assert team_security.role_of(conn, team["logins"]["bob"]) == "coordinator"
        with pytest.raises(UserError, match="exists already"):
            team_security.add_user(engine, team["logins"]["alice"], "coordinator", PASSWORD)
    finally:
        engine.dispose()
    with pytest.raises(psycopg.OperationalError):
        team["connect"]("alice").close()


def test_every_conference_table_is_protected_and_local_tables_are_not_granted():
    from csfacilitator.core.model import Base

    paths = team_security.conference_paths(Base.metadata)
    for name in Base.metadata.tables:
        assert (name in paths) != (name in team_security.LOCAL_ONLY), name
    assert paths["agenda_item"].hops == (("meeting_id", "meeting"), ("conference_id", "conference"))
    assert paths["attendance"].hops[0][1] in ("invitee", "meeting")


def test_reading_filters_once_per_query_not_once_per_row(team):
    """The read policies are uncorrelated subqueries PostgreSQL hashes once per query (a row
    of a child table is readable when its parent row is); the first version called a function
    per row, 120 times slower over 10,000 board points."""
    with team["connect"]("alice") as conn:
        for table in ("conference", "agenda_item"):
            plan = "\n".join(row[0] for row in conn.execute(f"EXPLAIN SELECT * FROM {table}"))
            assert "hashed SubPlan" in plan, plan
            assert "team_can_read" not in plan and "team_shared" not in plan, plan
