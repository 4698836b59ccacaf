"""The example conference: complete, consistent, clean, and addable more than once."""

from __future__ import annotations

import copy
import datetime as dt
import json
import unicodedata

import pytest
from sqlalchemy import select

from csfacilitator.core import vocab
from csfacilitator.core.board import board_tree
from csfacilitator.core.conferences import find_conference, get_conference, list_conferences
from csfacilitator.core.example import EXAMPLE_TITLE, add_example
from csfacilitator.core.meetings import list_meetings
from csfacilitator.core.model import (
    ActionUpdate,
    AssessmentSection,
    Attendance,
    Base,
    BoardPoint,
    Intervention,
    Invitee,
    Need,
    Referral,
    utcnow,
)

pytestmark = pytest.mark.postgresql_too


def meeting_of(db, conference_id, kind):
    """The meeting of that kind; for "review", the one held (the next is still to come)."""
    return [m for m in list_meetings(db, conference_id) if m.kind == kind][0]


def depth(points) -> int:
    return max((1 + depth(p.children) for p in points), default=0)


def test_conference_details(db, example_id):
    details = get_conference(db, example_id)
    assert details.title == EXAMPLE_TITLE
    assert details.status == "under_review"
    assert details.context_type == "neighbourhood"
    assert details.threshold in vocab.THRESHOLDS and details.threshold
    assert details.report_structure == "thematic"
    for name in (
        "context_name",
        "area",
        "referral_source",
        "threshold_rationale",
        "chair",
        "lead_practitioner",
        "coordinator_1",
        "coordinator_2",
        "place_manager",
        "venue",
        "assessment_period",
    ):
        assert getattr(details, name), name
    assert details.referral_date < details.pre_meeting_date < details.conference_date
    assert details.conference_date < details.next_review_date
    assert len(details.names_to_keep_out.splitlines()) == 2


def test_meetings_and_agenda(db, example_id):
    meetings = list_meetings(db, example_id)
    assert [m.kind for m in meetings] == ["pre_meeting", "conference", "review", "review"]
    # The next review date is the scheduled review meeting's, stored nowhere else.
    assert get_conference(db, example_id).next_review_date == meetings[3].date
    assert meetings[2].date < meetings[3].date
    conference = meeting_of(db, example_id, "conference")
    assert [a.title for a in conference.agenda] == [t for t, _ in vocab.DEFAULT_AGENDA]
    assert [a.position for a in conference.agenda] == list(range(6))
    details = get_conference(db, example_id)
    assert conference.date == details.conference_date
    assert meetings[0].date == details.pre_meeting_date
    assert details.conference_date < meetings[2].date <= details.next_review_date


def test_assessment_covers_every_thematic_section(db, example_id):
    with db.session() as s:
        rows = s.scalars(
            select(AssessmentSection).where(AssessmentSection.conference_id == example_id)
        )
        bodies = {r.key: r.body for r in rows}
    assert set(bodies) == {key for key, _ in vocab.REPORT_SECTIONS["thematic"]}
    assert all(len(body) > 100 for body in bodies.values())
    assert bodies["thematic_issues"].startswith("a) ")
    assert "\nb) " in bodies["thematic_issues"]


def test_invitees(db, example_id):
    with db.session() as s:
        invitees = list(
            s.scalars(
                select(Invitee)
                .where(Invitee.conference_id == example_id)
                .order_by(Invitee.position)
            )
        )
    assert 11 <= len(invitees) <= 14
    assert [i.position for i in invitees] == list(range(len(invitees)))
    assert all(i.category in vocab.AGENCY_CATEGORIES for i in invitees)
    assert len({i.category for i in invitees}) >= 10
    for question in vocab.INVITE_QUESTIONS:
        assert any(getattr(i, f"q_{question}") for i in invitees), question
    statuses = [i.status for i in invitees]
    assert set(statuses) <= set(vocab.INVITEE_STATUSES)
    assert statuses.count("confirmed") > len(invitees) / 2
    assert statuses.count("declined") == 1 and statuses.count("to_invite") == 1
    assert all(i.email.endswith((".example.org", ".example.com", ".example.net")) for i in invitees)
    non_statutory = [i for i in invitees if i.category in vocab.NON_STATUTORY_CATEGORIES]
    assert len(non_statutory) >= 3
    assert [i.isa_signed for i in non_statutory].count(False) == 1
    assert any(not n.isascii() for n in (i.name for i in invitees))
    invited = [i for i in invitees if i.status != "to_invite"]
    assert all(i.invited_on for i in invited)
    assert all(i.prepared_on is None or i.invited_on <= i.prepared_on for i in invited)


