"""Exactly once: a change applied twice is harmless, on the team store and on a laptop; a
push whose commit the laptop never heard about is recognised at the next sync."""

from __future__ import annotations

from sqlalchemy import text
from sync_laptops import snapshot

from csfacilitator.core import change_log, invitees, sync
from csfacilitator.core.example import add_example
from csfacilitator.core.sync import push as push_mod


def _rows(db):
    with db.read_session() as s:
        return snapshot(s.connection())


def _team(team):
    with team.connect() as c:
        return snapshot(c), c.execute(text("SELECT count(*) FROM team_change")).scalar()


def _pending(db):
    with db.read_session() as s:
        return change_log.pending(s.connection())


def test_pushing_the_same_changes_twice_stores_them_once(laptops, team):
    a, _b = laptops
    sync.share_conference(a, add_example(a))
    waiting = _pending(a)
    with team.begin() as tc:
        written, top = push_mod.push_changes(tc, waiting, 0)
    assert written == len(waiting)
    before = _team(team)
    with team.begin() as tc:
        assert push_mod.push_changes(tc, waiting, top) == (0, top)
    assert _team(team) == before


def test_a_push_committed_but_not_noted_here_is_not_sent_again(laptops, team):
    a, b = laptops
    cid = add_example(a)
    sync.share_conference(a, cid)
    waiting = _pending(a)
    with team.begin() as tc:  # the push reached the team; the laptop was killed before noting it
        push_mod.push_changes(tc, waiting, 0)
    invitees.add_invitee(a, cid, name="Added after the cut")
    result = sync.sync_now(a, team)
    assert result.pulled == 0  # its own changes came back and were recognised, not applied
    assert result.pushed == 2  # only the new invitee and the conference's updated_at
    assert _pending(a) == []
    rows, count = _team(team)
    assert count == len(waiting) + 2
    sync.sync_now(b, team)
    assert _rows(a) == _rows(b) == rows


def test_pulling_everything_again_changes_nothing(laptops, team):
    a, b = laptops
    cid = add_example(a)
    sync.share_conference(a, cid)
    sync.sync_now(a, team)
    invitees.update_invitee(a, invitees.list_invitees(a, cid)[0].id, status="declined")
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    before = _rows(b)
    with b.session() as s:
        s.connection().execute(text("UPDATE sync_state SET cursor = 0"))
    again = sync.sync_now(b, team)
    assert again.conflicts == 0 and again.pushed == 0
    assert _rows(b) == before == _rows(a)


def test_several_saves_of_one_field_go_as_one_change(shared_example):
    a, b, team, cid, _cid_b, _conf_uid = shared_example
    first = invitees.list_invitees(a, cid)[0]
    for typed in ("A", "A note", "A note typed"):
        invitees.update_invitee(a, first.id, notes=typed)
    from csfacilitator.core.sync.engine import collapse

    waiting = _pending(a)
    notes = [c for c in collapse(waiting) if c.field == "notes"]
    assert len(notes) == 1
    assert notes[0].old_value == f'"{first.notes}"' and notes[0].new_value == '"A note typed"'
    # Pushed, then killed before noting it: the pull drops all three, not only the last.
    with team.begin() as tc:
        push_mod.push_changes(tc, collapse(waiting), push_mod.top(tc))
    result = sync.sync_now(a, team)
    assert result.pushed == 0 and _pending(a) == []
    sync.sync_now(b, team)
    with b.read_session() as s:
        notes = (
            s.connection()
            .execute(text("SELECT notes FROM invitee WHERE uid = :u"), {"u": notes[0].row_uid})
            .scalar()
        )
    assert notes == "A note typed"
    assert _rows(a) == _rows(b)
