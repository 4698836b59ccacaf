"""Leaving the team (issue 18), from the command line against a real PostgreSQL: a conference
unshared from a coordinator, or the coordinator taken out of the team, stops syncing at their
next sync without anything going back to the team, and their laptop offers to remove its
copies: removed (no trace left in the file) on request, kept when declined."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from csfacilitator.cli import main
from csfacilitator.core import conferences, sync
from csfacilitator.core.sync import leaving
from csfacilitator.storage import team_security, team_store

PASSWORD = "a long enough password"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def alice(pg_server, team_url, db, monkeypatch):
    """Alice, a coordinator, whose laptop is the command line's (`db`), joined to the team
    store with her own login; her conference shared with the team and synced."""
    database = make_url(team_url).database
    admin = team_store.make_team_engine(team_url)
    login = f"alice_{database}"
    team_security.add_user(admin, login, "coordinator", PASSWORD)
    team_store.save_team_url(db, pg_server.url(database, login))
    monkeypatch.setenv(team_store.ENV_PASSWORD, PASSWORD)
    cid = conferences.create_conference(db, "Riverside Park subway")
    conferences.update_conference(db, cid, notes="Lights out under the bridge after 6 pm")
    uid = sync.share_conference(db, cid).conference_uid
    yield {
        "db": db,
        "cid": cid,
        "uid": uid,
        "login": login,
        "admin": admin,
        "admin_url": team_url,
    }
    admin.dispose()


def _sync(capsys) -> tuple[int, str, str]:
    return cli(capsys, "sync")


def _on_team(admin, uid: str, column: str = "title"):
    with admin.connect() as conn:
        return conn.execute(
            text(f"SELECT {column} FROM conference WHERE uid = :u"), {"u": uid}
        ).scalar()


def test_an_unshared_conference_stops_syncing_and_its_copy_goes_on_request(alice, capsys, paths):
    a = alice
    code, out, err = _sync(capsys)
    assert code == 0, err
    assert _on_team(a["admin"], a["uid"]) == "Riverside Park subway"
    # The team takes it away from her (an administrator, through the server).
    with a["admin"].begin() as conn:
        assert team_security.unshare(conn, a["uid"], a["login"])
    # She changes it meanwhile: that change must not reach the team.
    conferences.update_conference(a["db"], a["cid"], area="Changed after it was unshared")
    code, out, err = _sync(capsys)
    assert code == 0, err
    assert "No longer shared with you on the team store (1 conference)" in out
    assert "Riverside Park subway" in out and "team remove-copies --yes" in out
    assert _on_team(a["admin"], a["uid"], "area") != "Changed after it was unshared"
    assert not sync.is_shared(a["db"], a["cid"])  # no longer syncs; the copy is here
    assert conferences.get_conference(a["db"], a["cid"]).title == "Riverside Park subway"
    # The next sync does not push it back, nor treat it as gone: it just lists it again.
    code, out, err = _sync(capsys)
    assert code == 0 and "Synced: pushed 0" in out and "Riverside Park subway" in out
    assert sync.sync_status(a["db"]).waiting == 0

    # Asked, not yet confirmed: nothing is removed.
    code, out, err = cli(capsys, "team", "remove-copies")
    assert code == 2 and "Nothing was removed" in err and "Riverside Park subway" in out
    assert conferences.count_conferences(a["db"]) == 1
    # Confirmed: gone from the laptop, with no trace of its text left in the file.
    code, out, err = cli(capsys, "team", "remove-copies", "--yes")
    assert code == 0, err
    assert "Removed 'Riverside Park subway' from this laptop" in out
    assert conferences.count_conferences(a["db"]) == 0
    assert leaving.no_longer_shared(a["db"]) == []
    a["db"].close()
    stored = paths.database.read_bytes()
    assert b"Lights out under the bridge" not in stored
    assert b"Riverside Park subway" not in stored
    # The team store still has it (a copy was removed, not the conference).
    assert _on_team(a["admin"], a["uid"]) == "Riverside Park subway"


def test_a_coordinator_taken_out_of_the_team_is_offered_removal_and_may_keep(alice, capsys):
    a = alice
    assert _sync(capsys)[0] == 0
    code, out, err = cli(capsys, "team", "remove-user", a["login"], "--url", a["admin_url"])
    assert code == 0, err
    conferences.update_conference(a["db"], a["cid"], area="Typed after leaving")
    code, out, err = _sync(capsys)
    assert code == 2
    assert "no longer lets your login in" in err and "'Riverside Park subway'" in err
    assert "\n" not in err.strip()  # one line
    listed = leaving.no_longer_shared(a["db"])
    assert [c.title for c in listed] == ["Riverside Park subway"]
    assert not sync.is_shared(a["db"], a["cid"]) and sync.sync_status(a["db"]).waiting == 0
    # Declined (no --yes): the copy stays, and stays listed.
    code, out, err = cli(capsys, "team", "remove-copies", "Riverside Park subway")
    assert code == 2 and "Nothing was removed" in err
    assert conferences.get_conference(a["db"], a["cid"]).area == "Typed after leaving"
    # Syncing again says the same, and removes nothing.
    code, out, err = _sync(capsys)
    assert code == 2 and "'Riverside Park subway'" in err
    assert conferences.count_conferences(a["db"]) == 1
    assert _on_team(a["admin"], a["uid"], "area") != "Typed after leaving"


def test_a_wrong_password_is_not_taken_for_leaving_the_team(alice, capsys, monkeypatch):
    a = alice
    assert _sync(capsys)[0] == 0
    monkeypatch.setenv(team_store.ENV_PASSWORD, "not her password")
    code, out, err = _sync(capsys)
    assert code == 2 and "refused" in err and "no longer lets" not in err
    assert sync.is_shared(a["db"], a["cid"]) and leaving.no_longer_shared(a["db"]) == []


def test_a_conference_still_shared_is_not_removed_by_remove_copies(alice, capsys):
    a = alice
    assert _sync(capsys)[0] == 0
    code, out, err = cli(capsys, "team", "remove-copies", "--yes")
    assert code == 0 and "No conference on this laptop" in out
    code, out, err = cli(capsys, "team", "remove-copies", str(a["cid"]), "--yes")
    assert code == 0  # nothing listed: said so, nothing removed
    assert conferences.count_conferences(a["db"]) == 1
    with pytest.raises(Exception, match="not one that is no longer shared"):
        leaving.remove_copies(a["db"], [a["cid"]])
    assert sync.is_shared(a["db"], a["cid"])


def test_after_unsharing_her_pull_no_longer_sees_a_colleagues_changes(
    alice, capsys, pg_server, tmp_path, _migrated_template
):
    """The server, not the app, shuts her out: a colleague's later change to the conference
    never reaches her laptop, and her copy is kept as it was (not taken for deleted)."""
    from sync_laptops import open_laptop

    a = alice
    assert _sync(capsys)[0] == 0
    database = make_url(a["admin_url"]).database
    bob = f"bob_{database}"
    team_security.add_user(a["admin"], bob, "coordinator", PASSWORD)
    with a["admin"].begin() as conn:
        team_security.share(conn, a["uid"], bob)
    bob_db = open_laptop(_migrated_template, tmp_path / "bob")
    bob_engine = team_store.make_team_engine(pg_server.url(database, bob, PASSWORD))
    try:
        sync.sync_now(bob_db, bob_engine)
        with bob_db.read_session() as s:
            bob_cid = s.execute(
                text("SELECT id FROM conference WHERE uid = :u"), {"u": a["uid"]}
            ).scalar()
        with a["admin"].begin() as conn:
            team_security.unshare(conn, a["uid"], a["login"])
        conferences.update_conference(bob_db, bob_cid, area="Bob's change after she left")
        assert sync.sync_now(bob_db, bob_engine).pushed > 0
    finally:
        bob_engine.dispose()
        bob_db.close()
    assert _on_team(a["admin"], a["uid"], "area") == "Bob's change after she left"
    code, out, err = _sync(capsys)
    assert code == 0, err
    assert "Synced: pushed 0, pulled 0" in out and "Riverside Park subway" in out
    kept = conferences.get_conference(a["db"], a["cid"])
    assert kept.area != "Bob's change after she left"
    assert kept.notes == "Lights out under the bridge after 6 pm"


def test_remove_copies_can_purge_the_backups_that_still_hold_them(alice, capsys, paths):
    a = alice
    assert _sync(capsys)[0] == 0
    with a["admin"].begin() as conn:
        team_security.unshare(conn, a["uid"], a["login"])
    assert _sync(capsys)[0] == 0
    assert cli(capsys, "backup")[0] == 0
    held = [p for p in paths.backups.iterdir() if b"Lights out under the bridge" in p.read_bytes()]
    assert held  # the backup made just now holds her copy
    code, out, err = cli(capsys, "team", "remove-copies", "--yes", "--purge-backups")
    assert code == 0, err
    assert "Removed 'Riverside Park subway' from this laptop" in out
    assert "older backups" in out
    left = [p for p in paths.backups.iterdir() if p.is_file()]
    assert left and not any(b"Lights out under the bridge" in p.read_bytes() for p in left)
    assert conferences.count_conferences(a["db"]) == 0
