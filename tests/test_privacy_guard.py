"""The personal-details guard: what it flags, what it leaves alone, and where."""

from __future__ import annotations

import datetime as dt

import pytest

from csfacilitator.core.board import PointRecord
from csfacilitator.core.privacy_guard import check_text, flag_points, names_pattern, parse_names

TODAY = dt.date(2026, 3, 5)


def rules(text, names=None):
    return [(m.rule, m.matched) for m in check_text(text, names, today=TODAY)]


@pytest.mark.parametrize(
    "text, matched",
    [
        ("Call her on 07700 900123 after school", "07700 900123"),
        ("mobile 07700900123", "07700900123"),
        ("ring +44 7700 900123", "+44 7700 900123"),
        ("office +44 (0)20 7946 0000", "+44 (0)20 7946 0000"),
        ("landline 020 7946 0000.", "020 7946 0000"),
        ("tel (01632) 960000", "(01632) 960000"),
        ("0113-496-0000 is the number", "0113-496-0000"),
    ],
)
def test_phone_numbers(text, matched):
    assert rules(text) == [("phone", matched)]


def test_email_postcode_and_dates_of_birth():
    assert rules("email jo.bloggs+1@example.co.uk today") == [
        ("email", "jo.bloggs+1@example.co.uk")
    ]
    assert rules("lives at ME14 1XX near the park") == [("postcode", "ME14 1XX")]
    assert rules("sw1a 1aa") == [("postcode", "sw1a 1aa")]
    assert rules("DOB 12/03/2009") == [("dob", "DOB"), ("dob", "12/03/2009")]
    assert rules("d.o.b. given") == [("dob", "d.o.b.")]
    assert rules("date of birth unknown") == [("dob", "date of birth")]
    assert rules("born 2009, in year 11") == [("dob", "born 2009")]
    assert rules("Born on 4 May 2010") == [("dob", "Born on 4 May 2010")]
    assert rules("12.03.09") == [("dob", "12.03.09")]


def test_ordinary_board_text_is_left_alone():
    for text in (
        "Review on 12/06/2026 with the council",  # recent dates are meetings, not births
        "Y10 2nd half of term; junction of the M25 4th exit",
        "Lighting fixed in 2019; 30 young people at the youth club",
        "Dobson Street underpass",
        "newborn 2020 clinic closed",
        "CO2 levels, A13 road, 3pm to 6pm",
        "Ring the Youth Hub",
    ):
        assert rules(text) == [], text


def test_names_on_the_keep_out_list_as_whole_words_any_case():
    names = "Jordan\n\n  Kai Smith \njordan\n"
    assert parse_names(names) == ("Jordan", "Kai Smith")
    assert rules("JORDAN was seen with kai  smith", names) == [
        ("name", "JORDAN"),
        ("name", "kai  smith"),
    ]
    assert rules("Jordans Yard and Kaiser Road", names) == []
    assert rules("Zoë said", ["zoë"]) == [("name", "Zoë")]
    assert rules("O'Neil (A.B.) said", ["O'Neil", "A.B."]) == [("name", "O'Neil"), ("name", "A.B.")]
    assert names_pattern("  \n") is None


def test_spans_point_at_the_match():
    text = "Ask Jordan: 07700 900123"
    for m in check_text(text, "Jordan", today=TODAY):
        assert text[m.start : m.end] == m.matched
    assert [m.label for m in check_text(text, "Jordan", today=TODAY)] == [
        "Name on the keep-out list",
        "Phone number",
    ]


def test_flag_points_walks_sub_points():
    child = PointRecord(3, 1, "concerns", 1, 0, "contact jo@example.org")
    points = (
        PointRecord(1, 1, "concerns", None, 0, "Park at night", (child,)),
        PointRecord(2, 1, "concerns", None, 1, "Kai hangs around", ()),
    )
    flags = flag_points(points, "Kai", today=TODAY)
    assert [(f.point_id, f.rule, f.matched, f.column) for f in flags] == [
        (3, "email", "jo@example.org", "concerns"),
        (2, "name", "Kai", "concerns"),
    ]
    assert flags[1].text == "Kai hangs around"
    assert flag_points(points[:1], ()) != []
    assert flag_points((), "Kai") == []
