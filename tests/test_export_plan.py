"""The intervention plan, the review record and the actions CSV: what the files say, how they
are laid out, how they are saved, and the commands that write them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import stat
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from sqlalchemy import select

from csfacilitator.core import plan, vocab
from csfacilitator.core.conferences import create_conference, update_conference
from csfacilitator.core.example import BASE_DATE, EXAMPLE_TITLE
from csfacilitator.core.meetings import list_meetings, update_meeting
from csfacilitator.core.model import ActionUpdate, Intervention
from csfacilitator.core.papers import actions as actions_paper
from csfacilitator.core.papers import plan as plan_paper
from csfacilitator.core.papers.review import gather as gather_review
from csfacilitator.errors import ExportError, NotFound, UserError
from csfacilitator.export import actions_csv
from csfacilitator.export import plan_doc as plan_export
from csfacilitator.export.actions_csv import COLUMNS, spreadsheet_safe
from csfacilitator.export.plan_doc import PLAN_COLUMNS
from csfacilitator.export.review_doc import REVIEW_COLUMNS
from csfacilitator.export.review_doc import save as save_review
from tests.harness.cli_runner import run_cli

EXAMPLE_REFERRAL = BASE_DATE - dt.timedelta(days=83)  # the example's referral date
gather_plan = plan_paper.gather


# The plan and the actions: gathered in the core, written by their export module.
def export_plan(db, cid, path, *, today=None):
    return plan_export.save(plan_paper.gather(db, cid, today=today), path)


def export_actions(db, cid, path, *, today=None):
    return actions_csv.save(actions_paper.gather(db, cid, today=today), path)


AFTER_REVIEW = dt.date(2027, 2, 20)  # the example's underpass repair (due 29 Jan) is overdue


def long_date(value: dt.date) -> str:
    from csfacilitator.export.docx_base import long_date as words

    return words(value)


def texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def header_values(table) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def row_flags(row) -> set[str]:
    tr_pr = row._tr.trPr
    return set() if tr_pr is None else {child.tag.split("}")[1] for child in tr_pr}


def vmerge(cell) -> str | None:
    """'restart', 'continue' or None: how the cell takes part in a vertical merge."""
    tc_pr = cell._tc.tcPr
    element = None if tc_pr is None else tc_pr.find(qn("w:vMerge"))
    if element is None:
        return None
    return element.get(qn("w:val")) or "continue"


def _example_document(tmp_path_factory, templates, write) -> tuple[Path, object]:  # noqa: ANN001
    """`write(db, example_id, folder)` run once on a copy of the example template: the file it
    wrote and the Document read from it. The tests of `plan_doc` and `review_doc` only read
    them, so one file serves a module."""
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    folder = tmp_path_factory.mktemp("example_document")
    paths = resolve(folder / "data")
    example = templates.seed(paths, example=True)
    database = open_database(paths)
    try:
        written = write(database, example, folder)
    finally:
        database.close()
    return written, docx.Document(str(written))


@pytest.fixture(scope="module")
def plan_doc(tmp_path_factory, templates):
    """The example's plan as of AFTER_REVIEW: its file and the Document read from it."""
    return _example_document(
        tmp_path_factory,
        templates,
        lambda db, cid, folder: export_plan(db, cid, folder / "plan", today=AFTER_REVIEW),
    )


# --- the intervention plan -------------------------------------------------------------------


