"""Sharing a conference again on a laptop that unshared it (issue 17): a three-way merge
against what the laptop last had in common with the team, on an SQLite and a PostgreSQL team
store. A field only the team changed takes the team's value, one only the laptop changed is
pushed, and only one both changed differently asks a person; rows added or deleted on either
side arrive once; nothing is lost or silently overwritten."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sync_laptops import id_by_uid, snapshot, uid_of

from csfacilitator.core import board, invitees, meetings, sync, weighting
from csfacilitator.core.model import weighting_uid


def _rows(db, conference_uid):
    with db.read_session() as s:
        return snapshot(s.connection(), conference_uid)


def _same_everywhere(a, b, team, conference_uid):
    with team.connect() as c:
        on_team = snapshot(c, conference_uid)
    assert _rows(a, conference_uid) == _rows(b, conference_uid) == on_team


def _invitee(db, cid, n=0):
    return invitees.list_invitees(db, cid)[n]


def _on_team(team, table, field, uid):
    with team.connect() as c:
        return c.execute(text(f"SELECT {field} FROM {table} WHERE uid = :u"), {"u": uid}).scalar()


def _points(db, cid):
    found = []
    for meeting in meetings.list_meetings(db, cid):
        for column in board.board_tree(db, meeting.id).values():
            found.extend(board.iter_points(column))
    assert len(found) > 2
    return found


#: Whether the laptop synced (other conferences) while this one was unshared, so that its
#: cursor passed the team's changes to it; or not, so that they come with the next pull.
MEANWHILE = pytest.mark.parametrize("synced_meanwhile", [True, False], ids=["synced", "not-synced"])


@MEANWHILE
def test_what_only_the_team_changed_is_taken_without_asking(shared_example, synced_meanwhile):
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    sync.unshare_conference(a, cid_a)
    # Ben, meanwhile: a field, a new invitee, a board point deleted.
    invitees.update_invitee(b, _invitee(b, cid_b).id, organisation="Youth service (east)")
    invitees.add_invitee(b, cid_b, name="Added by Ben meanwhile")
    gone = _points(b, cid_b)[0]
    gone_uid = uid_of(b, "board_point", gone.id)
    board.delete_point(b, gone.id)
    sync.sync_now(b, team)
    if synced_meanwhile:
        before = _invitee(a, cid_a).organisation
        sync.sync_now(a, team)
        assert _invitee(a, cid_a).organisation == before  # unshared: left alone
    sync.share_conference(a, cid_a)
    result = sync.sync_now(a, team)
    assert result.conflicts == 0 and sync.list_conflicts(a) == []
    # Every other row and field of the example (dates, yes/no, the safety map's picture) is
    # found equal to the team's: nothing of Anna's copy goes back over Ben's.
    assert result.pushed == 0
    assert _invitee(a, cid_a).organisation == "Youth service (east)"
    names = [i.name for i in invitees.list_invitees(a, cid_a)]
    assert names.count("Added by Ben meanwhile") == 1
    assert id_by_uid(a, "board_point", gone_uid) is None
    assert result.changed.about(cid_a) and "invitee" in result.changed.tables
    assert sync.sync_status(a).waiting == 0
    sync.sync_now(b, team)
    _same_everywhere(a, b, team, conf_uid)


def test_what_only_the_laptop_changed_is_pushed(shared_example):
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    sync.unshare_conference(a, cid_a)
    first = _invitee(a, cid_a)
    first_uid = uid_of(a, "invitee", first.id)
    invitees.update_invitee(a, first.id, status="declined")
    invitees.add_invitee(a, cid_a, name="Added by Anna while unshared")
    gone = _points(a, cid_a)[1]
    gone_uid = uid_of(a, "board_point", gone.id)
    board.delete_point(a, gone.id)
    sync.share_conference(a, cid_a)
    # Changed after sharing again, before the sync: it goes too.
    invitees.update_invitee(a, first.id, organisation="Housing")
    result = sync.sync_now(a, team)
    assert result.conflicts == 0
    assert _on_team(team, "invitee", "status", first_uid) == "declined"
    assert _on_team(team, "invitee", "organisation", first_uid) == "Housing"
    assert _on_team(team, "board_point", "uid", gone_uid) is None
    sync.sync_now(b, team)
    names = [i.name for i in invitees.list_invitees(b, cid_b)]
    assert names.count("Added by Anna while unshared") == 1
    assert id_by_uid(b, "board_point", gone_uid) is None
    _same_everywhere(a, b, team, conf_uid)


@MEANWHILE
def test_only_a_field_both_changed_differently_asks_a_person(shared_example, synced_meanwhile):
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    sync.unshare_conference(a, cid_a)
    first_a, first_b = _invitee(a, cid_a), _invitee(b, cid_b)
    second_a, second_b = _invitee(a, cid_a, 1), _invitee(b, cid_b, 1)
    first_uid = uid_of(a, "invitee", first_a.id)
    # The same field differently (a conflict), the same field alike (nothing), and different
    # fields of one row (both kept).
    invitees.update_invitee(a, first_a.id, status="to_invite")
    invitees.update_invitee(b, first_b.id, status="declined")
    invitees.update_invitee(a, second_a.id, organisation="School", status="declined")
    invitees.update_invitee(b, second_b.id, organisation="School", job_title="Head of year")
    sync.sync_now(b, team)
    if synced_meanwhile:
        sync.sync_now(a, team)
    sync.share_conference(a, cid_a)
    result = sync.sync_now(a, team)
    conflicts = sync.list_conflicts(a)
    assert [(c.entity, c.field, c.mine, c.theirs) for c in conflicts] == [
        ("invitee", "status", "to_invite", "declined")
    ]
    assert result.conflicts == 1
    assert (conflicts[0].mine_person, conflicts[0].theirs_person) == ("anna", "ben")
    assert _on_team(team, "invitee", "status", first_uid) == "declined"  # held back
    second_uid = uid_of(a, "invitee", second_a.id)
    assert _on_team(team, "invitee", "status", second_uid) == "declined"
    assert invitees.get_invitee(a, second_a.id).job_title == "Head of year"
    sync.resolve_conflict(a, conflicts[0].id, take="mine")
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    assert _invitee(b, cid_b).status == "to_invite"
    _same_everywhere(a, b, team, conf_uid)


def test_a_conflict_open_when_unsharing_is_asked_again(shared_example):
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    first_a, first_b = _invitee(a, cid_a), _invitee(b, cid_b)
    first_uid = uid_of(a, "invitee", first_a.id)
    invitees.update_invitee(b, first_b.id, status="declined")
    sync.sync_now(b, team)
    invitees.update_invitee(a, first_a.id, status="to_invite")
    assert sync.sync_now(a, team).conflicts == 1
    sync.unshare_conference(a, cid_a)
    assert sync.list_conflicts(a) == []
    sync.share_conference(a, cid_a)
    assert sync.sync_now(a, team).conflicts == 1  # not pushed as if only Anna had changed it
    assert _on_team(team, "invitee", "status", first_uid) == "declined"
    assert _invitee(a, cid_a).status == "to_invite"
    sync.resolve_conflict(a, sync.list_conflicts(a)[0].id, take="theirs")
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    _same_everywhere(a, b, team, conf_uid)


def test_changes_waiting_when_unsharing_are_not_lost(shared_example):
    """Edits made before unsharing and never pushed are the laptop's changes: pushed at the
    sync after sharing again (not dropped, not taken for the team's)."""
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    first = _invitee(a, cid_a)
    invitees.update_invitee(a, first.id, organisation="Police")
    sync.unshare_conference(a, cid_a)
    sync.share_conference(a, cid_a)
    assert sync.sync_now(a, team).conflicts == 0
    assert _on_team(team, "invitee", "organisation", uid_of(a, "invitee", first.id)) == "Police"
    sync.sync_now(b, team)
    _same_everywhere(a, b, team, conf_uid)


def test_a_row_deleted_here_while_unshared_and_edited_on_the_team_goes(shared_example):
    """Deleting means gone: the delete wins over the team's edit, on every side."""
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    sync.unshare_conference(a, cid_a)
    last_a = _invitee(a, cid_a, -1)
    uid = uid_of(a, "invitee", last_a.id)
    invitees.delete_invitee(a, last_a.id)
    invitees.update_invitee(b, id_by_uid(b, "invitee", uid), organisation="Edited by Ben")
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    sync.share_conference(a, cid_a)
    assert sync.sync_now(a, team).conflicts == 0
    assert _on_team(team, "invitee", "uid", uid) is None
    sync.sync_now(b, team)
    assert id_by_uid(b, "invitee", uid) is None
    _same_everywhere(a, b, team, conf_uid)


def test_a_conference_shared_again_and_never_synced_between_is_merged_once(shared_example):
    """Unshared twice before syncing: the first base still holds; a second sync finds
    nothing left to do."""
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    sync.unshare_conference(a, cid_a)
    sync.share_conference(a, cid_a)
    sync.unshare_conference(a, cid_a)
    invitees.update_invitee(b, _invitee(b, cid_b).id, organisation="Only Ben")
    sync.sync_now(b, team)
    sync.share_conference(a, cid_a)
    assert sync.sync_now(a, team).conflicts == 0
    assert _invitee(a, cid_a).organisation == "Only Ben"
    again = sync.sync_now(a, team)
    assert (again.pushed, again.pulled, again.conflicts) == (0, 0, 0)
    _same_everywhere(a, b, team, conf_uid)


def test_a_snapshot_taken_again_on_the_team_meanwhile_arrives(shared_example):
    """A meeting's snapshot is named by its meeting: cleared and taken again on the team
    while unshared here, it is the team's new one here, not a row this laptop deleted."""
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    meeting_b = meetings.list_meetings(b, cid_b)[0].id
    weighting.snapshot_for_meeting(b, cid_b, meeting_b)
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    sync.unshare_conference(a, cid_a)
    weighting.clear_snapshot(b, cid_b, meeting_b)
    weighting.set_weighting(b, cid_b, weighting.grow(weighting.get_weighting(b, cid_b), 0))
    taken = weighting.snapshot_for_meeting(b, cid_b, meeting_b)
    sync.sync_now(b, team)
    sync.sync_now(a, team)  # Anna's cursor passes Ben's changes (not hers to take now)
    sync.share_conference(a, cid_a)
    assert sync.sync_now(a, team).conflicts == 0
    meeting_uid = uid_of(b, "meeting", meeting_b)
    snapshot_uid = weighting_uid(conf_uid, meeting_uid)
    assert _on_team(team, "context_weighting", "uid", snapshot_uid) == snapshot_uid
    meeting_a = id_by_uid(a, "meeting", meeting_uid)
    assert weighting.get_weighting(a, cid_a, meeting_a) == taken
    sync.sync_now(b, team)
    _same_everywhere(a, b, team, conf_uid)


@pytest.mark.parametrize(
    "forget",
    [
        "DELETE FROM setting WHERE key LIKE 'sync.unshared.%'",
        "UPDATE setting SET value = 'damaged' WHERE key LIKE 'sync.unshared.%'",
    ],
    ids=["nothing-remembered", "damaged"],
)
def test_unshared_before_this_version_is_still_never_overwritten(shared_example, forget):
    """Nothing remembered (unshared by an older version, or stopped because the team no
    longer shared it), or the record damaged: the team's history is replayed against the copy
    as before, so a field that differs asks a person and the team's value is not overwritten."""
    a, b, team, cid_a, cid_b, conf_uid = shared_example
    sync.unshare_conference(a, cid_a)
    with a.session() as s:
        assert s.connection().execute(text(forget)).rowcount == 1
    first_b = _invitee(b, cid_b)
    uid = uid_of(b, "invitee", first_b.id)
    invitees.update_invitee(b, first_b.id, organisation="Changed by Ben")
    sync.sync_now(b, team)
    sync.share_conference(a, cid_a)
    sync.sync_now(a, team)
    assert _on_team(team, "invitee", "organisation", uid) == "Changed by Ben"
    here = invitees.get_invitee(a, id_by_uid(a, "invitee", uid)).organisation
    asked = [(c.entity, c.field) for c in sync.list_conflicts(a)]
    assert here == "Changed by Ben" or ("invitee", "organisation") in asked
