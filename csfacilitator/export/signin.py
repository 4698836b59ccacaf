"""The sign-in sheet for the day: which meeting, everyone expected in name order with a wide
column to sign in, and blank rows for people who come without an invitation, so that the table
fills whole pages (no page holding a stub of two rows).

Rows have an exact height and never split, so how many fit on a page is known: the first page
holds FIRST_PAGE_ROWS under the meeting's details, every other page PAGE_ROWS under the repeated
header row. Long names are shortened with '…' rather than pushing a row onto the next page.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csfacilitator.core.papers.meeting_paper import MeetingPaper, PaperInvitee
from csfacilitator.core.textclean import sort_key
from csfacilitator.export.papers_common import (
    save_document,
    suggested_filename,
)

if TYPE_CHECKING:
    from docx.document import Document

BLANK_ROWS = 6  # at least this many rows are left for people not on the list
ROW_HEIGHT_MM = 15  # room for a signature, and for two lines of organisation and a role
HEADER_HEIGHT_MM = 8
FIRST_PAGE_ROWS = 12  # under the title, details and notes: 13 fit, one is spare for long ones
PAGE_ROWS = 17  # (267 mm of page - 8 mm header row) // 15 mm
NAME_W_MM, ORG_W_MM = 44, 58  # the signature column takes the rest (78 mm on A4 portrait)
ORG_PT, ROLE_PT = 9.5, 8
HEADERS = ("Name", "Organisation and role", "Signature")
#: What fits in two lines of each cell (one line for the role), even in a font wider than
#: Calibri (LibreOffice without Calibri uses DejaVu Sans).
NAME_LIMIT, ORG_LIMIT = 36, 56
PRIVACY_LINE = (
    "Privacy: this sheet only records who attended the meeting. The coordinators keep it "
    "securely with the conference record and destroy it with that record; it is not shared "
    "beyond the partners at the meeting."
)


def row_count(people: int) -> int:
    """Rows in the table (header row not counted): everyone expected plus at least BLANK_ROWS
    blank ones, rounded up so that the last page is full."""
    needed = people + BLANK_ROWS
    if needed <= FIRST_PAGE_ROWS:
        return FIRST_PAGE_ROWS
    return FIRST_PAGE_ROWS + math.ceil((needed - FIRST_PAGE_ROWS) / PAGE_ROWS) * PAGE_ROWS


def build(paper: MeetingPaper, *, author: str = "") -> Document:
    """The sign-in sheet as a portrait A4 Word document (pure: reads nothing but `paper`)."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Mm, Pt

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import start_meeting_paper

    doc = start_meeting_paper(paper, "Sign-in sheet", (("Chair", paper.chair),), author=author)
    people = sorted(paper.invitees, key=lambda p: (sort_key(p.name), sort_key(p.organisation)))
    total = row_count(len(people))
    count = len(people)
    b.add_paragraph(
        doc,
        "Please sign next to your name. If your name is not listed, add it in a blank row. "
        f"{count} {'person is' if count == 1 else 'people are'} expected.",
    ).paragraph_format.space_before = Mm(3)
    b.add_paragraph(doc, PRIVACY_LINE, italic=True, size=b.SMALL_PT, colour=b.MUTED_COLOUR)

    width = b.content_width(doc.sections[0])
    name_w, org_w = Mm(NAME_W_MM), Mm(ORG_W_MM)
    table = b.add_table(
        doc, HEADERS, [], (name_w, org_w, width - name_w - org_w), style=doc.styles["Table Grid"]
    )
    header = table.rows[0]
    header.height, header.height_rule = Mm(HEADER_HEIGHT_MM), WD_ROW_HEIGHT_RULE.EXACTLY
    for index in range(total):
        cells = table.add_row(_format_row).cells
        if index < len(people):
            _fill(cells, people[index])
        for cell in cells:
            for paragraph in cell.paragraphs:
                b.set_format(paragraph, space_after=Pt(0))
    # Nothing after the table: a paragraph there could spill onto a page of its own.
    _tiny_last_paragraph(doc)
    return doc


def _format_row(row: Any) -> None:
    """Each row of names: its height fixed, kept whole, its cells' text centred down."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b

    row.height, row.height_rule = Mm(ROW_HEIGHT_MM), WD_ROW_HEIGHT_RULE.EXACTLY
    b.keep_row_together(row)
    for cell in row.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _fill(cells: Any, person: PaperInvitee) -> None:
    from csfacilitator.export import docx_base as b

    b.add_paragraph(cells[0], b.one_line(person.name, NAME_LIMIT))
    organisation = b.one_line(person.organisation, ORG_LIMIT)
    # Their job, and their part at the meeting unless they are simply a partner.
    parts = (person.job_title, "" if person.role.casefold() == "partner" else person.role)
    role = b.one_line(" · ".join(p for p in parts if p.strip()), ORG_LIMIT)
    if organisation:
        b.add_paragraph(cells[1], organisation, size=ORG_PT)
    if role:
        b.add_paragraph(cells[1], role, size=ROLE_PT, colour=b.MUTED_COLOUR)


def _tiny_last_paragraph(doc: Document) -> None:
    """Word always keeps a paragraph after a table; make it 1 pt high so it stays on the page."""
    from docx.shared import Pt

    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)


def filename(paper: MeetingPaper) -> str:
    return suggested_filename("Sign-in sheet", paper.title, paper.date)


def save(paper: MeetingPaper, path: str | os.PathLike[str], *, author: str = "") -> Path:
    """Write the sign-in sheet to `path` ('.docx' added if missing), atomically."""
    return save_document(build(paper, author=author), path)