def test_plan_file_is_private_with_docx_suffix(plan_doc):
    written, _document = plan_doc
    assert written.name == "plan.docx"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_plan_header_table_follows_the_appendix(plan_doc):
    _written, document = plan_doc
    values = header_values(document.tables[0])
    assert values["Assessment period"] == "1 September – 20 October 2026"
    assert values["Pre-meeting date"] == "Thursday 22 October 2026"
    assert values["Conference date"] == "Thursday 5 November 2026"
    assert values["Context"] == (
        "Wrenmoor Park, the Mill Road underpass and Kestrel Parade, Saltmarsh ward, Dunhaven"
    )
    assert values["Date of review"] == "Thursday 6 May 2027"
    assert values["Lead practitioner"] == "Tomasz Wiśniewski"
    # Who referred the context, when, and who manages the place (recorded on the Overview).
    assert values["Referred by"] == (
        f"Dunhaven District Contextual Safeguarding Group, on {long_date(EXAMPLE_REFERRAL)}"
    )
    assert values["Place manager"] == (
        "Siân Pritchard, Parks and Open Spaces Manager, Dunhaven Council"
    )
    attendees = values["Attendees"]
    assert "Siân Pritchard (Dunhaven Council – Parks and Open Spaces)" in attendees
    assert attendees.count(";") >= 5


def test_plan_table_has_its_headings_repeated_on_every_page(plan_doc):
    _written, document = plan_doc
    table = document.tables[1]
    assert tuple(c.text for c in table.rows[0].cells) == PLAN_COLUMNS
    assert PLAN_COLUMNS == (
        "Identified need or problem",
        "Intervention",
        "Agency / team responsible",
        "Owner",
        "Status",
        "Timescale",
    )
    assert "tblHeader" in row_flags(table.rows[0])
    assert all("tblHeader" not in row_flags(row) for row in table.rows[1:])
    assert all("cantSplit" in row_flags(row) for row in table.rows[1:])


def test_need_cell_spans_its_interventions(plan_doc, db, example_id):
    _written, document = plan_doc
    table = document.tables[1]
    needs = plan.get_plan(db, example_id)
    assert len(table.rows) == 1 + sum(len(n.interventions) for n in needs)
    row = 1
    for need in needs:
        count = len(need.interventions)
        group = [table.cell(row + i, 0) for i in range(count)]
        assert group[0].text == need.text
        # python-docx returns the one merged cell for every row it spans...
        assert all(cell._tc is group[0]._tc for cell in group)
        # ...and the XML says restart on the first row, continue on the others.
        cells = [table.rows[row + i]._tr.tc_lst[0] for i in range(count)]
        flags = [vmerge(docx.table._Cell(tc, table)) for tc in cells]
        assert flags == (["restart"] + ["continue"] * (count - 1) if count > 1 else [None])
        for i, action in enumerate(need.interventions):
            assert texts(table.cell(row + i, 1))[0] == action.text
        row += count
    assert table.cell(1, 0)._tc is not table.cell(4, 0)._tc


def test_owner_due_date_status_and_overdue_are_shown(plan_doc):
    _written, document = plan_doc
    table = document.tables[1]
    lighting, underpass, barrier = (table.rows[i].cells for i in (1, 2, 3))
    assert texts(lighting[2]) == ["Dunhaven Council – Parks and Open Spaces"]
    assert texts(lighting[3]) == ["Siân Pritchard"]  # the owner in a column of its own
    assert texts(lighting[4]) == ["In progress"]
    assert texts(lighting[5]) == ["By February half term", "Due 12 Feb 2027", "Overdue"]
    assert len(texts(lighting[1])) == 1  # the intervention alone, no status line under it
    # Not started says so; its due date has passed, so it is overdue; no owner named.
    assert texts(underpass[4]) == ["Not started"]
    assert texts(underpass[3]) == ["Not named"]
    assert texts(underpass[5]) == ["Within 12 weeks", "Due 29 Jan 2027", "Overdue"]
    # Done: never overdue, whatever the date.
    assert texts(barrier[4]) == ["Done"]
    assert "Overdue" not in texts(barrier[5])


def test_nothing_is_overdue_before_its_date(db, example_id, tmp_path):
    written = export_plan(db, example_id, tmp_path / "early.docx", today=dt.date(2026, 11, 20))
    table = docx.Document(str(written)).tables[1]
    assert not any("Overdue" in texts(row.cells[5]) for row in table.rows[1:])


