"""Subject access (issue 20): a name planted in every text column of every table is found in
each place, and nowhere it was not planted; accents and case are folded, words are whole; the
command line and File → Subject access search… write a redaction-ready Word document."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from csfacilitator.cli import main as cli_main
from csfacilitator.core.model import Base
from csfacilitator.core.subject_access import fold, search, text_columns, where_words
from csfacilitator.gui.dialogs.subject_access_dialog import SubjectAccessDialog

pytestmark = pytest.mark.postgresql_too

PLANTED = "Zoë Ångström-Reid"
NEAR_MISSES = "Zoey Angstrom; ZoëÅngström; Zoë Ångströms; Zoë"


def _value_for(column, s, tables):
    """A value for a NOT NULL column with no default, to make a row in an empty table."""
    if column.foreign_keys:
        parent = next(iter(column.foreign_keys)).column.table
        return s.execute(sa.select(parent.c.id).limit(1)).scalar()
    kind = column.type.python_type if hasattr(column.type, "python_type") else str
    if kind is bool:
        return False
    if kind is int:
        return 1
    if kind is dt.datetime:
        return dt.datetime(2026, 1, 2, 3, 4)
    if kind is dt.date:
        return dt.date(2026, 1, 2)
    return f"x-{column.table.name}-{column.name}"[: getattr(column.type, "length", None) or 200]


def plant_everywhere(db) -> tuple[set[tuple[str, str, object]], int]:
    """Put the name into one row's every text column in every table (making a row where a
    table is empty); returns the (table, column, row id) planted and the columns covered."""
    planted: set[tuple[str, str, object]] = set()
    columns = 0
    with db.session() as s:
        sync_state = Base.metadata.tables["sync_state"]
        s.execute(sync_state.update().values(applying=True))  # no change-log copies
        for table in Base.metadata.sorted_tables:
            texts = text_columns(table)
            if not texts:
                continue
            key = list(table.primary_key.columns)[0]
            row_id = s.execute(sa.select(key).order_by(key).limit(1)).scalar()
            if row_id is None:
                values = {
                    c.name: _value_for(c, s, Base.metadata.tables)
                    for c in table.columns
                    if not c.nullable
                    and c.default is None
                    and c.server_default is None
                    and not (c.primary_key and len(table.primary_key.columns) == 1)
                }
                result = s.execute(table.insert().values(**values))
                row_id = values.get(key.name) or result.inserted_primary_key[0]
            s.execute(
                table.update()
                .where(key == row_id)
                .values({c.name: f"Before words {PLANTED} after words ({c.name})" for c in texts})
            )
            # A second row (where there is one) carries only near misses: never found.
            other = s.execute(sa.select(key).where(key != row_id).limit(1)).scalar()
            if other is not None:
                s.execute(
                    table.update().where(key == other).values({c.name: NEAR_MISSES for c in texts})
                )
            columns += len(texts)
            planted |= {(table.name, c.name, row_id) for c in texts}
        s.execute(sync_state.update().values(applying=False))
    return planted, columns


def test_a_name_planted_in_every_text_column_is_found_there_and_nowhere_else(db, example_id):
    planted, columns = plant_everywhere(db)
    assert columns > 60  # every table's text, not a hand-kept list
    # Accents and case folded: typed without them, in capitals, it is still found.
    result = search(db, "zoe   ANGSTROM-reid")
    found = {(m.table, m.field, m.row_id) for m in result.mentions}
    missing = planted - found
    assert not missing, sorted(missing)[:10]
    assert found == planted  # and nothing else: no near miss, no row left unplanted
    assert result.places_searched == columns
    for m in result.mentions:
        assert m.match == PLANTED
        assert m.before.endswith("Before words ") and m.after.startswith(" after words")
        assert m.where == where_words(m.table, m.field) and "_" not in m.where
    board = next(m for m in result.mentions if m.table == "board_point")
    assert board.conference_id == example_id and board.conference_title
    assert board.date is not None  # its meeting's date
    assert board.where == "Board point — text"


def test_whole_words_and_folding():
    folded, index = fold("Ärger ZOË")
    assert folded == "arger zoe" and index[-1] == 8
    from csfacilitator.core.subject_access import find_in, pattern_for

    pattern = pattern_for("Zoe")
    assert [hit[1] for hit in find_in("Zoë, zoe and Zoey; ZOË's", pattern)] == ["Zoë", "zoe", "ZOË"]


@pytest.mark.sqlite_only("the command line opens the data folder's SQLite file")
def test_cli_writes_a_redaction_ready_document(paths, db, example_id, tmp_path, capsys):
    from csfacilitator.core import conferences

    conferences.update_conference(db, example_id, notes="Spoke to Kai Ólafsson at the gate.")
    out = tmp_path / "sar.docx"
    argv = ["--data-dir", str(paths.root), "subject-access", "kai olafsson", "--out", str(out)]
    assert cli_main(argv) == 0
    printed = capsys.readouterr().out
    assert "Conference details — notes" in printed and f"Wrote {out}" in printed
    document = docx.Document(out)
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    assert rows[0][1:] == ["Conference", "Where", "Date", "Text around the mention"]
    assert len(rows) == 2 and rows[1][2] == "Conference details — notes"
    assert "Spoke to Kai Ólafsson at the gate." in rows[1][4]
    highlighted = [
        run.text
        for t in document.tables
        for r in t.rows
        for c in r.cells
        for p in c.paragraphs
        for run in p.runs
        if run.font.highlight_color is not None
    ]
    assert highlighted == ["Kai Ólafsson"]
    assert cli_main(["--data-dir", str(paths.root), "subject-access", "  "]) == 2


def test_file_menu_subject_access_search_finds_and_saves(window, qtbot, monkeypatch, tmp_path):
    window.open_example()
    from csfacilitator.core import conferences

    conferences.update_conference(window.db, window.conference_id, notes="Met Kai Ólafsson.")
    window.subject_access_action.trigger()
    dialog = window.findChild(SubjectAccessDialog)
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.phrase
    qtbot.keyClicks(dialog.phrase, "KAI OLAFSSON")
    qtbot.keyClick(dialog.phrase, Qt.Key.Key_Return)
    model = dialog.view.model()
    assert model.rowCount() == 1
    assert model.index(0, 1).data() == "Conference details — notes"
    assert model.index(0, 0).data() == window.title_label.text()
    assert dialog.note.text() == "1 mention of “KAI OLAFSSON”."
    target = tmp_path / "sar.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Met Kai Ólafsson." in [
        c.text for t in docx.Document(target).tables for r in t.rows for c in r.cells
    ]
    for widget in (dialog.search_button, dialog.save_button):
        assert widget.accessibleName() == widget.text().replace("&", "")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_fold_text_folds_exactly_as_fold_does():
    from csfacilitator.core.subject_access import fold_text

    for text in ["Ärger ZOË", "İstanbul Straße", "ﬁeld Ⅻ café", "Ω½ e\u0301\u0323", ""]:
        assert fold_text(text) == fold(text)[0], text
