"""Retention across the team (issue 18), from the command line against a real PostgreSQL: a
team manager lists the team's conferences past their retention date (legal holds never),
deletes one from the team store through the change log (the audit trail records it, no text
kept), and the coordinator's laptop removes it at its next sync and says so; a legal hold
blocks the delete."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sync_laptops import open_laptop

from csfacilitator.cli import main
from csfacilitator.core import conferences, sync
from csfacilitator.core.sync import team_retention
from csfacilitator.paths import resolve
from csfacilitator.storage import team_security, team_store

PASSWORD = "a long enough password"
LONG_AGO = dt.date.today() - dt.timedelta(days=365 * 3)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def closed_conference(db, title: str, *, hold: bool = False, closed_on=LONG_AGO) -> int:
    cid = conferences.create_conference(db, title)
    conferences.update_conference(
        db, cid, status="closed", closed_on=closed_on, legal_hold=hold, notes=f"{title} notes"
    )
    return cid


@pytest.fixture
def team(pg_server, team_url, db, tmp_path, _migrated_template, monkeypatch):
    """Mia, a team manager, on the command line's laptop (`db`); Alice, a coordinator, on a
    laptop of her own, whose conferences (closed three years ago: one due, one on legal hold,
    one closed last month) are on the team store."""
    database = make_url(team_url).database
    admin = team_store.make_team_engine(team_url)
    mia, alice = f"mia_{database}", f"alice_{database}"
    team_security.add_user(admin, mia, "manager", PASSWORD)
    team_security.add_user(admin, alice, "coordinator", PASSWORD)
    monkeypatch.setenv(team_store.ENV_PASSWORD, PASSWORD)
    team_store.save_team_url(db, pg_server.url(database, mia))
    sync.set_person(db, "Mia")
    laptop = open_laptop(_migrated_template, tmp_path / "alice")
    team_store.save_team_url(laptop, pg_server.url(database, alice))
    alice_engine = team_store.make_team_engine(pg_server.url(database, alice, PASSWORD))
    ids = {
        "due": closed_conference(laptop, "Old Market car park"),
        "held": closed_conference(laptop, "Station underpass", hold=True),
        "recent": closed_conference(
            laptop, "Bus station", closed_on=dt.date.today() - dt.timedelta(days=30)
        ),
    }
    uids = {k: sync.share_conference(laptop, cid).conference_uid for k, cid in ids.items()}
    sync.sync_now(laptop, alice_engine)
    yield {
        "admin": admin,
        "mia": mia,
        "alice": alice,
        "laptop": laptop,
        "alice_engine": alice_engine,
        "ids": ids,
        "uids": uids,
        "mia_db": db,
    }
    alice_engine.dispose()
    admin.dispose()
    laptop.close()


def _team_titles(admin) -> set[str]:
    with admin.connect() as conn:
        return set(conn.execute(text("SELECT title FROM conference")).scalars())


def test_the_manager_lists_what_is_due_and_deletes_it_from_the_team_and_the_laptop(
    team, capsys, tmp_path
):
    t = team
    code, out, err = cli(capsys, "team", "retention")
    assert code == 0, err
    assert "Old Market car park" in out and t["alice"] in out and t["uids"]["due"] in out
    assert "Station underpass" not in out  # on legal hold: never due
    assert "Bus station" not in out  # closed a month ago: not yet due

    # Not confirmed: nothing is deleted.
    code, out, err = cli(capsys, "team", "retention", "delete", "Old Market car park")
    assert code == 2 and "Run again with --yes" in err
    assert "Old Market car park" in _team_titles(t["admin"])

    code, out, err = cli(capsys, "team", "retention", "delete", "Old Market car park", "--yes")
    assert code == 0, err
    assert "Deleted 'Old Market car park' from the team store" in out
    assert _team_titles(t["admin"]) == {"Station underpass", "Bus station"}
    # Through the change log: the audit trail names Mia and keeps none of the text.
    with t["admin"].connect() as conn:
        entries = team_security.audit_entries(conn, t["uids"]["due"])
        assert team_security.verify_audit(conn).intact
        leftovers = conn.execute(
            text(
                "SELECT count(*) FROM team_change WHERE conference_uid = :u "
                "AND (old_value LIKE '%Old Market%' OR new_value LIKE '%Old Market%')"
            ),
            {"u": t["uids"]["due"]},
        ).scalar()
        values = conn.execute(
            text("SELECT count(*) FROM team_audit_value WHERE changes LIKE '%Old Market%'")
        ).scalar()
    assert any(
        e.who == t["mia"] and e.action == "delete" and e.entity == "conference" for e in entries
    )
    assert leftovers == 0 and values == 0
    # Shares are as they were (Mia took it on only to delete it).
    with t["admin"].connect() as conn:
        assert team_security.shared_with(conn, t["uids"]["due"]) == [t["alice"]]

    # Alice's laptop, at its next sync (her command line), removes it and says why.
    code, out, err = cli(capsys, "--data-dir", str(tmp_path / "alice"), "sync")
    assert code == 0, err
    assert (
        "Removed 'Old Market car park' from this laptop: its retention period has ended and it "
        "was deleted from the team store by Mia." in out
    )
    titles = {c.title for c in conferences.list_conferences(t["laptop"])}
    assert titles == {"Station underpass", "Bus station"}
    t["laptop"].close()
    stored = resolve(tmp_path / "alice").database.read_bytes()
    assert b"Old Market car park notes" not in stored


def test_a_legal_hold_blocks_the_delete_even_when_named(team, capsys):
    t = team
    code, out, err = cli(capsys, "team", "retention", "delete", t["uids"]["held"], "--yes")
    assert code == 2 and "legal hold" in err
    code, out, err = cli(capsys, "team", "retention", "delete", "Bus station", "--yes")
    assert code == 2 and "not due for deletion until" in err
    assert _team_titles(t["admin"]) == {"Old Market car park", "Station underpass", "Bus station"}
    # A hold set on the laptop and synced wins over a list read before it.
    cid = t["ids"]["due"]
    conferences.update_conference(t["laptop"], cid, legal_hold=True)
    sync.sync_now(t["laptop"], t["alice_engine"])
    code, out, err = cli(capsys, "team", "retention", "delete", "Old Market car park", "--yes")
    assert code == 2 and "legal hold" in err
    assert "Old Market car park" in _team_titles(t["admin"])
    assert conferences.get_conference(t["laptop"], cid).title == "Old Market car park"


def test_only_a_manager_sees_retention_across_the_team(team, capsys):
    t = team
    with pytest.raises(Exception, match="Only a team manager"):
        team_retention.due_across_team(t["alice_engine"], 24)
    with pytest.raises(Exception, match="Only a team manager"):
        team_retention.delete_due(t["laptop"], t["alice_engine"], t["uids"]["due"], 24)
    assert "Old Market car park" in _team_titles(t["admin"])
