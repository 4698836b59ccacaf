"""The context weighting without Qt: operations, layout, storage and the Word picture."""

from __future__ import annotations

import datetime as dt
import io
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from csfacilitator.core import weighting as wt
from csfacilitator.core.conferences import create_conference, update_conference
from csfacilitator.core.meetings import add_meeting
from csfacilitator.core.model import ContextWeighting
from csfacilitator.core.weighting import Context, Weighting
from csfacilitator.errors import NotFound, UserError
from csfacilitator.export.weighting_picture import weighting_alt_text, weighting_png

pytestmark = pytest.mark.postgresql_too


def make(*sizes: float, links=()) -> Weighting:
    return Weighting(tuple(Context(f"C{k}", s) for k, s in enumerate(sizes)), links)


def assert_valid(w: Weighting) -> None:
    assert 1 <= len(w.boxes) <= wt.MAX_BOXES
    assert math.isclose(sum(w.sizes), 1.0, abs_tol=1e-9)
    if len(w.boxes) > 1:
        assert all(wt.MIN_SHARE - 1e-9 <= s <= wt.MAX_SHARE + 1e-9 for s in w.sizes)
    for a, b in w.links:
        assert 0 <= a < b < len(w.boxes)
    assert sum(wt.percentages(w)) == 100


# ------------------------------------------------------------------------------ operations


def test_default_is_four_even_boxes_named_for_the_context():
    w = wt.default_weighting("neighbourhood", "Wrenmoor Park")
    assert w.names == ("Wrenmoor Park", "Peer groups", "Schools", "Wider neighbourhood")
    assert w.sizes == (0.25, 0.25, 0.25, 0.25)
    assert w.links == ()
    school = wt.default_weighting("school", "A very long name for a school that will not fit a box")
    assert school.names[0] == "The school itself"
    assert "Schools" not in school.names


def test_growing_rebalances_the_others_in_proportion():
    w = make(0.4, 0.3, 0.2, 0.1)
    grown = wt.grow(w, 1)
    assert grown.sizes[1] == pytest.approx(0.35)
    assert_valid(grown)
    # The others keep their proportions to one another (none reached a bound).
    assert grown.sizes[0] / grown.sizes[2] == pytest.approx(2.0)
    assert grown.sizes[2] / grown.sizes[3] == pytest.approx(2.0)
    assert w.sizes == (0.4, 0.3, 0.2, 0.1)  # the original is untouched


def test_growing_and_shrinking_stop_at_the_bounds():
    w = make(0.25, 0.25, 0.25, 0.25)
    for _ in range(20):
        w = wt.grow(w, 0)
    assert w.sizes[0] == pytest.approx(wt.MAX_SHARE)
    assert not wt.can_grow(w, 0)
    assert wt.grow(w, 0) == w
    for _ in range(20):
        w = wt.shrink(w, 0)
    assert w.sizes[0] == pytest.approx(wt.MIN_SHARE)
    assert not wt.can_shrink(w, 0)
    assert_valid(w)


def test_others_stop_at_the_minimum_and_the_rest_give_way():
    w = make(0.5, 0.3, 0.1, 0.1)
    w = wt.grow(w, 0, 0.1)  # 0.6: the two small ones cannot go below the minimum
    assert_valid(w)
    assert w.sizes[2] >= wt.MIN_SHARE - 1e-9 and w.sizes[3] >= wt.MIN_SHARE - 1e-9


def test_at_most_six_and_at_least_one():
    w = make(0.25, 0.25, 0.25, 0.25)
    w = wt.add(wt.add(w, "Online spaces"), "The bus station")
    assert len(w.boxes) == 6
    assert w.names[-1] == "The bus station"
    assert_valid(w)
    with pytest.raises(UserError, match="at most 6"):
        wt.add(w, "Seventh")
    for _ in range(5):
        w = wt.remove(w, 0)
    assert w.names == ("The bus station",)
    assert w.sizes == (1.0,)
    with pytest.raises(UserError, match="at least one"):
        wt.remove(w, 0)


