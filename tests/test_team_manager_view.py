"""A manager sees the whole team's work with the home page's own rules (core/dashboard.py),
run on the team store through their login; a coordinator the same rules over what is shared
with them. Which rows each sees is the server's decision."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from csfacilitator.core.model import Conference, Intervention, Need
from csfacilitator.storage import team_security, team_store

PASSWORD = "a long enough password"
TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def team(pg_server, team_url):
    database = make_url(team_url).database
    admin = team_store.make_team_engine(team_url)
    logins = {who: f"{who}_{database}" for who in ("alice", "bob", "mia")}
    for who, role in (("alice", "coordinator"), ("bob", "coordinator"), ("mia", "manager")):
        team_security.add_user(admin, logins[who], role, PASSWORD)
    engines = {
        who: team_store.make_team_engine(pg_server.url(database, login, PASSWORD))
        for who, login in logins.items()
    }
    for who, title, overdue in (("alice", "Riverside Park", 2), ("bob", "Station Underpass", 1)):
        with engines[who].begin() as conn:
            cid = conn.execute(
                Conference.__table__.insert()
                .values(title=title, status="conference_held")
                .returning(Conference.__table__.c.id)
            ).scalar()
            need = conn.execute(
                Need.__table__.insert()
                .values(conference_id=cid, text="Lighting")
                .returning(Need.__table__.c.id)
            ).scalar()
            for i in range(overdue):
                conn.execute(
                    Intervention.__table__.insert().values(
                        need_id=need, text=f"Action {i}", due_date=TODAY - dt.timedelta(days=3)
                    )
                )
    yield {"engines": engines, "logins": logins, "admin": admin}
    for engine in (*engines.values(), admin):
        engine.dispose()


def test_the_manager_sees_every_overdue_action_and_each_caseload(team):
    from csfacilitator.core.dashboard import build_dashboard

    dashboard = build_dashboard(team_store.TeamReader(team["engines"]["mia"]), TODAY)
    assert sorted(a.conference_title for a in dashboard.overdue_actions) == [
        "Riverside Park",
        "Riverside Park",
        "Station Underpass",
    ]
    with team["engines"]["mia"].connect() as conn:
        loads = {c.login: (c.role, c.open_conferences) for c in team_security.caseloads(conn)}
    assert loads == {
        team["logins"]["alice"]: ("coordinator", 1),
        team["logins"]["bob"]: ("coordinator", 1),
    }


def test_a_coordinator_gets_the_same_rules_over_their_own_conferences_only(team):
    from csfacilitator.core.dashboard import build_dashboard

    dashboard = build_dashboard(team_store.TeamReader(team["engines"]["bob"]), TODAY)
    assert [a.conference_title for a in dashboard.overdue_actions] == ["Station Underpass"]
    with team["engines"]["bob"].connect() as conn:
        assert [c.login for c in team_security.caseloads(conn)] == [team["logins"]["bob"]]


def test_the_reader_cannot_write(team):
    reader = team_store.TeamReader(team["engines"]["mia"])
    with pytest.raises(DBAPIError, match="read-only transaction"), reader.read_session() as s:
        s.execute(text("UPDATE conference SET title = 'x'"))
