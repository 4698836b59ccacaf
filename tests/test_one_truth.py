"""Each date, time and venue is stored once, on its meeting; the Overview, the header, the
lists and every paper read it from there, and one rule says which meeting a paper is about."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from PySide6.QtCore import Qt

from csfacilitator.cli import main as cli_main
from csfacilitator.core import conferences, meetings, reviews
from csfacilitator.core.key_meetings import focus_meeting
from csfacilitator.core.model import Conference
from csfacilitator.storage import open_database
from csfacilitator.storage.engine import make_engine

pytestmark = pytest.mark.postgresql_too

DAY = dt.date(2027, 3, 10)


def kinds(db, cid):
    return {m.kind: m for m in meetings.list_meetings(db, cid)}


def test_conference_details_are_the_meetings_values(db):
    cid = conferences.create_conference(
        db, "Larkfield", conference_date=DAY, venue="Larkfield Library", conference_time="18:30"
    )
    main = kinds(db, cid)["conference"]
    assert (main.date, main.venue, main.time) == (DAY, "Larkfield Library", dt.time(18, 30))
    assert not hasattr(Conference, "conference_date")  # no second copy to drift

    meetings.update_meeting(db, main.id, date=DAY + dt.timedelta(days=2), venue="Town hall")
    details = conferences.get_conference(db, cid)
    assert (details.conference_date, details.venue) == (DAY + dt.timedelta(days=2), "Town hall")
    (summary,) = conferences.list_conferences(db)
    assert summary.conference_date == DAY + dt.timedelta(days=2)


def test_pre_meeting_and_next_review_dates_create_and_move_their_meetings(db):
    cid = conferences.create_conference(db, "Larkfield", conference_date=DAY)
    conferences.update_conference(db, cid, pre_meeting_date=DAY - dt.timedelta(days=14))
    conferences.update_conference(db, cid, next_review_date=DAY + dt.timedelta(days=90))
    found = kinds(db, cid)
    assert found["pre_meeting"].date == DAY - dt.timedelta(days=14)
    assert found["review"].date == DAY + dt.timedelta(days=90)
    assert [a.title for a in found["review"].agenda][0] == "Introduction and aim of the review"

    # The review is held (late): the next review is now unset until a new one is scheduled.
    held = reviews.start_review(db, cid, DAY + dt.timedelta(days=95))
    assert held.id == found["review"].id
    assert conferences.get_conference(db, cid).next_review_date is None
    conferences.update_conference(db, cid, next_review_date=DAY + dt.timedelta(days=180))
    later = [m for m in meetings.list_meetings(db, cid) if m.kind == "review"]
    assert [m.date for m in later] == [DAY + dt.timedelta(days=95), DAY + dt.timedelta(days=180)]


def test_one_rule_picks_the_meeting_papers_are_about(db):
    cid = conferences.create_conference(db, "Larkfield", conference_date=DAY)
    pre = meetings.add_meeting(db, cid, "pre_meeting", date=DAY - dt.timedelta(days=7))
    main = kinds(db, cid)["conference"]
    review = meetings.add_meeting(db, cid, "review", date=DAY + dt.timedelta(days=90))
    with db.session() as s:
        from csfacilitator.core.key_meetings import meeting_in_focus

        before = meeting_in_focus(s, cid, today=DAY - dt.timedelta(days=1))
        after = meeting_in_focus(s, cid, today=DAY + dt.timedelta(days=1))
        overdue = meeting_in_focus(s, cid, today=DAY + dt.timedelta(days=100))
    assert before == main.id  # the next one to come, never the pre-meeting
    assert after == main.id  # the latest held
    assert overdue == main.id  # a review not held yet is not "held" by its date
    from csfacilitator.core.key_meetings import choose_focus

    choose_focus(db, cid, review.id)  # the board showed the review: papers follow
    assert focus_meeting(db, cid) == review.id
    assert pre.id != focus_meeting(db, cid)


@pytest.mark.sqlite_only("the command line opens the data folder's SQLite file")
def test_meetings_command_lists_ids_kinds_dates_and_the_one_in_focus(paths, db, capsys):
    cid = conferences.create_conference(db, "Larkfield", conference_date=DAY, venue="Library")
    meetings.add_meeting(db, cid, "review", date=DAY + dt.timedelta(days=90))
    db.close()
    assert cli_main(["--data-dir", str(paths.root), "meetings", str(cid), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(m["kind"], m["date"]) for m in listed] == [
        ("conference", DAY.isoformat()),
        ("review", (DAY + dt.timedelta(days=90)).isoformat()),
    ]
    assert [m["in_focus"] for m in listed].count(True) == 1
    assert listed[1]["next_review"] is True
    assert cli_main(["--data-dir", str(paths.root), "meetings", "Larkfield"]) == 0
    assert "papers are about this one" in capsys.readouterr().out


def _database_at_0003(paths):
    """A database as the previous release wrote it: the dates on the conference as well."""
    from csfacilitator.storage.migrations.runner import upgrade_to_head

    paths.root.mkdir(parents=True, exist_ok=True)
    engine = make_engine(paths.database, foreign_keys=False)
    upgrade_to_head(engine, "0003")
    engine.dispose()
    with sqlite3.connect(paths.database) as c:
        c.execute(
            "INSERT INTO conference (id, uid, title, status, archived, context_type, "
            "context_name, area, referral_source, threshold, threshold_rationale, chair, "
            "lead_practitioner, coordinator_1, coordinator_2, place_manager, venue, "
            "assessment_period, pre_meeting_date, conference_date, next_review_date, "
            "report_structure, names_to_keep_out, invitation_template, outcome_summary, "
            "outcome_measures, partner_feedback, legal_hold, created_at, updated_at) VALUES "
            "(1, '6c1a3f4e-0000-4000-8000-000000000001', 'Old copy', 'preparing', 0, "
            "'neighbourhood', '', '', '', '', '', '', '', '', '', '', 'Old hall', '', "
            "'2026-02-20', '2026-03-10', '2026-06-10', 'thematic', '', '', '', '', '', 0, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        c.execute(
            "INSERT INTO meeting (conference_id, kind, date, venue, purpose, decisions) "
            "VALUES (1, 'conference', '2026-03-12', '', '', '')"
        )
    c.close()


def test_an_old_database_keeps_every_date_and_notes_disagreements(tmp_path):
    from csfacilitator.paths import resolve

    paths = resolve(tmp_path / "old")
    _database_at_0003(paths)
    database = open_database(paths)
    try:
        details = conferences.get_conference(database, 1)
        found = kinds(database, 1)
        # The meeting's own date wins; the conference's differing copy is kept in the notes.
        assert details.conference_date == found["conference"].date == dt.date(2026, 3, 12)
        assert "conference date as 10 March 2026" in details.notes
        # Values only the conference had moved onto meetings.
        assert details.venue == found["conference"].venue == "Old hall"
        assert details.pre_meeting_date == found["pre_meeting"].date == dt.date(2026, 2, 20)
        assert details.next_review_date == found["review"].date == dt.date(2026, 6, 10)
    finally:
        database.close()


@pytest.fixture
def window(window):
    window.new_conference()
    return window


def test_a_date_typed_on_the_overview_shows_everywhere(qtbot, window):
    win = window
    win.tabs.setCurrentWidget(win.overview)
    editor = win.overview.fields["conference_date"].edit
    editor.setFocus()
    qtbot.keyClicks(editor, "12/3/2027")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    main = kinds(win.db, win.conference_id)["conference"]
    assert main.date == dt.date(2027, 3, 12)
    assert "12 Mar 2027" in win.meta_label.text()
    panel = win.overview.meetings
    assert any("12 Mar 2027" in panel.list.item(i).text() for i in range(panel.list.count()))

    # And the other way: the meeting's date changed in the Meetings panel shows on the Overview.
    meetings.update_meeting(win.db, main.id, date=dt.date(2027, 3, 19))
    panel.reload_meetings()
    assert win.overview.fields["conference_date"].value() == dt.date(2027, 3, 19)
