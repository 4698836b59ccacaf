"""The conference calendar (.ics): read back with the icalendar package, dates checked."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from sqlalchemy import select

from csfacilitator.cli import main
from csfacilitator.core.calendar_file import escape, events, fold, to_ics, write_calendar
from csfacilitator.core.export_log import list_exports
from csfacilitator.core.key_meetings import set_meeting_field
from csfacilitator.core.meetings import add_meeting, update_meeting
from csfacilitator.core.model import Intervention, Meeting
from csfacilitator.core.plan import add_intervention, add_need

pytestmark = pytest.mark.postgresql_too

D = dt.date
NOW = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.timezone.utc)


def _setup(db, cid):
    with db.session() as s:
        set_meeting_field(s, cid, "conference_date", D(2024, 3, 28))
        set_meeting_field(s, cid, "conference_time", dt.time(14, 0))
        set_meeting_field(s, cid, "venue", "Town Hall, Room 3; east wing")
    review = add_meeting(db, cid, "review", date=D(2024, 6, 20))
    need = add_need(db, cid, "Lighting")
    add_intervention(
        db, need.id, "Fix the lamps by the path\nSecond line is detail", due_date=D(2024, 5, 1),
        owner="Jo Bloggs",
    )  # fmt: skip
    return review


def _read(path):
    return icalendar.Calendar.from_ical(path.read_bytes())


def test_the_file_parses_and_carries_meetings_deadlines_and_actions(db, conference_id, tmp_path):
    review = _setup(db, conference_id)
    path = write_calendar(db, conference_id, tmp_path / "c.ics", now=NOW)
    cal = _read(path)
    found = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert str(cal["X-WR-CALNAME"]) == "Conference: Riverside Park"
    assert str(cal["VERSION"]) == "2.0"
    meeting = found["Conference: Riverside Park"]
    start = meeting.decoded("DTSTART")
    assert start.replace(tzinfo=None) == dt.datetime(2024, 3, 28, 14, 0)
    assert start.utcoffset() == dt.timedelta(0)  # 28 March 2024 is before summer time
    assert str(meeting["LOCATION"]) == "Town Hall, Room 3; east wing"  # escaped and read back
    assert found["Review: Riverside Park"].decoded("DTSTART") == D(2024, 6, 20)
    assert found["Summary and plan due: Riverside Park"].decoded("DTSTART") == D(2024, 4, 3)
    assert found["Full minutes due: Riverside Park"].decoded("DTSTART") == D(2024, 4, 22)
    assert found["First review due by: Riverside Park"].decoded("DTSTART") == D(2024, 6, 28)
    action = found["Action due: Fix the lamps by the path (Riverside Park)"]
    assert action.decoded("DTSTART") == D(2024, 5, 1)
    for event in cal.walk("VEVENT"):
        assert event.decoded("DTSTAMP") == NOW
    # Stable UIDs from the rows' own uids.
    with db.session() as s:
        review_uid = s.get(Meeting, review.id).uid
        action_uid = s.scalars(select(Intervention.uid)).one()
    uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
    assert f"meeting-{review_uid}@csfacilitator" in uids
    assert f"action-{action_uid}@csfacilitator" in uids
    assert len(uids) == len(cal.walk("VEVENT"))
    again = _read(write_calendar(db, conference_id, tmp_path / "d.ics"))
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == uids


def test_no_personal_details_or_detail_lines(db, conference_id, tmp_path):
    _setup(db, conference_id)
    text = write_calendar(db, conference_id, tmp_path / "c.ics").read_bytes().decode()
    assert "Jo Bloggs" not in text  # the owner stays out
    assert "Second line" not in text  # only an action's title


def test_lines_are_folded_at_75_octets_with_crlf(db, conference_id, tmp_path):
    update_meeting(db, _setup(db, conference_id).id, venue="Ç" * 120)
    raw = write_calendar(db, conference_id, tmp_path / "c.ics").read_bytes()
    assert raw.endswith(b"\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.count(b"\r\n ") >= 3
    locations = [
        str(e["LOCATION"]) for e in _read(tmp_path / "c.ics").walk("VEVENT") if "LOCATION" in e
    ]
    assert "Ç" * 120 in locations


def test_escape_and_fold_units():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert fold("x" * 75) == "x" * 75
    folded = fold("x" * 160)
    assert folded.split("\r\n ") == ["x" * 75, "x" * 74, "x" * 11]


def test_done_deadlines_are_left_out(db, conference_id):
    _setup(db, conference_id)
    from csfacilitator.core.export_log import AGREEMENT, checked_answer, record_export
    from csfacilitator.core.meetings import list_meetings

    main = next(m.id for m in list_meetings(db, conference_id) if m.kind == "conference")
    sent = checked_answer("Conference partners", AGREEMENT)
    record_export(db, conference_id, "minutes", "/tmp/m.docx", sharing=sent, meeting_id=main)
    summaries = [e.summary for e in events(db, conference_id, D(2024, 4, 1))]
    assert "Full minutes due: Riverside Park" not in summaries
    assert "Summary and plan due: Riverside Park" in summaries
    assert to_ics([]).startswith(b"BEGIN:VCALENDAR\r\n")


@pytest.mark.sqlite_only("the command line opens the data folder's SQLite file")
def test_cli_writes_the_file_and_logs_it(db, conference_id, paths, tmp_path, capsys):
    _setup(db, conference_id)
    out = tmp_path / "riverside.ics"
    assert (
        main(
            ["--data-dir", str(paths.root), "calendar", str(conference_id), "--out", str(out)]
            + ["--shared-with", "Conference partners", "--basis", "agreement"]
        )
        == 0
    )
    assert f"Wrote {out}" in capsys.readouterr().out
    # Two meetings, summary and plan, minutes, first review, the action.
    assert len(_read(out).walk("VEVENT")) == 6
    assert list_exports(db, conference_id)[0].kind == "calendar"
    assert main(["--data-dir", str(paths.root), "calendar", "Nowhere", "--out", str(out)]) != 0
    assert "Nowhere" in capsys.readouterr().err


def test_a_summer_meeting_is_an_hour_ahead_of_utc(db, conference_id, tmp_path):
    with db.session() as s:
        set_meeting_field(s, conference_id, "conference_date", D(2024, 7, 4))
        set_meeting_field(s, conference_id, "conference_time", dt.time(10, 0))
    event = _read(write_calendar(db, conference_id, tmp_path / "c.ics")).walk("VEVENT")[0]
    start = event.decoded("DTSTART")
    assert start.utcoffset() == dt.timedelta(hours=1)
    assert event.decoded("DTEND") - start == dt.timedelta(hours=2)
