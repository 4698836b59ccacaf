"""Related conferences (issue 20): a conference whose context name or area shares a significant
word with an open or recent one is told so, with the reason, on the Overview (a button opens
it) and by `csfacilitator related`; generic words ("park") and old closed conferences are not
enough."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from csfacilitator.cli import main as cli_main
from csfacilitator.core import conferences
from csfacilitator.core.related import SAME_AREA, SAME_PLACE, related_conferences, words

pytestmark = pytest.mark.postgresql_too


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


@pytest.mark.sqlite_only("the command line opens the data folder's SQLite file")
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


@pytest.mark.sqlite_only("the command line opens the data folder's SQLite file")
def test_the_register_adds_other_names_and_links_with_reasons(paths, db, capsys):
    from csfacilitator.core import related

    park = make(db, "Wrenmoor Park", "Wrenmoor Park")
    arcade = make(db, "Arcade", "The Lanes Arcade")
    school = make(db, "Academy", "Saltmarsh Academy")
    assert related.related_conferences(db, park) == []
    # Another name for the arcade ("Wrenmoor Arcade") relates it to the park.
    related.set_register(db, arcade, aliases="  Wrenmoor  Arcade \n\n", map_ref="TQ 123 456")
    assert related.get_register(db, arcade) == related.ContextRegister(
        arcade, "Wrenmoor Arcade", "TQ 123 456"
    )
    assert [r.conference_id for r in related.related_conferences(db, park)] == [arcade]
    # A link by hand, with its reason, both ways; then no longer guessed as well.
    argv = ["--data-dir", str(paths.root), "related", str(park), "--link", str(school)]
    assert cli_main([*argv, "--reason", "same_setting", "--note", "pupils cross the park"]) == 0
    out = capsys.readouterr().out
    assert "Academy  (linked: same school or peer-group setting: pupils cross the park)" in out
    assert [link.conference_id for link in related.list_links(db, school)] == [park]
    assert cli_main([*argv, "--reason", "because"]) == 2
    assert "not one of" in capsys.readouterr().err
    assert related.related_lines(db, park)[0] == (
        "Academy (same school or peer-group setting: pupils cross the park)"
    )
    # Deleting a conference takes its register entry and links with it.
    conferences.delete_conference(db, school)
    assert related.list_links(db, park) == []


def test_overview_links_by_keyboard_and_unlinks(window, qtbot):
    db = window.db
    park = make(db, "Wrenmoor Park", "Wrenmoor Park")
    make(db, "Arcade", "The Lanes Arcade")
    window.open_conference(park)
    panel = window.overview.related
    assert panel.buttons == []
    # Also called: typed, then Tab stores it; the arcade is not related by name yet.
    panel.aliases.setFocus()
    qtbot.keyClicks(panel.aliases, "Wrenmoor rec; The Rec")
    qtbot.keyClick(panel.aliases, Qt.Key.Key_Tab)
    from csfacilitator.core import related

    assert related.get_register(db, park).aliases == "Wrenmoor rec\nThe Rec"
    # Link by keyboard: the conference, the reason, then the Link button.
    panel.other.setFocus()
    panel.other.setCurrentIndex(panel.other.findText("Arcade"))
    panel.reason.setCurrentIndex(panel.reason.findData("neighbouring_place"))
    panel.link_button.setFocus()
    qtbot.keyClick(panel.link_button, Qt.Key.Key_Space)
    assert [b.text() for b in panel.buttons] == ["Open “Arcade”"]
    assert "Linked to “Arcade”" in window.statusBar().currentMessage()
    (unlink,) = panel.unlink_buttons
    assert unlink.accessibleName() == "Unlink"
    assert unlink.accessibleDescription() == "Unlink “Arcade” from this conference"
    qtbot.keyClick(unlink, Qt.Key.Key_Space)
    assert panel.buttons == [] and related.list_links(db, park) == []
    for widget in (panel.aliases, panel.map_ref, panel.other, panel.reason, panel.link_button):
        assert widget.accessibleName()


def test_the_hand_over_file_carries_other_names_and_map_reference(db, tmp_path):
    """Format 7: the register's other names and map reference travel; links cannot."""
    from csfacilitator.core import bundle, related

    park = make(db, "Wrenmoor Park", "Wrenmoor Park")
    school = make(db, "Academy", "Saltmarsh Academy")
    related.set_register(db, park, aliases="The Rec\nWrenmoor recreation ground", map_ref="TQ 1")
    related.add_link(db, park, school, "neighbouring_place")
    path = bundle.write_bundle(db, park, tmp_path / "park.csfconf")
    copy = bundle.import_conference(db, bundle.read_bundle(path), on_conflict="copy")
    assert related.get_register(db, copy) == related.ContextRegister(
        copy, "The Rec\nWrenmoor recreation ground", "TQ 1"
    )
    assert related.list_links(db, copy) == []
    # Replacing the conference from a file without them clears them (the file is the truth).
    related.set_register(db, school, aliases="Old name")
    bare = bundle.write_bundle(db, school, tmp_path / "school.csfconf")
    related.set_register(db, school, aliases="Newer name")
    bundle.import_conference(db, bundle.read_bundle(bare), on_conflict="replace")
    assert related.get_register(db, school).aliases == "Old name"


def test_the_link_picker_reads_the_other_conferences_only_when_used(window, qtbot):
    """Showing a conference reads two rows to know whether Link can be used; the list of every
    other conference is read when the picker opens (or Link is pressed), not at every start."""
    db = window.db
    park = make(db, "Wrenmoor Park", "Wrenmoor Park")
    make(db, "Arcade", "The Lanes Arcade")
    window.open_conference(park)
    panel = window.overview.related
    assert panel.other.count() == 0 and panel.link_button.isEnabled()
    panel.other.showPopup()
    assert [panel.other.itemText(i) for i in range(panel.other.count())] == ["Arcade"]
    panel.other.hidePopup()
    # Link pressed before the picker was ever used links its first conference, as before.
    window.open_conference(park)
    assert panel.other.count() == 0
    qtbot.keyClick(panel.link_button, Qt.Key.Key_Space)
    assert [b.text() for b in panel.buttons] == ["Open “Arcade”"]
