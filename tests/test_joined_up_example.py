"""The example joined up (issue 20: core/example.py with joined_up, as the app and the CLI add
it; resources/example/joined_up.json): a related conference linked with a reason, a sharing record with bases, something late on the dashboard, and an
.ics file a calendar parser reads back with the right dates."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from csfacilitator.core import bundle, conferences, related
from csfacilitator.core import deadlines as dl
from csfacilitator.core.calendar_file import write_calendar
from csfacilitator.core.example import add_example
from csfacilitator.core.export_log import list_exports, remembered_answer
from csfacilitator.core.lawful_bases import AGREEMENT, PUBLIC_TASK

NEIGHBOUR_TITLE = "Mill Road bus interchange"

D = dt.date
TODAY = D(2026, 12, 7)  # the full minutes were due 26 November


@pytest.fixture
def joined(db):
    return add_example(db, joined_up=True)


def test_the_example_has_a_related_conference_linked_with_a_reason(db, joined):
    (link,) = related.list_links(db, joined)
    assert link.title == NEIGHBOUR_TITLE
    assert link.reason == "neighbouring_place"
    assert link.text.startswith("Mill Road bus interchange (neighbouring place: the interchange")
    neighbour = conferences.get_conference(db, link.conference_id)
    assert neighbour.area == conferences.get_conference(db, joined).area
    (back,) = related.list_links(db, link.conference_id)
    assert back.conference_id == joined
    # The minutes and the report name it (related_lines), the link first and not guessed again.
    assert related.related_lines(db, joined)[0] == link.text
    register = related.get_register(db, joined)
    assert register.aliases.splitlines() == ["Wrenmoor Rec", "the Parade", "Mill Road subway"]
    assert register.map_ref.startswith("TQ 31840 80215")


def test_the_example_has_a_sharing_record_with_bases(db, joined):
    entries = list_exports(db, joined)
    assert {e.kind for e in entries} == {"agenda", "report", "invitations", "plan"}
    assert all(e.shared_with and e.basis for e in entries)
    by_kind = {e.kind: e for e in entries}
    assert by_kind["report"].basis == PUBLIC_TASK
    assert (
        by_kind["report"].why_text == "Public task: Patrol planning for the park and the underpass"
    )
    assert by_kind["report"].meeting_id is None  # the conference's, not one meeting's
    assert by_kind["plan"].basis == AGREEMENT and by_kind["plan"].meeting_date == D(2026, 11, 5)
    # The next export offers the example's own answer.
    assert remembered_answer(db, joined).shared_with == "Conference partners (invite list)"


def test_the_example_shows_the_full_minutes_late_and_the_plan_done(db, joined, qtbot):
    items = {d.kind: d for d in dl.conference_deadlines(db, joined, TODAY)}
    assert items[dl.SUMMARY].state == dl.DONE
    assert (items[dl.MINUTES].due, items[dl.MINUTES].state) == (D(2026, 11, 26), dl.LATE)
    late = [d for d in dl.needing_attention(db, TODAY) if d.conference_id == joined]
    assert [d.kind for d in late] == [dl.MINUTES]

    from csfacilitator.gui.home.dashboard_panel import DEADLINES, DashboardPanel

    panel = DashboardPanel(db, today=lambda: TODAY)
    qtbot.addWidget(panel)
    panel.reload()
    model = panel.models[DEADLINES]
    rows = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    minutes = [row for row in rows if "Full minutes" in row]
    assert minutes and "Late by 11 days" in minutes[0]
    assert not any("Summary and plan" in row for row in rows if joined_title(db, joined) in row)


def joined_title(db, cid):
    return conferences.get_conference(db, cid).title


def test_the_example_calendar_reads_back_with_the_right_dates(db, joined, tmp_path):
    cal = icalendar.Calendar.from_ical(write_calendar(db, joined, tmp_path / "c.ics").read_bytes())
    found = set()
    for event in cal.walk("VEVENT"):
        start = event.decoded("DTSTART")
        day = start.date() if isinstance(start, dt.datetime) else start
        found.add((str(event["SUMMARY"]).split(":")[0], day))
    assert ("Conference", D(2026, 11, 5)) in found
    assert ("Full minutes due", D(2026, 11, 26)) in found
    assert {("Review", D(2027, 2, 4)), ("Review", D(2027, 5, 6))} <= found


def test_a_second_copy_links_to_the_same_neighbour_and_the_register_travels(db, joined):
    second = add_example(db, joined_up=True)
    titles = [r.title for r in conferences.list_conferences(db)]
    assert titles.count(NEIGHBOUR_TITLE) == 1
    neighbour = related.list_links(db, second)[0].conference_id
    assert {x.conference_id for x in related.list_links(db, neighbour)} == {joined, second}
    # The hand-over file carries the register's entry (format 7), never the link.
    data = bundle.export_conference(db, joined)
    assert data["context"]["map_ref"].startswith("TQ 31840 80215")
    assert NEIGHBOUR_TITLE not in str(data)