def test_plan_page_is_landscape_a4_with_footer_and_clean_properties(plan_doc):
    _written, document = plan_doc
    section = document.sections[0]
    assert section.page_width > section.page_height
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("Confidential")
    instructions = " ".join(e.text for e in footer._p.iter(qn("w:instrText")))
    assert "PAGE" in instructions and "NUMPAGES" in instructions
    props = document.core_properties
    assert props.title == f"Intervention plan: {EXAMPLE_TITLE}"
    assert props.author == "" and props.comments == "" and props.keywords == ""
    assert "python-docx" not in (props.author, props.last_modified_by, props.comments)


def test_plan_is_in_british_english_with_its_owner_and_status_readable(plan_doc):
    """Word's language is en-GB (defaults and Normal style); every status is in words, "Not
    started" included, and every action's owner sits in its own column."""
    _written, document = plan_doc
    styles = document.styles.element
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-GB"
    normal = document.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    assert normal.get(qn("w:val")) == "en-GB"
    table = document.tables[1]
    statuses = [texts(row.cells[4]) for row in table.rows[1:]]
    assert all(len(status) == 1 for status in statuses)
    assert {s[0] for s in statuses} <= set(vocab.ACTION_STATUSES.values())
    assert ["Not started"] in statuses
    assert not any("Owner:" in row.cells[2].text for row in table.rows[1:])


def test_empty_plan_and_need_without_intervention_say_so(db, tmp_path):
    cid = create_conference(db, "Quiet corner")
    table = docx.Document(str(export_plan(db, cid, tmp_path / "empty.docx"))).tables[1]
    assert len(table.rows) == 2
    assert "No needs have been added" in table.rows[1].cells[0].text
    plan.add_need(db, cid, "Nobody walks through after dark")
    table = docx.Document(str(export_plan(db, cid, tmp_path / "one.docx"))).tables[1]
    assert table.rows[1].cells[0].text == "Nobody walks through after dark"
    assert table.rows[1].cells[1].text == "No intervention agreed yet"
    assert all(texts(table.rows[1].cells[i]) == [] for i in (3, 4, 5))  # nothing stray


def test_hostile_text_survives_into_the_plan(db, tmp_path):
    cid = create_conference(db, "Bad\x0bpaste \U0001f600")
    need = plan.add_need(db, cid, "مشكلة الإضاءة في الممر")
    long_text = "Lights " * 15_000
    plan.add_intervention(db, need.id, long_text, agency="Zoë\x0c & Co <script>", owner="@x")
    document = docx.Document(str(export_plan(db, cid, tmp_path / "hostile.docx")))
    table = document.tables[1]
    assert table.rows[1].cells[0].text == "مشكلة الإضاءة في الممر"
    assert table.rows[1].cells[1].text.startswith("Lights Lights")
    assert "Zoë" in table.rows[1].cells[2].text and "<script>" in table.rows[1].cells[2].text
    # A row taller than a page may break rather than be cut off.
    assert "cantSplit" not in row_flags(table.rows[1])
    assert "\U0001f600" in document.core_properties.title


def test_plan_errors_are_plain(db, tmp_path):
    cid = create_conference(db, "Somewhere")
    with pytest.raises(ExportError, match="does not exist"):
        export_plan(db, cid, tmp_path / "missing" / "plan.docx")
    with pytest.raises(NotFound):
        gather_plan(db, 9999)


# --- the review record -----------------------------------------------------------------------


def export_review(db, conference_id, path, meeting_id=None, *, today=None):
    """Gather then save, as the document registry does."""
    return save_review(gather_review(db, conference_id, meeting_id, today=today), path)


@pytest.fixture(scope="module")
def review_doc(tmp_path_factory, templates):
    """The example's review record: its file and the Document read from it."""
    return _example_document(
        tmp_path_factory,
        templates,
        lambda db, cid, folder: export_review(db, cid, folder / "review.docx"),
    )


def progress_table(document):
    return next(
        t for t in document.tables if tuple(c.text for c in t.rows[0].cells) == REVIEW_COLUMNS
    )


