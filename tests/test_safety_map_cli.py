"""`csfacilitator safety-map`: the same core operations as the Assessment tab's Safety map page
import a picture and add a session; the map is listed in words and as JSON; a bad picture is
refused in one sentence and nothing changes."""

from __future__ import annotations

import json

from csfacilitator.cli import main as cli_main
from csfacilitator.core import safety_map


def run(paths, *argv):
    return cli_main(["--data-dir", str(paths.root), *map(str, argv)])


def _without_map(db, conference_id):
    """The example with its safety map taken away (its meetings are what this test needs)."""
    for session in safety_map.get_safety_map(db, conference_id).sessions:
        safety_map.delete_session(db, session.id)
    safety_map.restore_map_image(db, conference_id, None)
    return conference_id


def test_import_add_a_session_and_list_in_words(paths, db, example_id, tmp_path, capsys):
    from drawn_map import draw_map

    _without_map(db, example_id)

    picture = tmp_path / "park.png"
    picture.write_bytes(draw_map())
    assert run(paths, "safety-map", example_id, "--import", picture, "--caption", "Drawn map",
               "--add-session", "Year 9 group", "--day", "14/10/2026") == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "Map imported: 1600 × 1000 pixels (png)." in out
    assert "Session A added: Year 9 group, 14 Oct 2026." in out
    (session,) = safety_map.get_safety_map(db, example_id).sessions
    safety_map.add_mark(db, session.id, "pin", [(0.1, 0.9)], "unsafe", label="Underpass")
    assert run(paths, "safety-map", example_id) == 0
    out = capsys.readouterr().out
    assert "A: Year 9 group, 14 Oct 2026 — 1 marks (1 unsafe)" in out
    assert "A1: Unsafe pin, “Underpass”, any time, bottom left of the map." in out
    assert run(paths, "safety-map", example_id, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["image"]["caption"] == "Drawn map"
    assert data["sessions"][0]["marks"][0]["code"] == "A1"
    assert data["rounds"] == [{"meeting": "Conference · 5 Nov 2026", "sessions": 1}]


def test_a_bad_picture_is_refused_in_a_sentence(paths, db, conference_id, tmp_path, capsys):
    bad = tmp_path / "notes.png"
    bad.write_text("not a picture")
    assert run(paths, "safety-map", conference_id, "--import", bad) != 0
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "notes.png cannot be read as a picture" in err
    assert safety_map.get_map_image(db, conference_id) is None
