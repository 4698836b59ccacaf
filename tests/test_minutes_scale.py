"""Minutes of a very large board: the export stays linear in the number of points, and making
it so changed nothing in the document (the body is compared with one written before)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from lxml import etree

from csfacilitator.core import vocab
from csfacilitator.core.board import PointRecord
from csfacilitator.core.papers.minutes import Attendee, MinutesData, gather
from csfacilitator.export.minutes import build as build_minutes
from tests.harness.growth import assert_linear

DATA = Path(__file__).parent / "data"


def minutes_of(board: dict[str, tuple[PointRecord, ...]], **extra) -> MinutesData:
    """Minutes built from plain data (no database), as build_minutes receives them."""
    fields = dict(
        conference_id=1,
        meeting_id=1,
        title="Riverside Park",
        context_type="Neighbourhood / public space",
        context_name="Riverside Park",
        area="North",
        meeting_kind="Conference",
        date=dt.date(2025, 3, 12),
        time=dt.time(10, 30),
        venue="Town hall",
        chair="Chair",
        lead_practitioner="Lead",
        coordinators=("Coordinator",),
        present=(Attendee("Amira Haddad", "Youth Hub", "Worker"),),
        apologies=(Attendee("Kim Lee", "School", ""),),
        agenda=(),
        board=board,
        next_review_date=None,
    )
    fields.update(extra)
    return MinutesData(**fields)


def big_board(points: int) -> dict[str, tuple[PointRecord, ...]]:
    """`points` points in the first column (the cost that grew was per cell), one in four
    with a sub-point; the other columns hold one point each."""
    keys = list(vocab.BOARD_COLUMNS)
    number = 0

    def point(column: str, children=()) -> PointRecord:
        nonlocal number
        number += 1
        text = f"Point {number}: young people gather by the underpass after school"
        return PointRecord(number, 1, column, None, number, text, tuple(children))

    tops = []
    while number < points - 3:
        pair = len(tops) % 3 == 0 and number < points - 4
        tops.append(point(keys[0], [point(keys[0])]) if pair else point(keys[0]))
    board = {keys[0]: tuple(tops)}
    for key in keys[1:]:
        board[key] = (point(key),)
    return board


def tricky_board() -> dict[str, tuple[PointRecord, ...]]:
    """Nesting deeper than the list styles, right-to-left text, control characters, an empty
    column."""
    keys = list(vocab.BOARD_COLUMNS)
    deep = PointRecord(90, 1, keys[0], None, 0, "Level 6", ())
    for level in range(5, 0, -1):
        deep = PointRecord(90 + level, 1, keys[0], None, 0, f"Level {level}", (deep,))
    return {
        keys[0]: (deep, PointRecord(1, 1, keys[0], None, 1, "Plain point\x0bwith a break", ())),
        keys[1]: (PointRecord(2, 1, keys[1], None, 0, "مركز الشباب يفتح مساءً", ()),),
        keys[2]: (),
        keys[3]: tuple(
            PointRecord(10 + i, 1, keys[3], None, i, f"Point {i}", ()) for i in range(5)
        ),
    }


def body_xml(data: MinutesData) -> bytes:
    return etree.tostring(build_minutes(data).element.body, encoding="utf-8")


def test_the_example_minutes_are_unchanged(db, example_id):
    """The body of the example's minutes, byte for byte as written before the export was made
    linear (tests/data/minutes_example_body.xml; rewritten once when the minutes gained the
    meeting line, one board row per point and the actions agreed)."""
    expected = (DATA / "minutes_example_body.xml").read_bytes()
    assert body_xml(gather(db, example_id, today=dt.date(2026, 11, 6))) == expected


def test_deep_rtl_and_empty_columns_are_unchanged():
    expected = (DATA / "minutes_tricky_body.xml").read_bytes()
    assert body_xml(minutes_of(tricky_board())) == expected


def _seconds_to_lay_out(points: int) -> float:
    data = minutes_of(big_board(points))
    assert data.point_count == points
    start = time.process_time()
    doc = build_minutes(data)
    elapsed = time.process_time() - start
    paragraphs = sum(1 for _ in doc.element.body.iter("{*}p"))
    assert paragraphs > points
    return elapsed


def test_thirty_thousand_points_in_one_column_are_written_in_linear_time():
    """30,000 points in one column's cell: about 5 s here. Before, every new paragraph counted
    all those already in the cell, and this took about 30 s (100,000 points: hours).

    Timed against 3,000 points laid out just before, in the same process, so a busy machine
    slows both: ten times the points must take well under the hundred times a quadratic
    layout would (linear is ten)."""
    assert_linear(_seconds_to_lay_out, 3_000, 30_000, "minutes of that many points")
