"""Disagreement in the hand-over file (format 5): round trip, an older file, damage refused."""

from __future__ import annotations

import copy

import pytest

from csfacilitator.core import bundle, dissent
from csfacilitator.core.bundle_format import FORMAT_VERSION, check
from csfacilitator.core.invitees import add_invitee
from csfacilitator.core.meetings import get_meeting, list_meetings
from csfacilitator.errors import BundleError

pytestmark = pytest.mark.postgresql_too


@pytest.fixture
def recorded(db, conference_id, meeting_id):
    add_invitee(db, conference_id, name="Ann Lee", organisation="Police")
    sam = add_invitee(db, conference_id, name="Sam Patel", organisation="Riverside Housing")
    item = get_meeting(db, meeting_id).agenda[2]
    dissent.add_dissent(
        db,
        meeting_id,
        invitee_id=sam.id,
        agenda_item_id=item.id,
        decision="Close the underpass",
        statement="It sends them along the canal.\nDarker there.",
    )
    return item


def test_round_trip_keeps_who_what_and_the_agenda_item(db, conference_id, recorded):
    data = bundle.export_conference(db, conference_id)
    assert FORMAT_VERSION >= 5 and data["format_version"] == FORMAT_VERSION
    (written,) = data["meetings"][0]["dissent"]
    assert written["invitee"] == 1 and written["agenda_item"].startswith("a")
    assert "meeting_id" not in written and "uid" not in written and "id" not in written
    copy_id = bundle.import_conference(db, data, on_conflict="copy")
    meeting = list_meetings(db, copy_id)[0]
    (back,) = dissent.list_dissent(db, meeting.id)
    assert back.who == "Sam Patel (Riverside Housing)"
    assert back.agenda_title == recorded.title
    assert back.statement == "It sends them along the canal.\nDarker there."
    assert (
        back.invitee_id
        != dissent.list_dissent(db, list_meetings(db, conference_id)[0].id)[0].invitee_id
    )


def test_a_version_4_file_is_read_with_no_disagreement(db, conference_id, recorded):
    data = bundle.export_conference(db, conference_id)
    old = copy.deepcopy(data)
    old["format_version"] = 4
    for meeting in old["meetings"]:
        del meeting["dissent"]
    content = check(old, "The file")
    assert all(m["dissent"] == [] for m in content["meetings"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("invitee", 7, "invitee 7"), ("agenda_item", "a999", "agenda item 'a999'")],
)
def test_a_disagreement_naming_what_is_not_there_is_refused(
    db, conference_id, recorded, field, value, message
):
    data = bundle.export_conference(db, conference_id)
    data["meetings"][0]["dissent"][0][field] = value
    with pytest.raises(BundleError, match=message):
        check(data, "The file")


def test_replacing_a_conference_clears_its_disagreement(db, conference_id, recorded):
    data = bundle.export_conference(db, conference_id)
    for meeting in data["meetings"]:
        meeting["dissent"] = []
    same = bundle.import_conference(db, data, on_conflict="replace")
    assert all(dissent.list_dissent(db, m.id) == [] for m in list_meetings(db, same))
