"""The safety map in the hand-over file (format 8, issue 19): a round trip through a real file
keeps the very picture (base64 in the JSON), every session with its date and meeting, and every
mark; a file without the section (format 7, or 8 written before it) has no map; a damaged or
forged picture or mark is refused in one line, with nothing written."""

from __future__ import annotations

import base64
import copy
import io
import json

import pytest
from PIL import Image

from csfacilitator.core import bundle, safety_map
from csfacilitator.errors import BundleError

pytestmark = pytest.mark.postgresql_too


@pytest.fixture
def mapped(db, example_id):
    return example_id


def _shown(view):
    return [
        (s.letter, s.title, s.meeting_label, [(m.code, m.shape, m.points, m.rating,
         m.time_of_day, m.label, m.note) for m in s.marks])
        for s in view.sessions
    ]  # fmt: skip


def test_a_real_file_carries_the_picture_and_every_mark(db, mapped, tmp_path):
    path = bundle.write_bundle(db, mapped, tmp_path / "example.csfconf")
    raw = json.loads(path.read_bytes())
    section = raw["safety_map"]
    original = safety_map.get_safety_map(db, mapped)
    assert base64.b64decode(section["image"]["data"]) == original.image.data
    assert section["sessions"][2]["meeting"] is not None  # the review it informed, by ref
    assert "id" not in section["sessions"][0] and "uid" not in section["sessions"][0]["marks"][0]
    copy_id = bundle.import_conference(db, bundle.read_bundle(path), on_conflict="copy")
    copied = safety_map.get_safety_map(db, copy_id)
    assert copied.image.data == original.image.data
    assert (copied.image.width, copied.image.caption) == (1600, original.image.caption)
    assert _shown(copied) == _shown(original)
    assert [r.label for r in copied.rounds] == [r.label for r in original.rounds]
    # Replacing the conference from its own file keeps the map (cleared, then written).
    assert bundle.import_conference(db, bundle.read_bundle(path), on_conflict="replace") == mapped
    assert _shown(safety_map.get_safety_map(db, mapped)) == _shown(original)


def test_files_without_the_section_have_no_map(db, mapped):
    data = bundle.export_conference(db, mapped)
    eight = copy.deepcopy(data)
    del eight["safety_map"]
    seven = copy.deepcopy(eight)
    seven["format_version"] = 7
    del seven["voices"]
    for older in (eight, seven):
        copy_id = bundle.import_conference(db, older, on_conflict="copy")
        view = safety_map.get_safety_map(db, copy_id)
        assert view.image is None and view.sessions == ()


def _gif() -> str:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1000)).save(out, "GIF")
    return base64.b64encode(out.getvalue()).decode()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda m: m["image"].update(data="not base64!"), r"safety_map.image.data"),
        (lambda m: m["image"].update(data=_gif()), "not what the file says"),
        (lambda m: m["image"].update(width=1599), "not what the file says"),
        (lambda m: m["image"].update(data=base64.b64encode(b"\x89PNG\r\n").decode()),
         "cannot be read"),
        (lambda m: m["sessions"][0]["marks"][0].update(rating="dangerous"), "rating"),
        (lambda m: m["sessions"][0]["marks"][0].update(points=[[0.1, 0.1], [0.2, 0.2]]),
         "three corners"),
        (lambda m: m["sessions"][0]["marks"][3].update(points=[[2, 0.5]]), "points"),
        (lambda m: m["sessions"][0].update(meeting="m99"), "m99"),
        (lambda m: m["sessions"][0].update(held_on="2026-13-40"), "held_on"),
    ],
)  # fmt: skip
def test_a_damaged_map_is_refused_in_one_line(db, mapped, damage, message):
    data = bundle.export_conference(db, mapped)
    damage(data["safety_map"])
    before = len(safety_map.get_safety_map(db, mapped).sessions)
    with pytest.raises(BundleError, match=message) as caught:
        bundle.import_conference(db, data, on_conflict="copy")
    assert "\n" not in str(caught.value)
    assert len(safety_map.get_safety_map(db, mapped).sessions) == before
