"""A context weighting changed on both laptops (issue 17) is one conflict on its picture: it
reads in words (which picture, each version's contexts and shares, what differs from the
other) in the core and on the command line (text and JSON); keep mine and take theirs settle
it; a third value is never typed, and one that is not a readable weighting is refused in one
line, changing nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sync_laptops import id_by_uid, uid_of

from csfacilitator import cli
from csfacilitator.core import conferences, meetings, sync, weighting
from csfacilitator.core.sync import conflicts
from csfacilitator.errors import UserError


def _weighting_conflict(a, b, team, meeting=False):
    """Anna grows the first context; Ben renames the second and adds one; Anna syncs first.
    With `meeting`, both also snapshot the conference meeting (two conflicts)."""
    cid_a = conferences.create_conference(a, "Riverside park", context_type="neighbourhood")
    sync.share_conference(a, cid_a)
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    cid_b = id_by_uid(b, "conference", uid_of(a, "conference", cid_a))
    start = weighting.get_weighting(a, cid_a)
    anna = weighting.grow(start, 0)
    ben = weighting.add(weighting.rename(start, 1, "Skate park"), "Online spaces")
    weighting.set_weighting(a, cid_a, anna)
    weighting.set_weighting(b, cid_b, ben)
    if meeting:
        first_a = meetings.list_meetings(a, cid_a)[0]
        first_b = id_by_uid(b, "meeting", uid_of(a, "meeting", first_a.id))
        meetings.update_meeting(a, first_a.id, date="2027-03-12")
        weighting.snapshot_for_meeting(a, cid_a, first_a.id)
        weighting.snapshot_for_meeting(b, cid_b, first_b)
    sync.sync_now(a, team)
    sync.sync_now(b, team)
    return cid_b, anna, ben


def _data(db, cid):
    with db.read_session() as s:
        return (
            s.connection()
            .execute(
                text(
                    "SELECT data FROM context_weighting WHERE conference_id = :c "
                    "AND meeting_id IS NULL"
                ),
                {"c": cid},
            )
            .scalar()
        )


def test_a_weighting_conflict_reads_in_words(laptops, team):
    a, b = laptops
    _cid_b, anna, ben = _weighting_conflict(a, b, team)
    [c] = sync.list_conflicts(b)
    assert (c.entity, c.field, c.structured, c.long_text) == (
        "context_weighting",
        "data",
        True,
        False,
    )
    assert c.row_label == "working copy"
    # A line per context, matched by name against the other side: Ben renamed the second
    # context and added one; Anna grew the first.
    assert c.mine_words.splitlines() == [
        "The context itself 20% (theirs 30%)",
        "Skate park 20% (not in theirs)",
        "Schools 20% (theirs 23%)",
        "Wider neighbourhood 20% (theirs 23%)",
        "Online spaces 20% (not in theirs)",
        "Only in theirs: Peer groups",
    ]
    assert c.theirs_words.splitlines() == [
        "The context itself 30% (mine 20%)",
        "Peer groups 24% (not in mine)",
        "Schools 23% (mine 20%)",
        "Wider neighbourhood 23% (mine 20%)",
        "Only in mine: Skate park, Online spaces",
    ]
    assert weighting.from_json(c.mine) == ben and weighting.from_json(c.theirs) == anna
    assert conflicts.structured_reason("context_weighting", "data").startswith(
        "A context weighting"
    )
    assert not conflicts.is_structured("conference", "notes")


def test_a_meetings_snapshot_says_which_meeting(laptops, team):
    a, b = laptops
    _weighting_conflict(a, b, team, meeting=True)
    labels = sorted(c.row_label for c in sync.list_conflicts(b))
    assert labels == ["for the conference on 12 Mar 2027", "working copy"]


@pytest.mark.parametrize(
    "value",
    ['{"boxes": "not a list"}', "Riverside 50%", "", '{"boxes": []}', "[1, 2]"],
)
def test_a_third_value_that_is_no_weighting_is_refused_and_changes_nothing(laptops, team, value):
    a, b = laptops
    cid_b, _anna, ben = _weighting_conflict(a, b, team)
    [c] = sync.list_conflicts(b)
    before = _data(b, cid_b)
    with pytest.raises(UserError) as refused:
        sync.resolve_conflict(b, c.id, value=value)
    message = str(refused.value)
    assert "\n" not in message and "not a readable context weighting" in message
    assert _data(b, cid_b) == before and weighting.get_weighting(b, cid_b) == ben
    assert [k.id for k in sync.list_conflicts(b)] == [c.id]


def test_a_readable_third_weighting_is_stored_tidied_and_keep_mine_still_works(laptops, team):
    a, b = laptops
    cid_b, anna, ben = _weighting_conflict(a, b, team)
    [c] = sync.list_conflicts(b)
    third = weighting.shrink(anna, 0)
    sync.resolve_conflict(b, c.id, value=weighting.to_json(third))
    assert weighting.get_weighting(b, cid_b) == third and sync.list_conflicts(b) == []
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    assert (
        weighting.get_weighting(a, id_by_uid(a, "conference", uid_of(b, "conference", cid_b)))
        == third
    )


def test_a_side_that_is_no_readable_weighting_is_described_and_cannot_be_taken(laptops, team):
    a, b = laptops
    cid_b, _anna, ben = _weighting_conflict(a, b, team)
    [c] = sync.list_conflicts(b)
    with b.session() as s:  # the team's picture arrived damaged
        s.connection().execute(
            text("UPDATE sync_conflict SET theirs_value = :v WHERE id = :i"),
            {"v": json.dumps('{"boxes": 3}'), "i": c.id},
        )
    [c] = sync.list_conflicts(b)
    assert c.theirs_words == "An unreadable picture (the starting picture would be shown)."
    with pytest.raises(UserError, match=r"^Theirs is not a readable context weighting: take mine"):
        sync.resolve_conflict(b, c.id, take="theirs")
    assert weighting.get_weighting(b, cid_b) == ben and len(sync.list_conflicts(b)) == 1
    sync.resolve_conflict(b, c.id, take="mine")
    assert weighting.get_weighting(b, cid_b) == ben and sync.list_conflicts(b) == []


def _cli(capsys, folder, *args):
    code = cli.main(["--data-dir", str(folder), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_lists_a_weighting_conflict_in_words(laptops, team, tmp_path, capsys):
    a, b = laptops
    _cid_b, anna, ben = _weighting_conflict(a, b, team)
    [c] = sync.list_conflicts(b)
    code, out, _err = _cli(capsys, tmp_path / "ben", "conflicts")
    assert code == 0
    assert f"Conflict {c.id}: Riverside park — Context weighting (working copy), Picture" in out
    assert "\n    Skate park 20% (not in theirs)\n" in out
    assert "\n    Peer groups 24% (not in mine)\n" in out
    assert '"boxes"' not in out  # never the raw JSON
    assert "keep mine or take theirs" in out
    code, out, _err = _cli(capsys, tmp_path / "ben", "conflicts", "--json")
    [row] = json.loads(out)
    assert row["mine"] == c.mine and row["theirs"] == c.theirs  # raw values kept
    assert row["mine_summary"] == c.mine_words and row["theirs_summary"] == c.theirs_words
    assert row["structured"] is True and row["row"] == "working copy"


def test_the_command_line_refuses_a_typed_weighting_in_one_line(laptops, team, tmp_path, capsys):
    a, b = laptops
    cid_b, _anna, ben = _weighting_conflict(a, b, team)
    [c] = sync.list_conflicts(b)
    code, out, err = _cli(
        capsys, tmp_path / "ben", "conflicts", "resolve", str(c.id), "--value", "half and half"
    )
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and "not a readable context weighting" in err
    assert weighting.get_weighting(b, cid_b) == ben and len(sync.list_conflicts(b)) == 1
    code, out, _err = _cli(
        capsys, tmp_path / "ben", "conflicts", "resolve", str(c.id), "--take", "theirs"
    )
    assert code == 0 and "Conflict" in out and '"boxes"' not in out
    assert weighting.get_weighting(b, cid_b) == weighting.from_json(c.theirs)


def test_links_order_and_an_unreadable_side_are_said_in_words():
    start = weighting.default_weighting("school", "Oak Academy")
    linked = weighting.toggle_link(start, 0, 1)
    moved = weighting.move(start, 0, 1)
    say = conflicts.describe_value
    data = weighting.to_json
    assert say("context_weighting", "data", data(linked), data(start), "theirs").splitlines()[
        -2:
    ] == ["Linked: Oak Academy and Peer groups", "Linked differently from theirs"]
    assert (
        say("context_weighting", "data", data(moved), data(start), "mine").splitlines()[-1]
        == "In a different order from mine"
    )
    assert say("context_weighting", "data", "{broken", data(start), "mine") == (
        "An unreadable picture (the starting picture would be shown)."
    )
    assert say("conference", "notes", "a", "b", "mine") == ""
