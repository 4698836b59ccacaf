"""The subject access search as a redaction-ready Word document: one row per mention with its
conference, where it is, its date and the text around it, the phrase itself in bold and
highlighted so whoever answers the request can see, and redact, each third party around it."""

from __future__ import annotations

import os
from pathlib import Path

from csfacilitator.core.subject_access import SubjectAccessResult

COLUMNS = ("#", "Conference", "Where", "Date", "Text around the mention")


def filename(data: SubjectAccessResult) -> str:
    from csfacilitator.export.papers_common import suggested_filename

    return suggested_filename("Subject access search", data.phrase, data.searched_on)


def _spaced(text: str) -> str:
    """Clean text keeping the one space either side that joins it to the mention."""
    from csfacilitator.core.textclean import clean_text

    core = clean_text(text, multiline=False).strip()
    if not core:
        return ""
    return (" " if text[:1].isspace() else "") + core + (" " if text[-1:].isspace() else "")


def build(data: SubjectAccessResult, *, author: str = ""):
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Mm

    from csfacilitator.core.textclean import clean_text
    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import add_note, start_record

    doc = start_record(
        "Subject access search",
        data.phrase,
        data.searched_on,
        shown=f"“{data.phrase}”",
        author=author,
    )
    b.add_heading(doc, f"Subject access search: “{data.phrase}”", 1)
    count = len(data.mentions)
    ids = {m.conference_id for m in data.mentions}
    conferences = len(ids - {None})
    b.add_paragraph(
        doc,
        f"Searched on {b.long_date(data.searched_on)}: every text field CS Facilitator stores "
        f"({data.places_searched} kinds of field), ignoring case and accents, whole words only. "
        + (
            f"{count} mention{'s' if count != 1 else ''}, in {conferences} "
            f"conference{'s' if conferences != 1 else ''}"
            + (" or in records about no one conference." if None in ids else ".")
            if count
            else "No mention was found."
        ),
    )
    if count:
        widths = [Mm(10), Mm(45), Mm(50), Mm(25), Mm(137)]
        table = b.add_table(doc, COLUMNS, [], widths)
        for number, mention in enumerate(data.mentions, 1):
            row = table.add_row()
            cells = row.cells
            b.add_paragraph(cells[0], str(number))
            b.add_paragraph(cells[1], mention.conference_title or "Not about one conference")
            b.add_paragraph(cells[2], mention.where)
            b.add_paragraph(
                cells[3], b.long_date(mention.date, "No date") if mention.date else "No date"
            )
            paragraph = b.add_paragraph(cells[4], "")
            paragraph.add_run(_spaced(mention.before))
            run = paragraph.add_run(clean_text(mention.match))
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            paragraph.add_run(_spaced(mention.after))
            b.keep_row_together(row, len(mention.before) + len(mention.after))
    add_note(
        doc,
        "Before anything is disclosed, check each row and redact what identifies other people. "
        "Deleted conferences are not in the database and so not in this search; backups may "
        "still hold them until they age out.",
    )
    return doc


def save(data: SubjectAccessResult, path: str | os.PathLike[str]) -> Path:
    from csfacilitator.export.papers_common import save_document

    return save_document(build(data), path)
