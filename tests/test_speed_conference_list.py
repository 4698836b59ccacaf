"""The conference list and dashboard at scale (issue 14): the shapes that make 10,000
conferences paint at once, pinned without timing anything.

- the list is one query of plain columns whatever the number of conferences, its dates read
  from the meetings in SQL by the same rule as core.key_meetings (checked against it);
- the dashboard asks the same number of queries for 5 conferences as for 60;
- the home page reads the first rows before its first paint and the rest just after it;
- the search filter only re-reads the rows shown when the search gets longer.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from csfacilitator.core import conferences, dashboard, plan
from csfacilitator.core.key_meetings import key_dates_for
from csfacilitator.core.meetings import add_meeting_rows
from csfacilitator.core.model import ActionUpdate, Conference, Meeting
from csfacilitator.gui.home import home_page
from csfacilitator.gui.home.conference_list_model import COL_TITLE, ID_ROLE
from csfacilitator.gui.home.home_page import HomePage
from tests.harness.sql_statements import statements

TODAY = dt.date(2027, 3, 1)


def add_many(db, count: int, start: int = 0) -> list[int]:
    """`count` conferences with their conference meeting, in one transaction (as the
    benchmark builds 10,000)."""
    with db.session() as s:
        rows = [
            Conference(title=f"Conference {n:05d}", context_name=f"Context {n}", area="Ward")
            for n in range(start, start + count)
        ]
        s.add_all(rows)
        s.flush()
        for row in rows:
            add_meeting_rows(s, row.id, "conference")
        return [row.id for row in rows]


def test_the_list_of_1000_conferences_is_one_query(db):
    add_many(db, 1000)
    with statements(db) as seen:
        rows = conferences.list_conferences(db)
    assert len(rows) == 1000
    assert len(seen) == 1, seen
    with statements(db) as seen:
        first = conferences.list_conferences(db, first=50)
        rest = conferences.list_conferences(db, after=first[-1])
    assert len(seen) == 2
    assert [r.id for r in first + rest] == [r.id for r in rows]


def test_the_first_rows_and_the_rest_follow_the_lists_order_and_its_filters(db):
    ids = add_many(db, 30)
    conferences.set_archived(db, ids[3], True)
    conferences.update_conference(db, ids[10], area="Harbour")  # now the most recently changed
    everything = conferences.list_conferences(db)
    assert everything[0].id == ids[10]
    first = conferences.list_conferences(db, first=7)
    assert first == everything[:7]
    assert conferences.list_conferences(db, after=first[-1]) == everything[7:]
    unarchived = conferences.list_conferences(db, include_archived=False)
    assert ids[3] not in [r.id for r in unarchived] and len(unarchived) == 29
    assert conferences.list_conferences(db, first=5, include_archived=False) == unarchived[:5]
    assert [r.id for r in conferences.list_conferences(db, search="harbour", first=3)] == [ids[10]]
    assert conferences.conference_counts(db) == (30, 1)


def _random_meetings(db, rng: random.Random, count: int) -> list[int]:
    """Conferences with every arrangement of meetings the key dates rule tells apart: several
    conference meetings, pre-meetings, reviews dated or not, started, or with progress
    recorded (held), and none at all."""
    ids = []
    need_ids = {}
    for number in range(count):
        cid = conferences.create_conference(db, f"Mixed {number:02d}")
        need_ids[cid] = plan.add_intervention(
            db, plan.add_need(db, cid, "A need").id, "An action"
        ).id
        ids.append(cid)
    with db.session() as s:
        for cid in ids:
            if rng.random() < 0.15:  # no meetings at all
                s.query(Meeting).filter(Meeting.conference_id == cid).delete()
                continue
            for _ in range(rng.randint(0, 5)):
                kind = rng.choice(("conference", "pre_meeting", "review", "review"))
                when = TODAY + dt.timedelta(days=rng.randint(-60, 60))
                meeting = add_meeting_rows(s, cid, kind, date=when if rng.random() < 0.7 else None)
                s.flush()
                if rng.random() < 0.2:
                    meeting.started_at = dt.datetime(2027, 1, 1, 10)
                if kind == "review" and rng.random() < 0.3:
                    s.add(ActionUpdate(intervention_id=need_ids[cid], meeting_id=meeting.id))
            if rng.random() < 0.3:
                s.get(Conference, cid).status = rng.choice(
                    ("conference_held", "under_review", "closed")
                )
            if rng.random() < 0.1:
                s.get(Conference, cid).archived = True
    return ids


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_lists_dates_and_the_dashboard_follow_the_key_dates_rule(db, seed):
    """The SQL in the list and the dashboard gives what core.key_meetings works out from the
    meetings themselves (the one rule), for conferences in every arrangement."""
    ids = _random_meetings(db, random.Random(seed), 40)
    with db.session() as s:
        dates = key_dates_for(s, ids)
        rows = {r.id: (r.title, r.status, r.archived) for r in s.query(Conference)}
    listed = {r.id: r for r in conferences.list_conferences(db)}
    for cid in ids:
        assert listed[cid].conference_date == dates[cid].conference_date, cid
        assert listed[cid].next_review_date == dates[cid].next_review_date, cid

    def is_open(cid: int) -> bool:
        return rows[cid][1] != "closed" and not rows[cid][2]

    horizon = TODAY + dt.timedelta(days=dashboard.REVIEW_WINDOW_DAYS)
    expected_due = sorted(
        (
            (when, rows[cid][0], cid)
            for cid in ids
            if is_open(cid) and (when := dates[cid].next_review_date) and when <= horizon
        ),
    )
    due = dashboard.reviews_due(db, TODAY)
    assert [(r.review_date, r.conference_title, r.conference_id) for r in due] == expected_due
    assert all(r.days_until == (r.review_date - TODAY).days for r in due)
    expected_missing = {
        cid
        for cid in ids
        if is_open(cid)
        and dates[cid].next_review_date is None
        and (
            rows[cid][1] in dashboard.REVIEWED_STATUSES
            or (dates[cid].conference_date is not None and dates[cid].conference_date <= TODAY)
        )
    }
    missing = dashboard.conferences_without_review_date(db, TODAY)
    assert {m.conference_id for m in missing} == expected_missing
    assert all(m.conference_date == dates[m.conference_id].conference_date for m in missing)


def test_the_dashboard_asks_as_many_queries_for_60_conferences_as_for_5(db):
    def queries() -> int:
        with statements(db) as seen:
            dashboard.build_dashboard(db, TODAY)
            dashboard.conference_flags(db, TODAY)
        return len(seen)

    _random_meetings(db, random.Random(4), 5)
    few = queries()
    _random_meetings(db, random.Random(5), 55)
    assert queries() == few


def _titles(home) -> list[str]:
    return [home.proxy.index(r, COL_TITLE).data() for r in range(home.proxy.rowCount())]


def test_the_home_page_reads_the_first_rows_before_painting_and_the_rest_after(
    qtbot, db, monkeypatch
):
    monkeypatch.setattr(home_page, "FIRST_ROWS", 5)
    ids = add_many(db, 12)
    conferences.set_archived(db, ids[0], True)
    home = HomePage(db)
    qtbot.addWidget(home)
    home.resize(1000, 600)
    home.reload()
    assert home.model.rowCount() == 5  # not painted yet: only the first rows
    assert home.count_label.text() == "11 conferences, 1 archived"  # counted, not listed
    home.show()
    qtbot.waitUntil(lambda: home.model.rowCount() == 12)  # read once painted
    assert [s.id for s in home.model.summaries()] == [
        r.id for r in conferences.list_conferences(db)
    ]
    assert len(_titles(home)) == 11  # the archived one stays hidden


def test_selecting_a_conference_not_read_yet_reads_the_rest(qtbot, db, monkeypatch):
    monkeypatch.setattr(home_page, "FIRST_ROWS", 4)
    ids = add_many(db, 10)
    home = HomePage(db)
    qtbot.addWidget(home)
    home.reload(select_id=ids[0])  # the oldest: not among the first four
    assert home.model.rowCount() == 10
    assert home.selected_id() == ids[0]


def test_rows_read_after_a_search_was_typed_are_searched_too(qtbot, db, monkeypatch):
    monkeypatch.setattr(home_page, "FIRST_ROWS", 6)
    add_many(db, 20)
    home = HomePage(db)
    qtbot.addWidget(home)
    home.reload()
    home.search.setText("conference 0000")  # 00000 to 00009; only 00014 to 00019 are read
    assert _titles(home) == []
    home.read_rest()
    assert sorted(_titles(home)) == [f"Conference {n:05d}" for n in range(10)]


def test_a_longer_search_looks_only_at_the_rows_shown(qtbot, db):
    add_many(db, 30)
    home = HomePage(db)
    qtbot.addWidget(home)
    home.reload()
    looked_at: list[int] = []
    hays = home.model.haystacks

    class Counting(list):
        def __getitem__(self, number):
            looked_at.append(number)
            return list.__getitem__(self, number)

    home.model.haystacks = Counting(hays)
    home.search.setText("conference 0001")
    assert len(_titles(home)) == 10 and len(looked_at) == 30
    looked_at.clear()
    home.search.setText("conference 00012")
    assert _titles(home) == ["Conference 00012"]
    assert len(looked_at) == 10  # the ten shown, not all thirty
    looked_at.clear()
    home.search.setText("conference 0002")  # not a longer search: every row again
    assert len(_titles(home)) == 10 and len(looked_at) == 30
    assert {home.proxy.index(r, COL_TITLE).data(ID_ROLE) for r in range(10)} == {
        s.id for s in home.model.summaries() if s.title.startswith("Conference 0002")
    }
