"""A pull of rows this laptop has never had (a first pull is nothing else) writes them a table
at a time (core/sync/apply.py: NewRows) with the same outcome as one row at a time: the same
rows, ids SQLite would give, the same report of what changed, and the team's order kept where
new rows mix with edits and deletes."""

from __future__ import annotations

from sqlalchemy import text
from sync_laptops import id_by_uid, snapshot, uid_of

from csfacilitator.core import conferences, invitees, sync
from csfacilitator.core.example import add_example


def _rows(db):
    with db.read_session() as s:
        return snapshot(s.connection())


def test_a_first_pull_brings_every_row_and_reports_them(laptops, team):
    a, b = laptops
    first, second = add_example(a), add_example(a)
    for cid in (first, second):
        sync.share_conference(a, cid)
    sync.sync_now(a, team)
    result = sync.sync_now(b, team)
    assert _rows(b) == _rows(a)
    assert result.pulled == len(_rows(a))
    here = {id_by_uid(b, "conference", uid_of(a, "conference", c)) for c in (first, second)}
    assert result.changed.conference_ids == here
    assert {"conference", "meeting", "board_point", "invitee"} <= result.changed.tables


def test_pulled_rows_never_take_an_id_this_laptop_used_before(laptops, team):
    a, b = laptops
    sync.share_conference(a, add_example(a))
    sync.sync_now(a, team)
    gone = add_example(b)  # a conference of Ben's own, deleted: its ids are never given again
    conferences.delete_conference(b, gone)
    sync.sync_now(b, team)
    with b.read_session() as s:
        ids = s.connection().execute(text("SELECT id FROM conference")).scalars().all()
    assert ids and min(ids) > gone


def test_new_rows_mixed_with_edits_and_deletes_keep_the_teams_order(shared_example):
    a, b, team, cid, _cid_b, _conf_uid = shared_example
    kept = invitees.add_invitee(a, cid, name="Kept, then renamed")
    dropped = invitees.add_invitee(a, cid, name="Added, then deleted")
    invitees.update_invitee(a, kept.id, name="Renamed after adding")
    invitees.delete_invitee(a, dropped.id)
    invitees.add_invitee(a, cid, name="Added last")
    sync.sync_now(a, team)
    result = sync.sync_now(b, team)
    assert _rows(b) == _rows(a)
    names = {
        i.name
        for i in invitees.list_invitees(b, id_by_uid(b, "conference", uid_of(a, "conference", cid)))
    }
    assert {"Renamed after adding", "Added last"} <= names
    assert "Added, then deleted" not in names
    assert result.changed.tables >= {"invitee"}
