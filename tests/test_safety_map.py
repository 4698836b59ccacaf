"""The safety map's core (issue 19): importing a picture (checked, re-encoded, bounded), mapping
sessions and their marks, rounds for comparing reviews, the words for screen readers, and the
one renderer's picture."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json

import pytest
from PIL import Image
from sqlalchemy import text

from csfacilitator.core import reviews, safety_map, safety_map_image
from csfacilitator.core.meetings import list_meetings
from csfacilitator.errors import UserError

pytestmark = pytest.mark.postgresql_too


def png(width=400, height=300, colour=(200, 220, 180), mode="RGB", fmt="PNG", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), colour if mode == "RGB" else (*colour, 0)).save(
        out, fmt, **save
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def large_noisy_png() -> bytes:
    """5000 x 3000 pixels of noise as PNG (some 20 MB): made once for the module (and let go
    after it) and only read by the tests. Pillow's fastest compression makes the same pixels in
    a quarter of the time."""
    out = io.BytesIO()
    Image.effect_noise((5000, 3000), 90).convert("RGB").save(out, "PNG", compress_level=1)
    return out.getvalue()


@functools.cache
def png_claiming(side: int) -> bytes:
    """A black-and-white PNG of side x side pixels, tiny on disk (made once for the module)."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")
    return out.getvalue()


# -- the picture ------------------------------------------------------------------------------


def test_a_picture_is_stored_re_encoded_and_read_back(db, conference_id):
    image = safety_map.set_map_image(db, conference_id, png(), "Park screenshot")
    assert (image.width, image.height, image.image_type) == (400, 300, "png")
    stored = safety_map.get_map_image(db, conference_id)
    assert stored == image
    with Image.open(io.BytesIO(stored.data)) as back:
        assert back.format == "PNG" and back.size == (400, 300) and back.mode == "RGB"
    stored_as = {"sqlite": ("typeof", "blob"), "postgresql": ("pg_typeof", "bytea")}
    function, binary = stored_as[db.engine.dialect.name]
    with db.read_session() as s:
        kind = s.connection().execute(text(f"SELECT {function}(image) FROM safety_map")).scalar()
    assert str(kind) == binary


def test_a_transparent_picture_is_flattened_on_white_and_a_photo_loses_its_metadata(
    db, conference_id
):
    image = safety_map.set_map_image(db, conference_id, png(mode="RGBA", colour=(0, 0, 0)))
    with Image.open(io.BytesIO(image.data)) as back:
        assert back.convert("RGB").getpixel((5, 5)) == (255, 255, 255)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make; a phone photo would carry its location too
    photo = png(fmt="JPEG", exif=exif.tobytes())
    image = safety_map.set_map_image(db, conference_id, photo)
    assert image.image_type == "jpeg"
    with Image.open(io.BytesIO(image.data)) as back:
        assert not back.getexif()


