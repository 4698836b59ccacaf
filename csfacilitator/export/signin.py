"""The sign-in sheet for the day: everyone expected, in name order, with room to sign, and
blank rows for people who come without an invitation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from csfacilitator.core.textclean import sort_key
from csfacilitator.export.papers_common import (
    MeetingPaper,
    gather_meeting_paper,
    meeting_title,
    save_document,
    suggested_filename,
)
from csfacilitator.storage.database import Database

if TYPE_CHECKING:
    from docx.document import Document

BLANK_ROWS = 8
ROW_HEIGHT_MM = 11  # room for a signature
HEADERS = ("Name", "Organisation", "Role", "Signature")
PRIVACY_LINE = (
    "Privacy: this sheet only records who attended the meeting. The coordinators keep it "
    "securely with the conference record and destroy it with that record; it is not shared "
    "beyond the partners at the meeting."
)

gather_signin = gather_meeting_paper


def build_signin(paper: MeetingPaper, *, author: str = "") -> Document:
    """The sign-in sheet as a portrait A4 Word document (pure: reads nothing but `paper`)."""
    from docx.enum.table import (
        WD_CELL_VERTICAL_ALIGNMENT,
        WD_ROW_HEIGHT_RULE,
        WD_TABLE_ALIGNMENT,
    )
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.docx_base import start_document
    from csfacilitator.export.papers_common import add_details, add_note

    title = b.one_line(paper.title) or "Untitled conference"
    meeting = meeting_title(paper)
    when = b.long_date(paper.date, missing="date to be confirmed")
    doc = start_document(
        title=f"Sign-in sheet: {title}",
        subject=f"Sign-in sheet for the {meeting.lower()}, {when}",
        header_left=title,
        header_right=f"Sign-in sheet · {meeting} · {when}",
        author=author,
    )
    b.add_heading(doc, title, 1)
    b.add_paragraph(
        doc, f"Sign-in sheet for the {meeting.lower()}", size=12.5, colour=b.MUTED_COLOUR
    )
    add_details(
        doc,
        (
            ("Date", b.long_date(paper.date, missing="")),
            ("Time", b.short_time(paper.time, missing="")),
            ("Venue", paper.venue),
            ("Chair", paper.chair),
        ),
    )
    b.add_paragraph(
        doc,
        "Please sign next to your name. If your name is not listed, add it in a blank row.",
    ).paragraph_format.space_before = Mm(3)

    width = b.content_width(doc.sections[0])
    name_w, org_w, role_w = Mm(46), Mm(48), Mm(36)
    people = sorted(paper.invitees, key=lambda p: (sort_key(p.name), sort_key(p.organisation)))
    rows = [(p.name, p.organisation, p.role, "") for p in people]
    rows += [("", "", "", "")] * BLANK_ROWS
    table = b.add_table(
        doc,
        HEADERS,
        rows,
        (name_w, org_w, role_w, width - name_w - org_w - role_w),
        style=doc.styles["Table Grid"],
    )
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows[1:]:
        row.height = Mm(ROW_HEIGHT_MM)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    count = len(people)
    b.add_paragraph(
        doc,
        f"{count} {'person is' if count == 1 else 'people are'} expected; "
        f"{BLANK_ROWS} rows are left for others.",
        italic=True,
        colour=b.MUTED_COLOUR,
    ).paragraph_format.space_before = Mm(2)
    add_note(doc, PRIVACY_LINE)
    return doc


def signin_filename(paper: MeetingPaper) -> str:
    return suggested_filename("Sign-in sheet", paper.title, paper.date)


def save_signin(paper: MeetingPaper, path: str | os.PathLike[str], *, author: str = "") -> Path:
    return save_document(build_signin(paper, author=author), path)


def export_signin(
    db: Database,
    conference_id: int,
    path: str | os.PathLike[str],
    meeting_id: int | None = None,
    *,
    author: str = "",
) -> Path:
    """Write the sign-in sheet of a meeting (default: the next one) to `path`."""
    return save_signin(gather_meeting_paper(db, conference_id, meeting_id), path, author=author)
