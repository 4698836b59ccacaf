"""The context weighting on two laptops (issue 17): a conference's working copy, and a
meeting's snapshot, made on both laptops offline are ONE row once they sync, on the laptops
and on the team store (SQLite and PostgreSQL), merged field by field: the same picture on
both is no conflict, two different pictures are a conflict for a person, never a silent
winner."""

from __future__ import annotations

from sqlalchemy import text
from sync_laptops import id_by_uid, snapshot, uid_of

from csfacilitator.core import conferences, meetings, sync, weighting
from csfacilitator.core.model import weighting_uid


def _start(a, b, team):
    """A conference shared by both laptops that has no weighting yet (the example has one)."""
    cid_a = conferences.create_conference(a, "Riverside park", context_type="neighbourhood")
    sync.share_conference(a, cid_a)
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    conf_uid = uid_of(a, "conference", cid_a)
    return cid_a, id_by_uid(b, "conference", conf_uid), conf_uid


def _weighting_rows(conn, conf_uid):
    return conn.execute(
        text(
            "SELECT w.uid, m.uid FROM context_weighting w JOIN conference c "
            "ON c.id = w.conference_id LEFT JOIN meeting m ON m.id = w.meeting_id "
            "WHERE c.uid = :c ORDER BY w.uid"
        ),
        {"c": conf_uid},
    ).all()


def _local_rows(db, conf_uid):
    with db.read_session() as s:
        return _weighting_rows(s.connection(), conf_uid)


def _team_rows(team, conf_uid):
    with team.connect() as c:
        return _weighting_rows(c, conf_uid)


def _same_everywhere(a, b, team, conf_uid):
    with a.read_session() as s:
        here = snapshot(s.connection(), conf_uid)
    with b.read_session() as s:
        there = snapshot(s.connection(), conf_uid)
    with team.connect() as c:
        on_team = snapshot(c, conf_uid)
    for key in here.keys() | there.keys():
        assert here.get(key) == there.get(key), key
    assert here == there == on_team


def test_the_working_copy_made_on_two_laptops_is_one_row(laptops, team):
    a, b = laptops
    cid_a, cid_b, conf_uid = _start(a, b, team)
    start = weighting.get_weighting(a, cid_a)
    anna = weighting.grow(start, 0)
    ben = weighting.rename(start, 1, "Skate park")
    weighting.set_weighting(a, cid_a, anna)
    weighting.set_weighting(b, cid_b, ben)
    sync.sync_now(a, team)
    result = sync.sync_now(b, team)
    named = weighting_uid(conf_uid)
    for rows in (_local_rows(a, conf_uid), _local_rows(b, conf_uid), _team_rows(team, conf_uid)):
        assert [tuple(r) for r in rows] == [(named, None)]
    # Two different pictures: Ben is asked, and the team keeps Anna's until he chooses.
    conflicts = sync.list_conflicts(b)
    assert [(c.entity, c.field) for c in conflicts] == [("context_weighting", "data")]
    assert result.new_conflicts == 1
    assert weighting.get_weighting(b, cid_b) == ben
    with team.connect() as c:
        data = c.execute(
            text("SELECT data FROM context_weighting WHERE uid = :u"), {"u": named}
        ).scalar()
    assert weighting.from_json(data) == anna
    sync.resolve_conflict(b, conflicts[0].id, take="mine")
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    assert weighting.get_weighting(a, cid_a) == ben == weighting.get_weighting(b, cid_b)
    _same_everywhere(a, b, team, conf_uid)


def test_the_same_working_copy_on_both_laptops_asks_nobody(laptops, team):
    a, b = laptops
    cid_a, cid_b, conf_uid = _start(a, b, team)
    same = weighting.grow(weighting.get_weighting(a, cid_a), 2)
    weighting.set_weighting(a, cid_a, same)
    weighting.set_weighting(b, cid_b, same)
    sync.sync_now(a, team)
    assert sync.sync_now(b, team).conflicts == 0
    sync.sync_now(a, team)
    assert len(_team_rows(team, conf_uid)) == 1
    assert weighting.get_weighting(a, cid_a) == same == weighting.get_weighting(b, cid_b)
    _same_everywhere(a, b, team, conf_uid)