def test_a_large_picture_is_scaled_down_to_fit_the_limit(db, conference_id, large_noisy_png):
    image = safety_map.set_map_image(db, conference_id, large_noisy_png)
    assert max(image.width, image.height) <= safety_map.MAX_SIDE
    assert len(image.data) <= safety_map.MAX_STORED_BYTES
    assert abs(image.aspect - 5000 / 3000) < 0.01


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "is empty"),
        (b"not a picture at all", "cannot be read as a picture"),
        (png(fmt="GIF"), "not a PNG or JPEG"),
        (png()[:200], "damaged or cut short"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(db, conference_id, data, words):
    safety_map.set_map_image(db, conference_id, png(), "Kept")
    with pytest.raises(UserError, match=words):
        safety_map.set_map_image(db, conference_id, data)
    assert safety_map.get_map_image(db, conference_id).caption == "Kept"


def test_a_huge_file_is_refused_before_it_is_read(db, conference_id, tmp_path, monkeypatch):
    path = tmp_path / "huge.png"
    path.write_bytes(png())
    monkeypatch.setattr(safety_map_image, "MAX_FILE_BYTES", 100)  # where the picture is checked
    with pytest.raises(UserError, match=r"huge.png is .*choose a picture under"):
        safety_map.import_map_file(db, conference_id, path)
    with pytest.raises(UserError, match="no longer there"):
        safety_map.import_map_file(db, conference_id, tmp_path / "gone.png")


def test_a_picture_with_too_many_pixels_is_refused_before_decoding(db, conference_id):
    # A PNG whose header claims 20000 x 20000 pixels (a "decompression bomb"), tiny on disk.
    with pytest.raises(UserError, match="too many pixels to open safely"):
        safety_map.set_map_image(db, conference_id, png_claiming(20000))
    # Under Pillow's own limit but over ours (60 million pixels): refused before decoding too.
    with pytest.raises(UserError, match="too many pixels to open safely"):
        safety_map.set_map_image(db, conference_id, png_claiming(9000))


def test_import_from_a_file_takes_its_name_as_caption_and_undo_restores(
    db, conference_id, tmp_path
):
    path = tmp_path / "Wrenmoor park.png"
    path.write_bytes(png())
    first = safety_map.import_map_file(db, conference_id, path)
    assert first.caption == "Wrenmoor park"
    safety_map.set_map_image(db, conference_id, png(800, 400), "Second")
    safety_map.restore_map_image(db, conference_id, first)
    assert safety_map.get_map_image(db, conference_id) == first
    safety_map.restore_map_image(db, conference_id, None)
    assert safety_map.get_map_image(db, conference_id) is None


# -- sessions and marks -----------------------------------------------------------------------


def test_the_map_asks_as_many_queries_for_four_sessions_as_for_one(db, conference_id):
    """Every session's marks are read in one query, not one a session (papers read the map)."""
    from tests.harness.sql_statements import count_statements

    def add(name: str) -> None:
        session = safety_map.add_session(db, conference_id, name)
        for x in (0.2, 0.4):
            safety_map.add_mark(db, session.id, "pin", [(x, 0.5)], "unsafe", label=f"{name} {x}")

    def queries() -> int:
        return count_statements(db, lambda: safety_map.get_safety_map(db, conference_id))

    add("First")
    one = queries()
    for name in ("Second", "Third", "Fourth"):
        add(name)
    assert queries() == one
    view = safety_map.get_safety_map(db, conference_id)
    assert [(m.code, m.label) for _s, m in view.marks()] == [
        (f"{letter}{n}", f"{name} {x}")
        for letter, name in zip("ABCD", ("First", "Second", "Third", "Fourth"), strict=True)
        for n, x in ((1, 0.2), (2, 0.4))
    ]


def test_sessions_and_marks_with_codes_and_checks(db, conference_id):
    a = safety_map.add_session(db, conference_id, "Year 9 group", held_on="3/10/2026")
    b = safety_map.add_session(db, conference_id, "Residents")
    assert (a.letter, b.letter, a.title) == ("A", "B", "Year 9 group, 3 Oct 2026")
    pin = safety_map.add_mark(db, a.id, "pin", [(0.2, 0.3)], "unsafe", time_of_day="evening",
                              label="Underpass", note="Dark")  # fmt: skip
    area = safety_map.add_mark(
        db, a.id, "area", safety_map.rectangle((0.5, 0.5), (0.7, 0.9)), "safe"
    )
    assert (pin.code, area.code) == ("A1", "A2")
    assert area.points == ((0.5, 0.5), (0.7, 0.5), (0.7, 0.9), (0.5, 0.9))
    with pytest.raises(UserError, match="three corners"):
        safety_map.add_mark(db, a.id, "area", [(0.1, 0.1), (0.2, 0.2)], "safe")
    with pytest.raises(UserError, match="too small"):
        safety_map.add_mark(db, a.id, "area", [(0.1, 0.1), (0.2, 0.2), (0.3, 0.3)], "safe")
    with pytest.raises(UserError, match="Choose the rating"):
        safety_map.add_mark(db, a.id, "pin", [(0.1, 0.1)], "dangerous")
    with pytest.raises(UserError, match="Name the mapping session"):
        safety_map.add_session(db, conference_id, "  ")
    # Points outside the map are kept on its edge, rounded.
    edge = safety_map.update_mark(db, pin.id, points=[(1.7, -0.123456)], rating="mixed")
    assert edge.points == ((1.0, 0.0),) and edge.rating == "mixed"
    assert safety_map.describe_mark(edge) == (
        "A1: Mixed pin, “Underpass”, evening, top right of the map. Dark"
    )
    removed = safety_map.delete_session(db, a.id)
    assert safety_map.get_safety_map(db, conference_id).sessions[0].letter == "A"  # B is now A
    safety_map.restore_rows(db, removed)
    view = safety_map.get_safety_map(db, conference_id)
    assert [m.code for _s, m in view.marks()] == ["A1", "A2"]
    assert view.session(a.id).marks[0].id == pin.id  # the same rows, ids and all


def test_rounds_group_sessions_by_the_meeting_they_inform(db, conference_id):
    meetings = list_meetings(db, conference_id)
    from csfacilitator.core.meetings import update_meeting

    update_meeting(db, meetings[0].id, date=dt.date(2026, 11, 5))
    review = reviews.start_review(db, conference_id, dt.date(2027, 2, 4))
    before = safety_map.add_session(db, conference_id, "Year 9", held_on=dt.date(2026, 10, 14))
    again = safety_map.add_session(db, conference_id, "Year 9 again", held_on="27/1/2027")
    linked = safety_map.add_session(db, conference_id, "Residents", meeting_id=review.id)
    loose = safety_map.add_session(db, conference_id, "Undated")
    view = safety_map.get_safety_map(db, conference_id)
    assert [(r.label.split(" · ")[0], r.session_ids) for r in view.rounds] == [
        ("Conference", (before.id,)),
        ("Review", (again.id, linked.id)),
        ("Not linked to a meeting", (loose.id,)),
    ]
    earlier, latest = view.comparison()
    assert (earlier.meeting_id, latest.meeting_id) == (meetings[0].id, review.id)
    with pytest.raises(UserError, match="not one of this conference's"):
        safety_map.update_session(db, loose.id, meeting_id=review.id + 999)


def test_alt_text_names_every_mark_in_words(db, conference_id):
    safety_map.set_map_image(db, conference_id, png(), "the park")
    a = safety_map.add_session(db, conference_id, "Year 9 group")
    safety_map.add_mark(db, a.id, "pin", [(0.5, 0.5)], "safe", label="Hall")
    safety_map.add_mark(db, a.id, "pin", [(0.1, 0.9)], "unsafe", time_of_day="night")
    words = safety_map.map_alt_text(safety_map.get_safety_map(db, conference_id))
    assert words.startswith("Safety map of the park, marks from A: Year 9 group. 2 marks: ")
    assert "1 unsafe, 1 safe" in words
    assert "A1: Safe pin, “Hall”, any time, centre of the map." in words
    assert "A2: Unsafe pin, night, bottom left of the map." in words


def test_the_example_map_renders_with_its_legend(db, example_id):
    from csfacilitator.export.safety_map_picture import map_picture, safety_map_png

    view = safety_map.get_safety_map(db, example_id)
    assert len(view.sessions) == 3 and len(view.rounds) == 2
    earlier, latest = view.comparison()
    assert latest.label.startswith("Review 1")
    data = safety_map_png(view, earlier.session_ids, 1200)
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.width == 1200 and picture.height > 1200 / view.image.aspect + 100
    # The marks are drawn: the map with marks differs from the bare map where a mark is.
    marks = [m for _s, m in view.marks(earlier.session_ids)]
    bare = map_picture(view.image, [], 600)
    marked = map_picture(view.image, marks, 600)
    underpass = marks[0].centre
    at = (int(underpass[0] * 600), int(underpass[1] * bare.height))
    assert bare.getpixel(at) != marked.getpixel(at)
    with db.read_session() as s:
        raw = s.connection().execute(text("SELECT points FROM safety_mark ORDER BY id")).scalar()
    stored = json.loads(raw)
    assert len(stored) == 4 and all(0 <= v <= 1 for p in stored for v in p)


@pytest.mark.sqlite_only("about the bytes of the SQLite file")
@pytest.mark.encrypted_too
def test_the_picture_is_in_the_database_file_encrypted_with_it_where_chosen(
    db, conference_id, paths, db_passphrase
):
    noisy = Image.effect_noise((300, 200), 80).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "PNG")
    image = safety_map.set_map_image(db, conference_id, out.getvalue())
    db.close()  # everything written to the file itself (no WAL left to read)
    raw = paths.database.read_bytes()
    sample = image.data[100:164]
    assert (sample in raw) is (db_passphrase is None)