def body_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_review_record_details_attendance_and_next_review(review_doc):
    _written, document = review_doc
    values = header_values(document.tables[0])
    assert values["Meeting"] == "Review 1"  # the next one is already scheduled
    assert values["Date of review"] == "Thursday 4 February 2027"
    assert values["Next review"] == "Thursday 6 May 2027"
    text = body_text(document)
    assert "Present (9)" in text and "Apologies (2)" in text
    assert "Sgt Daniel Mensah (Dunhaven Police – Saltmarsh Safer Neighbourhoods Team)" in text
    assert "The next review meeting is on Thursday 6 May 2027." in text
    # Nothing typed as decisions: they come from the review board's Safety plan column.
    assert "No decisions were recorded." not in text
    assert "From the Safety plan column of this review's board:" in text
    assert "Chair to write to the head of highways about the underpass" in text
    assert "Since the conference on 5 Nov 2026." in text
    assert "9 actions: 1 not started, 5 in progress, 3 done. 1 overdue." in text


def test_review_table_shows_status_progress_and_overdue_on_the_day(review_doc):
    _written, document = review_doc
    table = document.tables[2]  # details, present, then progress
    assert tuple(c.text for c in table.rows[0].cells) == REVIEW_COLUMNS
    assert "tblHeader" in row_flags(table.rows[0])
    underpass = table.rows[2].cells
    assert texts(underpass[1]) == ["Repair the lighting in the Mill Road underpass"]
    assert texts(underpass[2]) == ["Dunhaven Council – Highways"]
    # Due 29 Jan, reviewed 4 Feb: overdue on the day of the review.
    assert texts(underpass[3]) == ["Within 12 weeks", "Due 29 Jan 2027", "Overdue"]
    assert texts(underpass[4]) == ["Not started"]
    assert underpass[5].text == "Not started. Chair to escalate to the head of highways."
    lighting = table.rows[1].cells
    assert texts(lighting[4]) == ["In progress"]
    assert "Overdue" not in texts(lighting[3])  # due 12 Feb: not yet overdue on 4 Feb
    assert table.cell(1, 0)._tc is table.cell(3, 0)._tc  # the need spans its three actions


def test_second_review_shows_what_changed_and_decisions(db, example_id, tmp_path):
    first, second = [m for m in list_meetings(db, example_id) if m.kind == "review"]
    assert second.date == dt.date(2027, 5, 6)  # scheduled in the example; held here
    update_meeting(
        db, second.id, decisions="- Close the underpass action\n• Invite the bus company"
    )
    with db.session() as s:
        underpass = s.scalar(
            select(Intervention).where(Intervention.text.like("Repair the lighting%"))
        )
        s.add(ActionUpdate(intervention_id=underpass.id, meeting_id=second.id, status="done",
                           note="Lights replaced in April."))  # fmt: skip
        underpass_id = underpass.id
    data = gather_review(db, example_id)  # the latest review held, by default
    assert data.meeting_id == second.id and data.meeting_name == "Review 2"
    assert data.previous_meeting == "review 1 on 4 Feb 2027"
    document = docx.Document(str(export_review(db, example_id, tmp_path / "r2.docx")))
    table = progress_table(document)
    row = table.rows[2].cells
    assert texts(row[4]) == ["Done", "Was: Not started"]
    assert row[5].text == "Lights replaced in April."
    assert table.rows[1].cells[5].text == "No update recorded at this review."
    assert texts(table.rows[1].cells[4]) == ["In progress", "Was: In progress"]
    barrier = table.rows[3].cells  # done by the first review, so not carried forward
    assert texts(barrier[4]) == ["Done", "Was: Done"]
    assert barrier[5].text == "Not carried forward: done at an earlier meeting."
    text = body_text(document)
    assert "Close the underpass action" in text and "Invite the bus company" in text
    assert "- Close" not in text and "•" not in text
    assert "No update was recorded for 5." in text  # the open ones; finished ones not counted
    # Held on the conference's planned review date, and no later one set yet.
    assert "A date for the next review has not been set yet." in text
    assert header_values(document.tables[0])["Next review"] == "Not set"
    # The first review can still be exported, unchanged by the second.
    older = gather_review(db, example_id, first.id)
    assert older.next_review_date == dt.date(2027, 5, 6)  # the review that followed it
    assert [a.status for a in older.actions if a.text.startswith("Repair the lighting")] == [
        "not_started"
    ]
    assert underpass_id


