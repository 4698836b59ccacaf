"""Related conferences (issue 20): a conference whose context name or area shares a significant
word with an open or recent one is told so, with the reason, on the Overview (a button opens
it) and by `csfacilitator related`; generic words ("park") and old closed conferences are not
enough."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from csfacilitator.cli import main as cli_main
from csfacilitator.core import conferences
from csfacilitator.core.related import SAME_AREA, SAME_PLACE, related_conferences, words


def make(db, title, place, area="", **more):
    return conferences.create_conference(db, title, context_name=place, area=area, **more)


def test_words_fold_accents_and_leave_generic_ones_out():
    assert words("The Wrenmoor PARK, Café Row") == {"wrenmoor", "cafe", "row"}
    assert words("Bus station") == set()


def test_same_place_same_area_and_what_is_not_related(db):
    park = make(db, "Wrenmoor Park", "Wrenmoor Park", "Saltmarsh")
    street = make(db, "High street", "Wrenmoor High Street", "Town centre")
    other_park = make(db, "Victoria Park", "Victoria Park", "Northgate")
    school = make(db, "Academy corridors", "Saltmarsh Academy", "Saltmarsh")
    old = make(
        db,
        "Old Wrenmoor case",
        "Wrenmoor underpass",
        status="closed",
        closed_on=dt.date(2020, 1, 1),
    )
    found = related_conferences(db, park)
    assert [(r.conference_id, r.reason.split(":")[0]) for r in found] == [
        (school, SAME_PLACE),  # "Saltmarsh" is this conference's area and the school's name
        (street, SAME_PLACE),  # the same place first, then by title
    ]
    assert found[1].reason == "same place: both name “Wrenmoor”"
    assert other_park not in {r.conference_id for r in found}  # "park" alone is not a place
    assert old not in {r.conference_id for r in found}  # closed years ago
    assert [r.conference_id for r in related_conferences(db, other_park)] == []
    # An area alone relates two conferences too.
    shops = make(db, "Shops", "Kestrel Parade", "Saltmarsh")
    by_id = {r.conference_id: r for r in related_conferences(db, shops)}
    assert by_id[park].reason.startswith(SAME_AREA)


def test_cli_lists_related_conferences(paths, db, capsys):
    park = make(db, "Wrenmoor Park", "Wrenmoor Park")
    make(db, "High street", "Wrenmoor High Street")
    assert cli_main(["--data-dir", str(paths.root), "related", str(park)]) == 0
    assert "High street  (same place: both name “Wrenmoor”)" in capsys.readouterr().out


def test_overview_panel_says_so_and_its_button_opens_the_other(window, qtbot):
    db = window.db
    park = make(db, "Wrenmoor Park", "Wrenmoor Park")
    street = make(db, "High street", "Kestrel Road")
    window.open_conference(street)
    panel = window.overview.related
    assert panel.buttons == [] and "No open or recent conference" in panel.note.text()
    # Typing a context name that names the park's place: the panel says so.
    field = window.overview.fields["context_name"]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "Wrenmoor High Street")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: len(panel.buttons) == 1)
    button = panel.buttons[0]
    assert button.text() == "Open “Wrenmoor Park”" == button.accessibleName()
    assert "1 other conference is about this place" in panel.note.text()
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.conference_id == park)
    assert [b.text() for b in window.overview.related.buttons] == ["Open “High street”"]


def test_minutes_and_report_mention_related_conferences_by_title(db, tmp_path):
    import docx

    from tests.conftest import export_paper

    park = make(db, "Wrenmoor Park", "Wrenmoor Park")
    make(db, "High street", "Wrenmoor High Street")
    lonely = make(db, "Victoria Park", "Victoria Park")
    expected = "High street (same place: both name “Wrenmoor”)"
    minutes = docx.Document(export_paper(db, "minutes", park, tmp_path / "m.docx"))
    assert f"Related conferences: {expected}" in [p.text for p in minutes.paragraphs]
    report = docx.Document(export_paper(db, "report", park, tmp_path / "r.docx"))
    cells = [c.text for t in report.tables for r in t.rows for c in r.cells]
    assert "Related conferences" in cells and expected in cells
    alone = docx.Document(export_paper(db, "minutes", lonely, tmp_path / "v.docx"))
    assert not any("Related conferences" in p.text for p in alone.paragraphs)
