"""Deadlines derived from the meetings' dates under the Preferences' limits, with bank holidays."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from csfacilitator.cli import main
from csfacilitator.core import deadlines as dl
from csfacilitator.core.conferences import create_conference
from csfacilitator.core.export_log import AGREEMENT, checked_answer, list_exports, record_export
from csfacilitator.core.key_meetings import set_meeting_field
from csfacilitator.core.meetings import add_meeting, list_meetings, set_current_item
from csfacilitator.core.model import AgendaItem, Intervention
from csfacilitator.core.plan import add_intervention, add_need, update_intervention
from csfacilitator.core.preferences import MINUTES_DAYS, SUMMARY_DAYS, set_preference

pytestmark = pytest.mark.postgresql_too

D = dt.date
# Thursday 28 March 2024: Good Friday and Easter Monday follow.
CONFERENCE_DAY = D(2024, 3, 28)


def _set_conference_date(db, cid, day):
    with db.session() as s:
        set_meeting_field(s, cid, "conference_date", day)


def _hold(db, meeting_id):
    with db.session() as s:
        item = s.scalars(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id)).first()
    if item is None:
        from csfacilitator.core.meetings import add_agenda_item

        item = add_agenda_item(db, meeting_id, "Progress").id
    set_current_item(db, meeting_id, item)


def _by_kind(items):
    return {d.kind: d for d in items if d.kind != dl.ACTION}


def test_no_conference_date_no_deadlines(db, conference_id):
    assert dl.conference_deadlines(db, conference_id, D(2024, 4, 1)) == []


def test_document_deadlines_count_working_days_past_easter(db, conference_id):
    _set_conference_date(db, conference_id, CONFERENCE_DAY)
    items = _by_kind(dl.conference_deadlines(db, conference_id, D(2024, 4, 3)))
    # 2 working days: Tue 2 and Wed 3 April (Good Friday and Easter Monday skipped).
    assert items[dl.SUMMARY].due == D(2024, 4, 3)
    assert items[dl.SUMMARY].state == dl.DUE
    assert items[dl.SUMMARY].words(D(2024, 4, 3)) == "Due today"
    # 15 working days: 2-5, 8-12, 15-19 April (14), 22 April.
    assert items[dl.MINUTES].due == D(2024, 4, 22)
    assert items[dl.FIRST_REVIEW].due == D(2024, 6, 28)
    assert dl.NEXT_REVIEW not in items
    late = _by_kind(dl.conference_deadlines(db, conference_id, D(2024, 4, 5)))
    assert late[dl.SUMMARY].state == dl.LATE
    assert late[dl.SUMMARY].words(D(2024, 4, 5)) == "Late by 2 days"


def test_limits_come_from_preferences(db, conference_id):
    _set_conference_date(db, conference_id, CONFERENCE_DAY)
    set_preference(db, SUMMARY_DAYS, 5)
    set_preference(db, MINUTES_DAYS, 1)
    items = _by_kind(dl.conference_deadlines(db, conference_id, D(2024, 4, 1)))
    assert items[dl.SUMMARY].due == D(2024, 4, 8)
    assert items[dl.MINUTES].due == D(2024, 4, 2)


SENT = checked_answer("Conference partners", AGREEMENT)


def _conference_meeting(db, cid):
    return next(m.id for m in list_meetings(db, cid) if m.kind == "conference")


def test_exporting_the_matching_document_marks_it_done(db, conference_id, monkeypatch):
    _set_conference_date(db, conference_id, CONFERENCE_DAY)
    main = _conference_meeting(db, conference_id)
    # Today's date: after the day. Minutes of that meeting, recorded as sent.
    record_export(db, conference_id, "minutes", "/tmp/m.docx", sharing=SENT, meeting_id=main)
    record_export(db, conference_id, "agenda", "/tmp/a.docx", sharing=SENT, meeting_id=main)
    items = _by_kind(dl.conference_deadlines(db, conference_id, D(2030, 1, 1)))
    assert items[dl.MINUTES].state == dl.DONE
    assert items[dl.MINUTES].done_on == dt.date.today()
    assert items[dl.SUMMARY].state == dl.LATE  # the plan was never exported


def test_an_export_before_the_meeting_does_not_count(db, conference_id):
    later = dt.date.today() + dt.timedelta(days=30)
    _set_conference_date(db, conference_id, later)
    main = _conference_meeting(db, conference_id)
    # A blank set of minutes for the day, and the plan sent before the meeting took place.
    record_export(db, conference_id, "minutes", "/tmp/m.docx", sharing=SENT, meeting_id=main)
    record_export(db, conference_id, "plan", "/tmp/plan.docx", sharing=SENT)
    (plan_entry,) = [e for e in list_exports(db, conference_id) if e.kind == "plan"]
    assert plan_entry.meeting_id is None  # it follows no meeting yet
    for day in (later, later + dt.timedelta(days=60)):
        items = _by_kind(dl.conference_deadlines(db, conference_id, day))
        assert items[dl.SUMMARY].done_on is None and items[dl.MINUTES].done_on is None
    assert items[dl.SUMMARY].state == dl.LATE


def test_the_paper_of_another_meeting_does_not_clear_it(db, conference_id):
    _set_conference_date(db, conference_id, CONFERENCE_DAY)
    main = _conference_meeting(db, conference_id)
    review = add_meeting(db, conference_id, "review", date=D(2024, 6, 20))
    _hold(db, review.id)
    # The review's minutes, and a plan sent after the review (it follows the review).
    record_export(db, conference_id, "minutes", "/tmp/r.docx", sharing=SENT, meeting_id=review.id)
    record_export(db, conference_id, "plan", "/tmp/plan.docx", sharing=SENT)
    (plan_entry,) = [e for e in list_exports(db, conference_id) if e.kind == "plan"]
    assert plan_entry.meeting_id == review.id
    items = _by_kind(dl.conference_deadlines(db, conference_id, D(2030, 1, 1)))
    assert (items[dl.SUMMARY].state, items[dl.MINUTES].state) == (dl.LATE, dl.LATE)
    # Another conference's minutes of its own meeting clear only its own deadline.
    other = create_conference(db, "Larkfield Park")
    _set_conference_date(db, other, CONFERENCE_DAY)
    theirs = _conference_meeting(db, other)
    record_export(db, other, "minutes", "/tmp/o.docx", sharing=SENT, meeting_id=theirs)
    items = _by_kind(dl.conference_deadlines(db, conference_id, D(2030, 1, 1)))
    assert items[dl.MINUTES].state == dl.LATE
    assert _by_kind(dl.conference_deadlines(db, other, D(2030, 1, 1)))[dl.MINUTES].state == (
        dl.DONE
    )
    # The conference meeting's own minutes do.
    record_export(db, conference_id, "minutes", "/tmp/m.docx", sharing=SENT, meeting_id=main)
    items = _by_kind(dl.conference_deadlines(db, conference_id, D(2030, 1, 1)))
    assert items[dl.MINUTES].state == dl.DONE and items[dl.SUMMARY].state == dl.LATE


def test_the_plan_sent_after_the_meeting_clears_it_and_an_unrecorded_export_does_not(
    db, conference_id
):
    _set_conference_date(db, conference_id, CONFERENCE_DAY)
    main = _conference_meeting(db, conference_id)
    # An entry without a sharing decision (from before the record asked) is not "sent".
    record_export(db, conference_id, "minutes", "/tmp/m.docx", meeting_id=main)
    record_export(db, conference_id, "plan", "/tmp/p0.docx")
    items = _by_kind(dl.conference_deadlines(db, conference_id, D(2030, 1, 1)))
    assert (items[dl.SUMMARY].state, items[dl.MINUTES].state) == (dl.LATE, dl.LATE)
    # The plan sent with a decision names the conference meeting it follows, and clears it.
    record_export(db, conference_id, "plan", "/tmp/plan.docx", sharing=SENT)
    assert list_exports(db, conference_id)[0].meeting_id == main
    items = _by_kind(dl.conference_deadlines(db, conference_id, D(2030, 1, 1)))
    assert items[dl.SUMMARY].state == dl.DONE and items[dl.SUMMARY].done_on == dt.date.today()


@pytest.mark.sqlite_only("the command line opens the data folder's SQLite file")
def test_cli_exports_clear_the_deadline_of_their_meeting(db, conference_id, paths, tmp_path):
    _set_conference_date(db, conference_id, CONFERENCE_DAY)
    review = add_meeting(db, conference_id, "review", date=D(2024, 6, 20))
    answer = ("--shared-with", "Conference partners", "--basis", "agreement")
    cli = ["--data-dir", str(paths.root), "export"]
    # The review's minutes: the conference meeting's minutes are still owed.
    argv = [*cli, "minutes", str(conference_id), "--meeting", str(review.id), *answer]
    assert main([*argv, "--out", str(tmp_path / "review.docx")]) == 0
    items = _by_kind(dl.conference_deadlines(db, conference_id, D(2030, 1, 1)))
    assert items[dl.MINUTES].state == dl.LATE
    meeting = str(_conference_meeting(db, conference_id))
    argv = [*cli, "minutes", str(conference_id), "--meeting", meeting]
    assert main([*argv, "--out", str(tmp_path / "minutes.docx")]) == 0  # remembered answer
    assert main([*cli, "plan", str(conference_id), "--out", str(tmp_path / "plan.docx")]) == 0
    items = _by_kind(dl.conference_deadlines(db, conference_id, D(2030, 1, 1)))
    assert (items[dl.SUMMARY].state, items[dl.MINUTES].state) == (dl.DONE, dl.DONE)


def test_reviews_chain_from_the_last_review_held(db, conference_id):
    _set_conference_date(db, conference_id, D(2024, 1, 31))
    first = add_meeting(db, conference_id, "review", date=D(2024, 4, 15))
    _hold(db, first.id)
    add_meeting(db, conference_id, "review", date=D(2024, 11, 1))  # set, not yet held
    items = dl.conference_deadlines(db, conference_id, D(2024, 10, 20))
    reviews = [d for d in items if d.kind in (dl.FIRST_REVIEW, dl.NEXT_REVIEW)]
    assert [(d.kind, d.due, d.state) for d in reviews] == [
        (dl.FIRST_REVIEW, D(2024, 4, 30), dl.DONE),  # 31 Jan + 3 months: end of April
        (dl.NEXT_REVIEW, D(2024, 10, 15), dl.LATE),  # 15 Apr + 6 months
    ]
    assert reviews[0].done_on == D(2024, 4, 15)
    assert reviews[1].scheduled == D(2024, 11, 1)


def test_action_due_dates_are_late_until_done(db, conference_id):
    need = add_need(db, conference_id, "Lighting")
    action = add_intervention(db, need.id, "Fix the lamps", due_date=D(2024, 5, 1))
    items = [d for d in dl.conference_deadlines(db, conference_id, D(2024, 5, 2))]
    assert [(d.title, d.state) for d in items] == [("Fix the lamps", dl.LATE)]
    with db.session() as s:
        uid = s.get(Intervention, action.id).uid
    assert items[0].key == f"action:{uid}"  # stable: what a reminder remembers
    update_intervention(db, action.id, status="done")
    assert dl.conference_deadlines(db, conference_id, D(2024, 5, 2))[0].state == dl.DONE


def test_needing_attention_leaves_out_done_and_far_off(db, conference_id):
    _set_conference_date(db, conference_id, CONFERENCE_DAY)
    found = dl.needing_attention(db, D(2024, 4, 4))
    assert {d.kind for d in found} == {dl.SUMMARY}
    within = dl.needing_attention(db, D(2024, 4, 4), within_days=30)
    assert {d.kind for d in within} == {dl.SUMMARY, dl.MINUTES}


@pytest.mark.sqlite_only("the command line opens the data folder's SQLite file")
def test_cli_deadlines_json_and_text(db, conference_id, paths, capsys):
    _set_conference_date(db, conference_id, CONFERENCE_DAY)
    assert main(["--data-dir", str(paths.root), "deadlines", str(conference_id), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    summary = next(p for p in payload if p["kind"] == "summary")
    assert summary["due"] == "2024-04-03"
    assert summary["state"] == "late"
    assert summary["conference"] == "Riverside Park"
    assert main(["--data-dir", str(paths.root), "deadlines"]) == 0
    out = capsys.readouterr().out
    assert "Summary and plan" in out and "Late by" in out and "3 Apr 2024" in out


def test_cli_unknown_conference_is_one_line(db, paths, capsys):
    assert main(["--data-dir", str(paths.root), "deadlines", "Nowhere"]) != 0
    assert "Nowhere" in capsys.readouterr().err