def test_links_follow_a_reorder_and_go_with_a_removed_box():
    w = make(0.25, 0.25, 0.25, 0.25)
    w = wt.toggle_link(w, 0, 3)
    w = wt.toggle_link(w, 2, 1)
    assert w.links == ((0, 3), (1, 2))
    moved = wt.move(w, 0, 2)  # C0 to third place: C1 C2 C0 C3
    assert moved.names == ("C1", "C2", "C0", "C3")
    assert moved.links == ((0, 1), (2, 3))
    assert moved.is_linked(3, 2) and moved.is_linked(0, 1)
    removed = wt.remove(moved, 1)  # C2 goes, with its link to C1
    assert removed.names == ("C1", "C0", "C3")
    assert removed.links == ((1, 2),)
    added = wt.add(removed, "New", at=0)
    assert added.links == ((2, 3),)
    assert wt.toggle_link(added, 3, 2).links == ()
    with pytest.raises(UserError, match="itself"):
        wt.toggle_link(added, 1, 1)


def test_move_stays_within_the_ends():
    w = make(0.4, 0.3, 0.3)
    assert wt.move(w, 0, -1) == w
    assert wt.move(w, 2, 5).names == ("C0", "C1", "C2")
    assert wt.move(w, 0, 10).names == ("C1", "C2", "C0")


def test_names_are_cleaned_and_refused_when_empty_or_too_long():
    w = make(0.5, 0.5)
    renamed = wt.rename(w, 0, "  بيت\x00 the \u200fpark 👍🏽\n")
    assert renamed.names[0] == "بيت the \u200fpark 👍🏽"
    with pytest.raises(UserError, match="needs a name"):
        wt.rename(w, 0, " \x0b ")
    with pytest.raises(UserError, match="characters long"):
        wt.rename(w, 0, "x" * (wt.MAX_NAME_CHARS + 1))
    with pytest.raises(UserError):
        wt.grow(w, 5)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["grow", "shrink", "add", "remove", "move", "link"]),
            st.integers(0, 7),
            st.integers(-3, 7),
            st.floats(0.0, 0.7),
        ),
        max_size=30,
    )
)
def test_any_sequence_of_changes_keeps_the_weighting_valid(steps):
    w = wt.default_weighting()
    for op, i, j, step in steps:
        try:
            if op == "grow":
                w = wt.grow(w, i, step)
            elif op == "shrink":
                w = wt.shrink(w, i, step)
            elif op == "add":
                w = wt.add(w, f"Context {i}", at=j)
            elif op == "remove":
                w = wt.remove(w, i)
            elif op == "move":
                w = wt.move(w, i, j)
            else:
                w = wt.toggle_link(w, i, j)
        except UserError:
            pass
        assert_valid(w)


def test_percentages_always_add_up_to_a_hundred():
    w = make(1 / 3, 1 / 3, 1 / 3)
    assert wt.percentages(w) == (34, 33, 33)
    assert sum(wt.percentages(make(0.125, 0.125, 0.25, 0.5))) == 100


def test_description_and_change_in_words():
    before = Weighting((Context("Park", 0.4), Context("Parade", 0.6)), ((0, 1),))
    assert (
        wt.describe(before) == "Context weighting: Park 40%, Parade 60%; linked: Park and Parade."
    )
    after = wt.add(wt.grow(before, 0, 0.2), "Underpass")  # Park 60%, then 40% of three
    assert wt.percentages(after) == (40, 27, 33)
    assert wt.describe_change(before, after) == "Parade 60% → 27%; Underpass added (33%)"
    assert wt.describe_change(before, before) == "no change"
    assert wt.describe_change(before, wt.move(before, 0, 1)) == "same sizes, in a new order"


# ------------------------------------------------------------------------------ JSON


def test_json_round_trip_is_exact():
    w = wt.toggle_link(wt.grow(wt.default_weighting(), 2, 0.07), 0, 3)
    assert wt.from_json(wt.to_json(w)) == w


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "{",
        "[]",
        "null",
        '{"boxes": 5}',
        '{"boxes": []}',
        '{"boxes": [1, "a", null]}',
        '{"boxes": [{"name": "", "size": 0.5}]}',
        "[" * 100_000,
    ],
)
def test_damaged_json_gives_the_default(text):
    default = wt.default_weighting("school")
    assert wt.from_json(text, default) == default


def test_partly_damaged_json_keeps_what_it_can():
    text = (
        '{"boxes": [{"name": "Park", "size": 9}, {"name": "Parade", "size": "big"}, '
        '{"name": "Underpass", "size": -1}, {"name": 7, "size": NaN}] '
        + ', "links": [[0, 1], [1, 1], [0, 9], "ab", [2, 0], [0, 1]]}'
    )
    w = wt.from_json(text)
    assert w.names == ("Park", "Parade", "Underpass", "7")
    assert_valid(w)
    assert w.links == ((0, 1), (0, 2))
    boxes = ", ".join(f'{{"name": "B{k}", "size": 0.1}}' for k in range(9))
    many = '{"boxes": [' + boxes + "]}"
    assert wt.from_json(many).names == tuple(f"B{k}" for k in range(6))


