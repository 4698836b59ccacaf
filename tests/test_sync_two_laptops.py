"""Two coordinators, one conference, two laptops (issue 17): offline edits on both, synced in
either order, against a real PostgreSQL team store (and an SQLite stand-in, which needs no
server). Every addition arrives once, each field changed on both sides becomes one conflict,
and resolving it settles it on both laptops at the next sync."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sync_laptops import id_by_uid, snapshot, uid_of

from csfacilitator.core import board, invitees, meetings, plan, sync
from csfacilitator.core.example import add_example


def _rows(db, conference_uid=None):
    with db.read_session() as s:
        return snapshot(s.connection(), conference_uid)


def _team_rows(team, conference_uid=None):
    with team.connect() as c:
        return snapshot(c, conference_uid)


def _meeting(db, cid, kind="conference"):
    return next(m for m in meetings.list_meetings(db, cid) if m.kind == kind)


def _offline_edits(a, b, cid_a, cid_b):
    # A: two invitees, three board points, and the first invitee's status.
    invitees.add_invitee(a, cid_a, name="Priya Shah", organisation="Youth service")
    invitees.add_invitee(a, cid_a, name="Tom Okafor", organisation="Housing")
    meeting_a = _meeting(a, cid_a)
    board.add_points(a, meeting_a.id, "concerns", ["Lighting by the underpass", "Bus stop"])
    board.add_point(a, meeting_a.id, "strengths", "Café owner keeps an eye out")
    first_a = invitees.list_invitees(a, cid_a)[0]
    invitees.update_invitee(a, first_a.id, status="declined")
    # B: the plan, the same invitee's status (differently).
    need = plan.add_need(b, cid_b, "Young people cross the park after dark")
    action = plan.add_intervention(
        b, need.id, text="Ask the council to repair the lights", agency="Council"
    )
    plan.update_intervention(b, action.id, status="in_progress")
    first_b = invitees.list_invitees(b, cid_b)[0]
    assert uid_of(a, "invitee", first_a.id) == uid_of(b, "invitee", first_b.id)
    invitees.update_invitee(b, first_b.id, status="to_invite")
    # Both: the conference date (the conference meeting's, since schema 0005).
    meetings.update_meeting(a, meeting_a.id, date=dt.date(2027, 1, 12))
    meetings.update_meeting(b, _meeting(b, cid_b).id, date=dt.date(2027, 1, 19))
    return uid_of(a, "invitee", first_a.id), uid_of(a, "meeting", meeting_a.id)


@pytest.mark.parametrize("a_first", [True, False], ids=["anna-first", "ben-first"])
def test_two_laptops_offline_then_sync_in_either_order(shared_example, a_first):
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    invitee_uid, meeting_uid = _offline_edits(a, b, cid_a, cid_b)

    first, second = (a, b) if a_first else (b, a)
    sync.sync_now(first, team)
    result = sync.sync_now(second, team)
    # One conflict per field changed on both sides, on the laptop that synced second only.
    assert result.conflicts == result.new_conflicts == 2
    assert "sync_conflict" in result.changed.tables
    conflicts = sync.list_conflicts(second)
    assert {(c.entity, c.field) for c in conflicts} == {("invitee", "status"), ("meeting", "date")}
    assert sync.list_conflicts(first) == []
    assert sync.sync_now(first, team).conflicts == 0

    # Until resolved, each laptop keeps its own value; every addition is on both, once.
    status = {c.field: c for c in conflicts}
    mine_status = "declined" if second is a else "to_invite"
    assert status["status"].mine == mine_status
    assert status["status"].theirs == ("to_invite" if second is a else "declined")
    assert status["status"].theirs_person == ("ben" if second is a else "anna")
    for db in (a, b):
        cid = cid_a if db is a else cid_b
        names = [i.name for i in invitees.list_invitees(db, cid)]
        assert names.count("Priya Shah") == names.count("Tom Okafor") == 1
        texts = [p.text for col in board.board_tree(db, _meeting(db, cid).id).values() for p in col]
        assert texts.count("Lighting by the underpass") == 1
        assert texts.count("Café owner keeps an eye out") == 1
        needs = [
            n for n in plan.get_plan(db, cid) if n.text == "Young people cross the park after dark"
        ]
        assert len(needs) == 1
        assert [i.status for i in needs[0].interventions] == ["in_progress"]

    # Resolve: take theirs for the status, a third date for the meeting.
    sync.resolve_conflict(second, status["status"].id, take="theirs")
    sync.resolve_conflict(second, status["date"].id, value="2027-01-26")
    assert sync.list_conflicts(second) == []
    sync.sync_now(second, team)
    sync.sync_now(first, team)
    for db in (a, b):
        cid = cid_a if db is a else cid_b
        by_uid = {uid_of(db, "invitee", i.id): i for i in invitees.list_invitees(db, cid)}
        assert by_uid[invitee_uid].status == ("to_invite" if second is a else "declined")
        assert _meeting(db, cid).date == dt.date(2027, 1, 26)
        assert sync.sync_status(db).waiting == 0
    assert _rows(a, conf_uid) == _rows(b, conf_uid) == _team_rows(team, conf_uid)


def test_take_mine_pushes_the_laptops_value_to_the_other(shared_example):
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    invitee_uid, _meeting_uid = _offline_edits(a, b, cid_a, cid_b)
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    for conflict in sync.list_conflicts(b):
        sync.resolve_conflict(b, conflict.id, take="mine")
    assert sync.sync_now(b, team).pushed == 2
    assert sync.sync_now(a, team).conflicts == 0
    by_uid = {uid_of(a, "invitee", i.id): i for i in invitees.list_invitees(a, cid_a)}
    assert by_uid[invitee_uid].status == "to_invite"
    assert _meeting(a, cid_a).date == dt.date(2027, 1, 19)
    assert _rows(a, conf_uid) == _rows(b, conf_uid) == _team_rows(team, conf_uid)


def test_positions_never_ask_a_person(shared_example):
    """Both laptops reorder the same needs: no conflict, the later move wins on both."""
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    need_a = plan.get_plan(a, cid_a)[0]
    plan.move_need(a, need_a.id, 1)
    need_b = plan.get_plan(b, cid_b)[-1]
    plan.move_need(b, need_b.id, -1)
    sync.sync_now(a, team)
    assert sync.sync_now(b, team).conflicts == 0
    sync.sync_now(a, team)
    assert _rows(a, conf_uid) == _rows(b, conf_uid)


def test_a_delete_on_one_laptop_is_gone_on_the_other_and_from_the_team(shared_example):
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    victim = invitees.list_invitees(a, cid_a)[0]
    secret = victim.notes
    assert secret
    victim_uid = uid_of(a, "invitee", victim.id)
    invitees.update_invitee(a, victim.id, notes=secret + " (updated)")
    sync.sync_now(a, team)
    invitees.delete_invitee(a, victim.id)
    with a.read_session() as s:  # the tombstone waits, without the text
        rows = s.connection().execute(text("SELECT op, old_value, new_value FROM change_log")).all()
    assert ("delete", None, None) in rows and all(secret not in str(r) for r in rows)
    sync.sync_now(a, team)
    result = sync.sync_now(b, team)
    assert result.changed.about(cid_b) and "invitee" in result.changed.tables
    assert id_by_uid(b, "invitee", victim_uid) is None
    with team.connect() as c:
        held = c.execute(text("SELECT old_value, new_value FROM team_change")).all()
        assert (
            c.execute(
                text("SELECT count(*) FROM invitee WHERE uid = :u"), {"u": victim_uid}
            ).scalar()
            == 0
        )
    assert all(secret not in (o or "") and secret not in (n or "") for o, n in held)
    assert _rows(a, conf_uid) == _rows(b, conf_uid) == _team_rows(team, conf_uid)


def test_a_conference_deleted_by_the_team_is_removed_here(shared_example):
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    from csfacilitator.core import conferences

    conferences.delete_conference(a, cid_a)
    sync.sync_now(a, team)
    result = sync.sync_now(b, team)
    assert result.changed.removed_conference_ids == {cid_b}
    assert conferences.count_conferences(b) == 0
    assert _team_rows(team) == {}
    with b.read_session() as s:
        assert s.connection().execute(text("SELECT count(*) FROM sync_share")).scalar() == 0


def test_a_conference_not_shared_stays_on_the_laptop(laptops, team):
    a, b = laptops
    add_example(a)
    result = sync.sync_now(a, team)
    assert (result.pushed, result.pulled) == (0, 0)
    assert _team_rows(team) == {}


def test_unreadable_change_on_the_team_changes_nothing_here(shared_example):
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    before = _rows(b)
    with team.begin() as c:
        c.execute(
            text(
                "INSERT INTO team_change (change_id, entity, row_uid, conference_uid, op, field, "
                "old_value, new_value, hlc, device, person, gone, received_at) VALUES "
                "('bad-1', 'invitee', 'x', :c, 'update', 'status', NULL, '{not json', 1, 'd', '', "
                ":f, :t)"
            ),
            {"c": conf_uid, "f": False, "t": dt.datetime(2026, 1, 1)},
        )
    with pytest.raises(sync.SyncError, match="cannot read"):
        sync.sync_now(b, team)
    assert _rows(b) == before
    assert sync.sync_status(b).last_sync_at is not None  # from the first sync, unchanged


def test_a_conference_that_becomes_visible_later_is_fetched_whole(laptops, team):
    """Row-level security can show a conference to a coordinator after their cursor passed
    its changes (shared with them later): the next sync fetches its whole history."""
    a, b = laptops
    cid_a = add_example(a)
    sync.share_conference(a, cid_a)
    sync.sync_now(a, team)
    with team.connect() as c:
        top = c.execute(text("SELECT max(seq) FROM team_change")).scalar()
    with b.session() as s:  # as if those changes had been hidden from B until now
        s.connection().execute(text("UPDATE sync_state SET cursor = :t"), {"t": top})
    invitees.add_invitee(a, cid_a, name="Added after")
    sync.sync_now(a, team)
    result = sync.sync_now(b, team)
    assert result.pulled > 100
    conf_uid = uid_of(a, "conference", cid_a)
    assert _rows(a, conf_uid) == _rows(b, conf_uid) == _team_rows(team, conf_uid)


def test_sharing_again_merges_with_what_the_team_did_meanwhile(shared_example):
    """A unshares, both go on working, A shares again: the team's changes reach A, and a
    field A and the team both changed is a conflict, not overwritten by A's copy."""
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    sync.unshare_conference(a, cid_a)
    first_b = invitees.list_invitees(b, cid_b)[0]
    invitees.update_invitee(b, first_b.id, status="declined")
    invitees.add_invitee(b, cid_b, name="Added by Ben meanwhile")
    sync.sync_now(b, team)
    first_a = invitees.list_invitees(a, cid_a)[0]
    invitees.update_invitee(a, first_a.id, status="to_invite")
    invitees.add_invitee(a, cid_a, name="Added by Anna while unshared")
    assert sync.sync_now(a, team).pushed == 0  # not shared: nothing goes
    sync.share_conference(a, cid_a)
    result = sync.sync_now(a, team)
    fields = {(c.entity, c.field) for c in sync.list_conflicts(a)}
    assert ("invitee", "status") in fields
    names = [i.name for i in invitees.list_invitees(a, cid_a)]
    assert names.count("Added by Ben meanwhile") == 1
    with team.connect() as c:  # the team's value is not overwritten while in conflict
        status = c.execute(
            text("SELECT status FROM invitee WHERE uid = :u"),
            {"u": uid_of(a, "invitee", first_a.id)},
        ).scalar()
    assert status == "declined"
    assert result.conflicts == len(fields)
    for conflict in sync.list_conflicts(a):
        sync.resolve_conflict(a, conflict.id, take="mine")
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    names_b = [i.name for i in invitees.list_invitees(b, cid_b)]
    assert names_b.count("Added by Anna while unshared") == 1
    assert _rows(a, conf_uid) == _rows(b, conf_uid) == _team_rows(team, conf_uid)


def test_a_sub_point_added_under_a_point_deleted_elsewhere_goes_with_it(shared_example):
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    meeting_a = _meeting(a, cid_a)
    parent = board.add_point(a, meeting_a.id, "concerns", "Parent point")
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    board.delete_point(b, id_by_uid(b, "board_point", uid_of(a, "board_point", parent.id)))
    board.add_point(a, meeting_a.id, "concerns", "Sub-point typed offline", parent_id=parent.id)
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    for db, cid in ((a, cid_a), (b, cid_b)):
        texts = [
            p.text
            for column in board.board_tree(db, _meeting(db, cid).id).values()
            for p in board.iter_points(column)
        ]
        assert "Parent point" not in texts and "Sub-point typed offline" not in texts
    assert _rows(a, conf_uid) == _rows(b, conf_uid) == _team_rows(team, conf_uid)
