"""Outcome goals and measures (issue 19): validation by kind, the one 'change' function, undo
of deletes, the values a review takes, and the change log of a shared conference."""

from __future__ import annotations

import datetime as dt

import pytest

from csfacilitator.core import outcomes
from csfacilitator.core.reviews import start_review
from csfacilitator.errors import UserError

pytestmark = pytest.mark.postgresql_too


@pytest.mark.parametrize(
    ("kind", "typed", "expected"),
    [
        ("count", "14", (14.0, "")),
        ("count", " 1,200 ", (1200.0, "")),
        ("percentage", "45%", (45.0, "")),
        ("percentage", "0", (0.0, "")),
        ("scale", "6.5", (6.5, "")),
        ("scale", "7/10", (7.0, "")),
        ("yes_no", "Yes", (1.0, "")),
        ("yes_no", "n", (0.0, "")),
        (
            "observation",
            "Young people use the path after dark",
            (None, "Young people use the path after dark"),
        ),
        ("count", "", (None, "")),
    ],
)
def test_values_are_read_as_people_write_them(kind, typed, expected):
    assert outcomes.parse_value(kind, typed) == expected


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        ("count", "-1", "0 or more"),
        ("count", "2.5", "whole number"),
        ("percentage", "101", "between 0 and 100"),
        ("percentage", "-3%", "between 0 and 100"),
        ("scale", "11", "between 0 and 10"),
        ("yes_no", "maybe", "yes or no"),
        ("count", "lots", "Write a number"),
        ("count", "nan", "Write a number"),
        ("unknown", "1", "Choose the kind"),
    ],
)
def test_bad_values_are_refused_with_a_reason(kind, typed, message):
    with pytest.raises(UserError, match=message):
        outcomes.parse_value(kind, typed)


def _measure(db, conference_id, kind="count", baseline="14"):
    goal = outcomes.add_goal(db, conference_id, "Fewer incidents of anti-social behaviour")
    return outcomes.add_measure(
        db,
        goal.id,
        "Police calls about ASB",
        kind,
        period="month",
        source="police calls, from the neighbourhood team",
        baseline=baseline,
        baseline_date="1/9/2026",
    )


def test_progress_states_baseline_latest_and_change(db, conference_id):
    measure = _measure(db, conference_id)
    r1 = start_review(db, conference_id, dt.date(2027, 2, 4))
    r2 = start_review(db, conference_id, dt.date(2027, 5, 6))
    outcomes.record_value(db, measure.id, r1.id, "11", "Summer holidays")
    outcomes.record_value(db, measure.id, r2.id, "9")
    progress = outcomes.measure_progress(db, measure.id)
    assert [p.text for p in progress.points] == ["14", "11", "9"]
    assert progress.baseline.date == dt.date(2026, 9, 1)
    assert progress.latest.text == "9" and progress.latest.meeting_id == r2.id
    assert progress.change == -5
    assert progress.change_text == "Down 5 (from 14 to 9)."
    assert progress.points[1].note == "Summer holidays"
    assert progress.summary() == (
        "Police calls about ASB per month: baseline 14 (Sep 2026), 11 at Review 1 (Feb 2027), "
        "9 at Review 2 (May 2027)."
    )


def test_change_in_words_for_each_kind(db, conference_id):
    review = start_review(db, conference_id, dt.date(2027, 2, 4))
    pct = _measure(db, conference_id, "percentage", "40%")
    yes = _measure(db, conference_id, "yes_no", "no")
    obs = _measure(db, conference_id, "observation", "Nobody uses the path")
    none = _measure(db, conference_id, "scale", "")
    outcomes.record_value(db, pct.id, review.id, "55")
    outcomes.record_value(db, yes.id, review.id, "yes")
    outcomes.record_value(db, obs.id, review.id, "Families walk it in daylight")
    assert outcomes.measure_progress(db, pct.id).change_text == (
        "Up 15 percentage points (from 40% to 55%)."
    )
    assert outcomes.measure_progress(db, yes.id).change_text == "From No to Yes."
    assert outcomes.measure_progress(db, obs.id).change_text == (
        "From “Nobody uses the path” to “Families walk it in daylight”."
    )
    assert outcomes.measure_progress(db, obs.id).change is None
    assert outcomes.measure_progress(db, none.id).change_text == "No baseline recorded."


def test_a_value_is_one_per_meeting_and_clearing_removes_it(db, conference_id):
    measure = _measure(db, conference_id)
    review = start_review(db, conference_id, dt.date(2027, 2, 4))
    outcomes.record_value(db, measure.id, review.id, "11")
    outcomes.record_value(db, measure.id, review.id, "10", "corrected")
    assert outcomes.values_at(db, review.id)[measure.id].value == 10
    with pytest.raises(UserError, match="Write a number"):
        outcomes.record_value(db, measure.id, review.id, "ten-ish")
    assert outcomes.values_at(db, review.id)[measure.id].value == 10  # nothing lost
    assert outcomes.record_value(db, measure.id, review.id, "") is None
    assert outcomes.values_at(db, review.id) == {}
    assert outcomes.measure_progress(db, measure.id).change_text == "Not yet taken at a review."