# ------------------------------------------------------------------------------ layout


@pytest.mark.parametrize(
    "sizes",
    [(1.0,), (0.5, 0.5), (0.25,) * 4, (0.6, 0.08, 0.08, 0.08, 0.08, 0.08), (0.1, 0.2, 0.3, 0.4)],
)
@pytest.mark.parametrize("size", [(1400, 800), (440, 250), (300, 600)])
def test_layout_areas_are_proportional_and_fill_the_picture(sizes, size):
    width, height = size
    w = make(*sizes)
    rects = wt.layout(w, width, height)
    assert len(rects) == len(sizes)
    for rect, share in zip(rects, w.sizes, strict=True):
        assert rect.area == pytest.approx(share * width * height, rel=1e-6)
        assert rect.x >= -1e-9 and rect.y >= -1e-9
        assert rect.x + rect.width <= width + 1e-6 and rect.y + rect.height <= height + 1e-6
    assert sum(r.area for r in rects) == pytest.approx(width * height)
    # Reading order: each box starts right of, or below, the one before it.
    for before, after in zip(rects, rects[1:], strict=False):
        assert after.y > before.y + 1e-6 or (
            after.y == pytest.approx(before.y) and after.x > before.x
        )
    # No two boxes overlap.
    for k, a in enumerate(rects):
        for b in rects[k + 1 :]:
            overlap_w = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
            overlap_h = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
            assert overlap_w <= 1e-6 or overlap_h <= 1e-6


def test_four_even_boxes_make_a_two_by_two_grid_and_gaps_come_off_every_side():
    rects = wt.layout(make(0.25, 0.25, 0.25, 0.25), 1400, 800, gap=10)
    assert [(r.x, r.y) for r in rects] == [(5, 5), (705, 5), (5, 405), (705, 405)]
    assert {(r.width, r.height) for r in rects} == {(690, 390)}
    assert rects[0].contains(10, 10) and not rects[0].contains(702, 10)


def test_link_ends_lie_between_the_labels_or_bridge_crowded_boxes():
    a, b = wt.Rect(0, 0, 400, 200), wt.Rect(400, 0, 400, 200)
    start, end = wt.link_ends(a, b, wt.Rect(100, 80, 200, 40), wt.Rect(500, 80, 200, 40), pad=10)
    assert start == pytest.approx((310, 100)) and end == pytest.approx((490, 100))
    # Labels filling their boxes: the link crosses the boxes' shared edge instead.
    start, end = wt.link_ends(a, b, wt.Rect(0, 80, 400, 40), wt.Rect(400, 80, 400, 40), pad=10)
    assert start[0] < 400 < end[0]
    assert end[0] - start[0] == pytest.approx(40)


# ------------------------------------------------------------------------------ storage


@pytest.fixture
def conference_id(db):
    return create_conference(db, "Riverside", context_type="peer_group", context_name="")


def test_nothing_stored_gives_the_default_for_the_context(db, conference_id):
    assert wt.get_weighting(db, conference_id) == wt.default_weighting("peer_group")
    assert not wt.has_weighting(db, conference_id)
    update_conference(db, conference_id, context_name="The Riverside group")
    assert wt.get_weighting(db, conference_id).names[0] == "The Riverside group"
    with pytest.raises(NotFound):
        wt.get_weighting(db, 999)


def test_working_copy_is_stored_and_read_back(db, conference_id):
    w = wt.toggle_link(wt.grow(wt.get_weighting(db, conference_id), 0), 0, 1)
    wt.set_weighting(db, conference_id, w)
    wt.set_weighting(db, conference_id, w)  # storing twice keeps one row
    assert wt.get_weighting(db, conference_id) == w
    with db.session() as s:
        rows = s.scalars(select(ContextWeighting)).all()
        assert len(rows) == 1 and rows[0].meeting_id is None


def test_damaged_row_gives_the_default_and_never_crashes(db, conference_id):
    wt.set_weighting(db, conference_id, make(0.5, 0.5))
    with db.session() as s:
        s.scalars(select(ContextWeighting)).one().data = '{"boxes": [{"name": '
    assert wt.get_weighting(db, conference_id) == wt.default_weighting("peer_group")


