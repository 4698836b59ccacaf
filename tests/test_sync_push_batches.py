"""A push sends its writes in batches (core/sync/push.py: TeamWrites) with the outcome of
writing them one change at a time: an update to a row gone from the team keeps none of its
text while the rest of its batch goes in, and a row deleted and made again within one push
ends as made, with ids the team never gave twice."""

from __future__ import annotations

import json
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


def _only_missed_is_blank(team, notes, missed: str) -> dict:
    """Each update's team_change record: the one to row `missed` kept no text, the others
    theirs; returns the team's notes by uid."""
    records = _records(team, [c.change_id for c in notes])
    for change in notes:
        op, was_gone, old, new = records[change.change_id]
        assert op == "update"
        if change.row_uid == missed:
            assert was_gone and old is None and new is None
        else:
            assert not was_gone and new == change.new_value
    sql = text("SELECT uid, notes FROM invitee WHERE uid IN :u").bindparams(
        bindparam("u", expanding=True)
    )
    with team.connect() as c:
        return dict(c.execute(sql, {"u": [c.row_uid for c in notes]}).all())


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
    on_team = _only_missed_is_blank(team, notes, gone)
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


def _refuse_updates_to(team, uid: str) -> str:
    """Make the team's invitee row `uid` readable but not updatable by this login, as
    row-level security can leave a manager's (an UPDATE matches it and changes nothing);
    returns the SQL that undoes it."""
    with team.begin() as tc:
        if team.dialect.name == "sqlite":
            tc.execute(
                text(
                    "CREATE TRIGGER keep_row BEFORE UPDATE ON invitee "
                    f"WHEN OLD.uid = '{uid}' BEGIN SELECT RAISE(IGNORE); END"
                )
            )
            return "DROP TRIGGER keep_row"
        tc.execute(
            text(
                "CREATE FUNCTION keep_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF OLD.uid = '{uid}' THEN RETURN NULL; END IF; RETURN NEW; END $$"
            )
        )
        tc.execute(
            text(
                "CREATE TRIGGER keep_row BEFORE UPDATE ON invitee "
                "FOR EACH ROW EXECUTE FUNCTION keep_row()"
            )
        )
        return "DROP TRIGGER keep_row ON invitee; DROP FUNCTION keep_row()"


def test_an_update_the_team_store_does_not_take_keeps_no_text_and_the_rest_goes_in(laptops, team):
    """The row is there when the push reads the team's rows, but its UPDATE changes nothing
    (row-level security can let a login read a row it may not change): the batch's row count
    falls short, and the push finds the row one statement at a time."""
    a, _b = laptops
    cid = _shared(a, team)
    listed = invitees.list_invitees(a, cid)[:3]
    for invitee in listed:
        invitees.update_invitee(a, invitee.id, notes=f"Note for {invitee.name}")
    notes = [c for c in collapse(_pending(a)) if c.field == "notes"]
    assert len(notes) == 3
    kept = notes[1].row_uid
    with team.connect() as c:
        kept_before = c.execute(text("SELECT notes FROM invitee WHERE uid = :u"), {"u": kept})
        kept_before = kept_before.scalar_one()
    assert kept_before != json.loads(notes[1].new_value)
    undo = _refuse_updates_to(team, kept)
    try:
        with team.begin() as tc:
            written, _top = push_mod.push_changes(tc, notes, push_mod.top(tc))
    finally:
        with team.begin() as tc:
            for statement in undo.split("; "):
                tc.execute(text(statement))
    assert written == 3
    on_team = _only_missed_is_blank(team, notes, kept)
    assert on_team[kept] == kept_before  # the row is still there, without the new note
    assert {on_team[c.row_uid] for c in notes if c.row_uid != kept} == {
        json.loads(c.new_value) for c in notes if c.row_uid != kept
    }