def test_kind_is_fixed_once_taken(db, conference_id):
    measure = _measure(db, conference_id)
    review = start_review(db, conference_id, dt.date(2027, 2, 4))
    changed = outcomes.update_measure(db, measure.id, kind="scale", baseline="5")
    assert changed.kind == "scale" and changed.baseline_value == 5
    outcomes.record_value(db, measure.id, review.id, "3")
    with pytest.raises(UserError, match="add a new measure"):
        outcomes.update_measure(db, measure.id, kind="count")


def test_deleting_a_goal_takes_its_measures_and_undo_puts_them_back(db, conference_id):
    measure = _measure(db, conference_id)
    review = start_review(db, conference_id, dt.date(2027, 2, 4))
    outcomes.record_value(db, measure.id, review.id, "11")
    goal_id = measure.goal_id
    removed = outcomes.delete_goal(db, goal_id)
    assert outcomes.list_goals(db, conference_id) == []
    outcomes.restore_rows(db, removed)
    (goal,) = outcomes.list_goals(db, conference_id)
    assert goal.id == goal_id and goal.measures[0].id == measure.id
    assert outcomes.values_at(db, review.id)[measure.id].value == 11


def test_goal_links_must_belong_to_the_conference(db, conference_id):
    from csfacilitator.core.conferences import create_conference
    from csfacilitator.core.priorities import add_priority

    other = create_conference(db, "Elsewhere")
    foreign = add_priority(db, other, "Not ours")
    with pytest.raises(UserError, match="not one of this conference"):
        outcomes.add_goal(db, conference_id, "Safer park", priority_id=foreign.id)
    with pytest.raises(UserError, match="Write the goal"):
        outcomes.add_goal(db, conference_id, "   ")


@pytest.mark.sqlite_only("the change log is written by the laptop's SQLite triggers")
def test_shared_conference_logs_goal_measure_and_value(db, conference_id):
    from sqlalchemy import text

    from csfacilitator.core.sync.share import share_conference

    share_conference(db, conference_id)
    with db.session() as s:
        s.connection().execute(text("DELETE FROM change_log"))
    measure = _measure(db, conference_id)
    review = start_review(db, conference_id, dt.date(2027, 2, 4))
    outcomes.record_value(db, measure.id, review.id, "11")
    with db.session() as s:
        rows = (
            s.connection()
            .execute(
                text(
                    "SELECT entity, op, new_value FROM change_log WHERE entity IN "
                    "('outcome_goal', 'outcome_measure', 'measure_value') ORDER BY seq"
                )
            )
            .all()
        )
    assert [(r[0], r[1]) for r in rows] == [
        ("outcome_goal", "insert"),
        ("outcome_measure", "insert"),
        ("measure_value", "insert"),
    ]
    assert '"value":11.0' in rows[2][2].replace(" ", "")


def test_conference_progress_asks_as_many_queries_for_four_goals_as_for_one(db, conference_id):
    """Every goal, with its priority's and need's words, its measures and their values, is read
    in a few queries whatever the number of goals (the review record reads it on export)."""
    from csfacilitator.core.plan import add_need
    from csfacilitator.core.priorities import add_priority
    from tests.harness.sql_statements import count_statements

    reviews = [
        start_review(db, conference_id, dt.date(2027, 2, 4)),
        start_review(db, conference_id, dt.date(2027, 5, 6)),
    ]

    def add(number: int) -> None:
        priority = add_priority(db, conference_id, f"Priority {number}")
        need = add_need(db, conference_id, f"Need {number}")
        goal = outcomes.add_goal(
            db, conference_id, f"Goal {number}", priority_id=priority.id, need_id=need.id
        )
        for name in ("Calls", "Reports"):
            measure = outcomes.add_measure(
                db, goal.id, f"{name} {number}", "count", baseline=str(10 + number)
            )
            for taken, review in enumerate(reviews):
                outcomes.record_value(db, measure.id, review.id, str(number + taken))

    def queries() -> int:
        return count_statements(db, lambda: outcomes.conference_progress(db, conference_id))

    add(1)
    one = queries()
    for number in (2, 3, 4):
        add(number)
    assert queries() == one
    progress = outcomes.conference_progress(db, conference_id)
    assert [(g.text, g.priority_text, g.need_text) for g, _ in progress] == [
        (f"Goal {n}", f"Priority {n}", f"Need {n}") for n in (1, 2, 3, 4)
    ]
    assert [[p.measure.name for p in measures] for _, measures in progress][3] == [
        "Calls 4",
        "Reports 4",
    ]
    assert [[p.text for p in measures[1].points] for _, measures in progress] == [
        [str(10 + n), str(n), str(n + 1)] for n in (1, 2, 3, 4)
    ]
