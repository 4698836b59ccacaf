"""Outcome goals, measures and values reach the other laptop through the team store (issue 19):
the same rows by uid, the same chart in words; a value changed there comes back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sync_laptops import id_by_uid

from csfacilitator.core import outcomes, reviews, sync
from csfacilitator.core.conferences import create_conference


def test_goals_measures_and_values_sync(laptops, team):
    a, b = laptops
    cid_a = create_conference(a, "Larkfield Park")
    sync.share_conference(a, cid_a)
    sync.sync_now(a, team)
    sync.sync_now(b, team)

    goal = outcomes.add_goal(a, cid_a, "Fewer incidents")
    measure = outcomes.add_measure(
        a, goal.id, "Police calls about ASB", "count", period="month", baseline="14",
        baseline_date="1/9/2026",
    )  # fmt: skip
    review = reviews.start_review(a, cid_a, dt.date(2027, 2, 4))
    outcomes.record_value(a, measure.id, review.id, "9", "Lighting fixed")
    assert sync.sync_now(a, team).pushed >= 3
    sync.sync_now(b, team)

    cid_b = id_by_uid(b, "conference", _conference_uid(a, cid_a))
    (goal_b,) = outcomes.list_goals(b, cid_b)
    assert goal_b.uid == goal.uid and goal_b.measures[0].uid == measure.uid
    progress_b = outcomes.measure_progress(b, goal_b.measures[0].id)
    assert progress_b.summary() == outcomes.measure_progress(a, measure.id).summary()
    assert progress_b.latest.note == "Lighting fixed"

    review_b = id_by_uid(b, "meeting", _meeting_uid(a, review.id))
    outcomes.record_value(b, goal_b.measures[0].id, review_b, "8", "Corrected by the police")
    sync.sync_now(b, team)
    sync.sync_now(a, team)
    latest = outcomes.measure_progress(a, measure.id).latest
    assert (latest.text, latest.note) == ("8", "Corrected by the police")


def _conference_uid(db, cid):
    with db.read_session() as s:
        sql = text("SELECT uid FROM conference WHERE id = :i")
        return s.connection().execute(sql, {"i": cid}).scalar()


def _meeting_uid(db, mid):
    with db.read_session() as s:
        sql = text("SELECT uid FROM meeting WHERE id = :i")
        return s.connection().execute(sql, {"i": mid}).scalar()