def test_attendance(db, example_id):
    for kind in ("conference", "review"):
        meeting = meeting_of(db, example_id, kind)
        with db.session() as s:
            states = list(
                s.scalars(select(Attendance.state).where(Attendance.meeting_id == meeting.id))
            )
        assert set(states) <= {"present", "apologies", "absent"}
        assert states.count("present") > len(states) / 2
        assert states.count("apologies") >= 1, kind
    conference = meeting_of(db, example_id, "conference")
    with db.session() as s:
        states = list(
            s.scalars(select(Attendance.state).where(Attendance.meeting_id == conference.id))
        )
    assert states.count("absent") == 1


def test_boards(db, example_id):
    board = board_tree(db, meeting_of(db, example_id, "conference").id)
    assert set(board) == set(vocab.BOARD_COLUMNS)
    for column, points in board.items():
        assert 5 <= len(points) <= 8, column
    assert sum(depth(points) >= 3 for points in board.values()) >= 2

    def positions_in_order(points):
        assert [p.position for p in points] == list(range(len(points)))
        for p in points:
            positions_in_order(p.children)

    for points in board.values():
        positions_in_order(points)

    review = board_tree(db, meeting_of(db, example_id, "review").id)
    assert all(1 <= len(points) <= 4 for points in review.values())


def test_referral_records_only_that_it_was_made(db, example_id):
    conference = meeting_of(db, example_id, "conference")
    with db.session() as s:
        (referral,) = s.scalars(select(Referral).where(Referral.meeting_id == conference.id))
    assert referral.team == "Children's social care – MASH"
    assert referral.reference == "REF-EX-0001"
    assert referral.made_on == conference.date


def test_intervention_plan(db, example_id):
    review = meeting_of(db, example_id, "review")
    conference = meeting_of(db, example_id, "conference")
    with db.session() as s:
        needs = list(s.scalars(select(Need).where(Need.conference_id == example_id)))
        actions = list(
            s.scalars(select(Intervention).where(Intervention.need_id.in_([n.id for n in needs])))
        )
        updates = list(s.scalars(select(ActionUpdate).where(ActionUpdate.meeting_id == review.id)))
        linked = [(s.get(BoardPoint, a.board_point_id), a) for a in actions if a.board_point_id]
    assert 3 <= len(needs) <= 4
    assert 7 <= len(actions) <= 10
    assert all(a.agency and (a.timescale or a.due_date) and a.progress for a in actions)
    assert {a.status for a in actions} == {"not_started", "in_progress", "done"}
    assert 1 <= len(linked) <= 2
    for point, action in linked:
        assert point.column == "safety_plan" and point.meeting_id == conference.id
        assert point.text in action.text
    assert sorted(u.intervention_id for u in updates) == sorted(a.id for a in actions)
    by_id = {a.id: a for a in actions}
    assert all(u.note and u.status == by_id[u.intervention_id].status for u in updates)


def all_text(db) -> list[str]:
    """Every text value stored anywhere in the database."""
    values = []
    with db.session() as s:
        for mapper in Base.registry.mappers:
            for row in s.scalars(select(mapper.class_)):
                values += [v for v in vars(row).values() if isinstance(v, str)]
    return values


def test_no_control_characters_anywhere(db, example_id):
    texts = all_text(db)
    assert len(texts) > 200
    for text in texts:
        bad = [c for c in text if unicodedata.category(c) == "Cc" and c != "\n"]
        assert not bad, text
        assert unicodedata.is_normalized("NFC", text)