def test_snapshots_copy_the_working_copy_per_meeting(db, conference_id):
    conference = add_meeting(db, conference_id, "conference", date=dt.date(2026, 11, 5))
    review = add_meeting(db, conference_id, "review", date=dt.date(2027, 2, 4))
    first = make(0.4, 0.3, 0.3)
    wt.set_weighting(db, conference_id, first)
    assert wt.snapshot_for_meeting(db, conference_id, conference.id) == first
    second = wt.grow(first, 2)
    wt.set_weighting(db, conference_id, second)
    wt.snapshot_for_meeting(db, conference_id, review.id)
    wt.set_weighting(db, conference_id, wt.shrink(second, 2))  # the working copy moves on

    kept = wt.snapshots(db, conference_id)
    assert [(s.meeting_id, s.label, s.weighting) for s in kept] == [
        (conference.id, "Conference · 5 Nov 2026", first),
        (review.id, "Review · 4 Feb 2027", second),
    ]
    assert wt.get_weighting(db, conference_id, review.id) == second
    wt.snapshot_for_meeting(db, conference_id, review.id)  # taken again: replaced, not added
    assert len(wt.snapshots(db, conference_id)) == 2
    wt.clear_snapshot(db, conference_id, review.id)
    assert [s.meeting_id for s in wt.snapshots(db, conference_id)] == [conference.id]

    other = create_conference(db, "Elsewhere")
    with pytest.raises(NotFound, match="not one of this conference"):
        wt.snapshot_for_meeting(db, other, conference.id)


# ------------------------------------------------------------------------------ picture


def test_picture_is_a_png_of_the_asked_size_and_shows_the_sizes():
    from PIL import Image

    w = Weighting(
        (
            Context("Wrenmoor Park", 0.4),
            Context("Kestrel Parade", 0.35),
            Context("Underpass", 0.25),
        ),
        ((0, 2),),
    )
    data = weighting_png(w)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    assert image.size == (1400, 800)
    assert len(image.getcolors(1_000_000)) > 20  # boxes, text and links, not a blank page
    small = Image.open(io.BytesIO(weighting_png(w, 600, 300)))
    assert small.size == (600, 300)
    assert weighting_png(wt.grow(w, 2)) != data
    assert weighting_png(w) == data  # the same weighting draws the same picture


def test_a_picture_drawn_is_remembered_by_what_it_shows(monkeypatch):
    from collections import OrderedDict

    from csfacilitator.export import pictures, weighting_picture

    monkeypatch.setattr(pictures, "_remembered", OrderedDict())
    drawn = []
    draw = weighting_picture._draw
    monkeypatch.setattr(weighting_picture, "_draw", lambda *args: drawn.append(args) or draw(*args))
    w = Weighting((Context("Wrenmoor Park", 0.4), Context("Kestrel Parade", 0.6)), ((0, 1),))
    first = weighting_png(w)
    again = Weighting((Context("Wrenmoor Park", 0.4), Context("Kestrel Parade", 0.6)), ((0, 1),))
    assert weighting_png(again) == first and len(drawn) == 1  # equal data: not drawn again
    renamed = Weighting((Context("Wrenmoor Park", 0.4), Context("Mill Road", 0.6)), ((0, 1),))
    assert weighting_png(renamed) != first and len(drawn) == 2
    assert weighting_png(w, 700, 400) != first and len(drawn) == 3  # another size
    for n in range(pictures.REMEMBER + 1):  # only the last few are kept
        weighting_png(w, 100 + n, 100)
    assert len(pictures._remembered) == pictures.REMEMBER
    weighting_png(w)
    assert len(drawn) == 3 + pictures.REMEMBER + 2  # the first was forgotten


def test_picture_copes_with_hostile_names_and_one_box():
    w = Weighting((Context("مدرسة 👍🏽 " + "long " * 14, 1.0),))
    assert weighting_png(w, 200, 120).startswith(b"\x89PNG")


def test_alt_text_names_every_context_and_link():
    w = Weighting((Context("Wrenmoor Park", 0.4), Context("Kestrel Parade", 0.6)), ((0, 1),))
    assert weighting_alt_text(w) == (
        "Context weighting: Wrenmoor Park 40%, Kestrel Parade 60%; "
        "linked: Wrenmoor Park and Kestrel Parade."
    )
