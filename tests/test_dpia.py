"""The DPIA starter (issue 20): a registry kind filled in with what the app knows — what is
stored (every table with text is in a category), where, encryption, backups, retention, the
team store and who documents were shared with — and headings for the data protection officer."""

from __future__ import annotations

import docx

from csfacilitator.cli import main as cli_main
from csfacilitator.core import documents
from csfacilitator.core.export_log import checked_answer, record_export
from csfacilitator.core.model import Base
from csfacilitator.core.papers.dpia import CATEGORIES, DPO_HEADINGS, gather
from csfacilitator.core.preferences import RETENTION_MONTHS, set_preference
from csfacilitator.core.subject_access import text_columns


def test_every_table_that_holds_text_is_in_a_category():
    named = {table for _n, _w, tables in CATEGORIES for table in tables}
    holding_text = {t.name for t in Base.metadata.sorted_tables if text_columns(t)}
    assert holding_text - named == set()


def test_the_starter_says_what_the_app_knows(paths, db, example_id, tmp_path):
    set_preference(db, RETENTION_MONTHS, 18)
    answer = checked_answer("Police safer schools team", "public_task")
    record_export(db, example_id, "minutes", tmp_path / "m.docx", sharing=answer)
    record_export(db, example_id, "plan", tmp_path / "p.docx", sharing=answer)
    paper = gather(db, example_id)
    assert paper.retention_months == 18 and paper.encrypted == db.encrypted
    assert paper.data_folder == str(paths.root) and paper.team_store is None
    assert paper.shared_with == (("Police safer schools team", "Public task", 2),)
    assert documents.kind("dpia").label == "DPIA starter"

    out = tmp_path / "dpia.docx"
    argv = ["--data-dir", str(paths.root), "export", "dpia", str(example_id), "--out", str(out)]
    assert cli_main(argv) == 0  # the example's remembered answer covers the sharing question
    document = docx.Document(out)
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [h for h, _prompt in DPO_HEADINGS] == headings[-len(DPO_HEADINGS) :]
    assert "18 months" in " ".join(cells)
    assert str(paths.root) in cells and "Not set up: all data stays on this computer" in cells
    assert "Police safer schools team" in cells and "Public task" in cells
    assert "Partners (invitees)" in cells
    assert ("Off:" if not db.encrypted else "On:") in " ".join(cells)
    assert "What the app knows" in text