def test_names_to_keep_out_appear_nowhere_else(db, example_id):
    names = get_conference(db, example_id).names_to_keep_out.splitlines()
    texts = [t for t in all_text(db) if t != "\n".join(names)]
    for name in names:
        for part in name.split():
            assert not any(part.casefold() in t.casefold() for t in texts), part


def test_adding_twice_gives_unique_titles(db):
    first, second, third = add_example(db), add_example(db), add_example(db)
    titles = [get_conference(db, i).title for i in (first, second, third)]
    assert titles == [EXAMPLE_TITLE, f"{EXAMPLE_TITLE} (2)", f"{EXAMPLE_TITLE} (3)"]
    assert [find_conference(db, t) for t in titles] == [first, second, third]
    assert len(list_conferences(db)) == 3
    # Each copy has its own rows.
    assert meeting_of(db, first, "conference").id != meeting_of(db, second, "conference").id


@pytest.mark.parametrize("kind", ["conference", "review"])
def test_each_copy_has_its_own_board(db, kind):
    first, second = add_example(db), add_example(db)
    one = board_tree(db, meeting_of(db, first, kind).id)
    two = board_tree(db, meeting_of(db, second, kind).id)
    assert [p.text for p in one["strengths"]] == [p.text for p in two["strengths"]]
    assert {p.id for p in one["strengths"]}.isdisjoint(p.id for p in two["strengths"])


# ---------------------------------------------------------------- the shipped hand-over file


def test_the_example_is_added_through_the_checked_import(db, monkeypatch):
    from csfacilitator.core import example
    from csfacilitator.errors import BundleError

    damaged = copy.deepcopy(example._file_data())
    damaged["invitees"][0]["attendance"] = {"m99": "present"}
    monkeypatch.setattr(example, "_file_data", lambda: damaged)
    with pytest.raises(BundleError, match="The example conference is damaged or incomplete"):
        add_example(db)
    assert list_conferences(db) == []


def test_a_missing_example_file_says_to_reinstall(db, monkeypatch, tmp_path):
    from csfacilitator.core import example
    from csfacilitator.errors import BundleError

    example._file_data.cache_clear()
    monkeypatch.setattr(example, "FILE", ("example", "missing.csfconf"))
    try:
        with pytest.raises(BundleError, match="missing from this installation; reinstall"):
            add_example(db)
    finally:
        example._file_data.cache_clear()
    assert list_conferences(db) == []


def test_its_dates_are_the_files_and_its_time_stamps_the_moment_it_is_added(db):
    from csfacilitator.core.example import BASE_DATE

    before = utcnow()
    first = add_example(db)
    details = get_conference(db, first)
    assert details.conference_date == BASE_DATE == dt.date(2026, 11, 5)
    assert before <= details.created_at == details.updated_at <= utcnow()
    with db.session() as s:
        stamps = list(s.scalars(select(BoardPoint.created_at)))
    assert stamps and all(before <= stamp <= utcnow() for stamp in stamps)
    # The latest added heads the list of conferences, as before it came from a file.
    second = add_example(db)
    assert [c.id for c in list_conferences(db)][:2] == [second, first]


def test_the_shipped_file_is_in_the_newest_format_and_rewrites_to_itself(
    tmp_path, monkeypatch, capsys
):
    """packaging/make_example.py imports and exports the file: run it after a format change.
    It runs as a script (`__main__`, its arguments, its exit) in this process, which has
    imported what it imports already: a fresh interpreter spent ~0.7 s of CPU on the imports."""
    import runpy
    import sys
    from pathlib import Path

    from csfacilitator.core.bundle_format import FORMAT_VERSION
    from csfacilitator.resources import resource_path

    shipped = resource_path("example", "example.csfconf")
    assert json.loads(shipped.read_text(encoding="utf-8"))["format_version"] == FORMAT_VERSION
    script = Path(__file__).resolve().parent.parent / "packaging" / "make_example.py"
    again = tmp_path / "again.csfconf"
    monkeypatch.setattr(sys, "argv", [str(script), "--to", str(again)])
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script puts its root first
    with pytest.raises(SystemExit) as ended:
        runpy.run_path(str(script), run_name="__main__")
    assert ended.value.code == 0, capsys.readouterr().err
    assert again.read_bytes() == shipped.read_bytes()
