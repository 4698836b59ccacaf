"""The closing record: the final record of a closed conference (what changed, the measures,
the partners' feedback, the final state of every action), refused while it is not closed."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from docx.oxml.ns import qn

from csfacilitator.core import reviews
from csfacilitator.core.closing import close_conference, reopen_conference
from csfacilitator.core.example import EXAMPLE_TITLE
from csfacilitator.core.meetings import list_meetings
from csfacilitator.core.papers.closing import NOT_CLOSED, gather
from csfacilitator.core.plan import get_plan, update_intervention
from csfacilitator.errors import UserError
from csfacilitator.export.closing_doc import FINAL_COLUMNS, filename, save

pytestmark = pytest.mark.postgresql_too

CLOSED_ON = dt.date(2027, 6, 3)
SUMMARY = "Groups no longer gather at the underpass after dark.\nThe parade shops feel safer."
MEASURES = (
    "- Police calls about the park, Nov–Jan: 19 last year, 11 this year\n- Drop-in: 25 a week"
)
FEEDBACK = "Residents' association: the park feels like ours again."


@pytest.fixture
def closed(db, example_id):
    close_conference(
        db, example_id, closed_on=CLOSED_ON, summary=SUMMARY, measures=MEASURES, feedback=FEEDBACK
    )
    return example_id


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def final_table(document):
    return next(
        t for t in document.tables if tuple(c.text for c in t.rows[0].cells) == FINAL_COLUMNS
    )


def test_not_closed_is_refused_in_one_sentence(db, example_id, tmp_path):
    with pytest.raises(UserError) as refused:
        gather(db, example_id)
    assert str(refused.value) == NOT_CLOSED and "\n" not in NOT_CLOSED
    close_conference(db, example_id, closed_on=CLOSED_ON)
    reopen_conference(db, example_id)  # reopened: the outcome is kept, but it is not closed
    with pytest.raises(UserError, match="not closed yet"):
        gather(db, example_id)


def test_closing_record_carries_the_outcome(db, closed, tmp_path):
    data = gather(db, closed)
    written = save(data, tmp_path / "closing")
    assert written.name == "closing.docx"
    document = docx.Document(str(written))
    lines = paragraphs(document)
    assert lines[:3] == [
        "Closing record",
        EXAMPLE_TITLE,
        "Conference closed on Thursday 3 June 2027",
    ]
    details = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert details["Closed on"] == "Thursday 3 June 2027"
    assert details["Meetings held"].startswith("Pre-meeting, Thursday 22 October 2026; ")
    assert "Review 1, Thursday 4 February 2027" in details["Meetings held"]
    assert "Groups no longer gather at the underpass after dark." in lines
    assert "The parade shops feel safer." in lines
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets[:2] == [  # then the outcome measures' lines (tests/test_outcomes_export.py)
        "Police calls about the park, Nov–Jan: 19 last year, 11 this year",
        "Drop-in: 25 a week",
    ]
    assert FEEDBACK in lines
    assert document.core_properties.title == f"Closing record: {EXAMPLE_TITLE}"
    lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"
    assert filename(data) == (
        "Closing record - Example Wrenmoor Park and Kestrel Parade - 2027-06-03.docx"
    )


def test_every_action_with_its_final_state_and_last_note(db, closed, tmp_path):
    actions = {i.text: i for need in get_plan(db, closed) for i in need.interventions}
    underpass = actions["Repair the lighting in the Mill Road underpass"]
    second = [m for m in list_meetings(db, closed) if m.kind == "review"][1]
    reviews.record_progress(db, underpass.id, second.id, "done", "Lights replaced in April.")
    patrols = actions[
        "Vary patrols to include the car park from 8pm to 10pm and share patterns monthly"
    ]
    update_intervention(db, patrols.id, progress="Old note\nPatterns shared in May.")
    data = gather(db, closed)
    assert len(data.actions) == len(actions)
    document = docx.Document(str(save(data, tmp_path / "c.docx")))
    table = final_table(document)
    header, *rows = table.rows
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    by_action = {row.cells[1].text: row.cells for row in rows}
    assert len(by_action) == len(actions)
    cells = by_action[underpass.text]
    assert [c.text for c in cells[2:5]] == ["Dunhaven Council – Highways", "Not named", "Done"]
    assert [p.text for p in cells[5].paragraphs] == [
        "Lights replaced in April.",
        "Review 2, 6 May 2027",
    ]
    assert [p.text for p in by_action[patrols.text][5].paragraphs][-1] == "Review 1, 4 Feb 2027"
    assert "9 actions:" in "\n".join(paragraphs(document))


def test_running_notes_stand_in_when_no_review_noted_anything(db, tmp_path):
    from csfacilitator.core.conferences import create_conference
    from csfacilitator.core.plan import add_intervention, add_need

    cid = create_conference(db, "Quiet case")
    need = add_need(db, cid, "Dark path")
    add_intervention(db, need.id, "Fix lamps", status="done", progress="Asked\nFixed in March.")
    add_intervention(db, need.id, "Trim hedges")
    close_conference(db, cid, closed_on=CLOSED_ON)
    data = gather(db, cid)
    assert [(a.status, a.note, a.note_from) for a in data.actions] == [
        ("done", "Fixed in March.", "Running notes"),
        ("not_started", "", ""),
    ]
    document = docx.Document(str(save(data, tmp_path / "q.docx")))
    lines = paragraphs(document)
    assert "Not recorded." in lines and "No measures were recorded." in lines
    assert "No feedback was recorded." in lines
    rows = final_table(document).rows
    assert rows[2].cells[4].text == "Not started"
    assert rows[2].cells[5].text == "No progress noted."
