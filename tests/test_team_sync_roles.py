"""Sync through each coordinator's own login: the server's row-level security decides what a
laptop may push and what it pulls, and the audit names the person who pushed."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from csfacilitator.storage import team_security, team_store

PASSWORD = "a long enough password"


@pytest.fixture
def two_coordinators(pg_server, team_url, tmp_path, _migrated_template):
    pytest.importorskip("csfacilitator.core.sync.engine")
    from sync_laptops import open_laptop

    database = make_url(team_url).database
    admin = team_store.make_team_engine(team_url)
    logins = {}
    for who in ("alice", "bob"):
        logins[who] = f"{who}_{database}"
        team_security.add_user(admin, logins[who], "coordinator", PASSWORD)
    laptops = {who: open_laptop(_migrated_template, tmp_path / who) for who in logins}
    engines = {
        who: team_store.make_team_engine(pg_server.url(database, login, PASSWORD))
        for who, login in logins.items()
    }
    yield {"admin": admin, "logins": logins, "laptops": laptops, "engines": engines}
    for engine in (*engines.values(), admin):
        engine.dispose()
    for db in laptops.values():
        db.close()


def test_a_coordinator_pushes_her_conference_and_only_a_colleague_it_is_shared_with_pulls_it(
    two_coordinators,
):
    from csfacilitator.core.conferences import create_conference, list_conferences
    from csfacilitator.core.sync.engine import sync_now
    from csfacilitator.core.sync.share import share_conference

    t = two_coordinators
    alice_db, bob_db = t["laptops"]["alice"], t["laptops"]["bob"]
    conference_id = create_conference(alice_db, "Riverside Park")
    uid = share_conference(alice_db, conference_id).conference_uid
    with team_store.classified(t["engines"]["alice"]):
        assert sync_now(alice_db, t["engines"]["alice"]).pushed > 0

    # Bob's laptop syncs: the server shows him nothing of hers.
    sync_now(bob_db, t["engines"]["bob"])
    assert [c.title for c in list_conferences(bob_db)] == []

    # Shared with him (by her, through her own login), his next sync brings it.
    with t["engines"]["alice"].begin() as conn:
        assert team_security.share(conn, uid, t["logins"]["bob"])
    result = sync_now(bob_db, t["engines"]["bob"])
    assert result.pulled > 0
    assert [c.title for c in list_conferences(bob_db)] == ["Riverside Park"]

    with t["admin"].connect() as conn:
        entries = team_security.audit_entries(conn, uid)
        check = team_security.verify_audit(conn)
    assert {e.who for e in entries} == {t["logins"]["alice"]}
    assert {"conference", "team_change", "team_share"} <= {e.entity for e in entries}
    assert check.intact, check.problems


def test_a_coordinator_cannot_push_into_a_conference_not_shared_with_them(two_coordinators):
    from csfacilitator.core.conferences import create_conference, update_conference
    from csfacilitator.core.sync.engine import sync_now
    from csfacilitator.core.sync.share import share_conference

    t = two_coordinators
    alice_db = t["laptops"]["alice"]
    conference_id = create_conference(alice_db, "Riverside Park")
    share_conference(alice_db, conference_id)
    sync_now(alice_db, t["engines"]["alice"])
    # Bob holds a copy of the same conference (a hand-over file, say) and tries to push to it.
    bob_db = t["laptops"]["bob"]
    with t["admin"].connect() as conn:
        uid = conn.execute(text("SELECT uid FROM conference")).scalar()
    from csfacilitator.core import bundle

    bob_conference = bundle.import_conference(
        bob_db, bundle.export_conference(alice_db, conference_id)
    )
    share_conference(bob_db, bob_conference)
    update_conference(bob_db, bob_conference, area="Not his to change")
    with (
        pytest.raises(team_store.TeamStoreRefused, match="no right"),
        team_store.classified(t["engines"]["bob"]),
    ):
        sync_now(bob_db, t["engines"]["bob"])
    with t["admin"].connect() as conn:
        assert (
            conn.execute(text("SELECT area FROM conference WHERE uid = :u"), {"u": uid}).scalar()
            != "Not his to change"
        )


def test_a_removed_coordinators_next_sync_is_refused_in_one_line(two_coordinators):
    from csfacilitator.core.conferences import create_conference
    from csfacilitator.core.sync.engine import sync_now
    from csfacilitator.core.sync.share import share_conference

    t = two_coordinators
    alice_db = t["laptops"]["alice"]
    share_conference(alice_db, create_conference(alice_db, "Riverside Park"))
    sync_now(alice_db, t["engines"]["alice"])
    team_security.remove_user(t["admin"], t["logins"]["alice"])
    t["engines"]["alice"].dispose()  # her pooled connection was ended by the removal anyway
    with (
        pytest.raises(team_store.TeamStoreRefused, match="refused the connection"),
        team_store.classified(t["engines"]["alice"]),
    ):
        sync_now(alice_db, t["engines"]["alice"])
    # Her laptop keeps its copy: offering to remove it is the laptop's decision (sync's).
    from csfacilitator.core.conferences import list_conferences

    assert [c.title for c in list_conferences(alice_db)] == ["Riverside Park"]