def test_a_meetings_snapshot_taken_on_two_laptops_is_one_row(laptops, team):
    a, b = laptops
    cid_a, cid_b, conf_uid = _start(a, b, team)
    meeting_a = meetings.list_meetings(a, cid_a)[0]
    meeting_uid = uid_of(a, "meeting", meeting_a.id)
    meeting_b = id_by_uid(b, "meeting", meeting_uid)
    # Each snapshots its own (different) working copy of the same meeting, offline.
    weighting.set_weighting(a, cid_a, weighting.grow(weighting.get_weighting(a, cid_a), 0))
    weighting.set_weighting(b, cid_b, weighting.shrink(weighting.get_weighting(b, cid_b), 0))
    taken_a = weighting.snapshot_for_meeting(a, cid_a, meeting_a.id)
    weighting.snapshot_for_meeting(b, cid_b, meeting_b)
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    snapshot_uid = weighting_uid(conf_uid, meeting_uid)
    expected = sorted([(weighting_uid(conf_uid), None), (snapshot_uid, meeting_uid)])
    for rows in (_local_rows(a, conf_uid), _local_rows(b, conf_uid), _team_rows(team, conf_uid)):
        assert sorted(tuple(r) for r in rows) == expected
    # The working copy and the snapshot both clash: two conflicts, one per row.
    # Ben is asked twice: the working copy's picture, and the snapshot's (each Anna's).
    clashes = [(c.entity, c.field, weighting.from_json(c.theirs)) for c in sync.list_conflicts(b)]
    assert clashes == [("context_weighting", "data", taken_a)] * 2
    for conflict in sync.list_conflicts(b):
        sync.resolve_conflict(b, conflict.id, take="theirs")
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    assert [s.weighting for s in weighting.snapshots(b, cid_b)] == [taken_a]
    _same_everywhere(a, b, team, conf_uid)


def test_a_working_copy_made_on_one_laptop_is_edited_on_the_other(laptops, team):
    a, b = laptops
    cid_a, cid_b, conf_uid = _start(a, b, team)
    made = weighting.grow(weighting.get_weighting(a, cid_a), 1)
    weighting.set_weighting(a, cid_a, made)
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    edited = weighting.rename(weighting.get_weighting(b, cid_b), 0, "Bus station")
    weighting.set_weighting(b, cid_b, edited)
    sync.sync_now(b, team)
    assert sync.sync_now(a, team).conflicts == 0
    assert weighting.get_weighting(a, cid_a) == edited
    assert len(_team_rows(team, conf_uid)) == 1
    _same_everywhere(a, b, team, conf_uid)


def test_a_file_holding_two_working_copies_keeps_both_and_shows_the_last(db):
    """A file written before weightings were named may hold two working copies: both are
    kept (nothing lost), the last (the one shown then) named by its conference."""
    import json

    from csfacilitator.core import bundle

    cid = conferences.create_conference(db, "Riverside park", context_type="neighbourhood")
    start = weighting.get_weighting(db, cid)
    shown = weighting.grow(start, 0)
    weighting.set_weighting(db, cid, shown)
    data = bundle.export_conference(db, cid)
    (newer,) = data["weightings"]
    older = dict(newer, data=json.loads(weighting.to_json(weighting.rename(start, 0, "Older"))))
    data["weightings"] = [older, newer]
    copy = bundle.import_conference(db, data, on_conflict="copy")
    with db.read_session() as s:
        conf_uid = (
            s.connection()
            .execute(text("SELECT uid FROM conference WHERE id = :i"), {"i": copy})
            .scalar()
        )
        rows = _weighting_rows(s.connection(), conf_uid)
    assert len(rows) == 2 and weighting_uid(conf_uid) in {r[0] for r in rows}
    assert weighting.get_weighting(db, copy) == shown


def test_two_working_copies_from_before_show_the_same_picture_on_both_laptops(laptops, team):
    """Rows made before weightings were named keep their uids: two working copies made
    offline then are two rows everywhere, and every laptop shows the same one (the latest
    changed), where each used to show the one it had received last."""
    from csfacilitator.core.model import ContextWeighting, new_uid

    a, b = laptops
    cid_a, cid_b, conf_uid = _start(a, b, team)
    start = weighting.get_weighting(a, cid_a)
    pictures = {}
    for db, cid, picture in ((a, cid_a, weighting.grow(start, 0)), (b, cid_b, start)):
        uid = new_uid()  # as an older version named it
        with db.session() as s:
            s.add(ContextWeighting(uid=uid, conference_id=cid, data=weighting.to_json(picture)))
        pictures[uid] = picture
    latest = list(pictures.values())[-1]  # Ben's, made second
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    assert len(_local_rows(a, conf_uid)) == len(_local_rows(b, conf_uid)) == 2
    assert weighting.get_weighting(a, cid_a) == latest == weighting.get_weighting(b, cid_b)
    # Editing it on either laptop edits that one, and both go on showing it.
    edited = weighting.rename(latest, 0, "Shops")
    weighting.set_weighting(a, cid_a, edited)
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    assert weighting.get_weighting(b, cid_b) == edited == weighting.get_weighting(a, cid_a)
    assert len(_team_rows(team, conf_uid)) == 2  # nothing deleted
    _same_everywhere(a, b, team, conf_uid)
