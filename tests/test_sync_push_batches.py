"""A push sends its writes in batches (core/sync/push.py: TeamWrites) with the outcome of
writing them one change at a time: an update to a row gone from the team keeps none of its
text while the rest of its batch goes in, and a row deleted and made again within one push
ends as made, with ids the team never gave twice."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy import bindparam, text

from csfacilitator.core import change_log, invitees, sync
from csfacilitator.core.example import add_example
from csfacilitator.core.sync import push as push_mod
from csfacilitator.core.sync.engine import collapse


def _pending(db):
    with db.read_session() as s:
        return change_log.pending(s.connection())


def _records(team, change_ids):
    sql = text(
        "SELECT change_id, op, gone, old_value, new_value FROM team_change "
        "WHERE change_id IN :ids ORDER BY seq"
    ).bindparams(bindparam("ids", expanding=True))
    with team.connect() as c:
        return {r[0]: r[1:] for r in c.execute(sql, {"ids": list(change_ids)})}


def _shared(a, team):
    cid = add_example(a)
    sync.share_conference(a, cid)
    sync.sync_now(a, team)
    return cid


def test_an_update_to_a_row_gone_from_the_team_keeps_no_text_and_the_rest_goes_in(laptops, team):
    a, _b = laptops
    cid = _shared(a, team)
    listed = invitees.list_invitees(a, cid)[:3]
    for invitee in listed:
        invitees.update_invitee(a, invitee.id, notes=f"Note for {invitee.name}")
    uids = {}
    with a.read_session() as s:
        for invitee in listed:
            uids[invitee.id] = (
                s.connection()
                .execute(text("SELECT uid FROM invitee WHERE id = :i"), {"i": invitee.id})
                .scalar()
            )
    gone = uids[listed[1].id]
    with team.begin() as tc:  # deleted on the team by hand, without a change of its own
        tc.execute(text("DELETE FROM invitee WHERE uid = :u"), {"u": gone})
    notes = [c for c in collapse(_pending(a)) if c.field == "notes"]
    assert len(notes) == 3  # one batch of three updates, one of which matches no row
    with team.begin() as tc:
        written, _top = push_mod.push_changes(tc, notes, push_mod.top(tc))
    assert written == 3
    records = _records(team, [c.change_id for c in notes])
    for change in notes:
        op, was_gone, old, new = records[change.change_id]
        assert op == "update"
        if change.row_uid == gone:
            assert was_gone and old is None and new is None
        else:
            assert not was_gone and new == change.new_value
    with team.connect() as c:
        on_team = dict(
            c.execute(
                text("SELECT uid, notes FROM invitee WHERE uid IN :u").bindparams(
                    bindparam("u", expanding=True)
                ),
                {"u": list(uids.values())},
            ).all()
        )
    assert gone not in on_team
    assert {on_team[uids[i.id]] for i in listed if uids[i.id] != gone} == {
        f"Note for {listed[0].name}",
        f"Note for {listed[2].name}",
    }


def test_a_row_deleted_and_made_again_in_one_push_ends_as_made(laptops, team):
    a, _b = laptops
    cid = _shared(a, team)
    for name in ("First", "Second", "Third"):
        invitees.add_invitee(a, cid, name=name)
    first, second, third = (c for c in _pending(a) if c.entity == "invitee" and c.op == "insert")
    deleted = replace(first, change_id=str(uuid.uuid4()), op="delete", new_value=None)
    again = replace(first, change_id=str(uuid.uuid4()))
    # The third row is queued (its id taken) when the first is made again: a new id is
    # taken then, and must not be one given already.
    pushed = [first, second, deleted, third, again]
    with team.begin() as tc:
        written, _top = push_mod.push_changes(tc, pushed, push_mod.top(tc))
    assert written == 5
    records = _records(team, [c.change_id for c in pushed])
    assert records[first.change_id] == ("insert", True, None, None)  # blanked by the delete
    assert records[again.change_id][1:] == (False, None, again.new_value)
    with team.connect() as c:
        rows = c.execute(
            text("SELECT id, name FROM invitee WHERE uid IN :u").bindparams(
                bindparam("u", expanding=True)
            ),
            {"u": [first.row_uid, second.row_uid, third.row_uid]},
        ).all()
    assert sorted(name for _id, name in rows) == ["First", "Second", "Third"]
    assert len({row_id for row_id, _name in rows}) == 3
