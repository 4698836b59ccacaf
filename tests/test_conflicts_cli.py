"""`csfacilitator sync` and `csfacilitator conflicts` against a real PostgreSQL team store:
one line per sync, the conflicts as text and JSON, resolving by mine, theirs or a third
value, and one-line refusals."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sync_laptops import open_laptop

from csfacilitator import cli
from csfacilitator.core import invitees, meetings, sync
from csfacilitator.core.example import add_example
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database, team_store


def _run(capsys, folder, *args):
    code = cli.main(["--data-dir", str(folder), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def two_laptops(tmp_path, team_url, monkeypatch, _migrated_template):
    url = make_url(team_url)
    monkeypatch.setenv(team_store.ENV_PASSWORD, url.password or "")
    folders = (tmp_path / "anna", tmp_path / "ben")
    for folder in folders:  # each a copy of the migrated template, with its own device
        db = open_laptop(_migrated_template, folder)
        team_store.save_team_url(db, team_url)
        sync.set_person(db, folder.name)
        db.close()
    return folders


def _with(folder, action):
    db = open_database(resolve(folder))
    try:
        return action(db)
    finally:
        db.close()


def _conference_meeting(db, cid):
    return next(m for m in meetings.list_meetings(db, cid) if m.kind == "conference")


def test_sync_and_resolve_from_the_command_line(two_laptops, capsys):
    anna, ben = two_laptops

    def share(db):
        cid = add_example(db)
        sync.share_conference(db, cid)
        return cid

    cid = _with(anna, share)
    code, out, err = _run(capsys, anna, "sync")
    assert code == 0 and err == ""
    assert out.startswith("Synced: pushed ") and out.strip().endswith("conflicts 0.")
    code, out, _ = _run(capsys, ben, "sync", "--json")
    payload = json.loads(out)
    assert payload["pulled"] > 100 and payload["conflicts"] == 0
    ben_cid = payload["changed_conferences"][0]

    def edit(db, conference_id, status, date):
        first = invitees.list_invitees(db, conference_id)[0]
        invitees.update_invitee(db, first.id, status=status)
        meetings.update_meeting(db, _conference_meeting(db, conference_id).id, date=date)

    _with(anna, lambda db: edit(db, cid, "declined", dt.date(2027, 1, 12)))
    _with(ben, lambda db: edit(db, ben_cid, "to_invite", dt.date(2027, 1, 19)))
    assert _run(capsys, anna, "sync")[0] == 0
    code, out, _ = _run(capsys, ben, "sync")
    assert "conflicts 2" in out and "csfacilitator conflicts" in out

    code, out, _ = _run(capsys, ben, "team", "status")
    assert code == 0 and "Conflicts" in out and "Changes waiting" in out and "Last synced" in out
    code, out, _ = _run(capsys, ben, "conflicts")
    assert code == 0
    assert "mine (kept here, ben" in out and "theirs (anna" in out
    assert "to_invite" in out and "declined" in out and "2027-01-19" in out
    code, out, _ = _run(capsys, ben, "conflicts", "--json")
    listed = {c["field"]: c for c in json.loads(out)}
    assert set(listed) == {"status", "date"}
    assert listed["date"]["mine"] == "2027-01-19" and listed["date"]["theirs"] == "2027-01-12"
    assert listed["status"]["theirs_by"] == "anna"

    # Refusals: one line, exit 2, nothing changed.
    code, _, err = _run(capsys, ben, "conflicts", "resolve", "999", "--take", "mine")
    assert code == 2 and err.count("\n") == 1 and "no open conflict 999" in err
    date_id = str(listed["date"]["id"])
    code, _, err = _run(capsys, ben, "conflicts", "resolve", date_id, "--value", "next Tuesday")
    assert code == 2 and "is not a date" in err and err.count("\n") == 1
    assert len(json.loads(_run(capsys, ben, "conflicts", "--json")[1])) == 2

    code, out, _ = _run(capsys, ben, "conflicts", "resolve", date_id, "--value", "2027-01-26")
    assert code == 0 and "2027-01-26" in out
    status_id = str(listed["status"]["id"])
    assert _run(capsys, ben, "conflicts", "resolve", status_id, "--take", "theirs")[0] == 0
    assert _run(capsys, ben, "conflicts")[1].strip() == "No conflicts."
    assert "pushed 1," in _run(capsys, ben, "sync")[1]  # the third date; theirs needs no push
    assert "conflicts 0" in _run(capsys, anna, "sync")[1]

    def state(db, conference_id):
        first = invitees.list_invitees(db, conference_id)[0]
        return first.status, _conference_meeting(db, conference_id).date

    assert _with(anna, lambda db: state(db, cid)) == ("declined", dt.date(2027, 1, 26))
    assert _with(ben, lambda db: state(db, ben_cid)) == ("declined", dt.date(2027, 1, 26))


def test_sync_without_a_team_store_says_so_in_one_line(tmp_path, capsys, templates):
    templates.seed(resolve(tmp_path / "alone"))  # a laptop that never joined a team
    code, out, err = _run(capsys, tmp_path / "alone", "sync")
    assert code == 2 and out == ""
    assert err.startswith("csfacilitator: ") and "team connect" in err and err.count("\n") == 1


def test_sync_with_the_server_stopped_changes_nothing_here(two_laptops, capsys, monkeypatch):
    anna, _ben = two_laptops

    def prepare(db):
        sync.share_conference(db, add_example(db))
        with db.session() as s:  # a port where nothing listens
            s.connection().execute(
                text("UPDATE setting SET value = :u WHERE key = :k"),
                {"u": "postgresql+psycopg://nobody@127.0.0.1:1/none", "k": team_store.SETTING_URL},
            )
        return sync.sync_status(db).waiting

    waiting = _with(anna, prepare)
    code, _, err = _run(capsys, anna, "sync")
    assert code == 2 and err.count("\n") == 1
    assert _with(anna, lambda db: sync.sync_status(db).waiting) == waiting


@pytest.mark.parametrize(
    ("revision", "message"),
    [("9999", "newer schema"), ("0006", "older schema"), (None, "team init")],
)
def test_a_team_store_at_another_schema_is_refused_before_anything_changes(
    two_laptops, capsys, team_url, revision, message
):
    anna, _ben = two_laptops
    waiting = _with(anna, lambda db: sync.share_conference(db, add_example(db)).queued)
    engine = team_store.make_team_engine(team_url)
    with engine.begin() as c:
        if revision is None:
            c.execute(text("DROP TABLE alembic_version"))
        else:
            c.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
        rows_before = c.execute(text("SELECT count(*) FROM team_change")).scalar()
    code, out, err = _run(capsys, anna, "sync")
    assert code == 2 and out == "" and message in err and err.count("\n") == 1
    assert _with(anna, lambda db: sync.sync_status(db).waiting) == waiting
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM team_change")).scalar() == rows_before
    engine.dispose()
