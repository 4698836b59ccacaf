"""Every paper is built from the same record: exported from the command line, all kinds agree
on the meeting's date, time and venue, the next review and the people named."""

from __future__ import annotations

import docx
import pytest

from csfacilitator.cli import main as cli_main
from csfacilitator.core import conferences, documents
from csfacilitator.core.meetings import update_meeting
from csfacilitator.storage import open_database


def text_of(path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
    return "\n".join(parts)


@pytest.fixture
def example(paths, seed_example):
    cid = seed_example()
    database = open_database(paths)
    try:
        # Move the conference meeting: every paper must follow the one stored value.
        details = conferences.get_conference(database, cid)
        from csfacilitator.core.key_meetings import focus_meeting

        meeting = focus_meeting(database, cid)  # the conference meeting
        update_meeting(database, meeting, venue="Larkfield Library, Dunhaven")
        assert conferences.get_conference(database, cid).venue == "Larkfield Library, Dunhaven"
        return cid, details
    finally:
        database.close()


def test_every_paper_agrees_on_dates_venue_and_people(paths, example, tmp_path):
    cid, details = example
    written = {}
    for kind in documents.KINDS:
        if kind.key in ("closing", "actions", "you-said-we-did"):
            continue  # the closing record needs a closed conference; the CSV and the handout
            # for young people carry no dates
        out = tmp_path / f"{kind.key}.docx"
        argv = ["--data-dir", str(paths.root), "export", kind.key, str(cid), "--out", str(out)]
        assert cli_main(argv) == 0, kind.key
        written[kind.key] = text_of(out)
    about_the_conference = ("agenda", "invitations", "signin", "minutes")
    for key in about_the_conference:
        text = written[key]
        assert "5 November 2026" in text or "5 Nov 2026" in text, key
        assert "Larkfield Library, Dunhaven" in text, key
        if key != "minutes":  # (the board's own text mentions the hall)
            assert "Kestrel Community Hall" not in text, key  # the old venue is nowhere
    for key in ("minutes", "plan"):
        assert "6 May 2027" in written[key], key  # the next review: the scheduled meeting's
    for key in ("report", "plan", "minutes"):
        assert details.lead_practitioner in written[key], key
    assert details.place_manager.split(",")[0] in written["report"]
    assert details.place_manager.split(",")[0] in written["plan"]
