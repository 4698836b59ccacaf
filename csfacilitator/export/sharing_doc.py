"""The information-sharing record as a Word document (landscape, one row per document shared)
and as CSV for spreadsheets; the rows are gathered by core/papers/sharing.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from csfacilitator.core.papers.sharing import SharingPaper

if TYPE_CHECKING:
    from docx.document import Document


def filename(data: SharingPaper) -> str:
    """'Information sharing record - Wrenmoor Park - 2026-12-07.docx'."""
    from csfacilitator.export.papers_common import suggested_filename

    return suggested_filename("Information sharing record", data.title, data.made_on)


def build(data: SharingPaper, *, author: str = "") -> Document:
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import add_note, start_record

    doc = start_record("Information sharing record", data.title, data.made_on, author=author)
    b.add_heading(doc, "Information sharing record", 1)
    b.add_paragraph(
        doc,
        f"{data.title}. Each document that left CS Facilitator: what it was, who it was shared "
        "with, when, on what lawful basis and why. Made on "
        f"{b.long_date(data.made_on)}.",
    )
    if not data.rows:
        b.add_paragraph(doc, "Nothing has been shared yet.", italic=True, colour=b.MUTED_COLOUR)
    else:
        widths = [Mm(26), Mm(28), Mm(34), Mm(22), Mm(40), Mm(30), Mm(38), Mm(49)]
        b.add_table(doc, data.columns, data.rows, widths)
    if data.not_recorded:
        add_note(
            doc,
            f"{data.not_recorded} of these were written before the basis was asked for, or by a "
            "route that does not ask: their recipient and basis say “Not recorded”.",
        )
    return doc


def save(data: SharingPaper, path: str | os.PathLike[str]) -> Path:
    from csfacilitator.export.papers_common import save_document

    return save_document(build(data), path)


def save_csv(data: SharingPaper, path: str | os.PathLike[str]) -> Path:
    """The same rows as CSV for Excel (UTF-8 with BOM, formulas made harmless)."""
    from csfacilitator.export.actions_csv import save_rows

    return save_rows(data.rows, path, data.columns)
