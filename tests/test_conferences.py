"""Conference and meeting operations of the core, as the GUI and CLI use them."""

from __future__ import annotations

import datetime as dt

import pytest

from csfacilitator.core import conferences, meetings, vocab
from csfacilitator.core.dates import parse_user_date, parse_user_time
from csfacilitator.errors import NotFound, UserError

pytestmark = pytest.mark.postgresql_too


@pytest.mark.encrypted_too
def test_new_conference_has_a_conference_meeting_with_the_suggested_agenda(db):
    conference_id = conferences.create_conference(db, "  Park\x0b and parade  ")
    details = conferences.get_conference(db, conference_id)
    assert details.title == "Park and parade"
    assert details.status == "referral"
    (meeting,) = meetings.list_meetings(db, conference_id)
    assert meeting.kind == "conference"
    assert [item.title for item in meeting.agenda] == [t for t, _lead in vocab.DEFAULT_AGENDA]


@pytest.mark.encrypted_too
def test_update_cleans_validates_and_bumps_last_changed(db):
    conference_id = conferences.create_conference(db, "One")
    before = conferences.get_conference(db, conference_id).updated_at
    details = conferences.update_conference(
        db,
        conference_id,
        context_name="Mill Road \u202eunderpass\x00",
        conference_date="2026-11-05",
        threshold="complex_high_risk",
        threshold_rationale="Line one\x0bLine two",
    )
    assert details.context_name == "Mill Road \u202eunderpass"
    assert details.conference_date == dt.date(2026, 11, 5)
    assert details.threshold_rationale == "Line one\nLine two"
    assert details.updated_at >= before
    with pytest.raises(UserError, match="not a valid threshold"):
        conferences.update_conference(db, conference_id, threshold="severe")
    with pytest.raises(UserError, match="needs a title"):
        conferences.update_conference(db, conference_id, title=" \t ")
    with pytest.raises(UserError, match="not a date"):
        conferences.update_conference(db, conference_id, referral_date="soon")
    with pytest.raises(UserError, match="is not a conference detail"):
        conferences.update_conference(db, conference_id, id=5)
    assert conferences.get_conference(db, conference_id).threshold == "complex_high_risk"


@pytest.mark.encrypted_too
def test_search_sort_archive_and_delete(db):
    a = conferences.create_conference(db, "Larkfield Park", area="North ward")
    b = conferences.create_conference(db, "Station approach", context_name="Bus station")
    c = conferences.create_conference(db, "Year 9 peer group", area="north WARD")
    assert [r.id for r in conferences.list_conferences(db)] == [c, b, a]  # most recent first
    assert {r.id for r in conferences.list_conferences(db, search="north")} == {a, c}
    assert [r.id for r in conferences.list_conferences(db, search="BUS")] == [b]
    conferences.set_archived(db, b, True)
    assert b not in {r.id for r in conferences.list_conferences(db, include_archived=False)}
    conferences.set_archived(db, b, False)
    assert b in {r.id for r in conferences.list_conferences(db, include_archived=False)}
    conferences.delete_conference(db, a)
    with pytest.raises(NotFound):
        conferences.get_conference(db, a)


@pytest.mark.encrypted_too
def test_find_by_id_or_unique_title(db):
    a = conferences.create_conference(db, "Same")
    conferences.create_conference(db, "Same")
    c = conferences.create_conference(db, "Unique")
    assert conferences.find_conference(db, str(a)) == a
    assert conferences.find_conference(db, "Unique") == c
    with pytest.raises(UserError, match="2 conferences are called"):
        conferences.find_conference(db, "Same")
    with pytest.raises(NotFound, match="No conference"):
        conferences.find_conference(db, "Missing")


@pytest.mark.encrypted_too
def test_last_opened_is_remembered_and_forgotten_on_delete(db):
    a = conferences.create_conference(db, "A")
    conferences.remember_last_opened(db, a)
    assert conferences.last_opened(db) == a
    conferences.delete_conference(db, a)
    assert conferences.last_opened(db) is None


@pytest.mark.encrypted_too
def test_meetings_and_agenda_editing(db):
    conference_id = conferences.create_conference(db, "Meetings")
    review = meetings.add_meeting(
        db, conference_id, "review", date=dt.date(2027, 2, 4), venue="Hall"
    )
    pre = meetings.add_meeting(db, conference_id, "pre_meeting", date=dt.date(2026, 10, 1))
    kinds = [m.kind for m in meetings.list_meetings(db, conference_id)]
    assert kinds == ["pre_meeting", "review", "conference"]  # dated first, in date order
    assert pre.agenda == ()
    assert [a.title for a in review.agenda] == [t for t, _ in vocab.REVIEW_AGENDA]

    first, second = review.agenda[0].id, review.agenda[1].id
    added = meetings.add_agenda_item(db, review.id, "Any other business", "Chair", position=1)
    titles = [a.title for a in meetings.get_meeting(db, review.id).agenda]
    assert titles[:3] == [review.agenda[0].title, "Any other business", review.agenda[1].title]
    meetings.move_agenda_item(db, first, 1)
    assert [a.id for a in meetings.get_meeting(db, review.id).agenda][:3] == [
        added.id,
        first,
        second,
    ]
    removed = meetings.delete_agenda_item(db, added.id)
    assert removed.title == "Any other business"
    assert len(meetings.get_meeting(db, review.id).agenda) == len(vocab.REVIEW_AGENDA)
    with pytest.raises(UserError, match="needs a title"):
        meetings.add_agenda_item(db, review.id, "\x00 ")

    updated = meetings.update_meeting(db, review.id, time="14:30", venue=" Kestrel  Hall ")
    assert updated.time == dt.time(14, 30)
    assert updated.venue == "Kestrel Hall"
    with pytest.raises(UserError, match="not a kind of meeting"):
        meetings.update_meeting(db, review.id, kind="party")
    current = meetings.set_current_item(db, review.id, second)
    assert current.current_item_id == second and current.started_at is not None
    meetings.delete_meeting(db, review.id)
    assert review.id not in [m.id for m in meetings.list_meetings(db, conference_id)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-11-05", dt.date(2026, 11, 5)),
        ("5/11/2026", dt.date(2026, 11, 5)),
        ("05.11.26", dt.date(2026, 11, 5)),
        ("Thu 5 November 2026", dt.date(2026, 11, 5)),
        ("", None),
    ],
)
def test_dates_are_read_in_uk_order(typed, expected):
    assert parse_user_date(typed) == expected


def test_bad_dates_and_times_say_what_to_type():
    with pytest.raises(UserError, match="5 Nov 2026"):
        parse_user_date("next tuesday")
    with pytest.raises(UserError, match="not a real date"):
        parse_user_date("31/02/2026")
    assert parse_user_time("2:30pm") == dt.time(14, 30)
    with pytest.raises(UserError, match="14:30"):
        parse_user_time("25:00")
