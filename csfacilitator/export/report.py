"""The lead practitioner's assessment report as a Word document, circulated before the
conference: the sections of the chosen structure, other notes, the context weighting picture
(with alt text), the priorities and the threshold.

The data comes from core.papers.report (gathered there); `build` lays it out without touching
the database.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csfacilitator.core.papers.meeting_paper import context_line
from csfacilitator.core.papers.report import ReportData, ReportSection
from csfacilitator.export.papers_common import save_document, suggested_filename

if TYPE_CHECKING:
    from docx.document import Document

PICTURE_WIDTH_MM = 150
WEIGHTING_INTRO = (
    "Each box is a context around the young people. The bigger the box, the more that context "
    "needs to change for young people to be safer; dotted lines join contexts that affect each "
    "other."
)


def build(data: ReportData, *, author: str = "") -> Document:
    """The report as a portrait A4 Word document (pure: reads nothing but `data`)."""
    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import (
        add_details,
        add_lines,
        conference_title,
        referral_line,
        start_paper,
    )

    title = conference_title(data.title)
    doc = start_paper(
        title,
        kind="Assessment report",
        subject=f"Context assessment report ({data.structure.lower()} structure)",
        header_right="Context assessment report",
        heading=title,
        subtitle="Context assessment report",
        author=author,
    )
    styles = b.bullet_styles(doc)
    add_details(
        doc,
        (
            ("Context", context_line(data.context_type, data.context_name, "")),
            ("Area", data.area),
            ("Lead practitioner", data.lead_practitioner),
            ("Chair", data.chair),
            ("Assessment period", data.assessment_period),
            ("Conference", b.long_date(data.conference_date, missing="")),
            ("Referred by", referral_line(data.referral_source, data.referral_date)),
            ("Place manager", data.place_manager),
        )
        + ((("Related conferences", "; ".join(data.related)),) if data.related else ()),  # issue 20
    )

    for section in data.sections:
        _add_section(doc, section, styles, level=2)
    if data.other_notes:
        b.add_heading(doc, "Other notes", 2)
        for section in data.other_notes:
            _add_section(doc, section, styles, level=3)

    _add_weighting(doc, data.weighting)
    from csfacilitator.export.safety_map_doc import add_report_section  # issue 19

    add_report_section(doc, data.safety_map, b.content_width(doc.sections[0]))
    _add_priorities(doc, data.priorities, styles)

    b.add_heading(doc, "Threshold", 2)
    b.add_paragraph(doc, data.threshold, bold=True)
    if not add_lines(doc, data.threshold_rationale, styles):
        b.add_paragraph(
            doc, "No rationale has been written yet.", italic=True, colour=b.MUTED_COLOUR
        )
    return doc


def _add_section(doc: Document, section: ReportSection, styles, *, level: int) -> None:
    from csfacilitator.export import docx_base as b
    from csfacilitator.export.papers_common import add_lines

    b.add_heading(doc, section.heading, level)
    if not add_lines(doc, section.body, styles):
        b.add_paragraph(doc, "Nothing written yet.", italic=True, colour=b.MUTED_COLOUR)


def _add_weighting(doc: Document, weighting: Any) -> None:
    import io

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b

    b.add_heading(doc, "Context weighting", 2)
    if weighting is None:
        b.add_paragraph(
            doc,
            "The context weighting has not been drawn yet.",
            italic=True,
            colour=b.MUTED_COLOUR,
        )
        return
    from csfacilitator.export.weighting_picture import weighting_alt_text, weighting_png

    b.add_paragraph(doc, WEIGHTING_INTRO).paragraph_format.keep_with_next = True
    alt = b.one_line(weighting_alt_text(weighting))
    holder = b.add_paragraph(doc)
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    width = min(Mm(PICTURE_WIDTH_MM), b.content_width(doc.sections[0]))
    shape = holder.add_run().add_picture(io.BytesIO(weighting_png(weighting)), width=width)
    doc_pr = shape._inline.docPr  # python-docx has no alt-text API yet: set it on wp:docPr
    doc_pr.set("name", "Context weighting")
    doc_pr.set("descr", alt)
    doc_pr.set("title", "Context weighting")


def _add_priorities(doc: Document, priorities, styles) -> None:
    from docx.shared import Pt

    from csfacilitator.export import docx_base as b

    b.add_heading(doc, "Priorities", 2)
    focus = [p for p in priorities if p.focus]
    others = [p for p in priorities if not p.focus]
    if not priorities:
        b.add_paragraph(
            doc, "No priorities have been recorded yet.", italic=True, colour=b.MUTED_COLOUR
        )
        return
    if focus:
        b.add_paragraph(doc, "The conference will focus on:", bold=True)
        b.add_numbered(doc, ((p.text, "") for p in focus))
    if others:
        lead = "Other issues the assessment found:" if focus else "Issues the assessment found:"
        b.add_paragraph(doc, lead, bold=True).paragraph_format.space_before = Pt(6)
        for priority in others:
            b.add_bullet(doc, priority.text, 1, styles)


def filename(data: ReportData) -> str:
    return suggested_filename("Assessment report", data.title, data.conference_date)


def save(data: ReportData, path: str | os.PathLike[str], *, author: str = "") -> Path:
    """Write the report to `path` ('.docx' added if missing), atomically; returns the file."""
    return save_document(build(data, author=author), path)