def board_of(document):
    headings = list(vocab.BOARD_COLUMNS.values())
    return next(t for t in document.tables if [c.text for c in t.rows[0].cells] == headings)


def test_review_record_says_which_meeting_and_shows_its_own_board(review_doc):
    _written, document = review_doc
    assert document.paragraphs[2].text == (
        "Meeting: Review 1 \u00b7 Thursday 4 February 2027 \u00b7 15:30 \u00b7 "
        "Kestrel Community Hall, Mill Lane, Dunhaven"
    )
    assert "Discussion at this review" in body_text(document)
    table = board_of(document)
    assert "tblHeader" in row_flags(table.rows[0])
    assert [c.text for c in table.rows[1].cells] == [
        "Groups still gather in the evening, but smaller (6–10) and leaving earlier",
        "Highways repair delayed by a contractor change",
        "Anti-social behaviour calls about the park down to 11 for November–January (19 last year)",
        "Chair to write to the head of highways about the underpass",
    ]
    drop_in = table.rows[2].cells[2]
    assert [(p.style.name, p.text) for p in drop_in.paragraphs] == [
        ("List Bullet", "Friday drop-in draws 15–25 young people each week"),
        ("List Bullet 2", "Young people choose the activities"),
    ]
    assert all("cantSplit" in row_flags(row) for row in table.rows[1:])
    decided = [p.text for p in document.paragraphs if p.style.name == "List Bullet"][-3:]
    assert decided == [
        "Chair to write to the head of highways about the underpass",
        "Youth service to recruit and train two more drop-in volunteers",
        "Keep patrols and detached work going; review again in three months",
    ]


def test_typed_decisions_win_over_the_board(db, example_id):
    first = [m for m in list_meetings(db, example_id) if m.kind == "review"][0]
    assert gather_review(db, example_id, first.id).decisions_from_board  # nothing typed yet
    update_meeting(db, first.id, decisions="Write to highways")
    data = gather_review(db, example_id, first.id)
    assert data.decision_lines == ["Write to highways"] and data.decisions_from_board == ()


def test_review_record_file_name_language_and_title(db, example_id, review_doc):
    from csfacilitator.export.review_doc import filename

    _written, document = review_doc
    assert document.core_properties.title == f"Review record: {EXAMPLE_TITLE}"
    lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"
    assert filename(gather_review(db, example_id)) == (
        "Review record - Example Wrenmoor Park and Kestrel Parade - 2027-02-04.docx"
    )  # one space where the title's colon was


def test_review_started_from_the_plan_tab_reads_back(db, example_id, tmp_path):
    from csfacilitator.core import reviews

    meeting = reviews.start_review(db, example_id, dt.date(2027, 5, 6))
    actions = {i.text: i for need in plan.get_plan(db, example_id) for i in need.interventions}
    underpass = actions["Repair the lighting in the Mill Road underpass"]
    reviews.record_progress(db, underpass.id, meeting.id, "in_progress", "Contractor booked.")
    table = progress_table(docx.Document(str(export_review(db, example_id, tmp_path / "r.docx"))))
    rows = {row.cells[1].paragraphs[0].text: row.cells for row in table.rows[1:]}
    assert texts(rows[underpass.text][4]) == ["In progress", "Was: Not started"]
    assert rows[underpass.text][5].text == "Contractor booked."
    carried = rows["Open football sessions on Thursday evenings"]
    assert carried[5].text == "No progress noted."  # carried forward, nothing said yet
    done = rows["Close the car park barrier at dusk every day"]
    assert done[5].text == "Not carried forward: done at an earlier meeting."


