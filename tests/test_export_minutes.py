"""The minutes export: what the Word file says, how it is laid out, and how it is saved."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from csfacilitator.core import vocab
from csfacilitator.core.conferences import conference_meetings, create_conference
from csfacilitator.core.meetings import add_meeting
from csfacilitator.core.model import Attendance, BoardPoint, Invitee, Meeting, Referral
from csfacilitator.core.papers.minutes import AgendaEntry, Attendee
from csfacilitator.core.papers.minutes import gather as gather_minutes
from csfacilitator.errors import ExportError, NotFound
from csfacilitator.export.minutes import ACTION_COLUMNS, save
from csfacilitator.export.minutes import filename as suggested_filename

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REFERRAL_REFERENCE = "REF-77-SECRET"
REFERRAL_TEAM = "Front door team Zeta"
PEOPLE = (
    ("Priya Shah", "Independent chair", "Chair", "present"),
    ("Tom Okafor", "Children's social care", "Lead practitioner", "present"),
    ("Helen Ward", "Police", "Neighbourhood sergeant", "present"),
    ("Rachel Green", "Eastbury Housing", "Estate officer", "apologies"),
    ("Ian Cole", "St Mark's Church", "Vicar", "absent"),
)


def export_minutes(db, conference_id, path, meeting_id=None, *, author=""):
    """Gather then save, as the document registry does."""
    return save(gather_minutes(db, conference_id, meeting_id), path, author=author)


def add_points(s, meeting_id: int, column: str, tree, parent_id=None) -> None:
    """tree: [(text, [subtree...]), ...] stored as board points in order."""
    for position, (text, children) in enumerate(tree):
        row = BoardPoint(
            meeting_id=meeting_id, column=column, parent_id=parent_id, position=position, text=text
        )
        s.add(row)
        s.flush()
        add_points(s, meeting_id, column, children, row.id)


def make_conference(db, *, board=None, title="Northside Park") -> tuple[int, int]:
    cid = create_conference(
        db,
        title,
        context_type="neighbourhood",
        context_name="Northside Park",
        area="Eastbury",
        chair="Priya Shah",
        lead_practitioner="Tom Okafor",
        coordinator_1="Ana Ruiz",
        coordinator_2="Ben Clarke",
        venue="Eastbury Community Hall",
        conference_date=dt.date(2025, 3, 12),
        next_review_date=dt.date(2025, 6, 11),
    )
    mid = conference_meetings(db, cid)[0]
    if board is None:
        board = {
            "concerns": [("Dealing near the skate park", [("Seen after 8pm", [])])],
            "complicating": [("Wardens finish at 6pm", [])],
            "strengths": [("Football club at the academy", [])],
            "safety_plan": [
                ("Repair lighting on the lake path", [("Report back in April", [("Funded", [])])])
            ],
        }
    with db.session() as s:
        s.get(Meeting, mid).time = dt.time(10, 0)
        for position, (name, org, role, state) in enumerate(PEOPLE):
            invitee = Invitee(
                conference_id=cid, position=position, name=name, organisation=org, role=role
            )
            s.add(invitee)
            s.flush()
            s.add(Attendance(invitee_id=invitee.id, meeting_id=mid, state=state))
        s.add(Referral(meeting_id=mid, team=REFERRAL_TEAM, reference=REFERRAL_REFERENCE))
        for column, tree in board.items():
            add_points(s, mid, column, tree)
    return cid, mid


def open_docx(path: Path):
    import docx

    return docx.Document(str(path))


def package_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )


def board_table(document):
    headings = list(vocab.BOARD_COLUMNS.values())
    for table in document.tables:
        if [c.text for c in table.rows[0].cells] == headings:
            return table
    raise AssertionError("no table has the four board headings in its first row")


@pytest.fixture
def exported(db, tmp_path):
    cid, mid = make_conference(db)
    path = export_minutes(db, cid, tmp_path / "minutes.docx")
    return path, cid, mid


def test_core_properties_are_ours_not_the_template(exported):
    path, _, _ = exported
    props = open_docx(path).core_properties
    assert props.title == "Minutes: Northside Park"
    assert "12 March 2025" in props.subject
    assert props.author == "" and props.last_modified_by == ""
    assert props.comments == "" and props.keywords == ""
    assert props.revision == 1
    created = props.created.replace(tzinfo=dt.timezone.utc)  # python-docx reads UTC
    assert created.year != 2013
    assert abs((created - dt.datetime.now(dt.timezone.utc)).total_seconds()) < 120
    assert props.modified == props.created
    everything = package_text(path)
    assert "python-docx" not in everything
    assert "2013-" not in everything
    assert "Macintosh" not in everything
    with zipfile.ZipFile(path) as archive:
        assert not [n for n in archive.namelist() if "thumbnail" in n]


def test_author_comes_from_the_user(db, tmp_path):
    cid, _ = make_conference(db)
    path = export_minutes(db, cid, tmp_path / "m.docx", author="Ana Ruiz")
    assert open_docx(path).core_properties.author == "Ana Ruiz"


def test_pages_are_landscape_a4_with_header_and_footer(exported):
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    path, _, _ = exported
    document = open_docx(path)
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert abs(section.page_width - Mm(297)) < Mm(1)
    assert abs(section.page_height - Mm(210)) < Mm(1)
    footer = section.footer.paragraphs[0]
    assert "Confidential: shared under the information-sharing agreement" in footer.text
    instructions = [e.text.strip() for e in footer._p.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "Page 1 of 1" in footer.text  # placeholders until Word or LibreOffice updates them
    assert "Northside Park" in section.header.paragraphs[0].text


def test_title_block_and_headings(exported):
    path, _, _ = exported
    document = open_docx(path)
    by_style = {}
    for paragraph in document.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["Heading 1"] == ["Northside Park"]
    for heading in ("Attendance", "Agenda", "Discussion", "Next review"):
        assert heading in by_style["Heading 2"]
    details = document.tables[0]
    text = [[c.text for c in row.cells] for row in details.rows]
    flat = " | ".join(" | ".join(row) for row in text)
    for expected in (
        "Northside Park, Eastbury (Neighbourhood / public space)",
        "Conference",
        "Wednesday 12 March 2025",
        "10:00",
        "Eastbury Community Hall",
        "Priya Shah",
        "Tom Okafor",
        "Ana Ruiz and Ben Clarke",
    ):
        assert expected in flat
    body = "\n".join(p.text for p in document.paragraphs)
    assert "The next review meeting is on Wednesday 11 June 2025." in body


def test_agenda_is_numbered_with_who_leads(exported):
    path, _, _ = exported
    lines = [p.text for p in open_docx(path).paragraphs]
    first, last = vocab.DEFAULT_AGENDA[0], vocab.DEFAULT_AGENDA[-1]
    assert f"1.\t{first[0]}  \u2013  {first[1]}" in lines
    assert f"{len(vocab.DEFAULT_AGENDA)}.\t{last[0]}  \u2013  {last[1]}" in lines


def test_attendance_lists_present_and_apologies_only(exported):
    path, _, _ = exported
    document = open_docx(path)
    present = next(t for t in document.tables if t.rows[0].cells[0].text == "Name")
    rows = [[c.text for c in row.cells] for row in present.rows[1:]]
    assert rows == [[n, o, r] for n, o, r, state in PEOPLE if state == "present"]
    assert present.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["Rachel Green (Eastbury Housing, Estate officer)"]
    assert "Ian Cole" not in package_text(path)


def test_board_is_one_table_with_nested_bullets_and_repeated_header(exported):
    path, _, _ = exported
    table = board_table(open_docx(path))
    assert len(table.rows) == 2
    header, body = table.rows
    assert header._tr.trPr.find(f"{W}tblHeader") is not None
    assert body._tr.trPr.find(f"{W}cantSplit") is not None  # no point cut by a page break
    concerns, _, _, plan = body.cells
    assert [(p.style.name, p.text) for p in concerns.paragraphs] == [
        ("List Bullet", "Dealing near the skate park"),
        ("List Bullet 2", "Seen after 8pm"),
    ]
    assert [(p.style.name, p.text) for p in plan.paragraphs] == [
        ("List Bullet", "Repair lighting on the lake path"),
        ("List Bullet 2", "Report back in April"),
        ("List Bullet 3", "Funded"),
    ]


def test_empty_board_columns_say_so(db, tmp_path):
    cid, _ = make_conference(db, board={"strengths": [("Active residents", [])]})
    table = board_table(open_docx(export_minutes(db, cid, tmp_path / "m.docx")))
    texts = [c.text for c in table.rows[1].cells]
    assert texts == [
        "Nothing recorded.",
        "Nothing recorded.",
        "Active residents",
        "Nothing recorded.",
    ]


def test_column_widths_are_on_the_grid_and_on_every_cell(exported):
    path, _, _ = exported
    table = board_table(open_docx(path))
    grid = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.iter(f"{W}gridCol")]
    assert len(grid) == 4 and min(grid) > 3000  # about 67 mm each, in twips
    for row in table.rows:
        cells = [int(tc.tcPr.find(f"{W}tcW").get(f"{W}w")) for tc in row._tr.tc_lst]
        assert cells == grid
    layout = table._tbl.tblPr.find(f"{W}tblLayout")
    assert layout is not None and layout.get(f"{W}type") == "fixed"


def test_referrals_never_reach_the_document(exported):
    path, _, _ = exported
    everything = package_text(path)
    assert REFERRAL_REFERENCE not in everything
    assert REFERRAL_TEAM not in everything
    assert "eferral" not in everything


def test_default_meeting_is_the_conference_and_others_can_be_chosen(db, tmp_path):
    cid, mid = make_conference(db)
    review = add_meeting(db, cid, "review", date=dt.date(2025, 6, 11), venue="Library")
    assert gather_minutes(db, cid).meeting_id == mid
    data = gather_minutes(db, cid, review.id)
    assert data.meeting_kind == "Review" and data.venue == "Library"
    assert data.present == () and data.agenda[0].title == vocab.REVIEW_AGENDA[0][0]
    other, _ = make_conference(db, title="Elsewhere")
    with pytest.raises(NotFound):
        gather_minutes(db, other, review.id)
    with pytest.raises(NotFound):
        gather_minutes(db, 9999)


def test_gathered_data_is_what_the_privacy_check_needs(db):
    cid, mid = make_conference(db)
    data = gather_minutes(db, cid)
    assert data.meeting_id == mid
    assert data.board["safety_plan"][0].children[0].children[0].text == "Funded"
    assert data.point_count == 7
    assert suggested_filename(data) == "Minutes - Northside Park - 2025-03-12.docx"


def test_hostile_text_exports_and_survives(db, tmp_path):
    huge = "x" * 100_000
    nasty = "tab\x0bvertical\x0cform\x00nul\x1b lone"
    arabic = "مخاوف بشأن الإضاءة في الحديقة"
    board = {
        "concerns": [(nasty, [("emoji \U0001f6b8\U0001f3fd ok", [])])],
        "complicating": [(arabic, [])],
        "strengths": [(huge, [])],
        "safety_plan": [("Line one\nLine two", [])],
    }
    cid, mid = make_conference(db, board=board, title=f"Title {nasty} {huge}")
    with db.session() as s:
        invitee = Invitee(conference_id=cid, name=arabic + " \U0001f600", organisation=nasty)
        s.add(invitee)
        s.flush()
        s.add(Attendance(invitee_id=invitee.id, meeting_id=mid, state="present"))
    path = export_minutes(db, cid, tmp_path / "hostile.docx")
    document = open_docx(path)
    assert len(document.core_properties.title) <= 255
    cells = board_table(document).rows[1].cells
    assert cells[0].paragraphs[0].text == "tab\nvertical\nformnul lone"
    assert cells[0].paragraphs[1].text == "emoji \U0001f6b8\U0001f3fd ok"
    arabic_paragraph = cells[1].paragraphs[0]
    assert arabic_paragraph.text == arabic
    assert arabic_paragraph._p.pPr.find(f"{W}bidi") is not None  # laid out right to left
    assert cells[2].paragraphs[0].text == huge
    assert cells[3].paragraphs[0].text == "Line one\nLine two"
    assert arabic + " \U0001f600" in package_text(path)


def test_lone_surrogate_is_cleaned_at_the_edge(db, tmp_path):
    """SQLite cannot store one, but the builder takes any data (a paste, an import)."""
    from csfacilitator.core.board import PointRecord
    from csfacilitator.export.docx_base import save_atomic
    from csfacilitator.export.minutes import build as build_minutes

    cid, mid = make_conference(db)
    data = gather_minutes(db, cid)
    broken = "half \ud800 a pair"
    point = PointRecord(1, mid, "concerns", None, 0, broken)
    data = replace(
        data,
        title=broken,
        chair=broken,
        agenda=(AgendaEntry(broken, broken),),
        apologies=(Attendee(broken, broken, broken),),
        board={**data.board, "concerns": (point,)},
    )
    path = save_atomic(build_minutes(data, author=broken), tmp_path / "s.docx")
    document = open_docx(path)
    assert document.core_properties.title == "Minutes: half \ufffd a pair"
    assert board_table(document).rows[1].cells[0].text == "half \ufffd a pair"


def test_five_hundred_points_are_exported_one_row_each(db, tmp_path):
    """How fast: benchmarks/exports.py and benchmarks/minutes_scale.py; that the time grows
    linearly with the points: tests/test_minutes_scale.py."""
    tree = [(f"Point {n} about the context and what partners said", []) for n in range(125)]
    tree[0] = ("Parent", [(f"Sub-point {n}", []) for n in range(20)])
    cid, _ = make_conference(db, board={key: tree for key in vocab.BOARD_COLUMNS})
    path = export_minutes(db, cid, tmp_path / "big.docx")
    assert gather_minutes(db, cid).point_count == 4 * 145
    rows = board_table(open_docx(path)).rows[1:]
    assert len(rows) == 125  # one row per point of the longest column
    assert sum(len(row.cells[0].paragraphs) for row in rows) == 145


def test_docx_suffix_is_added_and_file_is_private(db, tmp_path):
    cid, _ = make_conference(db)
    path = export_minutes(db, cid, tmp_path / "minutes")
    assert path == tmp_path / "minutes.docx" and path.is_file()
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600


GATHERING_MODULES = ["core.papers.minutes", "export.minutes"]


@pytest.fixture(scope="module")
def docx_loaded_after_importing() -> dict[str, bool]:
    """Whether python-docx was loaded once each module was imported, in one fresh interpreter
    importing them in turn (the gatherer first: export.minutes imports it, so each answer is
    the one a fresh interpreter importing that module alone would give)."""
    code = (
        "import importlib, sys\n"
        "for module in sys.argv[1:]:\n"
        "    importlib.import_module('csfacilitator.' + module)\n"
        "    print(module, 'docx' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *GATHERING_MODULES], check=True, capture_output=True, text=True
    )
    answers = dict(line.split() for line in result.stdout.splitlines())
    assert list(answers) == GATHERING_MODULES, result.stdout
    return {module: answer == "True" for module, answer in answers.items()}


@pytest.mark.parametrize("module", GATHERING_MODULES)
def test_gathering_does_not_import_python_docx(module, docx_loaded_after_importing):
    assert not docx_loaded_after_importing[module], "python-docx imported too early"


# --- saving safely -----------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_missing_folder_is_a_clear_error(db, tmp_path):
    cid, _ = make_conference(db)
    with pytest.raises(ExportError, match="does not exist"):
        export_minutes(db, cid, tmp_path / "nowhere" / "m.docx")


def test_read_only_folder_is_refused_and_leaves_nothing(db, tmp_path, monkeypatch):
    from csfacilitator import atomic_file

    cid, _ = make_conference(db)
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):  # root ignores permissions: refuse the way the OS would

        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(atomic_file.tempfile, "mkstemp", refuse)
    try:
        with pytest.raises(ExportError, match="read-only"):
            export_minutes(db, cid, folder / "m.docx")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_read_only_target_keeps_its_old_content(db, tmp_path):
    cid, _ = make_conference(db)
    target = tmp_path / "m.docx"
    target.write_bytes(b"old minutes")
    target.chmod(0o444)
    with pytest.raises(ExportError, match="read-only"):
        export_minutes(db, cid, target)
    assert target.read_bytes() == b"old minutes"
    assert leftovers(tmp_path) == []


def test_target_open_in_word_keeps_old_content_and_leaves_no_temp(db, tmp_path, monkeypatch):
    from csfacilitator import atomic_file

    cid, _ = make_conference(db)
    target = tmp_path / "m.docx"
    target.write_bytes(b"old minutes")

    def locked(src, dst):  # what Windows does while Word holds the file open
        raise PermissionError(errno.EACCES, "The process cannot access the file")

    monkeypatch.setattr(atomic_file.os, "replace", locked)
    with pytest.raises(ExportError, match="open in another program"):
        export_minutes(db, cid, target)
    assert target.read_bytes() == b"old minutes"
    assert leftovers(tmp_path) == []


def test_disk_full_keeps_old_content_and_leaves_no_temp(db, tmp_path, monkeypatch):
    from csfacilitator import atomic_file

    cid, _ = make_conference(db)
    target = tmp_path / "m.docx"
    target.write_bytes(b"old minutes")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_file.os, "fsync", full)
    with pytest.raises(ExportError, match="disk is full"):
        export_minutes(db, cid, target)
    assert target.read_bytes() == b"old minutes"
    assert leftovers(tmp_path) == []


def test_successful_export_replaces_the_old_file(db, tmp_path):
    cid, _ = make_conference(db)
    target = tmp_path / "m.docx"
    target.write_bytes(b"old minutes")
    export_minutes(db, cid, target)
    assert zipfile.is_zipfile(target)
    assert leftovers(tmp_path) == []


def test_example_conference_exports(db, example_id, tmp_path):
    cid = example_id  # the example, made through add_example into the template `db` copies
    path = export_minutes(db, cid, tmp_path / "example.docx")
    table = board_table(open_docx(path))
    assert all(cell.paragraphs[0].style.name == "List Bullet" for cell in table.rows[1].cells)
    with db.session() as s:
        referrals = list(s.scalars(select(Referral)))
    assert referrals  # the example records a referral, and the minutes must not show it
    everything = package_text(path)
    for referral in referrals:
        assert referral.reference not in everything
        assert referral.team not in everything


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_minutes(exported, tmp_path):
    path, _, _ = exported
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "pdf" / "minutes.pdf"
    assert pdf.stat().st_size > 5000
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Complicating factors" in text and "Page 1 of" in text


# --- one document enough to send (issue 12) ---------------------------------------------------


def test_first_lines_say_which_meeting(exported):
    path, _, _ = exported
    lines = [p.text for p in open_docx(path).paragraphs[:3]]
    assert lines[2] == (
        "Meeting: Conference \u00b7 Wednesday 12 March 2025 \u00b7 10:00 \u00b7 "
        "Eastbury Community Hall"
    )


def test_a_second_review_is_named_by_its_number(db, tmp_path):
    from csfacilitator.core.meetings import list_meetings, update_meeting

    cid, _ = make_conference(db)  # its next review date made a review meeting on 11 June
    (first,) = [m for m in list_meetings(db, cid) if m.kind == "review"]
    update_meeting(db, first.id, venue="Library")
    add_meeting(db, cid, "review", date=dt.date(2025, 9, 10))
    data = gather_minutes(db, cid, first.id)
    assert data.name == "Review 1"
    assert data.next_review_date == dt.date(2025, 9, 10)  # the review after this one
    document = open_docx(export_minutes(db, cid, tmp_path / "r.docx", first.id))
    assert document.paragraphs[2].text == (
        "Meeting: Review 1 \u00b7 Wednesday 11 June 2025 \u00b7 Library"
    )


def test_every_board_row_stays_whole_and_holds_one_point_per_column(db, tmp_path):
    board = {
        "concerns": [("First", [("First, detail", [])]), ("Second", []), ("Third", [])],
        "safety_plan": [("Only plan point", [])],
        "strengths": [("Long " * 400, [])],  # taller than a page: allowed to break
    }
    cid, _ = make_conference(db, board=board)
    table = board_table(open_docx(export_minutes(db, cid, tmp_path / "m.docx")))
    body = table.rows[1:]
    assert [[c.text for c in row.cells] for row in body][1:] == [
        ["Second", "", "", ""],
        ["Third", "", "", ""],
    ]
    assert [p.text for p in body[0].cells[0].paragraphs] == ["First", "First, detail"]
    assert body[0].cells[1].text == "Nothing recorded."
    assert body[0]._tr.trPr is None or body[0]._tr.trPr.find(f"{W}cantSplit") is None
    for row in body[1:]:
        assert row._tr.trPr.find(f"{W}cantSplit") is not None


def actions_table(document):
    for table in document.tables:
        if tuple(c.text for c in table.rows[0].cells) == ACTION_COLUMNS:
            return table
    raise AssertionError("no actions table")


def test_minutes_end_with_every_action_of_the_plan(db, tmp_path):
    from csfacilitator.core import plan

    cid, _ = make_conference(db)
    lights = plan.add_need(db, cid, "The lake path is dark")
    plan.add_intervention(
        db, lights.id, "Repair the lighting", agency="Council highways", owner="Sam Reed",
        due_date=dt.date(2025, 4, 30), status="in_progress",
    )  # fmt: skip
    plan.add_intervention(db, lights.id, "Trim the hedges", timescale="By June")
    plan.add_need(db, cid, "Nobody runs the youth club")
    document = open_docx(export_minutes(db, cid, tmp_path / "m.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[-2:] == ["Actions agreed", "Next review"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Every action in the plan as it stands on " in body
    assert "2 actions: 1 not started, 1 in progress." in body
    table = actions_table(document)
    assert table._tbl is document.tables[-1]._tbl
    header, *rows = table.rows
    assert header._tr.trPr.find(f"{W}tblHeader") is not None
    assert all(row._tr.trPr.find(f"{W}cantSplit") is not None for row in rows)
    cells = [[c.text for c in row.cells] for row in rows]
    assert cells[0] == [
        "The lake path is dark",
        "Repair the lighting",
        "Council highways",
        "Sam Reed",
        "Due 30 Apr 2025\nOverdue",
        "In progress",
    ]  # "Overdue": judged on the day the plan is read
    assert cells[1][1:] == [
        "Trim the hedges",
        "To be agreed",
        "Not named",
        "By June",
        "Not started",
    ]
    assert cells[2][:2] == ["Nobody runs the youth club", "No action agreed yet"]
    assert table.cell(1, 0)._tc is table.cell(2, 0)._tc  # the need spans its actions


def test_minutes_of_an_empty_plan_say_so(exported):
    path, _, _ = exported
    document = open_docx(path)
    assert "The plan has no actions yet." in "\n".join(p.text for p in document.paragraphs)
    with pytest.raises(AssertionError):
        actions_table(document)


def test_language_is_british_english(exported):
    path, _, _ = exported
    lang = open_docx(path).styles.element.find(f"{W}docDefaults").find(f".//{W}lang")
    assert lang.get(f"{W}val") == "en-GB"


def test_file_name_has_single_spaces(db):
    cid, _ = make_conference(db, title="Example:  Wrenmoor   Park")
    assert suggested_filename(gather_minutes(db, cid)) == (
        "Minutes - Example Wrenmoor Park - 2025-03-12.docx"
    )
