"""A disagreement recorded on one laptop reaches the other through the team store, naming the
same invitee and agenda item there; removing it on one removes it on the other."""

from __future__ import annotations

from sync_laptops import id_by_uid, uid_of

from csfacilitator.core import dissent, invitees, meetings, sync
from csfacilitator.core.conferences import create_conference


def test_a_disagreement_syncs_with_its_meeting(laptops, team):
    a, b = laptops
    cid_a = create_conference(a, "Larkfield Park")
    sam = invitees.add_invitee(a, cid_a, name="Sam Patel", organisation="Riverside Housing")
    meeting_a = meetings.list_meetings(a, cid_a)[0]
    item = meetings.get_meeting(a, meeting_a.id).agenda[1]
    sync.share_conference(a, cid_a)
    sync.sync_now(a, team)
    sync.sync_now(b, team)

    record = dissent.add_dissent(
        a, meeting_a.id, invitee_id=sam.id, agenda_item_id=item.id, decision="Close it",
        statement="Darker elsewhere.",
    )  # fmt: skip
    assert sync.sync_now(a, team).pushed >= 1
    sync.sync_now(b, team)
    meeting_b = id_by_uid(b, "meeting", uid_of(a, "meeting", meeting_a.id))
    (there,) = dissent.list_dissent(b, meeting_b)
    assert there.uid == record.uid
    assert there.who == "Sam Patel (Riverside Housing)"
    assert there.agenda_title == item.title
    assert there.statement == "Darker elsewhere."

    dissent.delete_dissent(b, there.id)
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    assert dissent.list_dissent(a, meeting_a.id) == []
