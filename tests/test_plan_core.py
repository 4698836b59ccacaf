"""The intervention plan's core operations."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from csfacilitator.core import plan
from csfacilitator.core.conferences import create_conference
from csfacilitator.core.meetings import add_meeting, list_meetings
from csfacilitator.core.model import ActionUpdate, Attendance, BoardPoint, Invitee, Meeting, Need
from csfacilitator.errors import NotFound, UserError

pytestmark = pytest.mark.postgresql_too


def texts(db, conference_id):
    return [(n.text, [i.text for i in n.interventions]) for n in plan.get_plan(db, conference_id)]


def positions(db, conference_id):
    needs = plan.get_plan(db, conference_id)
    return [n.position for n in needs], [[i.position for i in n.interventions] for n in needs]


def test_empty_plan(db, conference_id):
    assert plan.get_plan(db, conference_id) == []


def test_unknown_conference(db):
    with pytest.raises(NotFound):
        plan.get_plan(db, 999)
    with pytest.raises(NotFound):
        plan.add_need(db, 999, "Unsafe routes")


def test_add_needs_and_interventions_in_order(db, conference_id):
    a = plan.add_need(db, conference_id, "Young people feel unsafe on the way home")
    b = plan.add_need(db, conference_id, "Harassment in corridors")
    c = plan.add_need(db, conference_id, "Staff respond unevenly", position=0)
    assert (a.position, b.position, c.position) == (0, 1, 0)
    plan.add_intervention(db, a.id, "Safety mapping with students", agency="Lead social worker")
    plan.add_intervention(
        db, a.id, "More lighting", agency="Community safety", timescale="Annually"
    )
    first = plan.add_intervention(db, a.id, "Consultation", position=0)
    assert first.position == 0
    assert texts(db, conference_id) == [
        ("Staff respond unevenly", []),
        (
            "Young people feel unsafe on the way home",
            ["Consultation", "Safety mapping with students", "More lighting"],
        ),
        ("Harassment in corridors", []),
    ]
    assert positions(db, conference_id) == ([0, 1, 2], [[], [0, 1, 2], []])
    stored = plan.get_plan(db, conference_id)[1].interventions[2]
    assert (stored.agency, stored.timescale, stored.status) == (
        "Community safety",
        "Annually",
        "not_started",
    )


def test_position_is_clamped(db, conference_id):
    plan.add_need(db, conference_id, "One")
    two = plan.add_need(db, conference_id, "Two", position=99)
    zero = plan.add_need(db, conference_id, "Zero", position=-5)
    assert (two.position, zero.position) == (1, 0)
    assert [t for t, _ in texts(db, conference_id)] == ["Zero", "One", "Two"]


@pytest.mark.parametrize("text", ["", "   ", "\x0b\x0c", None, "\n\n"])
def test_empty_text_refused(db, conference_id, text):
    with pytest.raises(UserError, match="Write the need"):
        plan.add_need(db, conference_id, text)
    need = plan.add_need(db, conference_id, "A need")
    with pytest.raises(UserError, match="Write what the intervention"):
        plan.add_intervention(db, need.id, text)
    with pytest.raises(UserError):
        plan.update_need(db, need.id, text)
    item = plan.add_intervention(db, need.id, "Something")
    with pytest.raises(UserError):
        plan.update_intervention(db, item.id, text=text)
    assert texts(db, conference_id) == [("A need", ["Something"])]


def test_text_is_cleaned_and_kept(db, conference_id):
    need = plan.add_need(db, conference_id, "  Girls feel unsafe\x0bnear the station \U0001f689  ")
    assert need.text == "Girls feel unsafe\nnear the station \U0001f689"
    arabic = "الشباب يشعرون بعدم الأمان"
    item = plan.add_intervention(
        db, need.id, arabic, agency=" Police\n(safer  neighbourhoods) ", owner="\x00Sam"
    )
    assert item.text == arabic
    assert item.agency == "Police (safer neighbourhoods)"
    assert item.owner == "Sam"
    huge = "word " * 20000
    updated = plan.update_intervention(db, item.id, progress=huge)
    assert updated.progress == huge.rstrip()
    assert plan.get_intervention(db, item.id).progress == huge.rstrip()


def test_update_need(db, conference_id):
    need = plan.add_need(db, conference_id, "Old")
    assert plan.update_need(db, need.id, " New ").text == "New"
    assert texts(db, conference_id) == [("New", [])]
    with pytest.raises(NotFound):
        plan.update_need(db, 12345, "x")


def test_update_intervention_fields(db, conference_id):
    need = plan.add_need(db, conference_id, "Need")
    item = plan.add_intervention(db, need.id, "Bystander training")
    updated = plan.update_intervention(
        db,
        item.id,
        agency="Early Help",
        owner="A. Patel",
        timescale="By half term",
        due_date="2025-03-12",
        status="in_progress",
        progress="Staff sessions booked",
    )
    assert updated.due_date == dt.date(2025, 3, 12)
    assert updated.status == "in_progress"
    assert plan.get_intervention(db, item.id) == updated
    assert plan.update_intervention(db, item.id, due_date=dt.date(2025, 4, 1)).due_date == dt.date(
        2025, 4, 1
    )
    assert plan.update_intervention(db, item.id, due_date=None).due_date is None
    assert plan.update_intervention(db, item.id, due_date="2025-05-01").due_date == dt.date(
        2025, 5, 1
    )
    assert plan.update_intervention(db, item.id, due_date="").due_date is None
    typed = plan.update_intervention(db, item.id, due_date="12/03/2025")
    assert typed.due_date == dt.date(2025, 3, 12)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "finished"}, "not an action status"),
        ({"status": "Done"}, "not an action status"),
        ({"due_date": "31/02/2025"}, "not a real date"),
        ({"due_date": "soon"}, "not a date"),
        ({"colour": "red"}, "not part of an intervention"),
        ({"need_id": 3}, "not part of an intervention"),
    ],
)
def test_update_intervention_refuses_bad_values(db, conference_id, changes, message):
    need = plan.add_need(db, conference_id, "Need")
    item = plan.add_intervention(db, need.id, "Thing", agency="School")
    with pytest.raises(UserError, match=message):
        plan.update_intervention(db, item.id, **changes)
    assert plan.get_intervention(db, item.id) == item


def test_add_intervention_refuses_bad_fields_and_missing_need(db, conference_id):
    need = plan.add_need(db, conference_id, "Need")
    with pytest.raises(UserError):
        plan.add_intervention(db, need.id, "Thing", status="nope")
    with pytest.raises(NotFound):
        plan.add_intervention(db, 999, "Thing")
    with pytest.raises(NotFound):
        plan.add_intervention(db, need.id, "Thing", board_point_id=999)
    assert texts(db, conference_id) == [("Need", [])]


def test_move_need(db, conference_id):
    ids = [plan.add_need(db, conference_id, t).id for t in ("A", "B", "C")]
    assert plan.move_need(db, ids[0], 1) == 1
    assert [t for t, _ in texts(db, conference_id)] == ["B", "A", "C"]
    assert plan.move_need(db, ids[2], -5) == 0
    assert [t for t, _ in texts(db, conference_id)] == ["C", "B", "A"]
    assert plan.move_need(db, ids[0], 1) == 2  # already last: stays
    assert positions(db, conference_id)[0] == [0, 1, 2]


def test_move_intervention_stays_within_its_need(db, conference_id):
    a = plan.add_need(db, conference_id, "A")
    b = plan.add_need(db, conference_id, "B")
    ids = [plan.add_intervention(db, a.id, t).id for t in ("a1", "a2", "a3")]
    plan.add_intervention(db, b.id, "b1")
    assert plan.move_intervention(db, ids[2], -1) == 1
    assert texts(db, conference_id) == [("A", ["a1", "a3", "a2"]), ("B", ["b1"])]
    assert plan.move_intervention(db, ids[0], -1) == 0
    assert plan.move_intervention(db, ids[1], 10) == 2
    assert texts(db, conference_id) == [("A", ["a1", "a3", "a2"]), ("B", ["b1"])]


def _plan_with_three_needs(db, conference_id):
    needs = [plan.add_need(db, conference_id, t) for t in ("First", "Second", "Third")]
    for need in needs:
        for n in (1, 2):
            plan.add_intervention(
                db,
                need.id,
                f"{need.text} {n}",
                agency="School",
                due_date=dt.date(2025, 1, n),
                status="in_progress",
                progress=f"notes {n}",
            )
    return needs


def test_delete_and_restore_need_at_same_position(db, conference_id):
    needs = _plan_with_three_needs(db, conference_id)
    before = plan.get_plan(db, conference_id)
    snapshot = plan.delete_need(db, needs[1].id)
    assert [t for t, _ in texts(db, conference_id)] == ["First", "Third"]
    assert positions(db, conference_id)[0] == [0, 1]
    with pytest.raises(NotFound):
        plan.get_need(db, needs[1].id)
    assert len(snapshot.interventions) == 2
    restored = plan.restore_need(db, snapshot)
    assert restored.id == needs[1].id
    assert plan.get_plan(db, conference_id) == before


def test_restore_need_after_another_need_was_added(db, conference_id):
    needs = _plan_with_three_needs(db, conference_id)
    snapshot = plan.delete_need(db, needs[2].id)
    other = create_conference(db, "Elsewhere")
    newcomer = plan.add_need(db, other, "Takes the freed id")
    assert newcomer.id > needs[2].id  # a freed id is never handed out again (schema 0004)
    restored = plan.restore_need(db, snapshot)
    assert [i.text for i in restored.interventions] == ["Third 1", "Third 2"]
    assert [t for t, _ in texts(db, conference_id)] == ["First", "Second", "Third"]
    assert texts(db, other) == [("Takes the freed id", [])]


def test_delete_and_restore_intervention_at_same_position(db, conference_id):
    needs = _plan_with_three_needs(db, conference_id)
    plan.add_intervention(db, needs[0].id, "First 3")
    before = plan.get_plan(db, conference_id)
    middle = before[0].interventions[1]
    snapshot = plan.delete_intervention(db, middle.id)
    assert texts(db, conference_id)[0] == ("First", ["First 1", "First 3"])
    assert positions(db, conference_id)[1][0] == [0, 1]
    assert plan.restore_intervention(db, snapshot) == middle
    assert plan.get_plan(db, conference_id) == before


def test_restore_keeps_review_progress_and_board_link(db, conference_id):
    review = add_meeting(db, conference_id, "review")
    conference_meeting = list_meetings(db, conference_id)[0]
    need = plan.add_need(db, conference_id, "Need")
    with db.session() as s:
        point = BoardPoint(meeting_id=conference_meeting.id, column="safety_plan", text="Lights")
        s.add(point)
        s.flush()
        point_id = point.id
    item = plan.add_intervention(db, need.id, "Lights", board_point_id=point_id)
    with db.session() as s:
        s.add(
            ActionUpdate(intervention_id=item.id, meeting_id=review.id, status="done", note="Fixed")
        )
    snapshot = plan.delete_need(db, need.id)
    with db.session() as s:
        assert s.scalars(select(ActionUpdate)).all() == []
    restored = plan.restore_need(db, snapshot)
    assert restored.interventions[0].board_point_id == point_id
    with db.session() as s:
        updates = [(u.intervention_id, u.status, u.note) for u in s.scalars(select(ActionUpdate))]
    assert updates == [(item.id, "done", "Fixed")]


def test_restore_intervention_drops_links_that_are_gone(db, conference_id):
    review = add_meeting(db, conference_id, "review")
    meeting_id = list_meetings(db, conference_id)[0].id
    need = plan.add_need(db, conference_id, "Need")
    with db.session() as s:
        point = BoardPoint(meeting_id=meeting_id, column="safety_plan", text="Lights")
        s.add(point)
        s.flush()
        point_id = point.id
    item = plan.add_intervention(db, need.id, "Lights", board_point_id=point_id)
    with db.session() as s:
        s.add(ActionUpdate(intervention_id=item.id, meeting_id=review.id, note="x"))
    snapshot = plan.delete_intervention(db, item.id)
    with db.session() as s:
        s.delete(s.get(BoardPoint, point_id))
        s.delete(s.get(Meeting, review.id))
    restored = plan.restore_intervention(db, snapshot)
    assert restored.board_point_id is None
    with db.session() as s:
        assert s.scalars(select(ActionUpdate)).all() == []


def test_restore_intervention_refused_when_need_gone(db, conference_id):
    need = plan.add_need(db, conference_id, "Need")
    item = plan.add_intervention(db, need.id, "Thing")
    snapshot = plan.delete_intervention(db, item.id)
    plan.delete_need(db, need.id)
    with pytest.raises(NotFound, match="cannot be restored"):
        plan.restore_intervention(db, snapshot)


def test_deleting_a_need_removes_its_interventions(db, conference_id):
    needs = _plan_with_three_needs(db, conference_id)
    plan.delete_need(db, needs[0].id)
    with db.session() as s:
        assert s.scalar(select(Need.id).where(Need.id == needs[0].id)) is None
    for item in needs[0].interventions:
        with pytest.raises(NotFound):
            plan.get_intervention(db, item.id)


@pytest.mark.parametrize(
    ("due", "status", "expected"),
    [
        (None, "not_started", False),
        (dt.date(2025, 3, 11), "not_started", True),
        (dt.date(2025, 3, 11), "in_progress", True),
        (dt.date(2025, 3, 12), "in_progress", False),  # due today is not yet overdue
        (dt.date(2025, 3, 13), "not_started", False),
        (dt.date(2025, 1, 1), "done", False),
        (dt.date(2025, 1, 1), "not_going_ahead", False),
    ],
)
def test_is_overdue(due, status, expected):
    record = plan.InterventionRecord(1, 1, 0, "x", due_date=due, status=status)
    assert plan.is_overdue(record, dt.date(2025, 3, 12)) is expected


def test_plan_header(db, conference_id):
    from csfacilitator.core.conferences import update_conference

    update_conference(
        db,
        conference_id,
        assessment_period="January to March 2025",
        pre_meeting_date="2025-03-01",
        conference_date="2025-03-12",
        next_review_date="2025-06-12",
        context_type="school",
        context_name="Oakfield School, Year 9",
        lead_practitioner="Jo Lead",
    )
    meeting_id = next(m for m in list_meetings(db, conference_id) if m.kind == "conference").id
    with db.session() as s:
        people = [
            Invitee(conference_id=conference_id, position=2, name="Ann", organisation="Police"),
            Invitee(
                conference_id=conference_id, position=1, name="", organisation="Oakfield School"
            ),
            Invitee(conference_id=conference_id, position=3, name="Bea", organisation="Housing"),
            Invitee(conference_id=conference_id, position=4, name="Cy", organisation="CAMHS"),
        ]
        s.add_all(people)
        s.flush()
        s.add_all(
            [
                Attendance(invitee_id=people[0].id, meeting_id=meeting_id, state="present"),
                Attendance(invitee_id=people[1].id, meeting_id=meeting_id, state="present"),
                Attendance(invitee_id=people[2].id, meeting_id=meeting_id, state="apologies"),
            ]
        )
    header = plan.plan_header(db, conference_id)
    assert header.assessment_period == "January to March 2025"
    assert header.pre_meeting_date == dt.date(2025, 3, 1)
    assert header.conference_date == dt.date(2025, 3, 12)
    assert header.review_date == dt.date(2025, 6, 12)
    assert header.context == "Oakfield School, Year 9"
    assert header.lead_practitioner == "Jo Lead"
    assert [a.label for a in header.attendees] == ["Oakfield School", "Ann (Police)"]


def test_plan_header_falls_back_to_meeting_dates_and_context_type(db):
    conf = create_conference(db, "Park", context_type="online")
    add_meeting(db, conf, "pre_meeting", date=dt.date(2025, 2, 1))
    from csfacilitator.core.meetings import update_meeting

    conference_meeting = next(m for m in list_meetings(db, conf) if m.kind == "conference")
    update_meeting(db, conference_meeting.id, date=dt.date(2025, 2, 20))
    header = plan.plan_header(db, conf)
    assert header.pre_meeting_date == dt.date(2025, 2, 1)
    assert header.conference_date == dt.date(2025, 2, 20)
    assert header.context == "Online space"
    assert header.attendees == ()
    with pytest.raises(NotFound):
        plan.plan_header(db, 999)


# --- priorities ------------------------------------------------------------------------------


def _priorities(db, conference_id, *texts):
    from csfacilitator.core.model import Priority

    with db.session() as s:
        rows = [
            Priority(conference_id=conference_id, position=i, text=t, focus=i == 0)
            for i, t in enumerate(texts)
        ]
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


def test_link_a_need_to_a_priority_and_back(db, conference_id):
    lighting, provision = _priorities(db, conference_id, "Lighting", "Evening provision")
    assert [(p.text, p.focus) for p in plan.list_priority_options(db, conference_id)] == [
        ("Lighting", True),
        ("Evening provision", False),
    ]
    need = plan.add_need(db, conference_id, "Dark paths")
    assert need.priority_id is None
    assert plan.set_need_priority(db, need.id, provision).priority_id == provision
    assert plan.get_plan(db, conference_id)[0].priority_id == provision
    assert plan.set_need_priority(db, need.id, None).priority_id is None
    other = create_conference(db, "Elsewhere")
    (foreign,) = _priorities(db, other, "Not ours")
    with pytest.raises(NotFound):
        plan.set_need_priority(db, need.id, foreign)
    with pytest.raises(UserError):
        plan.set_need_priority(db, need.id, "Lighting")
    assert plan.get_need(db, need.id).priority_id is None


def test_priority_link_survives_delete_and_restore_unless_the_priority_went(db, conference_id):
    from csfacilitator.core.model import Priority

    lighting, provision = _priorities(db, conference_id, "Lighting", "Evening provision")
    need = plan.add_need(db, conference_id, "Dark paths")
    plan.set_need_priority(db, need.id, lighting)
    snapshot = plan.delete_need(db, need.id)
    assert plan.restore_need(db, snapshot).priority_id == lighting
    plan.set_need_priority(db, need.id, provision)
    snapshot = plan.delete_need(db, need.id)
    with db.session() as s:
        s.delete(s.get(Priority, provision))
    assert plan.restore_need(db, snapshot).priority_id is None
    # Deleting a priority unlinks its needs (ON DELETE SET NULL) instead of refusing.
    plan.set_need_priority(db, need.id, lighting)
    with db.session() as s:
        s.delete(s.get(Priority, lighting))
    assert plan.get_need(db, need.id).priority_id is None


def test_undoing_a_need_delete_brings_back_the_voices_and_goals_linked_to_it(db, conference_id):
    """Deleting a need clears the links that point at it and its actions (ON DELETE SET
    NULL); undoing the delete puts those links back, as they were."""
    from csfacilitator.core import outcomes, voice

    need = plan.add_need(db, conference_id, "Safe way home")
    action = plan.add_intervention(db, need.id, "Lights on the path")
    to_need = voice.add_voice(db, conference_id, "It's dark by the gate", need_id=need.id)
    to_action = voice.add_voice(db, conference_id, "Fix the lights", intervention_id=action.id)
    goal = outcomes.add_goal(db, conference_id, "Feel safe walking home", need_id=need.id)

    snapshot = plan.delete_need(db, need.id)
    assert voice.get_voice(db, to_need.id).need_id is None
    assert voice.get_voice(db, to_action.id).intervention_id is None
    assert outcomes.list_goals(db, conference_id)[0].need_id is None

    plan.restore_need(db, snapshot)
    assert voice.get_voice(db, to_need.id).need_id == need.id
    assert voice.get_voice(db, to_action.id).intervention_id == action.id
    assert outcomes.list_goals(db, conference_id)[0].need_id == need.id
    assert [g.id for g in outcomes.list_goals(db, conference_id)] == [goal.id]


def test_undoing_an_action_delete_brings_back_the_voices_linked_to_it(db, conference_id):
    from csfacilitator.core import voice

    need = plan.add_need(db, conference_id, "Safe way home")
    action = plan.add_intervention(db, need.id, "Lights on the path")
    said = voice.add_voice(db, conference_id, "Fix the lights", intervention_id=action.id)
    snapshot = plan.delete_intervention(db, action.id)
    assert voice.get_voice(db, said.id).intervention_id is None
    plan.restore_intervention(db, snapshot)
    assert voice.get_voice(db, said.id).intervention_id == action.id


def test_a_link_changed_since_the_delete_is_not_overwritten_by_undo(db, conference_id):
    from csfacilitator.core import voice

    need = plan.add_need(db, conference_id, "Safe way home")
    other = plan.add_need(db, conference_id, "Somewhere to go")
    said = voice.add_voice(db, conference_id, "It's dark by the gate", need_id=need.id)
    snapshot = plan.delete_need(db, need.id)
    voice.link_voice(db, said.id, need_id=other.id)  # the person linked it elsewhere meanwhile
    plan.restore_need(db, snapshot)
    assert voice.get_voice(db, said.id).need_id == other.id


def test_the_plan_asks_as_many_queries_for_five_needs_as_for_one(db, conference_id):
    """get_plan reads every need's actions, and the board points they came from, in one query
    each, not one a need and one an action (papers read the plan on every export)."""
    from csfacilitator.core import board
    from tests.harness.sql_statements import count_statements

    meeting = list_meetings(db, conference_id)[0]

    def add(number: int) -> None:
        need = plan.add_need(db, conference_id, f"Need {number}")
        points = board.add_points(db, meeting.id, "safety_plan", [f"Point {number}"])
        plan.add_intervention(db, need.id, f"From point {number}", board_point_id=points[0].id)
        plan.add_intervention(db, need.id, f"Action {number}")

    def queries() -> int:
        return count_statements(db, lambda: plan.get_plan(db, conference_id))

    add(1)
    one = queries()
    for number in (2, 3, 4, 5):
        add(number)
    assert queries() == one
    needs = plan.get_plan(db, conference_id)
    assert [[(i.text, i.board_point_text) for i in n.interventions] for n in needs] == [
        [(f"From point {n}", f"Point {n}"), (f"Action {n}", "")] for n in range(1, 6)
    ]