def test_review_needs_a_review_meeting(db, example_id, tmp_path):
    cid = create_conference(db, "Not reviewed yet")
    with pytest.raises(UserError, match="no review meeting yet"):
        export_review(db, cid, tmp_path / "x.docx")
    conference_meeting = [m for m in list_meetings(db, example_id) if m.kind == "conference"][0]
    with pytest.raises(UserError, match="not a review"):
        gather_review(db, example_id, conference_meeting.id)
    with pytest.raises(NotFound):
        gather_review(db, example_id, 9999)
    assert not list(tmp_path.glob("*.docx"))


def test_closed_conference_review_says_so(db, example_id):
    update_conference(db, example_id, status="closed", closed_on=dt.date(2027, 6, 1))
    assert gather_review(db, example_id).closed_on == dt.date(2027, 6, 1)


# --- the actions CSV -------------------------------------------------------------------------


def read_csv(path: Path) -> tuple[bytes, list[list[str]]]:
    raw = path.read_bytes()
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_actions_csv_opens_with_the_csv_module(db, example_id, tmp_path):
    written = export_actions(db, example_id, tmp_path / "actions", today=AFTER_REVIEW)
    assert written.suffix == ".csv"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    raw, rows = read_csv(written)
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 1 + 9
    record = dict(zip(COLUMNS, rows[1], strict=True))
    assert record["Owner"] == "Siân Pritchard"
    assert record["Due date"] == "12/02/2027"
    assert record["Status"] == "In progress"
    assert record["Overdue"] == "Yes"
    assert record["Last update"].startswith("04/02/2027: Survey done")
    barrier = dict(zip(COLUMNS, rows[3], strict=True))
    assert barrier["Status"] == "Done" and barrier["Overdue"] == "No"
    assert barrier["Due date"] == "01/12/2026"


def test_formulas_are_neutralised_and_lines_kept(db, tmp_path):
    cid = create_conference(db, "Formula test")
    need = plan.add_need(db, cid, "=1+1")
    plan.add_intervention(
        db,
        need.id,
        '=HYPERLINK("http://example.invalid","click")',
        agency="+44 20 7946 0000",
        owner="@owner",
        timescale="-3 weeks",
        progress="First line\nSecond line, with a comma",
    )
    _raw, rows = read_csv(export_actions(db, cid, tmp_path / "f.csv"))
    record = dict(zip(COLUMNS, rows[1], strict=True))
    assert record["Need"] == "'=1+1"
    assert record["Intervention"].startswith("'=HYPERLINK")
    assert record["Agency / team"] == "'+44 20 7946 0000"
    assert record["Owner"] == "'@owner"
    assert record["Timescale"] == "'-3 weeks"
    assert record["Progress"] == "First line\nSecond line, with a comma"
    assert record["Due date"] == "" and record["Last update"] == ""
    assert spreadsheet_safe("  =cmd") == "'  =cmd"
    assert spreadsheet_safe("\t=cmd").startswith("'")
    assert spreadsheet_safe("Safe – 3 weeks") == "Safe – 3 weeks"