def test_a_map_drawn_is_remembered_until_a_mark_or_the_picture_changes(
    db, conference_id, monkeypatch
):
    from collections import OrderedDict

    from csfacilitator.export import pictures
    from csfacilitator.export import safety_map_picture as smp

    monkeypatch.setattr(pictures, "_remembered", OrderedDict())
    drawn = []
    draw = smp._draw_with_legend
    monkeypatch.setattr(smp, "_draw_with_legend", lambda *a: drawn.append(a) or draw(*a))
    safety_map.set_map_image(db, conference_id, png(), "Park")
    session = safety_map.add_session(db, conference_id, "Residents")
    safety_map.add_mark(db, session.id, "pin", [(0.5, 0.5)], "unsafe")
    first = smp.safety_map_png(safety_map.get_safety_map(db, conference_id), None, 800)
    again = smp.safety_map_png(safety_map.get_safety_map(db, conference_id), None, 800)
    assert again == first and len(drawn) == 1  # read again, the same: not drawn again
    safety_map.add_mark(db, session.id, "pin", [(0.2, 0.2)], "safe")
    marked = smp.safety_map_png(safety_map.get_safety_map(db, conference_id), None, 800)
    assert marked != first and len(drawn) == 2
    safety_map.set_map_image(db, conference_id, png(colour=(90, 90, 200)), "Park")
    repainted = smp.safety_map_png(safety_map.get_safety_map(db, conference_id), None, 800)
    assert repainted not in (first, marked) and len(drawn) == 3


def test_a_damaged_stored_picture_is_drawn_as_a_notice_not_a_crash(db, conference_id):
    from csfacilitator.export.safety_map_picture import safety_map_png

    safety_map.set_map_image(db, conference_id, png(), "Park")
    session = safety_map.add_session(db, conference_id, "Residents")
    safety_map.add_mark(db, session.id, "pin", [(0.5, 0.5)], "unsafe")
    with db.session() as s:  # as a broken sync or a disk error might leave it
        damaged = {"image": bytes.fromhex("89504e47")}
        s.connection().execute(text("UPDATE safety_map SET image = :image"), damaged)
    view = safety_map.get_safety_map(db, conference_id)
    assert (view.image.width, view.image.height) == (400, 300)  # as stored
    with Image.open(io.BytesIO(safety_map_png(view, None, 800))) as picture:
        assert picture.width == 800
