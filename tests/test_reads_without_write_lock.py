"""The window's reads never take SQLite's write lock: while another connection holds it (a
team-store sync job writing on its thread, another process), each read the window makes when it
opens a conference, its plan and its board answers at once with what is stored, instead of
waiting for the writer (or failing, on a read-only folder)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from csfacilitator.core import (
    address_book,
    assessment,
    board,
    closing,
    conferences,
    deadlines,
    dissent,
    drafts,
    export_log,
    invitees,
    key_meetings,
    meetings,
    outcomes,
    plan,
    preferences,
    priorities,
    referrals,
    related,
    retention,
    reviews,
    vocab,
    voice,
    weighting,
)
from csfacilitator.core.papers import meeting_paper
from csfacilitator.errors import StorageError
from csfacilitator.storage import encryption

pytestmark = pytest.mark.encrypted_too
COLUMN = next(iter(vocab.BOARD_COLUMNS))
TODAY = dt.date(2026, 12, 7)


def _reads(db, conference_id: int, other_id: int, meeting_id: int) -> dict[str, Callable]:
    """Each read converted to a read session, by name, ready to call."""
    return {
        "get_preference": lambda: preferences.get_preference(db, preferences.BACKUP_MINUTES),
        "retention_months": lambda: retention.retention_months(db),
        "count_conferences": lambda: conferences.count_conferences(db),
        "find_conference": lambda: conferences.find_conference(db, "Riverside Park"),
        "get_conference": lambda: conferences.get_conference(db, conference_id),
        "get_outcome": lambda: closing.get_outcome(db, conference_id),
        "list_meetings": lambda: meetings.list_meetings(db, conference_id),
        "get_meeting": lambda: meetings.get_meeting(db, meeting_id),
        "board_tree": lambda: board.board_tree(db, meeting_id),
        "list_links": lambda: related.list_links(db, conference_id),
        "get_register": lambda: related.get_register(db, conference_id),
        "related_conferences": lambda: related.related_conferences(db, conference_id),
        "get_plan": lambda: plan.get_plan(db, conference_id),
        "plan_header": lambda: plan.plan_header(db, conference_id),
        "list_priorities": lambda: priorities.list_priorities(db, conference_id),
        "list_priority_options": lambda: plan.list_priority_options(db, conference_id),
        "list_goals": lambda: outcomes.list_goals(db, conference_id),
        "conference_progress": lambda: outcomes.conference_progress(db, conference_id),
        "meeting_paper": lambda: meeting_paper.gather(db, conference_id, meeting_id),
        "focus_meeting": lambda: key_meetings.focus_meeting(db, conference_id),
        "list_invitees": lambda: invitees.list_invitees(db, conference_id),
        "values_at": lambda: outcomes.values_at(db, meeting_id),
        "conference_history": lambda: reviews.conference_history(db, conference_id),
        "list_reviews": lambda: reviews.list_reviews(db, conference_id),
        "previous_meeting": lambda: reviews.previous_meeting(db, meeting_id),
        "review_items": lambda: reviews.review_items(db, meeting_id),
        "latest_review": lambda: reviews.latest_review(db, conference_id),
        "list_dissent": lambda: dissent.list_dissent(db, meeting_id),
        "list_referrals": lambda: referrals.list_referrals(db, meeting_id),
        "linked_points": lambda: plan.linked_points(db, meeting_id),
        "list_partners": lambda: address_book.list_partners(db, other_id),
        "get_weighting": lambda: weighting.get_weighting(db, conference_id),
        "weighting_snapshots": lambda: weighting.snapshots(db, conference_id),
        "link_choices": lambda: voice.link_choices(db, conference_id),
        "list_voices": lambda: voice.list_voices(db, conference_id),
        "name_warnings": lambda: voice.name_warnings(db, conference_id, "Ask Tom Smith"),
        "get_report": lambda: assessment.get_report(db, conference_id),
        "get_drafts": lambda: drafts.get_drafts(db, conference_id),
        "load_projection": lambda: board.load_projection(db, meeting_id),
        "has_weighting": lambda: weighting.has_weighting(db, conference_id),
        "deadlines_for": lambda: deadlines.deadlines_for(db, [conference_id], TODAY),
        "reminders_due": lambda: deadlines.reminders_due(db, TODAY),
        "list_exports": lambda: export_log.list_exports(db, conference_id),
        "due_for_deletion": lambda: retention.due_for_deletion(db, TODAY, months=1),
    }


@contextmanager
def _write_lock_held_elsewhere(db) -> Iterator[None]:
    """Another connection to the same file holds the write lock (BEGIN IMMEDIATE, not
    committed), and the app's connections give up at once on a lock (busy timeout 0) so that
    any read that still asked for the write lock would raise 'database is locked'."""
    db.engine.dispose()

    def no_waiting(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API objects
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    event.listen(db.engine, "connect", no_waiting)  # after the engine's own pragmas
    other = encryption.open_raw_connection(db.paths.database, db.passphrase)
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()
        event.remove(db.engine, "connect", no_waiting)
        db.engine.dispose()


@pytest.fixture
def filled(db):
    """A conference with something in each thing the reads return, and a second one linked."""
    conference_id = conferences.create_conference(
        db,
        "Riverside Park",
        context_name="Riverside Park",
        area="North",
        conference_date=TODAY - dt.timedelta(days=30),
    )
    other_id = conferences.create_conference(db, "Riverside Shops", context_name="Riverside")
    meeting_id = meetings.list_meetings(db, conference_id)[0].id
    meetings.add_agenda_item(db, meeting_id, "Welcome")
    board.add_point(db, meeting_id, COLUMN, "Lighting is poor")
    priority = priorities.add_priority(db, conference_id, "Make the underpass safe", focus=True)
    need = plan.add_need(db, conference_id, "Better lighting")
    plan.add_intervention(db, need.id, "Ask the council for lamps")
    goal = outcomes.add_goal(db, conference_id, "Young people feel safe")
    outcomes.add_measure(db, goal.id, "Reports of incidents", "count")
    related.add_link(db, conference_id, other_id, "same_place")
    closing.close_conference(db, other_id, closed_on=TODAY - dt.timedelta(days=90))
    preferences.set_preference(db, preferences.BACKUP_MINUTES, 7)
    invitees.add_invitee(db, conference_id, name="Sam Jones")
    voice.add_voice(db, conference_id, "The underpass is scary at night")
    drafts.save_drafts(db, conference_id, {drafts.board_key(meeting_id, COLUMN): "Half-typed"})
    assert priority is not None
    return conference_id, other_id, meeting_id


def test_the_windows_reads_answer_while_another_connection_holds_the_write_lock(db, filled):
    reads = _reads(db, *filled)
    expected = {name: read() for name, read in reads.items()}
    # Each answer has something in it, so an empty answer under the lock would show.
    assert expected["get_preference"] == 7
    assert expected["board_tree"][COLUMN][0].text == "Lighting is poor"
    assert [link.title for link in expected["list_links"]] == ["Riverside Shops"]
    assert [n.text for n in expected["get_plan"]] == ["Better lighting"]
    assert [g.text for g in expected["list_goals"]] == ["Young people feel safe"]
    assert expected["get_meeting"].agenda[-1].title == "Welcome"
    assert [i.name for i in expected["list_invitees"]] == ["Sam Jones"]
    assert expected["focus_meeting"] == filled[2]
    assert [p.name for p in expected["list_partners"]] == ["Sam Jones"]
    assert [v.text for v in expected["list_voices"]] == ["The underpass is scary at night"]
    assert list(expected["get_drafts"].values()) == ["Half-typed"]
    assert expected["deadlines_for"] and expected["reminders_due"]
    assert [d.conference_id for d in expected["due_for_deletion"]] == [filled[1]]
    # One row of each kind, by its id.
    point_id = expected["board_tree"][COLUMN][0].id
    need_id = expected["get_plan"][0].id
    invitee_id = expected["list_invitees"][0].id
    reads["get_point"] = lambda: board.get_point(db, point_id)
    reads["get_need"] = lambda: plan.get_need(db, need_id)
    reads["get_invitee"] = lambda: invitees.get_invitee(db, invitee_id)
    action_id = expected["get_plan"][0].interventions[0].id
    measure_id = expected["list_goals"][0].measures[0].id
    reads["get_intervention"] = lambda: plan.get_intervention(db, action_id)
    reads["get_measure"] = lambda: outcomes.get_measure(db, measure_id)
    by_id = ("get_point", "get_need", "get_invitee", "get_intervention", "get_measure")
    expected.update({name: reads[name]() for name in by_id})

    with _write_lock_held_elsewhere(db):
        # The test can fail: a write session, which asks for the write lock, is refused at once.
        with pytest.raises(StorageError, match="(?i)locked|busy|in use"), db.session() as s:
            s.execute(select(1))  # the session begins (BEGIN IMMEDIATE) at its first query
        for name, read in reads.items():
            assert read() == expected[name], name