def test_failed_csv_write_keeps_the_old_file(db, example_id, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "actions.csv"
    target.write_text("old content")

    def refuse(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError, match="open in another program"):
        export_actions(db, example_id, target)
    assert target.read_text() == "old content"
    assert [p.name for p in folder.iterdir()] == ["actions.csv"]


# --- the commands ----------------------------------------------------------------------------


def example_folder(tmp_path: Path, templates) -> Path:
    """A data folder holding the example: a copy of its template (made once through
    add_example), quicker than `example` or importing it again."""
    from csfacilitator.paths import resolve

    paths = resolve(tmp_path / "d")
    templates.seed(paths, example=True)
    return paths.root


def test_commands_write_and_log_the_exports(tmp_path, templates):
    data = example_folder(tmp_path, templates)
    for kind, name in (("plan", "p.docx"), ("review", "r.docx"), ("actions", "a.csv")):
        result = run_cli(
            "export", kind, EXAMPLE_TITLE, "--out", str(tmp_path / name), data_dir=data
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"Wrote {tmp_path / name}"
        assert (tmp_path / name).stat().st_size > 0
    from csfacilitator.core.export_log import list_exports
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    database = open_database(resolve(data))
    try:
        logged = {(e.kind, Path(e.path).name) for e in list_exports(database)}
    finally:
        database.close()
    assert logged == {("plan", "p.docx"), ("review", "r.docx"), ("actions", "a.csv")}


def test_commands_fail_with_one_plain_line(tmp_path, templates):
    data = example_folder(tmp_path, templates)
    result = run_cli(
        "export", "review", "1", "--meeting", "2", "--out", str(tmp_path / "x"), data_dir=data
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "not a review" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("x*"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_plan_and_the_review(plan_doc, review_doc, tmp_path):
    out = tmp_path / "pdf"
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
         "--convert-to", "pdf", "--outdir", str(out), str(plan_doc[0]), str(review_doc[0])],
        capture_output=True,
        timeout=180,
    )  # fmt: skip
    assert result.returncode == 0
    assert (out / "plan.pdf").stat().st_size > 10_000
    assert (out / "review.pdf").stat().st_size > 10_000


# --- the export menu -------------------------------------------------------------------------


def test_export_menu_writes_plan_review_and_csv(qtbot, paths, templates, monkeypatch, tmp_path):
    example = templates.seed(paths, example=True)  # the example alone, copied
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from csfacilitator.app import create_window
    from csfacilitator.core.export_log import list_exports

    window = create_window(paths.root)
    qtbot.addWidget(window)
    window.show()
    assert not window.document_actions["plan"].isEnabled()  # nothing open yet
    labels = [a.text() for a in window.export_menu.actions()]
    assert {"&Intervention plan…", "&Review record…", "Actions for spreadsheets (&CSV)…"} <= set(
        labels
    )
    window.open_conference(example)
    offered = []

    def save_as(_parent, _title, suggested, file_filter):
        offered.append((Path(suggested).name, file_filter))
        return str(tmp_path / Path(suggested).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    from tests.test_sharing import answer_sharing  # issue 20: every export asks who and why

    answer_sharing(qtbot, times=3)
    window.document_actions["plan"].trigger()
    window.document_actions["review"].trigger()
    window.document_actions["actions"].trigger()
    stem = EXAMPLE_TITLE.replace(":", "")  # no colon in a Windows file name, no double space
    assert "  " not in stem
    assert [name for name, _filter in offered] == [
        f"Intervention plan - {stem} - 2026-11-05.docx",
        f"Review record - {stem} - 2027-02-04.docx",
        f"Actions - {stem}.csv",
    ]
    assert offered[2][1].endswith("(*.csv)")
    assert {e.kind for e in list_exports(window.db)} == {"plan", "review", "actions"}
    assert all((tmp_path / name).exists() for name, _filter in offered)

    # A conference with no review yet: the command is off, and nothing opens.
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    window.new_conference()
    assert not window.document_actions["review"].isEnabled()
    window.document_actions["review"].trigger()
    assert len(offered) == 3 and warned == []
    window.close()


def test_review_record_default_meeting_is_a_review_even_when_the_focus_is_not(db, example_id):
    from csfacilitator.core.key_meetings import remember_focus
    from csfacilitator.core.papers.review import default_meeting

    meetings = list_meetings(db, example_id)
    conference = next(m for m in meetings if m.kind == "conference")
    first = next(m for m in meetings if m.kind == "review")
    with db.session() as s:
        remember_focus(s, example_id, conference.id)  # the board last showed the conference
    assert default_meeting(db, example_id) == first.id  # the latest review held
    assert gather_review(db, example_id).meeting_id == first.id
    assert default_meeting(db, create_conference(db, "No reviews")) is None
