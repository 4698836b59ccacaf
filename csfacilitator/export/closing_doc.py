"""The closing record as a Word document: "the final record" the closing dialog promises.

When the conference was closed, what changed in the context, the measures the partners
tracked (printed as recorded: they are free text for now), what the partners said, the
meetings held, and the final state of every action with its last progress note. The data is
gathered by `csfacilitator.core.papers.closing.gather`; this module only lays it out
(`build`), names it (`filename`) and writes it (`save`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csfacilitator.core import vocab
from csfacilitator.core.papers.closing import ClosingData, FinalAction
from csfacilitator.core.textclean import split_pasted_lines

if TYPE_CHECKING:
    from docx.document import Document

FINAL_COLUMNS = (
    "Identified need or problem",
    "Action",
    "Agency / team",
    "Owner",
    "Final status",
    "Last progress note",
)


def outcome_line(data: ClosingData) -> str:
    """'9 actions: 7 done, 2 not going ahead.'"""
    actions = data.actions
    if not actions:
        return "The plan had no actions."
    from csfacilitator.export.papers_common import count_by_status

    return count_by_status(a.status for a in actions)


def _fill_final_row(cells: Sequence[Any], action: FinalAction) -> int:
    from csfacilitator.export import docx_base as b
    from csfacilitator.export.plan_doc import add_note

    b.add_paragraph(cells[1], action.text)
    b.add_paragraph(cells[2], action.agency or "Not recorded")
    b.add_paragraph(cells[3], action.owner or "Not named")
    b.add_paragraph(cells[4], vocab.label(vocab.ACTION_STATUSES, action.status), bold=True)
    if action.note:
        b.add_paragraph(cells[5], action.note)
        add_note(cells[5], action.note_from)
    else:
        b.add_paragraph(cells[5], "No progress noted.", italic=True, colour=b.MUTED_COLOUR)
    return len(action.text) + len(action.note) + len(action.agency) + len(action.owner)


def _add_text(doc: Document, text: str, missing: str, *, bullets: bool = False) -> None:
    from csfacilitator.export import docx_base as b

    lines = split_pasted_lines(text)
    if not lines:
        b.add_paragraph(doc, missing, italic=True, colour=b.MUTED_COLOUR)
        return
    styles = b.bullet_styles(doc)
    for line in lines:
        if bullets and len(lines) > 1:
            b.add_bullet(doc, line, 1, styles)
        else:
            b.add_paragraph(doc, line)


def build(data: ClosingData, *, author: str = "") -> Document:
    """The closing record as a landscape A4 document (pure: reads nothing but `data`)."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import add_lead, conference_title, start_paper
    from csfacilitator.export.plan_doc import add_label_table, add_plan_table

    title = conference_title(data.title)
    closed = b.long_date(data.closed_on, missing="date not recorded")
    doc = start_paper(
        title,
        kind="Closing record",
        subject=f"Closing record, closed on {closed}",
        header_right=f"Closing record, closed on {closed}",
        heading="Closing record",
        subtitle=title,
        author=author,
        landscape=True,
    )
    width = b.content_width(doc.sections[0])

    b.add_paragraph(doc, f"Conference closed on {closed}", bold=True)
    held = "; ".join(
        f"{m.name}, {b.long_date(m.date, missing='date not set')}" for m in data.meetings
    )
    add_label_table(
        doc,
        [
            ("Context", data.context),
            ("Closed on", b.long_date(data.closed_on, missing="Not recorded")),
            ("Chair", data.chair or "Not recorded"),
            ("Lead practitioner", data.lead_practitioner or "Not recorded"),
            ("Meetings held", held or "None recorded"),
        ],
        Mm(55),
    )

    b.add_heading(doc, "What changed in the context", 2)
    _add_text(doc, data.summary, "Not recorded.")
    # The free-text measures of before issue 19; with outcome goals set, only when written.
    if split_pasted_lines(data.measures) or not data.outcomes:
        b.add_heading(doc, "Measures the partners tracked", 2)
        if split_pasted_lines(data.measures):
            add_lead(doc, "Before and after, as the partners recorded them:")
        _add_text(doc, data.measures, "No measures were recorded.", bullets=True)
    from csfacilitator.export.measure_chart import add_outcomes

    add_outcomes(doc, data.outcomes, width, closing=True)  # issue 19
    from csfacilitator.export.you_said_doc import add_you_said

    add_you_said(doc, data.you_said, width, closing=True)  # issue 19
    b.add_heading(doc, "What the partners said", 2)
    _add_text(doc, data.feedback, "No feedback was recorded.")

    b.add_heading(doc, "Final state of the actions", 2)
    b.add_paragraph(doc, outcome_line(data)).paragraph_format.keep_with_next = True
    if data.needs:
        add_plan_table(
            doc,
            width,
            FINAL_COLUMNS,
            (Mm(46), Mm(38), Mm(34), Mm(26), Mm(64)),  # need, agency, owner, status, note
            [(need.text, need.actions) for need in data.needs],
            _fill_final_row,
            empty_group="No action was agreed",
            empty="",  # never shown: there is no table without needs
        )
    return doc


def filename(data: ClosingData) -> str:
    """'Closing record - <title> - 2027-06-01.docx'."""
    from csfacilitator.export.papers_common import suggested_filename

    return suggested_filename("Closing record", data.title, data.closed_on)


def save(data: ClosingData, path: str | os.PathLike[str], *, author: str = "") -> Path:
    """Write a gathered closing record to `path` (".docx" added if missing); returns the file."""
    from csfacilitator.export.papers_common import save_document

    return save_document(build(data, author=author), path)
