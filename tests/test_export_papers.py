"""The papers that go out before a meeting: assessment report, agenda, invitation letters and
sign-in sheet. Each is read back with python-docx: what it says, its styles, its properties."""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from csfacilitator.core import vocab
from csfacilitator.core.assessment import set_section, set_structure
from csfacilitator.core.conferences import conference_meetings, create_conference
from csfacilitator.core.invitees import add_invitee
from csfacilitator.core.meetings import add_meeting, default_purpose, update_meeting
from csfacilitator.core.papers import meeting_paper
from csfacilitator.core.papers import report as report_paper
from csfacilitator.core.papers.meeting_paper import AgendaLine, pick_meeting
from csfacilitator.core.priorities import add_priority
from csfacilitator.core.weighting import Context, Weighting, set_weighting
from csfacilitator.errors import ExportError, NotFound
from csfacilitator.export import agenda, invitations, report, signin
from csfacilitator.export.invitations import (
    DEFAULT_TEMPLATE,
    LetterParagraph,
    render_invitation,
    template_problems,
)
from csfacilitator.export.signin import BLANK_ROWS
from tests.harness.cli_runner import run_cli

gather_meeting_paper = meeting_paper.gather


# Each document: gathered in the core, written by its export module (as the registry does).
def export_report(db, cid, path):
    return report.save(report_paper.gather(db, cid), path)


def export_agenda(db, cid, path, meeting_id=None):
    return agenda.save(meeting_paper.gather(db, cid, meeting_id), path)


def export_signin(db, cid, path, meeting_id=None):
    return signin.save(meeting_paper.gather(db, cid, meeting_id), path)


def export_invitations(db, cid, path, meeting_id=None):
    return invitations.save(meeting_paper.gather(db, cid, meeting_id), path)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"

# name, organisation, role, status
PEOPLE = (
    ("Helen Ward", "Police", "Neighbourhood sergeant", "confirmed"),
    ("Ben Adeyemi", "Eastbury Housing", "", "invited"),
    ("Ian Cole", "St Mark's Church", "Vicar", "declined"),
    ("Carla Diaz", "", "Resident", "to_invite"),
)
EXPECTED = [p for p in PEOPLE if p[3] != "declined"]
WEIGHTING = Weighting(
    (
        Context("The park after dark", 0.4),
        Context("The parade", 0.3),
        Context("The underpass", 0.2),
        Context("Routes to school", 0.1),
    ),
    ((0, 2),),
)


def make_conference(db, *, title="Northside Park", people=PEOPLE) -> tuple[int, int]:
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
        assessment_period="1 Sep - 20 Oct 2025",
        conference_date=dt.date(2030, 3, 12),
        threshold="universal_plus",
        threshold_rationale="A pattern in a public place.\nNo adult presence after dark.",
    )
    mid = conference_meetings(db, cid)[0]
    update_meeting(db, mid, time=dt.time(10, 0), date=dt.date(2030, 3, 12))
    for name, org, role, status in people:
        add_invitee(db, cid, name=name, organisation=org, role=role, status=status)
    return cid, mid


def add_assessment(db, cid) -> None:
    set_section(db, cid, "summary", "Groups gather at the skate park.\n\nCalls have doubled.")
    set_section(
        db,
        cid,
        "resources",
        "Partners in the park:\n\u2022 Police patrols\n  \u2022 twice a week\n\u2022 A warden",
    )
    set_section(db, cid, "needs", "Somewhere to go in the evening.")  # triangle only
    add_priority(db, cid, "Make the park safer after dark", focus=True)
    add_priority(db, cid, "Somewhere to be on weekday evenings", focus=True)
    add_priority(db, cid, "Shop staff confident to report")
    set_weighting(db, cid, WEIGHTING)


def open_docx(path: Path):
    import docx

    return docx.Document(str(path))


def package_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )


def by_style(document) -> dict[str, list[str]]:
    styles: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        styles.setdefault(paragraph.style.name, []).append(paragraph.text)
    return styles


def body_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


EXPORTS = {
    "report": lambda db, cid, path: export_report(db, cid, path),
    "agenda": export_agenda,
    "invitations": export_invitations,
    "signin": export_signin,
}
TITLES = {
    "report": "Assessment report: Northside Park",
    "agenda": "Agenda: Northside Park",
    "invitations": "Invitations: Northside Park",
    "signin": "Sign-in sheet: Northside Park",
}


def _assessed_conference(db) -> tuple[int, int]:
    cid, mid = make_conference(db)
    add_assessment(db, cid)
    return cid, mid


