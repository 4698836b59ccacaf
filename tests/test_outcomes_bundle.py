"""Outcome goals, measures and their values in the hand-over file (format 6, issue 19): a round
trip keeps them (priority by ref, need by position, values by meeting ref); a format 5 file is
read with none; a value that does not fit its measure is refused in one line."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from csfacilitator.core import bundle, outcomes, plan
from csfacilitator.core.bundle_format import FORMAT_VERSION
from csfacilitator.core.priorities import add_priority
from csfacilitator.core.reviews import start_review
from csfacilitator.errors import BundleError

pytestmark = pytest.mark.postgresql_too


@pytest.fixture
def tracked(db, conference_id):
    priority = add_priority(db, conference_id, "Anti-social behaviour by the shops")
    plan.add_need(db, conference_id, "Shop workers feel unsafe")
    need = plan.add_need(db, conference_id, "Young people are moved on with nowhere to go")
    goal = outcomes.add_goal(
        db, conference_id, "Fewer incidents", priority_id=priority.id, need_id=need.id
    )
    calls = outcomes.add_measure(
        db, goal.id, "Police calls about ASB", "count", period="month", source="police",
        baseline="14", baseline_date="1/9/2026",
    )  # fmt: skip
    seen = outcomes.add_measure(db, goal.id, "What staff see", "observation", baseline="Groups")
    review = start_review(db, conference_id, dt.date(2027, 2, 4))
    outcomes.record_value(db, calls.id, review.id, "9", "Lighting fixed")
    outcomes.record_value(db, seen.id, review.id, "Quieter evenings")
    return goal


def test_round_trip_keeps_goals_measures_and_values(db, conference_id, tracked):
    data = bundle.export_conference(db, conference_id)
    assert FORMAT_VERSION >= 6 and data["format_version"] == FORMAT_VERSION  # 7: issue 20
    (goal,) = data["outcomes"]
    assert goal["priority"] == "r1" and goal["need"] == 1
    assert "id" not in goal and "uid" not in goal and "conference_id" not in goal
    assert goal["measures"][0]["values"][0]["meeting"].startswith("m")
    copy_id = bundle.import_conference(db, data, on_conflict="copy")
    original = outcomes.conference_progress(db, conference_id)
    copied = outcomes.conference_progress(db, copy_id)
    (g, progresses), (g2, progresses2) = original[0], copied[0]
    assert g2.text == g.text and g2.priority_text == g.priority_text
    assert g2.need_text == "Young people are moved on with nowhere to go"
    assert [p.summary() for p in progresses2] == [p.summary() for p in progresses]
    assert progresses2[0].points[1].note == "Lighting fixed"
    assert progresses2[0].change_text == "Down 5 (from 14 to 9)."


def test_format_5_file_reads_with_no_goals(db, conference_id, tracked):
    data = bundle.export_conference(db, conference_id)
    older = copy.deepcopy(data)
    older["format_version"] = 5
    del older["outcomes"]
    copy_id = bundle.import_conference(db, older, on_conflict="copy")
    assert outcomes.list_goals(db, copy_id) == []


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda g: g["measures"][0]["values"][0].update(value=2.5), "whole number"),
        (lambda g: g["measures"][0].update(kind="scale", baseline_value=14), "between 0 and 10"),
        (lambda g: g["measures"][0]["values"][0].update(meeting="m99"), "meeting 'm99'"),
        (lambda g: g.update(need=7), "need 7"),
        (lambda g: g.update(priority="r9"), "priority 'r9'"),
    ],
)
def test_damaged_outcomes_are_refused_in_one_line(db, conference_id, tracked, damage, message):
    data = bundle.export_conference(db, conference_id)
    damage(data["outcomes"][0])
    with pytest.raises(BundleError, match=message) as caught:
        bundle.import_conference(db, data, on_conflict="copy")
    assert "\n" not in str(caught.value)
