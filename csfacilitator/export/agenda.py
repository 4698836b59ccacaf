"""The agenda sent out before a meeting: which meeting, when and where, what it is for in plain
words, and each item with who leads it. Built from core.papers.meeting_paper.MeetingPaper."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from csfacilitator.core.papers.meeting_paper import MeetingPaper
from csfacilitator.export.papers_common import (
    CONFIDENTIAL_LINE,
    save_document,
    suggested_filename,
)

if TYPE_CHECKING:
    from docx.document import Document


def build(paper: MeetingPaper, *, author: str = "") -> Document:
    """The agenda as a portrait A4 Word document (pure: reads nothing but `paper`)."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import add_note, start_meeting_paper

    doc = start_meeting_paper(
        paper,
        "Agenda",
        (
            ("Context", paper.context_line),
            ("Chair", paper.chair),
            ("Coordinators", paper.coordinator_names),
        ),
        author=author,
    )

    b.add_heading(doc, "Purpose of the meeting", 2)
    for part in paper.purpose_text.split("\n"):
        if part.strip():
            b.add_paragraph(doc, part)

    b.add_heading(doc, "Agenda", 2)
    if paper.agenda:
        width = b.content_width(doc.sections[0])
        number_w, lead_w = Mm(12), Mm(64)
        b.add_table(
            doc,
            ("", "Item", "Led by"),
            (
                (f"{n}.", item.title, paper.lead_of(item))
                for n, item in enumerate(paper.agenda, start=1)
            ),
            (number_w, width - number_w - lead_w, lead_w),
            style=doc.styles["Table Grid"],
        )
    else:
        b.add_paragraph(
            doc,
            "The agenda has not been set yet; the chair will agree it at the start.",
            italic=True,
            colour=b.MUTED_COLOUR,
        )
    add_note(doc, CONFIDENTIAL_LINE)
    return doc


def filename(paper: MeetingPaper) -> str:
    return suggested_filename("Agenda", paper.title, paper.date)


def save(paper: MeetingPaper, path: str | os.PathLike[str], *, author: str = "") -> Path:
    """Write the agenda to `path` ('.docx' added if missing), atomically; returns the file."""
    return save_document(build(paper, author=author), path)