def filled_db(wanted):  # noqa: ANN001, ANN201 - conftest's hook (see there)
    """Northside Park with its people and assessment, for `conference`."""
    return _assessed_conference if "conference" in wanted else None


@pytest.fixture
def conference(seeded):
    """Northside Park with its people and assessment: its id and its first meeting's."""
    return seeded


# --- common to all four ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", EXPORTS)
def test_properties_page_footer_and_file(db, conference, tmp_path, kind):
    """Our properties and nothing of the library's; portrait A4; the confidential footer with
    'Page X of Y'; '.docx' added; a private file."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    cid, _ = conference
    path = EXPORTS[kind](db, cid, tmp_path / kind)
    assert path == tmp_path / f"{kind}.docx" and zipfile.is_zipfile(path)
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600
    document = open_docx(path)
    props = document.core_properties
    assert props.title == TITLES[kind]
    assert props.subject  # says which meeting / which report
    assert props.author == "" and props.last_modified_by == ""
    assert props.comments == "" and props.keywords == "" and props.revision == 1
    assert props.created.year != 2013
    everything = package_text(path)
    assert "python-docx" not in everything and "Macintosh" not in everything
    with zipfile.ZipFile(path) as archive:
        assert not [n for n in archive.namelist() if "thumbnail" in n]

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("Confidential")
    # Letters are numbered within each letter ('Page 1 of 2' of that letter).
    pages = "SECTIONPAGES" if kind == "invitations" else "NUMPAGES"
    assert [e.text.strip() for e in footer._p.iter(f"{W}instrText")] == ["PAGE", pages]
    assert "Northside Park" in section.header.paragraphs[0].text


@pytest.mark.parametrize("kind", EXPORTS)
def test_save_failures_are_clear_and_keep_the_old_file(db, conference, tmp_path, monkeypatch, kind):
    from csfacilitator import atomic_file

    cid, _ = conference
    with pytest.raises(ExportError, match="does not exist"):
        EXPORTS[kind](db, cid, tmp_path / "nowhere" / "x.docx")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "x.docx"
    target.write_bytes(b"old")

    def locked(src, dst):  # what Windows does while Word holds the file open
        raise PermissionError(errno.EACCES, "The process cannot access the file")

    monkeypatch.setattr(atomic_file.os, "replace", locked)
    with pytest.raises(ExportError, match="open in another program"):
        EXPORTS[kind](db, cid, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["x.docx"]  # no temporary file left


def test_read_only_folder_is_refused(db, conference, tmp_path, monkeypatch):
    from csfacilitator import atomic_file

    cid, _ = conference
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):  # root ignores permissions: refuse the way the OS would

        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(atomic_file.tempfile, "mkstemp", refuse)
    try:
        with pytest.raises(ExportError, match="read-only"):
            export_agenda(db, cid, folder / "a.docx")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_gathering_does_not_import_python_docx():
    code = (
        "import sys\n"
        "import csfacilitator.export.agenda, csfacilitator.export.signin\n"
        "import csfacilitator.export.invitations, csfacilitator.export.report\n"
        "assert 'docx' not in sys.modules, 'python-docx imported too early'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_conference_and_foreign_meeting(db, conference, tmp_path):
    cid, _ = conference
    other, other_meeting = make_conference(db, title="Elsewhere")
    with pytest.raises(NotFound):
        export_agenda(db, cid, tmp_path / "a.docx", meeting_id=other_meeting)
    with pytest.raises(NotFound):
        export_signin(db, 9999, tmp_path / "s.docx")
    with pytest.raises(NotFound):
        export_report(db, 9999, tmp_path / "r.docx")


# --- which meeting --------------------------------------------------------------------------


class M:
    def __init__(self, id, kind, date):
        self.id, self.kind, self.date = id, kind, date


def test_default_meeting_is_the_next_one_to_come_never_a_pre_meeting():
    day = dt.date(2026, 11, 22)
    pre = M(1, "pre_meeting", day + dt.timedelta(days=2))
    conf = M(2, "conference", day - dt.timedelta(days=17))
    review = M(3, "review", day + dt.timedelta(days=70))
    review2 = M(4, "review", None)
    meetings = [pre, conf, review, review2]
    assert pick_meeting(meetings, None, today=day) is review
    assert pick_meeting([pre, conf], None, today=day) is conf  # the latest held
    assert pick_meeting([pre, conf], None, today=day - dt.timedelta(days=30)) is conf
    assert pick_meeting([pre], None, today=day) is pre
    assert pick_meeting(meetings, 1, today=day) is pre
    with pytest.raises(NotFound):
        pick_meeting(meetings, 99)
    with pytest.raises(ExportError, match="no meetings"):
        pick_meeting([], None)


# --- assessment report ----------------------------------------------------------------------


def test_report_has_real_headings_in_the_chosen_structure(db, conference, tmp_path):
    cid, _ = conference
    document = open_docx(export_report(db, cid, tmp_path / "r.docx"))
    styles = by_style(document)
    assert styles["Heading 1"] == ["Northside Park"]
    thematic = [heading for _, heading in vocab.REPORT_SECTIONS["thematic"]]
    assert styles["Heading 2"] == [
        *thematic,
        "Other notes",
        "Context weighting",
        "Priorities",
        "Threshold",
    ]
    assert styles["Heading 3"] == ["Young people's needs in the context"]  # kept, not lost
    details = " | ".join(c.text for row in document.tables[0].rows for c in row.cells)
    for expected in ("Northside Park (Neighbourhood / public space)", "Eastbury", "Tom Okafor"):
        assert expected in details
    assert "Tuesday 12 March 2030" in details


def test_switching_structure_moves_sections_not_text(db, conference, tmp_path):
    cid, _ = conference
    set_structure(db, cid, "triangle")
    document = open_docx(export_report(db, cid, tmp_path / "r.docx"))
    styles = by_style(document)
    triangle = [heading for _, heading in vocab.REPORT_SECTIONS["triangle"]]
    assert styles["Heading 2"][: len(triangle)] == triangle
    assert "Resources, services and guardianship" in styles["Heading 3"]  # thematic only
    assert "Somewhere to go in the evening." in styles["Normal"]


def test_report_paragraphs_and_bullets_become_word_lists(db, conference, tmp_path):
    cid, _ = conference
    document = open_docx(export_report(db, cid, tmp_path / "r.docx"))
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    summary = texts.index(("Heading 2", "Summary of concerns"))
    assert texts[summary + 1 : summary + 3] == [
        ("Normal", "Groups gather at the skate park."),
        ("Normal", "Calls have doubled."),
    ]
    resources = texts.index(("Heading 2", "Resources, services and guardianship"))
    assert texts[resources + 1 : resources + 5] == [
        ("Normal", "Partners in the park:"),
        ("List Bullet", "Police patrols"),
        ("List Bullet 2", "twice a week"),
        ("List Bullet", "A warden"),
    ]
    empty = texts.index(("Heading 2", "Young people's views"))
    assert texts[empty + 1] == ("Normal", "Nothing written yet.")


def test_report_weighting_picture_has_its_alt_text(db, conference, tmp_path):
    from csfacilitator.export.weighting_picture import weighting_alt_text

    cid, _ = conference
    path = export_report(db, cid, tmp_path / "r.docx")
    document = open_docx(path)
    assert len(document.inline_shapes) == 1
    doc_pr = document.inline_shapes[0]._inline.docPr
    assert doc_pr.get("descr") == weighting_alt_text(WEIGHTING)
    assert "The park after dark" in doc_pr.get("descr")
    assert doc_pr.get("name") == "Context weighting"
    with zipfile.ZipFile(path) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(images) == 1 and archive.read(images[0])[:8] == b"\x89PNG\r\n\x1a\n"
    texts = [p.text for p in document.paragraphs]
    heading = texts.index("Context weighting")
    picture_paragraph = document.paragraphs[heading + 2]
    assert picture_paragraph._p.findall(f".//{WP}inline")


def test_report_without_a_weighting_says_so(db, tmp_path):
    cid, _ = make_conference(db)
    document = open_docx(export_report(db, cid, tmp_path / "r.docx"))
    assert len(document.inline_shapes) == 0
    text = body_text(document)
    assert "The context weighting has not been drawn yet." in text
    assert "No priorities have been recorded yet." in text


def test_report_priorities_focus_first_then_the_rest_and_threshold(db, conference, tmp_path):
    cid, _ = conference
    document = open_docx(export_report(db, cid, tmp_path / "r.docx"))
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    start = texts.index(("Heading 2", "Priorities"))
    assert [t for _, t in texts[start + 1 : start + 6]] == [
        "The conference will focus on:",
        "1.\tMake the park safer after dark",
        "2.\tSomewhere to be on weekday evenings",
        "Other issues the assessment found:",
        "Shop staff confident to report",
    ]
    assert texts[start + 5][0] == "List Bullet"
    threshold = texts.index(("Heading 2", "Threshold"))
    assert [t for _, t in texts[threshold + 1 :]] == [
        "Universal Plus",
        "A pattern in a public place.",
        "No adult presence after dark.",
    ]


# --- agenda ---------------------------------------------------------------------------------


def test_agenda_says_when_where_why_and_who_leads(db, conference, tmp_path):
    cid, mid = conference
    document = open_docx(export_agenda(db, cid, tmp_path / "a.docx", meeting_id=mid))
    styles = by_style(document)
    assert styles["Heading 1"] == ["Northside Park"]
    assert styles["Heading 2"] == ["Purpose of the meeting", "Agenda"]
    details = " | ".join(c.text for row in document.tables[0].rows for c in row.cells)
    for expected in ("Tuesday 12 March 2030", "10:00", "Eastbury Community Hall", "Priya Shah"):
        assert expected in details
    assert default_purpose("conference", "Northside Park") in styles["Normal"]
    items = document.tables[1]
    rows = [[c.text for c in row.cells] for row in items.rows]
    assert rows[0] == ["", "Item", "Led by"]
    assert items.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    assert rows[1] == ["1.", vocab.DEFAULT_AGENDA[0][0], "Chair (Priya Shah)"]
    assert rows[2] == ["2.", vocab.DEFAULT_AGENDA[1][0], "Lead practitioner (Tom Okafor)"]
    assert rows[3] == ["3.", vocab.DEFAULT_AGENDA[2][0], ""]
    assert len(rows) == 1 + len(vocab.DEFAULT_AGENDA)
    assert any("confidential" in p.text for p in document.paragraphs[-2:])


def test_agenda_uses_the_purpose_typed_for_the_meeting(db, conference, tmp_path):
    cid, mid = conference
    review = add_meeting(db, cid, "review", date=dt.date(2030, 6, 11), venue="The Library")
    update_meeting(db, review.id, purpose="See what the new lights changed.\nAgree next steps.")
    document = open_docx(export_agenda(db, cid, tmp_path / "a.docx", meeting_id=review.id))
    texts = [p.text for p in document.paragraphs]
    assert "Agenda for the review meeting" in texts
    start = texts.index("Purpose of the meeting")
    assert texts[start + 1 : start + 3] == ["See what the new lights changed.", "Agree next steps."]
    cells = [c.text for c in document.tables[1].columns[1].cells]
    assert cells[1:] == [title for title, _ in vocab.REVIEW_AGENDA]
    assert "The Library" in body_text(document)


def test_default_purposes_differ_by_kind_and_name_the_place():
    texts = {kind: default_purpose(kind, "Northside Park") for kind in vocab.MEETING_KINDS}
    assert len(set(texts.values())) == 3
    assert all("Northside Park" in text for text in texts.values())
    assert "review" not in texts["conference"] and "action" in texts["review"]


def test_agenda_without_items_says_the_chair_will_agree_it(db, conference, tmp_path):
    cid, _ = conference
    pre = add_meeting(db, cid, "pre_meeting", date=dt.date(2030, 3, 1))
    document = open_docx(export_agenda(db, cid, tmp_path / "a.docx", meeting_id=pre.id))
    assert len(document.tables) == 1
    assert "The agenda has not been set yet" in body_text(document)


# --- invitations ----------------------------------------------------------------------------


def letters_of(document) -> list[list[str]]:
    """The wording of each letter: the document split at each section break (every letter is a
    section of its own), without the closing "To reply" line and empty spacing paragraphs."""
    letters: list[list[str]] = [[]]
    for paragraph in document.paragraphs:
        if paragraph.text and not paragraph.text.startswith("To reply:"):
            letters[-1].append(paragraph.text)
        if paragraph._p.pPr is not None and paragraph._p.pPr.find(f"{W}sectPr") is not None:
            letters.append([])
    return [letter for letter in letters if letter]


def test_one_letter_per_invitee_each_on_a_new_page(db, conference, tmp_path):
    cid, mid = conference
    document = open_docx(export_invitations(db, cid, tmp_path / "i.docx", meeting_id=mid))
    letters = letters_of(document)
    assert len(letters) == len(EXPECTED)  # the declined invitee gets no letter
    for letter, (name, org, role, _) in zip(letters, EXPECTED, strict=True):
        text = "\n".join(letter)
        assert letter[0].split("\n")[0] == name
        assert f"Dear {name}," in letter
        if org:
            assert org in letter[0]
        if role:
            assert role in letter[0]
        assert "{" not in text and "}" not in text  # every placeholder filled
        assert "Tuesday 12 March 2030 at 10:00, at Eastbury Community Hall" in text
        assert f"1.\t{vocab.DEFAULT_AGENDA[0][0]}  \u2013  Chair (Priya Shah)" in letter
        assert "Ana Ruiz and Ben Clarke" in text
    assert "Ian Cole" not in package_text(tmp_path / "i.docx")
    # An empty organisation or role leaves no blank line in the address.
    assert letters[1][0] == "Ben Adeyemi\nEastbury Housing"
    assert letters[2][0] == "Carla Diaz\nResident"
    headings = by_style(document)["Heading 1"]
    assert headings == ["Invitation to a contextual safeguarding conference"] * len(EXPECTED)
    bullets = by_style(document)["List Bullet"]
    assert len(bullets) == 4 * len(EXPECTED)


def test_letters_use_the_conference_template(db, conference, tmp_path):
    from csfacilitator.core.conferences import update_conference

    cid, _ = conference
    update_conference(
        db,
        cid,
        invitation_template="# Hello {Name}\n\nCome to {venue} {nme} {oops\n\n{agenda}\n\nBye",
    )
    document = open_docx(export_invitations(db, cid, tmp_path / "i.docx"))
    letters = letters_of(document)
    named = {
        "Chair": "  \u2013  Chair (Priya Shah)",
        "Lead practitioner": "  \u2013  Lead practitioner (Tom Okafor)",
    }
    items = [
        f"{n}.\t{title}{named.get(lead, '')}"
        for n, (title, lead) in enumerate(vocab.DEFAULT_AGENDA, start=1)
    ]
    assert letters[0] == [
        "Hello Helen Ward",
        "Come to Eastbury Community Hall {nme} {oops",
        *items,
        "Bye",
    ]
    assert by_style(document)["Heading 1"][0] == "Hello Helen Ward"


def test_nobody_to_invite_is_a_clear_error(db, tmp_path):
    cid, _ = make_conference(db, people=[("Ian Cole", "Church", "Vicar", "declined")])
    with pytest.raises(ExportError, match="Nobody is on the invite list"):
        export_invitations(db, cid, tmp_path / "i.docx")
    assert not (tmp_path / "i.docx").exists()


AGENDA = (AgendaLine("Welcome", "Chair"), AgendaLine("Concerns", ""))
VALUES = {"name": "Ann Lee", "organisation": "", "role": "Warden", "agenda": AGENDA}


def test_render_fills_known_placeholders_and_leaves_the_rest_as_typed():
    template = "Dear {name}, {Role} { name }.\nCost: {price} {} {{x}} {oops and }stray"
    assert render_invitation(template, VALUES) == [
        LetterParagraph(
            "text", "Dear Ann Lee, Warden Ann Lee.\nCost: {price} {} {{x}} {oops and }stray"
        )
    ]


def test_render_structure_headings_bullets_agenda_and_dropped_empty_lines():
    template = (
        "{name}\n{organisation}\n\n# Title\n## Sub\n- one\n\u2022 two\n{agenda}\nEnd {agenda}"
    )
    assert render_invitation(template, VALUES) == [
        LetterParagraph("text", "Ann Lee"),  # the empty organisation line is left out
        LetterParagraph("heading1", "Title"),
        LetterParagraph("heading2", "Sub"),
        LetterParagraph("bullet", "one"),
        LetterParagraph("bullet", "two"),
        LetterParagraph("item", "Welcome", "Chair"),
        LetterParagraph("item", "Concerns", ""),
        LetterParagraph("text", "End Welcome; Concerns"),
    ]


def test_render_without_agenda_items_and_empty_template_uses_the_standard_wording():
    assert render_invitation("{agenda}", {"agenda": ()}) == [
        LetterParagraph("text", "The chair will agree the agenda at the start of the meeting.")
    ]
    standard = render_invitation("  \n ", VALUES)
    assert standard == render_invitation(DEFAULT_TEMPLATE, VALUES)
    assert LetterParagraph("text", "Dear Ann Lee,") in standard


def test_render_survives_hostile_text():
    values = {**VALUES, "name": "\u0645\u0631\u064a\u0645 \U0001f600\x00\x0b"}
    paragraphs = render_invitation("Dear {name}\ud800 {{{", values)
    assert paragraphs[0].text.startswith("Dear \u0645\u0631\u064a\u0645 \U0001f600")
    assert "\x00" not in paragraphs[0].text and "\ud800" not in paragraphs[0].text


def test_template_problems_are_warnings_in_plain_words():
    assert template_problems(DEFAULT_TEMPLATE) == []
    assert template_problems("Hi {name} {NAME}") == []
    problems = template_problems("Hi {nme} and {nme} and {x y}, a { alone\n} too")
    assert problems == [
        "{nme} is not a placeholder, so it will be printed as typed.",
        "{x y} is not a placeholder, so it will be printed as typed.",
        "A brace on its own, { or }, will be printed as typed.",
    ]


# --- sign-in sheet --------------------------------------------------------------------------


def test_signin_lists_everyone_expected_and_blank_rows_for_walk_ins(db, conference, tmp_path):
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Mm

    cid, _ = conference
    document = open_docx(export_signin(db, cid, tmp_path / "s.docx"))
    details = " | ".join(c.text for row in document.tables[0].rows for c in row.cells)
    assert "Tuesday 12 March 2030" in details and "Eastbury Community Hall" in details
    sheet = document.tables[1]
    rows = [[c.text for c in row.cells] for row in sheet.rows]
    assert rows[0] == ["Name", "Organisation and role", "Signature"]
    assert sheet.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    expected = sorted(EXPECTED, key=lambda p: p[0])
    assert rows[1 : 1 + len(expected)] == [
        [n, "\n".join(part for part in (o, r) if part), ""] for n, o, r, _ in expected
    ]
    blanks = rows[1 + len(expected) :]
    assert len(blanks) >= BLANK_ROWS and set(map(tuple, blanks)) == {("", "", "")}
    assert len(rows) - 1 == signin.row_count(len(expected))  # the first page, full
    for row in sheet.rows[1:]:
        assert row.height >= Mm(10) and row.height_rule == WD_ROW_HEIGHT_RULE.EXACTLY
        assert row._tr.trPr.find(f"{W}cantSplit") is not None
    assert "Ian Cole" not in package_text(tmp_path / "s.docx")
    assert any("Privacy" in p.text for p in document.paragraphs)
    assert "Sign-in sheet for the conference" in [p.text for p in document.paragraphs]


def test_signin_rows_fill_whole_pages_with_a_wide_signature_column(db, conference, tmp_path):
    """Rows have an exact height, so a page holds a known number; blank rows fill the last
    page, and the signature column is the widest."""
    from docx.shared import Mm

    assert signin.row_count(0) == signin.FIRST_PAGE_ROWS
    assert signin.row_count(signin.FIRST_PAGE_ROWS - BLANK_ROWS) == signin.FIRST_PAGE_ROWS
    one_more = signin.FIRST_PAGE_ROWS - BLANK_ROWS + 1
    assert signin.row_count(one_more) == signin.FIRST_PAGE_ROWS + signin.PAGE_ROWS
    for people in range(0, 80, 7):
        total = signin.row_count(people)
        assert total >= people + BLANK_ROWS
        assert (total - signin.FIRST_PAGE_ROWS) % signin.PAGE_ROWS == 0
    # A later page: the repeated header row and PAGE_ROWS rows fit in 267 mm of A4.
    assert signin.HEADER_HEIGHT_MM + signin.PAGE_ROWS * signin.ROW_HEIGHT_MM <= 297 - 30

    cid, _ = conference
    document = open_docx(export_signin(db, cid, tmp_path / "s.docx"))
    sheet = document.tables[1]
    widths = [cell.width for cell in sheet.rows[0].cells]
    assert widths[-1] == max(widths) and widths[-1] >= Mm(70)
    grid = sheet._tbl.tblGrid.findall(f"{W}gridCol")
    assert int(grid[-1].get(f"{W}w")) == max(int(col.get(f"{W}w")) for col in grid)
    # Nothing but an empty, 1 pt paragraph after the table: it cannot spill onto a new page.
    body = document.element.body
    after = body[list(body).index(sheet._tbl) + 1 :]
    assert [el.tag for el in after] == [f"{W}p", f"{W}sectPr"]
    assert document.paragraphs[-1].text == ""


# --- names, hostile text, the example -------------------------------------------------------


def test_suggested_file_names(db, conference):
    cid, _ = conference
    paper = gather_meeting_paper(db, cid)
    assert agenda.filename(paper) == "Agenda - Northside Park - 2030-03-12.docx"
    assert signin.filename(paper) == "Sign-in sheet - Northside Park - 2030-03-12.docx"
    assert invitations.filename(paper) == "Invitations - Northside Park - 2030-03-12.docx"
    data = report_paper.gather(db, cid)
    assert report.filename(data) == "Assessment report - Northside Park - 2030-03-12.docx"


def test_file_names_have_single_spaces_whatever_the_title(db):
    """A title typed with a colon, a slash or two spaces gives one space between words."""
    from csfacilitator.core.textclean import safe_file_stem

    assert safe_file_stem("Park:  North / South?") == "Park North South"
    cid, _ = make_conference(db, title="Wrenmoor  Park: Kestrel / Parade")
    paper = gather_meeting_paper(db, cid)
    names = [agenda.filename(paper), signin.filename(paper), invitations.filename(paper)]
    names.append(report.filename(report_paper.gather(db, cid)))
    names += [invitations.letter_filename(paper, p) for p in paper.invitees]
    for name in names:
        assert "  " not in name and "Wrenmoor Park Kestrel Parade" in name, name


def test_hostile_text_exports_everywhere(db, tmp_path):
    arabic = "\u0645\u062e\u0627\u0648\u0641 \u0628\u0634\u0623\u0646 \u0627\u0644\u062d\u062f\u064a\u0642\u0629"
    nasty = "tab\tvert\x0bform\x0cnul\x00 end \U0001f6b8\U0001f3fd"
    huge = "x" * 50_000
    cid, mid = make_conference(
        db,
        title=f"Title {nasty}",
        people=[(arabic, nasty, huge, "invited"), ("{name} {", "}", "{agenda}", "confirmed")],
    )
    set_section(db, cid, "summary", f"{arabic}\n\u2022 {nasty}\n      \u2022 deep {huge}")
    update_meeting(db, mid, purpose=arabic)
    for kind, export in EXPORTS.items():
        path = export(db, cid, tmp_path / f"{kind}.docx")
        document = open_docx(path)
        assert len(document.core_properties.title) <= 255
        assert arabic in body_text(document), kind
    letters = letters_of(open_docx(tmp_path / "invitations.docx"))
    assert letters[1][0] == "{name} {\n{agenda}\n}"  # a name is never read as a placeholder
    rtl = [p for p in open_docx(tmp_path / "agenda.docx").paragraphs if p.text == arabic]
    assert rtl and rtl[0]._p.pPr.find(f"{W}bidi") is not None


def test_example_conference_papers(db, example_id, tmp_path):
    from sqlalchemy import select

    from csfacilitator.core.model import Referral

    for kind, export in EXPORTS.items():
        path = export(db, example_id, tmp_path / f"{kind}.docx")
        everything = package_text(path)
        with db.session() as s:
            for referral in s.scalars(select(Referral)):
                assert referral.reference not in everything


# --- command line ---------------------------------------------------------------------------


def test_cli_exports_each_paper_logs_it_and_explains_errors(tmp_path, templates):
    from csfacilitator.paths import resolve

    data = tmp_path / "d"
    # As `csfacilitator example` leaves it (tests/test_cli.py runs that command itself).
    assert templates.seed(resolve(data), example=True, joined_up=True) == 1
    for kind in ("report", "agenda", "invitations", "signin"):
        out = tmp_path / f"{kind}.docx"
        result = run_cli("export", kind, "1", "--out", str(out), data_dir=data)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"Wrote {out}"
        assert zipfile.is_zipfile(out)
    log = run_cli("exports", "1", data_dir=data).stdout
    for label in ("Assessment report", "Agenda", "Invitation letters", "Sign-in sheet"):
        assert label in log

    foreign = run_cli(
        "export", "signin", "1", "--meeting", "999", "--out", str(tmp_path / "s"), data_dir=data
    )
    assert foreign.returncode == 2
    assert foreign.stderr.strip() == (
        "csfacilitator: That meeting does not belong to this conference."
    )
    report_meeting = run_cli(
        "export", "report", "1", "--meeting", "1", "--out", str(tmp_path / "r"), data_dir=data
    )
    assert report_meeting.returncode == 2  # the report is for the conference, not one meeting
    assert "Traceback" not in foreign.stderr + report_meeting.stderr


# --- papers an admin sends without editing ---------------------------------------------------


@pytest.mark.parametrize("kind", EXPORTS)
def test_language_header_rows_and_title_are_set(db, conference, tmp_path, kind):
    """Word checks spelling in British English (the defaults and the Normal style say en-GB),
    table header rows repeat on each page, and the document has its title."""
    cid, _ = conference
    document = open_docx(EXPORTS[kind](db, cid, tmp_path / f"{kind}.docx"))
    styles = document.styles.element
    default_lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default_lang.get(f"{W}val") == "en-GB"
    normal = document.styles["Normal"].element.find(f"{W}rPr/{W}lang")
    assert normal is not None and normal.get(f"{W}val") == "en-GB"
    assert document.core_properties.title == TITLES[kind]
    for table in document.tables:
        first = table.rows[0]._tr
        if first.trPr is not None and first.trPr.find(f"{W}tblHeader") is not None:
            assert first.trPr.find(f"{W}cantSplit") is not None
    # Every row of every table is kept whole on a page (none holds over 1,200 characters here).
    for table in document.tables:
        for row in table.rows:
            assert row._tr.trPr is not None and row._tr.trPr.find(f"{W}cantSplit") is not None


def test_report_names_the_referral_and_the_place_manager(db, conference, tmp_path):
    from csfacilitator.core.conferences import update_conference

    cid, _ = conference
    update_conference(
        db,
        cid,
        referral_source="Eastbury Safeguarding Partnership",
        referral_date=dt.date(2029, 12, 3),
        place_manager="Jo Park, Parks Manager",
    )
    document = open_docx(export_report(db, cid, tmp_path / "r.docx"))
    details = [c.text for row in document.tables[0].rows for c in row.cells]
    referred = details.index("Referred by")
    assert details[referred + 1] == "Eastbury Safeguarding Partnership, on Monday 3 December 2029"
    assert details[details.index("Place manager") + 1] == "Jo Park, Parks Manager"


@pytest.mark.parametrize("paper", ["agenda", "signin"])
def test_meeting_papers_say_which_meeting_in_their_first_lines(db, conference, tmp_path, paper):
    cid, _ = conference
    review = add_meeting(
        db, cid, "review", date=dt.date(2030, 6, 11), time=dt.time(14, 30), venue="The Library"
    )
    document = open_docx(EXPORTS[paper](db, cid, tmp_path / "p.docx", meeting_id=review.id))
    first = [p.text for p in document.paragraphs[:2]]
    assert first[1] in ("Agenda for the review meeting", "Sign-in sheet for the review meeting")
    details = [c.text for c in document.tables[0].rows[0].cells] + [
        c.text for c in document.tables[0].rows[1].cells
    ]
    for expected in ("Tuesday 11 June 2030", "14:30", "The Library"):
        assert expected in details
    assert "Review meeting · Tuesday 11 June 2030" in document.sections[0].header.paragraphs[0].text
    assert "Tuesday 11 June 2030 at 14:30, The Library" in document.core_properties.subject


def test_each_letter_opens_with_its_meeting_and_ends_with_whom_to_reply_to(
    db, conference, tmp_path
):
    from csfacilitator.core.conferences import update_conference

    cid, mid = conference
    update_conference(db, cid, coordinator_contact="01632 960 123, cs@eastbury.example")
    document = open_docx(export_invitations(db, cid, tmp_path / "i.docx", meeting_id=mid))
    assert len(document.tables) == len(document.sections) == len(EXPECTED)
    for table in document.tables:
        cells = [c.text for row in table.rows for c in row.cells]
        assert cells == [
            "Meeting",
            "Conference",
            "Date",
            "Tuesday 12 March 2030",
            "Time",
            "10:00",
            "Venue",
            "Eastbury Community Hall",
        ]
    replies = [p.text for p in document.paragraphs if p.text.startswith("To reply:")]
    assert replies == ["To reply: Ana Ruiz and Ben Clarke, 01632 960 123, cs@eastbury.example"] * 3
    # Each letter is a section numbered from 1: 'Page 1 of 2' counts that letter's pages.
    for section in document.sections:
        number_type = section._sectPr.find(f"{W}pgNumType")
        assert number_type is not None and number_type.get(f"{W}start") == "1"
    body = document.element.body
    assert body.find(f"{W}tbl") is body[0]  # the meeting comes first, before the address


def test_invitations_one_file_per_invitee_named_for_the_person(db, tmp_path):
    people = (
        ("Sgt Daniel Mensah", "Police", "Sergeant", "invited"),
        ("Ann: Lee / Jr", "Council", "", "invited"),
        ("Ann: Lee / Jr", "Housing", "", "confirmed"),  # two people with one name
        ("Ian Cole", "Church", "Vicar", "declined"),
    )
    cid, _ = make_conference(db, title="Wrenmoor Park", people=people)
    paper = gather_meeting_paper(db, cid)
    folder = tmp_path / "letters"
    folder.mkdir()
    written = invitations.save_each(paper, folder)
    assert [p.name for p in written] == [
        "Invitation - Wrenmoor Park - Sgt Daniel Mensah.docx",
        "Invitation - Wrenmoor Park - Ann Lee Jr.docx",
        "Invitation - Wrenmoor Park - Ann Lee Jr (2).docx",
    ]
    assert sorted(folder.iterdir()) == sorted(written)
    for path, person in zip(written, people, strict=False):
        if os.name == "posix":
            assert path.stat().st_mode & 0o777 == 0o600
        document = open_docx(path)
        letters = letters_of(document)
        assert len(letters) == 1 and letters[0][0].startswith(person[0])
        assert f"Dear {person[0]}," in letters[0]
        assert person[0] in document.core_properties.title
        footer = document.sections[0].footer.paragraphs[0]
        fields = [e.text.strip() for e in footer._p.iter(f"{W}instrText")]
        assert fields == ["PAGE", "SECTIONPAGES"]
    with pytest.raises(ExportError, match="does not exist"):
        invitations.save_each(paper, tmp_path / "missing")
