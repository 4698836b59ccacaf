"""The safety map in the papers (issue 19): the assessment report shows the map the assessment
drew on (the sessions before the conference) with its legend and a table of the marks; the
plan's appendix shows the map before and after the latest review side by side and says what
changed. Each picture is the renderer's PNG, with alt text naming every mark."""

from __future__ import annotations

import io

import pytest
from conftest import export_paper
from docx import Document
from PIL import Image

from csfacilitator.core import safety_map


@pytest.fixture
def mapped(db, example_id):
    return example_id


def pictures(document):
    """(name, alt text, PNG size) of every picture in the document, in order."""
    found = []
    for shape in document.inline_shapes:
        doc_pr = shape._inline.docPr
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        part = document.part.related_parts[blip.embed]
        with Image.open(io.BytesIO(part.blob)) as picture:
            size = picture.size
        found.append((doc_pr.get("name"), doc_pr.get("descr"), size))
    return found


def texts(document):
    return [p.text for p in document.paragraphs]


def table_rows(document):
    return [[c.text for c in row.cells] for table in document.tables for row in table.rows]


def test_the_report_has_the_map_with_its_legend_alt_text_and_marks(db, mapped, tmp_path):
    path = export_paper(db, "report", mapped, tmp_path / "report.docx")
    document = Document(str(path))
    assert "Safety map" in texts(document)
    ((name, alt, size),) = [p for p in pictures(document) if p[0] == "Safety map"]
    assert size[0] == 2000 and size[1] > 2000 / 1.6  # the map and the legend under it
    assert alt.startswith("Safety map of Wrenmoor Park, the underpass and Kestrel Parade")
    assert "A1: Unsafe area, “Mill Road underpass”, after school (3–6 pm)" in alt
    assert "C1" not in alt  # the review's session is not the assessment's
    rows = table_rows(document)
    assert ["Mark", "Place", "Rating", "Time of day", "What was said"] in rows
    assert any(r[:3] == ["B3", "Park benches", "Mixed pin"] for r in rows)


def test_the_plan_appendix_compares_before_and_after_and_says_what_changed(db, mapped, tmp_path):
    path = export_paper(db, "plan", mapped, tmp_path / "plan.docx")
    document = Document(str(path))
    assert "Appendix: safety map" in texts(document)
    ((_name, alt, size),) = [p for p in pictures(document) if p[0].startswith("Safety map")]
    assert size[0] == 2600
    assert alt.startswith("Two safety maps side by side. Before (Conference")
    assert "After (Review 1 · 4 Feb 2027)" in alt and "C6: Safe pin" in alt
    lines = texts(document)
    assert "Mill Road underpass: unsafe → mixed, safer (A1 → C1)." in lines
    assert "New: Corner shop (safe haven), safe (C6)." in lines
    assert "Marks at Review 1 · 4 Feb 2027" in lines


def test_no_map_no_section(db, example_id, tmp_path):
    from test_safety_map_cli import _without_map

    _without_map(db, example_id)
    for key in ("report", "plan"):
        document = Document(str(export_paper(db, key, example_id, tmp_path / f"{key}.docx")))
        assert not any("afety map" in t for t in texts(document))


def test_one_round_only_shows_one_map_in_the_appendix(db, conference_id, tmp_path):
    from drawn_map import draw_map

    safety_map.set_map_image(db, conference_id, draw_map(), "Park")
    session = safety_map.add_session(db, conference_id, "Residents")
    safety_map.add_mark(db, session.id, "pin", [(0.5, 0.5)], "safe", label="Hall")
    document = Document(str(export_paper(db, "plan", conference_id, tmp_path / "plan.docx")))
    ((name, alt, _size),) = pictures(document)
    assert name == "Safety map" and "A1: Safe pin, “Hall”" in alt
